"""Test set-up shared by every test module."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for helpers.py and apptest.py


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Author-tool caches go to a folder of the test run, never the user's."""
    os.environ["MLTCOURSE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))

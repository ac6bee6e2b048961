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


@pytest.fixture(autouse=True, scope="session")
def _private_progress(tmp_path_factory):
    """A command run without --data-dir records into a folder of the test run, never the
    user's progress file (which may hold anything, even a schema of a build in progress)."""
    os.environ["MLTCOURSE_HOME"] = str(tmp_path_factory.mktemp("progress"))

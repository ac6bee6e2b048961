"""Where progress is kept: --data-dir, else $MLTCOURSE_HOME, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_NAME = "progress.sqlite3"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MLTCOURSE_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("mltcourse", appauthor=False))

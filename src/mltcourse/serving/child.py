"""The app as the classroom server runs it, one process per browser connection.

``python -m mltcourse.serving.child --content DIR --data-dir DIR [--learner NAME]`` is
``mltcourse`` with three things first:

* it dies with the server (Linux: the parent-death signal), even if the server is killed
  outright and cannot stop it;
* it may write only in the class's folders (:mod:`.guard`), and it starts in ``exports``, so
  a relative folder typed into a dialog lands there;
* the after-action review's export dialog proposes a folder inside ``exports``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path

PARENT_ENV = "MLTCOURSE_SERVE_PARENT"


def die_with_parent() -> None:
    """Ask Linux to send SIGTERM when the server goes; exit now if it has already gone."""
    parent = os.environ.get(PARENT_ENV)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    if parent and str(os.getppid()) != parent:
        sys.exit(1)


def inside(path: Path, folder: Path) -> bool:
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root + os.sep)


def propose_exports(exports: Path) -> None:
    """The export dialog's proposed folder, moved into ``exports`` when it lies elsewhere."""
    try:
        from ..tui.screens.exercise_dialogs import ExportDialog
    except ImportError:  # pragma: no cover - the dialog moved: the guard still holds
        return
    original = ExportDialog.__init__

    def __init__(self, folder: str, *args, **kwargs) -> None:
        proposed = Path(folder).expanduser()
        if not inside(proposed, exports):
            folder = str(exports / proposed.name)
        original(self, folder, *args, **kwargs)

    ExportDialog.__init__ = __init__


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    die_with_parent()
    known = argparse.ArgumentParser(add_help=False)
    known.add_argument("--data-dir", required=True)
    data = Path(known.parse_known_args(argv)[0].data_dir)
    from .guard import install

    policy = install(data)
    exports = Path(policy.exports)
    with contextlib.suppress(OSError):
        os.chdir(exports)
    propose_exports(exports)
    from ..cli import main as mltcourse

    return mltcourse(argv)


if __name__ == "__main__":
    sys.exit(main())

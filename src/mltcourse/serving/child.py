"""The app as the classroom server runs it, one process per browser connection.

``python -m mltcourse.serving.child --content DIR --data-dir DIR [ROLE]`` is ``mltcourse``
with three things first:

* it dies with the server (Linux: the parent-death signal), even if the server is killed
  outright and cannot stop it;
* it may write only in the class's folders (:mod:`.guard`), and it starts in ``exports``, so
  a relative folder typed into a dialog lands there;
* the after-action review's export dialog proposes a folder inside ``exports``.

The server adds the role of the page that connected: ``--class ID --seat SEAT`` (a learner's
seat: the app asks who is studying and keeps them), plus ``--scenario S --teams A,B
--team N`` (a team's device) or ``--presenter`` (the projector's view).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.abc
import importlib.machinery
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


DIALOGS = "mltcourse.tui.screens.exercise_dialogs"


def propose_exports(exports: Path) -> None:
    """The export dialog's proposed folder, moved into ``exports`` when it lies elsewhere.

    Applied when the app first imports the dialog's module, not before: the served app's
    first screen must not wait for it (see test_architecture)."""

    def adjust(module) -> None:
        dialog = getattr(module, "ExportDialog", None)
        if dialog is None:  # pragma: no cover - the dialog moved: the guard still holds
            return
        original = dialog.__init__

        def __init__(self, folder: str, *args, **kwargs) -> None:
            proposed = Path(folder).expanduser()
            if not inside(proposed, exports):
                folder = str(exports / proposed.name)
            original(self, folder, *args, **kwargs)

        dialog.__init__ = __init__

    if DIALOGS in sys.modules:
        adjust(sys.modules[DIALOGS])
    else:
        sys.meta_path.insert(0, _AfterImport(DIALOGS, adjust))


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs ``then(module)`` once module ``name`` has been imported, then steps aside."""

    def __init__(self, name: str, then) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        execute, then = loader.exec_module, self.then

        def exec_module(module) -> None:
            execute(module)
            then(module)

        loader.exec_module = exec_module
        return spec


def _options(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The served app's own options (the class, the seat, the role), and the rest for
    ``mltcourse`` itself."""
    known = argparse.ArgumentParser(add_help=False)
    known.add_argument("--data-dir", required=True)
    known.add_argument("--content")
    known.add_argument("--class", dest="class_id")
    known.add_argument("--seat")
    known.add_argument("--team", type=int)
    known.add_argument("--presenter", action="store_true")
    known.add_argument("--scenario")
    known.add_argument("--teams")
    return known.parse_known_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    die_with_parent()
    options, _ = _options(argv)
    data = Path(options.data_dir)
    from .guard import install

    policy = install(data)
    exports = Path(policy.exports)
    with contextlib.suppress(OSError):
        os.chdir(exports)
    propose_exports(exports)
    if options.class_id is None:  # not one of a class's roles: the app as it is
        from ..cli import main as mltcourse

        return mltcourse(argv)
    return _run_role(options, data)


def _run_role(options: argparse.Namespace, data: Path) -> int:
    """A seat (the course, for the learner who signs in), a team's device or the presenter."""
    import gc

    from ..content.paths import default_root
    from ..store.classroom import Seat

    gc.disable()  # as the command line does for start-up; the app turns it back on
    root = default_root(options.content)
    seat = Seat(options.class_id, options.seat or "")
    if options.scenario and (options.presenter or options.team is not None):
        from ..tui.device import DeviceApp

        teams = tuple(options.teams.split(",")) if options.teams else ()
        app = DeviceApp(root, data, options.scenario, teams, seat, options.team)
    else:
        from ..tui.app import create_app

        app = create_app(root, data, seat=seat)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())

"""In a served app, files are written only in the class's own folders.

An audit hook (PEP 578) sees every file the process opens for writing, and every rename,
removal, new folder and new process, whatever code asks for it: the export dialog, the
debrief's exports, Textual, a library. It allows

* anything inside the data folder's ``exports`` (what learners and trainers save) and
  ``cache`` (the course cache) folders;
* in the data folder itself, only the app's own files: the progress store's
  (``progress.sqlite3`` and its ``-wal``, ``-shm``, ``-journal`` and ``.corrupt-*``
  neighbours) and its error log;

and refuses the rest with PermissionError (an OSError, which the app's export code already
reports as "Could not write there"). Starting a program is refused outright: it would be
outside the hook's sight. The store's path itself is fixed by the server's ``--data-dir``
(SQLite writes its files from C, unseen by the hook; no learner input reaches that path).

The hook guards against what a learner can type into a served app, not against code running
in it: Python code could remove nothing here, but it could call C directly."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..store.paths import DATABASE_NAME

# The app's other own files in the data folder: its error log (mltcourse.tui.guard.LOG_NAME,
# named here so as not to import the app; tests/test_serve_guard.py checks they agree).
APP_FILES = frozenset({"errors.log"})
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_SPAWNING = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.startfile",
        "pty.spawn",
    }
)
# event -> the positions of its path arguments, and of the dir_fd that goes with them
_PATH_EVENTS: dict[str, tuple[tuple[int, int | None], ...]] = {
    "os.mkdir": ((0, 2),),
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.rename": ((0, 2), (1, 3)),
    "os.link": ((0, 2), (1, 3)),
    "os.symlink": ((1, 2),),
    "os.truncate": ((0, None),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 3),),
    "os.utime": ((0, 3),),
    "os.setxattr": ((0, None),),
    "os.removexattr": ((0, None),),
    "shutil.copyfile": ((1, None),),
    "shutil.copytree": ((1, None),),
    "shutil.move": ((0, None), (1, None)),
    "shutil.rmtree": ((0, 1),),
    "shutil.unpack_archive": ((1, None),),
    "shutil.make_archive": ((0, None),),
}


class WritePolicy:
    """Which paths a served app may change, given its data folder."""

    def __init__(self, data: Path) -> None:
        self.data = os.path.realpath(data)
        self.exports = os.path.join(self.data, "exports")
        self.trees = (self.exports, os.path.join(self.data, "cache"))

    def allows(
        self, path: str | bytes | os.PathLike, dir_fd: int | None = None, folder: bool = False
    ) -> bool:
        """Whether the app may change ``path``; ``folder``: it is creating that folder."""
        if isinstance(path, int):  # an open descriptor: its opening was checked
            return True
        name = os.fsdecode(path)
        if dir_fd is not None and not os.path.isabs(name):
            try:  # relative to an open folder (shutil.rmtree): name it, where Linux can
                name = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), name)
            except OSError:
                return False
        real = os.path.realpath(name)  # symbolic links followed: no way out through one
        if real == os.devnull or (folder and real == self.data):
            return True  # the data folder itself: the store's mkdir(exist_ok=True)
        if any(real == tree or real.startswith(tree + os.sep) for tree in self.trees):
            return True
        folder, base = os.path.split(real)
        return folder == self.data and (base.startswith(DATABASE_NAME) or base in APP_FILES)

    def refusal(self, path: object) -> PermissionError:
        where = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else str(path)
        return PermissionError(errno.EACCES, f"a served app writes only in {self.exports}", where)


def make_hook(policy: WritePolicy, report: Callable[[str], None]) -> Callable:
    """The audit hook enforcing ``policy``; ``report`` hears each refusal."""

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, _mode, flags = args
            if flags & _WRITING and not policy.allows(path):
                report(f"refused to write {os.fsdecode(path)}")
                raise policy.refusal(path)
        elif event in _PATH_EVENTS:
            for position, fd_position in _PATH_EVENTS[event]:
                path = args[position]
                dir_fd = args[fd_position] if fd_position is not None else None
                if dir_fd == -1:  # os.rename's "no dir_fd"
                    dir_fd = None
                if not policy.allows(path, dir_fd, folder=event == "os.mkdir"):
                    report(f"refused {event} on {path!r}")
                    raise policy.refusal(path)
        elif event in _SPAWNING:
            report(f"refused to start a program ({event})")
            raise PermissionError(errno.EPERM, "a served app starts no programs")

    return hook


def install(data: Path) -> WritePolicy:
    """Guard this process for good (an audit hook cannot be removed)."""
    policy = WritePolicy(data)
    sys.dont_write_bytecode = True  # no __pycache__ writes to refuse

    def report(message: str) -> None:  # to the real stderr: the app captures sys.stderr
        with contextlib.suppress(OSError):
            os.write(2, f"mltcourse serve: {message}\n".encode("utf-8", "replace"))

    sys.addaudithook(make_hook(policy, report))
    return policy

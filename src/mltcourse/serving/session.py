"""One browser connection's app process, which never outlives the connection.

textual-serve's AppService starts the app through a shell and, when the browser goes, asks it
to quit and waits for as long as it takes. Here the app is started without a shell, in a
process group of its own, in the class's exports folder; when the connection ends it is asked
to quit, then the whole group is sent SIGTERM and then SIGKILL, each after a short wait, so
neither a hung app nor anything it started is left behind. When the app ends by itself (the
learner quits it, or it fails), the connection is closed too, freeing its place in the class.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Sequence
from pathlib import Path

from textual_serve.app_service import AppService

from .child import PARENT_ENV

QUIT_GRACE = 3.0  # seconds the app has to quit when asked (it saves progress as it goes)
TERM_GRACE = 1.0  # seconds between SIGTERM and SIGKILL
POLL = 0.05  # seconds between looks at whether a process has exited


class ClassroomSession(AppService):
    """The app process behind one websocket."""

    def __init__(self, argv: Sequence[str], *, cwd: Path | None, **kwargs) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.cwd = cwd
        self.pid: int | None = None
        self._stopping: asyncio.Task[None] | None = None
        self._reader: asyncio.Future[None] | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment[PARENT_ENV] = str(os.getpid())
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            cwd=self.cwd,
            start_new_session=True,  # a group of its own: killed whole, never by our signals
        )
        self.pid = process.pid
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output until it exits (not until its output closes: something it
        started may hold that open), then close the connection."""
        assert self._process is not None
        self._reader = reader = asyncio.ensure_future(super().run())
        exited = asyncio.ensure_future(_exited(self._process, None))
        try:
            await asyncio.wait({reader, exited}, return_when=asyncio.FIRST_COMPLETED)
            if not reader.done():  # the last of its output, briefly
                await asyncio.wait({reader}, timeout=TERM_GRACE)
        finally:  # the app has gone: so does its connection
            exited.cancel()
            with contextlib.suppress(Exception):
                await self.remote_close()

    async def send_meta(self, data: dict) -> bool:
        if self._stdin is None or self._stdin.is_closing():
            return False
        return await super().send_meta(data)

    async def send_bytes(self, data: bytes) -> bool:
        if self._stdin is None or self._stdin.is_closing():
            return False
        return await super().send_bytes(data)

    def stop_soon(self) -> asyncio.Task[None]:
        """Quit, then terminate, then kill the app's process group: a task of its own, which
        goes on if whoever started it is cancelled, and is started once however often asked."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        return self._stopping

    async def stop(self) -> None:
        await asyncio.shield(self.stop_soon())

    async def _stop(self) -> None:
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self._process
        if process is not None:
            if process.returncode is None:
                with contextlib.suppress(Exception):
                    await self.send_meta({"type": "quit"})
                if not await _exited(process, QUIT_GRACE):
                    self.signal_group(signal.SIGTERM)
                    if not await _exited(process, TERM_GRACE):
                        self.signal_group(signal.SIGKILL)
                        await _exited(process, TERM_GRACE)
            self.signal_group(signal.SIGKILL)  # whatever the app started and left behind
        for task in (self._task, self._reader):
            if task is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(task, TERM_GRACE)
        self._task = self._reader = None

    def signal_group(self, signum: int) -> None:
        """Send ``signum`` to the app's process group, if any of it is left."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signum)

    def kill_now(self) -> None:
        """At the server's exit, with no time left: kill the group outright."""
        self.signal_group(signal.SIGKILL)


async def _exited(process: asyncio.subprocess.Process, timeout: float | None) -> bool:
    """Whether the process exits within ``timeout`` seconds. Not ``process.wait()``: that
    also waits for its pipes to close, which something it started may hold open."""
    loop = asyncio.get_running_loop()
    deadline = None if timeout is None else loop.time() + timeout
    while process.returncode is None:
        if deadline is not None and loop.time() >= deadline:
            return False
        await asyncio.sleep(POLL)
    return True

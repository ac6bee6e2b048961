"""``mltcourse serve`` in a real browser: headless Chromium loads the textual-serve page and
its terminal connects, which starts the app (it opens the progress store on mount).

Skipped where Debian's chromium is not installed (.ci/run installs it). The server and the
browser run in their own process groups, with bounded waits, and are always killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import copy_course

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (see .ci/run)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def spawn(command: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own group: the app processes it starts die with it
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def chromium(profile: Path, *action: str) -> list[str]:
    return [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *action,
    ]


def test_serve_shows_the_app_in_headless_chromium(tmp_path):
    course, data, port = copy_course(tmp_path), tmp_path / "data", free_port()
    url = f"http://127.0.0.1:{port}/"
    server = spawn(
        [sys.executable, "-m", "mltcourse", "--content", str(course), "serve"]
        + ["--port", str(port), "--data-dir", str(data)],
        tmp_path / "server.log",
    )
    try:
        assert wait_for(lambda: answers(url), 20), (tmp_path / "server.log").read_text()
        page = subprocess.run(
            chromium(tmp_path / "dump", "--dump-dom", url),
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "textual-terminal" in page and "MLT peacebuilding" in page
        assert "/static/js/textual.js" in page and "data-session-websocket-url" in page

        browser = spawn(chromium(tmp_path / "live", url), tmp_path / "browser.log")
        try:  # the page's terminal connects: textual-serve starts the app for it
            assert wait_for(lambda: (data / "progress.sqlite3").exists(), 45)
        finally:
            stop(browser)
        assert "/ws?width=" in (tmp_path / "server.log").read_text()  # log lines wrap
    finally:
        stop(server)

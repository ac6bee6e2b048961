"""``mltcourse serve`` in a real browser: headless Chromium opens the join link, the page's
terminal connects, which starts the app (it opens the progress store on mount).

The second test drives Chromium over its DevTools protocol (CDP) with aiohttp's websocket
client: it records every request the page makes (all to the server itself: nothing from
outside) and then opens, in the same browser (so with the class's cookie), a page of another
origin on the same machine that tries to open the app's websocket, which must be refused.

Skipped where Debian's chromium is not installed (.ci/run installs it). The servers and the
browser run in their own process groups, with bounded waits, and are always killed."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
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


def status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


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


def apps_of(server: int) -> list[int]:
    """The app processes ``server`` has started and that are still running (Linux /proc)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        state, parent = stat[stat.rindex(")") + 2 :].split()[:2]
        if state != "Z" and int(parent) == server and b"mltcourse.serving.child" in command:
            found.append(int(entry))
    return found


def squashed(log: Path) -> str:
    """The server's log without whitespace: its lines wrap at the console's width."""
    return "".join(log.read_text(errors="replace").split())


def start_server(tmp_path: Path) -> tuple[subprocess.Popen, str, str, Path]:
    """``mltcourse serve`` on a free port: the process, its origin, its join link, its log."""
    course, data, port = copy_course(tmp_path), tmp_path / "data", free_port()
    log = tmp_path / "server.log"
    server = spawn(
        [sys.executable, "-m", "mltcourse", "--content", str(course), "serve"]
        + ["--port", str(port), "--data-dir", str(data), "--no-roster"],  # every request logged
        log,
    )
    origin = f"http://127.0.0.1:{port}"
    found = re.compile(re.escape(origin) + r"/\?join=[A-Za-z0-9_-]+")
    try:
        assert wait_for(lambda: found.search(log.read_text()), 30), log.read_text()
        assert wait_for(lambda: status(origin + "/") == 403, 10)  # no token, no page
    except BaseException:
        stop(server)
        raise
    return server, origin, found.search(log.read_text()).group(0), log


def test_serve_shows_the_app_in_headless_chromium(tmp_path):
    server, origin, join, log = start_server(tmp_path)
    data = tmp_path / "data"
    try:
        assert status(origin + "/static/js/textual.js") == 403
        page = subprocess.run(
            chromium(tmp_path / "dump", "--dump-dom", join),
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "textual-terminal" in page and "MLT peacebuilding" in page
        assert "/static/js/textual.js" in page and "data-session-websocket-url" in page

        browser = spawn(chromium(tmp_path / "live", join), tmp_path / "browser.log")
        try:  # the page's terminal connects: the server starts the app for it
            assert wait_for(lambda: (data / "progress.sqlite3").exists(), 45)
            assert len(apps_of(server.pid)) == 1
        finally:
            stop(browser)
        assert wait_for(lambda: apps_of(server.pid) == [], 15)  # gone with its browser
        assert wait_for(lambda: "/ws?width=" in squashed(log), 10)
        assert "mltcourseserve:refused" not in squashed(log)  # the app never met the guard
    finally:
        stop(server)


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands, and the events meanwhile."""

    def __init__(self, websocket) -> None:
        self.websocket = websocket
        self.events: list[dict] = []
        self._next = 0

    async def call(self, method: str, **params) -> dict:
        self._next += 1
        ident = self._next
        await self.websocket.send_json({"id": ident, "method": method, "params": params})
        while True:
            message = json.loads((await asyncio.wait_for(self.websocket.receive(), 30)).data)
            if message.get("id") == ident:
                return message.get("result", {})
            self.events.append(message)

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def until(self, expression: str, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.2)
        return None

    def params(self, method: str) -> list[dict]:
        return [e["params"] for e in self.events if e.get("method") == method]


ATTACK = """<!DOCTYPE html><title>waiting</title><script>
const socket = new WebSocket("WS/ws?width=80&height=24");
socket.onopen = () => { document.title = "opened"; };
socket.onclose = () => { if (document.title !== "opened") document.title = "refused"; };
</script>"""


async def browse(debugging: int, origin: str, join: str, attack: str) -> dict:
    """Open the join link, then the other origin's page, in one tab; what was seen."""
    with urllib.request.urlopen(f"http://127.0.0.1:{debugging}/json", timeout=5) as answer:
        (tab,) = [t for t in json.load(answer) if t["type"] == "page"]
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0) as websocket,
    ):
        tools = DevTools(websocket)
        for domain in ("Network", "Log", "Page", "Runtime"):
            await tools.call(f"{domain}.enable")
        await tools.call("Page.navigate", url=join)
        painted = await tools.until("document.body.classList.contains('-first-byte')", 60)
        seen = {
            "painted": painted,
            "address": await tools.evaluate("location.href"),
            "requests": [p["request"]["url"] for p in tools.params("Network.requestWillBeSent")]
            + [p["url"] for p in tools.params("Network.webSocketCreated")],
            "console": [p["entry"]["text"] for p in tools.params("Log.entryAdded")],
        }
        seen["cookies"] = (await tools.call("Network.getCookies", urls=[origin]))["cookies"]
        await tools.call("Page.navigate", url=attack)
        seen["attack"] = await tools.until(
            "['opened', 'refused'].includes(document.title) && document.title", 30
        )
        seen["handshakes"] = tools.params("Network.webSocketWillSendHandshakeRequest")
        return seen


def test_the_page_loads_nothing_from_elsewhere_and_other_origins_cannot_connect(tmp_path):
    server, origin, join, log = start_server(tmp_path)
    ws_origin = "ws" + origin.removeprefix("http")
    other, debugging = free_port(), free_port()
    site = tmp_path / "other-site"
    site.mkdir()
    (site / "attack.html").write_text(ATTACK.replace("WS", ws_origin))
    attacker = spawn(
        [sys.executable, "-m", "http.server", str(other), "--bind", "127.0.0.1"]
        + ["--directory", str(site)],
        tmp_path / "attacker.log",
    )
    browser = spawn(
        chromium(tmp_path / "cdp", f"--remote-debugging-port={debugging}", "about:blank"),
        tmp_path / "browser.log",
    )
    try:
        assert wait_for(lambda: status(f"http://127.0.0.1:{other}/attack.html") == 200, 20)
        assert wait_for(lambda: status(f"http://127.0.0.1:{debugging}/json") == 200, 30)
        attack = f"http://127.0.0.1:{other}/attack.html"
        seen = asyncio.run(browse(debugging, origin, join, attack))

        assert seen["painted"], seen  # the app's first frame reached the terminal
        assert "join=" not in seen["address"]  # the token left the address bar
        outside = [
            url
            for url in seen["requests"]
            if not url.startswith((origin + "/", ws_origin + "/")) and url != attack
        ]
        assert outside == [], outside  # works with the network cable pulled
        blocked = [
            text
            for text in seen["console"]
            if ("Refused" in text or "Content Security Policy" in text)
            and "Applying inline style" not in text  # textual.js's own, restated in our CSS
        ]
        assert blocked == [], blocked

        (cookie,) = [c for c in seen["cookies"] if c["name"].startswith("mltcourse_join_")]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        # The other origin's page is same-site (127.0.0.1, another port), so the cookie goes
        # with its handshake: only the Origin check stands between it and an app process.
        # The server checks the token first: its refusing the origin shows the cookie came.
        assert seen["attack"] == "refused", seen
        origins = [h["request"]["headers"].get("Origin") for h in seen["handshakes"]]
        assert origins == [origin, f"http://127.0.0.1:{other}"]
        expected = f"refused a websocket from origin 'http://127.0.0.1:{other}'"
        assert "".join(expected.split()) in squashed(log), log.read_text()
        assert wait_for(lambda: apps_of(server.pid) == [], 15)  # the page's own app, gone too
    finally:
        for process in (browser, attacker, server):
            stop(process)

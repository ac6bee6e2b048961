"""The classroom server's access control, through aiohttp's test client, in-process.

The app behind each websocket is a stand-in (FAKE_APP below) that speaks textual-serve's
protocol, records what it is sent and where it runs, and starts a child of its own, so the
tests can count the processes a session leaves behind."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from mltcourse.serving import session as session_module
from mltcourse.serving.server import ClassroomServer

FAKE_APP = r"""
import json, os, signal, subprocess, sys
log, mode = sys.argv[1], sys.argv[2]
def note(**record):
    with open(log, "a") as f:
        f.write(json.dumps(record) + "\n")
if mode == "stubborn":  # deaf to the quit message and to SIGTERM: only SIGKILL ends it
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen(["sleep", "120"])  # in the app's process group, as its children are
note(pid=os.getpid(), child=child.pid, pgid=os.getpgid(0), cwd=os.getcwd(),
     size=[os.environ["COLUMNS"], os.environ["ROWS"]])
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
payload = b"hello from the app"
out.write(b"D" + len(payload).to_bytes(4, "big") + payload)
out.flush()
if mode == "exits":
    sys.exit(0)
stdin = sys.stdin.buffer
while len(head := stdin.read(5)) == 5:
    body = stdin.read(int.from_bytes(head[1:], "big"))
    note(packet=head[:1].decode(), body=body.decode())
    if head[:1] == b"M" and json.loads(body)["type"] == "quit" and mode == "obedient":
        sys.exit(0)  # leaving its child behind, as a careless app would
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def records(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def started(log: Path) -> list[dict]:
    return [r for r in records(log) if "pid" in r]


def live_in_group(pgid: int) -> list[int]:
    """Processes of process group ``pgid`` that are not zombies (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry))
    return found


async def until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return bool(condition())


class Classroom:
    def __init__(self, tmp_path: Path, mode: str = "obedient", **options) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"app-{mode}.jsonl"
        script = tmp_path / "fake_app.py"
        script.write_text(FAKE_APP)
        self.server = ClassroomServer(
            [sys.executable, str(script), str(self.log), mode],
            host="127.0.0.1",
            port=self.port,
            origin=self.origin,
            data=tmp_path / "data",
            **options,
        )
        self.token = self.server.token

    async def __aenter__(self) -> Classroom:
        self.test_server = TestServer(await self.server._make_app(), port=self.port)
        self.client = TestClient(self.test_server)
        await self.client.start_server()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.close()

    async def join(self) -> aiohttp.ClientResponse:
        response = await self.client.get("/", params={"join": self.token})
        assert response.status == 200, await response.text()
        return response

    def connect(self, **params):
        return self.client.ws_connect("/ws", origin=self.origin, params=params or None)


async def first_bytes(websocket) -> bytes:
    message = await asyncio.wait_for(websocket.receive(), 10)
    assert message.type == aiohttp.WSMsgType.BINARY, message
    return message.data


async def test_nothing_is_served_without_the_token(tmp_path):
    async with Classroom(tmp_path) as room:
        for path in ("/", "/?join=wrong", "/static/js/textual.js", "/classroom/classroom.css"):
            response = await room.client.get(path)
            assert response.status == 403, path
            assert "join link" in await response.text()
        response = await room.client.get("/download/some-key")
        assert response.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await room.connect()
        assert refused.value.status == 403
        room.client.session.cookie_jar.update_cookies({room.server.cookie: "not-the-token"})
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await room.connect()
        assert (await room.client.get("/static/js/textual.js")).status == 403
    assert started(room.log) == []


async def test_the_join_link_serves_a_self_contained_page(tmp_path):
    async with Classroom(tmp_path) as room:
        response = await room.join()
        page = await response.text()
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert f"connect-src 'self' ws://127.0.0.1:{room.port};" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        cookie = response.headers["Set-Cookie"]
        assert f"{room.server.cookie}={room.token}" in cookie
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert response.headers["Cache-Control"] == "no-store"
        assert room.token not in page  # the page never carries the token itself
        assert "googleapis" not in page and "<style" not in page and "onclick" not in page.lower()
        urls = re.findall(r"""\b(?:https?|wss?)://[^\s"'<>)]+""", page)
        assert urls and all(
            url.startswith((room.origin + "/", f"ws://127.0.0.1:{room.port}/")) for url in urls
        ), urls
        assert f'data-session-websocket-url="ws://127.0.0.1:{room.port}/ws"' in page
        # everything the page links to comes from here, and the cookie alone now admits
        linked = re.findall(r'(?:href|src)="([^"]+)"', page)
        assert len(linked) == 4
        for url in linked:
            got = await room.client.get(url.removeprefix(room.origin))
            assert got.status == 200, url
            assert "Content-Security-Policy" in got.headers
            if url.endswith(".css"):
                css = await got.text()
                assert all(u.startswith("/static/") for u in re.findall(r'url\("([^"]+)"', css))
                assert "//" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S).replace('url("/', "")
        assert (await room.client.get("/")).status == 200
        assert (await room.client.get("/static/fonts/RobotoMono-VariableFont_wght.ttf")).ok
        assert (await room.client.get("/static/")).status in (403, 404)  # no folder listing


async def test_a_foreign_origin_gets_403_and_no_app_process(tmp_path):
    async with Classroom(tmp_path) as room:
        await room.join()  # the cookie is in the jar: only the origin is wrong
        foreign = (
            "http://evil.example",
            f"http://127.0.0.1:{room.port + 1}",  # same site, another port
            f"https://127.0.0.1:{room.port}",
            f"http://localhost:{room.port}",
            "null",
        )
        for origin in (*foreign, None):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await room.client.ws_connect("/ws", origin=origin)
            assert refused.value.status == 403, origin
        plain = await room.client.get("/ws", headers={"Origin": room.origin})
        assert plain.status == 400  # right origin and cookie, but no websocket: no process
        await asyncio.sleep(0.3)
        assert started(room.log) == [] and room.server.sessions == {}
        async with room.connect() as websocket:  # its own origin is accepted
            assert b"hello from the app" in await first_bytes(websocket)


async def test_closing_the_websocket_kills_the_app_and_its_children(tmp_path):
    async with Classroom(tmp_path) as room:
        await room.join()
        async with room.connect() as websocket:
            await first_bytes(websocket)
            (app,) = started(room.log)
            assert app["pgid"] == app["pid"]  # a process group of its own
            assert await until(lambda: len(live_in_group(app["pgid"])) == 2)  # app + child
            assert Path(app["cwd"]) == (tmp_path / "data" / "exports").resolve()
        assert await until(lambda: room.server.sessions == {}, 10)
        assert await until(lambda: live_in_group(app["pgid"]) == [], 5)  # SIGKILL takes a moment
        assert any(r.get("body", "").startswith('{"type": "quit"') for r in records(room.log))


async def test_an_app_deaf_to_quit_and_sigterm_is_killed(tmp_path, monkeypatch):
    monkeypatch.setattr(session_module, "QUIT_GRACE", 0.5)
    monkeypatch.setattr(session_module, "TERM_GRACE", 0.5)
    async with Classroom(tmp_path, mode="stubborn") as room:
        await room.join()
        async with room.connect() as websocket:
            await first_bytes(websocket)
            (app,) = started(room.log)
            assert await until(lambda: len(live_in_group(app["pgid"])) == 2)
        assert await until(lambda: live_in_group(app["pgid"]) == [], 5)
        assert await until(lambda: room.server.sessions == {}, 5)


async def test_an_app_that_ends_closes_its_connection(tmp_path):
    async with Classroom(tmp_path, mode="exits") as room:
        await room.join()
        async with room.connect() as websocket:
            await first_bytes(websocket)
            closing = await asyncio.wait_for(websocket.receive(), 10)
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert await until(lambda: room.server.sessions == {}, 10)
        (app,) = started(room.log)
        assert await until(lambda: live_in_group(app["pgid"]) == [], 5)


async def test_the_session_cap_refuses_clearly(tmp_path):
    async with Classroom(tmp_path, max_sessions=2) as room:
        await room.join()
        async with room.connect() as one, room.connect() as two:
            await first_bytes(one), await first_bytes(two)
            full = await room.client.get("/")
            assert full.status == 503 and "class is full" in await full.text()
            async with room.connect() as third:
                refusal = await first_bytes(third)
                assert b"This class is full: all 2 places are in use" in refusal
                closing = await asyncio.wait_for(third.receive(), 10)
                assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == 1013
            assert len(started(room.log)) == 2
        assert await until(lambda: room.server.sessions == {}, 10)
        async with room.connect() as again:  # places free up when browsers leave
            assert b"hello from the app" in await first_bytes(again)


async def test_terminal_sizes_are_clamped_and_bad_messages_dropped(tmp_path):
    async with Classroom(tmp_path) as room:
        await room.join()
        async with room.connect(width="100000", height="-5") as websocket:
            await first_bytes(websocket)
            (app,) = started(room.log)
            assert app["size"] == ["400", "1"]
            for junk in ("not json", "{}", "[]", '["resize", "wide"]', '["stdin", 5]', "[1, 2]"):
                await websocket.send_str(junk)
            await websocket.send_json(["resize", {"width": 10**9, "height": "9" * 5000}])
            await websocket.send_json(["resize", {"width": 120, "height": 40}])
            await websocket.send_json(["stdin", "q"])

            def resizes() -> list[dict]:
                return [
                    json.loads(r["body"])
                    for r in records(room.log)
                    if r.get("packet") == "M" and '"resize"' in r["body"]
                ]

            assert await until(lambda: len(resizes()) == 2)
            assert [(m["width"], m["height"]) for m in resizes()] == [(400, 24), (120, 40)]
            assert any(r.get("packet") == "D" and r["body"] == "q" for r in records(room.log))
            assert room.server.sessions  # still connected


async def test_an_oversized_message_ends_the_session(tmp_path):
    async with Classroom(tmp_path) as room:
        await room.join()
        async with room.connect() as websocket:
            await first_bytes(websocket)
            (app,) = started(room.log)
            await websocket.send_json(["stdin", "x" * 70_000])
            closing = await asyncio.wait_for(websocket.receive(), 10)
            assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == 1009
        assert await until(lambda: live_in_group(app["pgid"]) == [], 10)
        assert not any(r.get("packet") == "D" for r in records(room.log))


async def test_stopping_the_server_stops_every_app(tmp_path):
    room = Classroom(tmp_path)
    async with room:
        await room.join()
        websocket = await room.connect()
        await first_bytes(websocket)
        (app,) = started(room.log)
        assert await until(lambda: len(live_in_group(app["pgid"])) == 2)
        await room.server.on_shutdown(room.test_server.app)
        assert await until(lambda: live_in_group(app["pgid"]) == [], 5)  # signalled: dying
        await websocket.close()

"""A real classroom server in a subprocess: SIGTERM and SIGINT stop it and every app process
it started; a served app dies with the server even when the server is killed outright.

Bounded waits throughout; every process started here is killed in the end."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from test_serve_access import FAKE_APP, free_port, live_in_group, started

SERVER = r"""
import sys
from pathlib import Path
from mltcourse.serving.server import ClassroomServer
port, data, script, log = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
ClassroomServer([sys.executable, script, log, "obedient"], host="127.0.0.1", port=port,
                origin=f"http://127.0.0.1:{port}", data=data).serve()
"""


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def join_url(output: Path) -> str | None:
    for word in output.read_text().split():
        if "?join=" in word:
            return word
    return None


async def open_session(url: str, origin: str):
    client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    response = await client.get(url)
    assert response.status == 200
    websocket = await client.ws_connect(f"{origin}/ws", origin=origin)
    message = await asyncio.wait_for(websocket.receive(), 20)
    assert message.type == aiohttp.WSMsgType.BINARY
    return client, websocket


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_and_every_app(tmp_path, signum):
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    script, log, output = tmp_path / "fake_app.py", tmp_path / "app.jsonl", tmp_path / "out"
    script.write_text(FAKE_APP)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), str(tmp_path / "data"), str(script), str(log)],
        stdout=output.open("w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    groups: list[int] = []
    try:
        assert wait_for(lambda: join_url(output), 30), output.read_text()

        async def connect_two():
            return [await open_session(join_url(output), origin) for _ in range(2)]

        loop = asyncio.new_event_loop()
        try:
            connections = loop.run_until_complete(connect_two())
            groups = [app["pgid"] for app in started(log)]
            assert len(groups) == 2
            assert wait_for(lambda: all(len(live_in_group(g)) == 2 for g in groups), 10)
            server.send_signal(signum)
            assert server.wait(timeout=20) == 0, output.read_text()
            assert wait_for(lambda: all(live_in_group(g) == [] for g in groups), 5)
            for client, websocket in connections:
                loop.run_until_complete(websocket.close())
                loop.run_until_complete(client.close())
        finally:
            loop.close()
    finally:
        kill_group(server.pid)
        server.wait(timeout=10)
        for group in groups:
            kill_group(group)


ORPHAN = r"""
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c",
    "import time; from mltcourse.serving.child import die_with_parent; "
    "die_with_parent(); print('ready', flush=True); time.sleep(60)"],
    stdout=sys.stdout, env={**__import__('os').environ,
    "MLTCOURSE_SERVE_PARENT": str(__import__('os').getpid())})
print(child.pid, flush=True)
child.wait()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's parent-death signal")
def test_a_served_app_dies_with_a_server_killed_outright(tmp_path):
    output = tmp_path / "out"
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN],
        stdout=output.open("w"),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: "ready" in output.read_text(), 30)
        child = int(output.read_text().split()[0])
        os.kill(parent.pid, signal.SIGKILL)  # no handler runs: only the kernel can help
        parent.wait(timeout=10)
        assert wait_for(lambda: child not in live_in_group(parent.pid), 10)
    finally:
        kill_group(parent.pid)

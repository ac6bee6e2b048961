"""A served class and a served exercise in a real browser: Playwright drives Debian's Chromium
(no browser download) against one ``mltcourse serve --scenario --teams`` for the module.

The terminal is drawn on a canvas, so each page records what its websocket brings (the app's
output) through an init script, and the tests read that text. Two seats join as two learners
and a reload asks again; a page of another origin is refused the app's websocket even with the
class's cookie; nothing is served without the token; two team devices vote and the console
(the facilitation screen, driven with Pilot in this process) shows the tally they cast, hidden
until revealed, and the presenter shows it only then."""

from __future__ import annotations

import asyncio
import http.server
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from apptest import screen_text, wait_until
from exercisetest import CHOICE_NOTE, SCENE_NOTE, exercise_course
from mltcourse.serving.tokens import PRESENTER, SECRET_ENV, ClassKeys, team_role
from mltcourse.store import ProgressStore
from mltcourse.store.classroom import ClassStore
from mltcourse.tui.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
playwright = pytest.importorskip("playwright.async_api", reason="needs playwright (test extra)")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (see .ci/run)"
)
SECRET = "5e" * 32
TEAMS = ("Alpha", "Bravo")
# What the page's websocket receives, as text: the app's output (the terminal is a canvas).
RECORD = r"""
window.__screen = "";
const Native = window.WebSocket;
const decoder = new TextDecoder();
let arrived = Promise.resolve();  // blobs are read in the order they came
window.WebSocket = class extends Native {
  constructor(url, protocols) {
    super(url, protocols);
    this.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      const data = event.data;
      arrived = arrived
        .then(() => (data instanceof ArrayBuffer ? data : data.arrayBuffer()))
        .then((buffer) => { window.__screen += decoder.decode(buffer, { stream: true }); });
    });
  }
};
"""
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Classroom:
    root: Path
    data: Path
    origin: str
    keys: ClassKeys
    log: Path

    def link(self, role: str = "seat") -> str:
        return self.keys.join_url(self.origin, role)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("classroom")
    root, data, port = exercise_course(tmp), tmp / "data", free_port()
    log = tmp / "serve.log"
    command = [sys.executable, "-m", "mltcourse", "--content", str(root), "serve"]
    command += ["--port", str(port), "--data-dir", str(data)]
    command += ["--scenario", "crossroads", "--teams", ",".join(TEAMS)]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(os.environ, **{SECRET_ENV: SECRET}),
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while "?join=" not in log.read_text(errors="replace"):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield Classroom(root, data, f"http://127.0.0.1:{port}", ClassKeys(SECRET, TEAMS), log)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


@pytest.fixture
async def browser():
    async with playwright.async_playwright() as driver:
        chromium = await driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"]
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def open_page(browser, url: str):
    """A page in a browser context of its own (its own cookies: its own seat)."""
    context = await browser.new_context(viewport={"width": 1100, "height": 700})
    await context.add_init_script(RECORD)
    page = await context.new_page()
    response = await page.goto(url)
    return page, response


async def shown(page) -> str:
    return ANSI.sub("", await page.evaluate("() => window.__screen"))


async def until_shown(page, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in await shown(page):
        assert time.monotonic() < deadline, f"{text!r} not shown: {(await shown(page))[-500:]}"
        await asyncio.sleep(0.1)


async def until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.1)


def roster(classroom: Classroom):
    store = ProgressStore.in_dir(classroom.data)
    try:
        return ClassStore(store).roster(classroom.keys.class_id)
    finally:
        store.close()


async def sign_in(page, name: str) -> None:
    await until_shown(page, "Who is studying?")
    await page.click("#terminal")
    await page.keyboard.type(name, delay=20)
    await page.keyboard.press("Enter")


async def test_two_seats_join_as_two_learners_and_a_reload_asks_again(classroom, browser):
    first, _ = await open_page(browser, classroom.link())
    second, _ = await open_page(browser, classroom.link())
    await sign_in(first, "Amina Diallo")
    await sign_in(second, "Jonas Berg")

    def seated() -> dict[str, str]:
        return {row.seat: row.learner for row in roster(classroom) if row.learner}

    await until(lambda: sorted(seated().values()) == ["Amina Diallo", "Jonas Berg"])
    assert len(seated()) == 2  # two seats, one learner each
    await until(lambda: "Jonas Berg" in classroom.log.read_text(errors="replace"))
    assert "Amina Diallo" in classroom.log.read_text(errors="replace")  # the trainer's roster

    await second.reload()  # the same browser again: asked again, not let in as anyone
    await until_shown(second, "Who is studying?")
    assert "Amina" not in await shown(second)


async def test_a_request_without_the_token_is_refused(classroom, browser):
    page, response = await open_page(browser, f"{classroom.origin}/")
    assert response.status == 403 and "join link" in await page.content()
    page, response = await open_page(browser, f"{classroom.origin}/classroom/classroom.js")
    assert response.status == 403
    page, response = await open_page(browser, f"{classroom.origin}/?join=not-the-token")
    assert response.status == 403


class _Blank(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>elsewhere</title>")

    def log_message(self, *args) -> None:
        pass


async def test_a_foreign_origin_websocket_is_refused(classroom, browser):
    """Another port of the same machine is the same site, so the class's cookie goes with
    it: only the origin check stands between that page and an app process."""
    elsewhere = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Blank)
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        page, _ = await open_page(browser, classroom.link())
        await until_shown(page, "Who is studying?")
        await page.goto(f"http://127.0.0.1:{elsewhere.server_address[1]}/")
        outcome = await page.evaluate(
            """(url) => new Promise((done) => {
                const socket = new WebSocket(url);
                socket.onopen = () => done("opened");
                socket.onerror = () => done("refused");
            })""",
            f"ws://{classroom.origin.removeprefix('http://')}/ws",
        )
        assert outcome == "refused"
        await until(lambda: "refused a websocket from origin" in classroom.log.read_text())
    finally:
        elsewhere.shutdown()


async def test_two_team_devices_vote_and_the_console_tally_matches(classroom, browser):
    target = f"app:facilitate('crossroads', {', '.join(TEAMS)!r}, 0, False)"
    console = create_app(classroom.root, classroom.data, learner="Trainer", start=target)
    async with console.run_test(size=(140, 45)) as pilot:
        await wait_until(pilot, lambda: type(console.screen).__name__ == "FacilitateScreen", 20)
        ana, _ = await open_page(browser, classroom.link(team_role(0)))
        ben, _ = await open_page(browser, classroom.link(team_role(0)))
        projector, _ = await open_page(browser, classroom.link(PRESENTER))
        for device in (ana, ben):
            await until_shown(device, "Decision 1: First")
            await until_shown(device, "Consult partners.")
        await until_shown(projector, "decision 1: First")
        await ana.click("#terminal")
        await ana.keyboard.press("1")
        await ben.click("#terminal")
        await ben.keyboard.press("2")
        for device in (ana, ben):
            await until_shown(device, "Your vote is in")

        def tally():
            return console.screen.live.exercise.teams[0].tally

        await wait_until(pilot, lambda: tally() is not None and tally().total == 2, 20)
        assert dict(tally().counts) == {"consult": 1, "alone": 1} and not tally().revealed
        await wait_until(pilot, lambda: "2 votes in, hidden" in screen_text(console), 10)
        assert "Votes:" not in await shown(projector)
        await pilot.press("r")
        await until_shown(projector, "Votes: 2")
        for page in (ana, ben, projector):
            text = await shown(page)
            assert SCENE_NOTE not in text and CHOICE_NOTE not in text

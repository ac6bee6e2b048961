"""The classroom server's roles and seats, in-process (aiohttp's test client), with a stand-in
app that records the command line each connection's process is given; the join tokens and
seat ids (pure); the trainer's roster; and the options of serve and facilitate --serve."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
import urllib.request
from argparse import Namespace
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import given, settings
from hypothesis import strategies as st

from exercisetest import exercise_course
from mltcourse.cli import main
from mltcourse.commands.classroom import serve_exercise
from mltcourse.serving.roster import RosterBoard, roster_lines
from mltcourse.serving.server import ClassroomServer
from mltcourse.serving.tokens import PRESENTER, SEAT, ClassKeys, new_secret, team_role
from mltcourse.store.classroom import SeatRow
from mltcourse.store.progress import Place

RECORDER = r"""
import json, sys
with open(sys.argv[1], "a") as log:
    log.write(json.dumps(sys.argv[2:]) + "\n")
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
out.flush()
sys.stdin.buffer.read()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def room(tmp_path):
    script, log = tmp_path / "recorder.py", tmp_path / "argv.jsonl"
    script.write_text(RECORDER)
    port = free_port()
    server = ClassroomServer(
        [sys.executable, str(script), str(log)],
        host="127.0.0.1",
        port=port,
        origin=f"http://127.0.0.1:{port}",
        data=tmp_path / "data",
        exercise=("crossroads", ("Alpha", "Bravo")),
    )
    client = TestClient(TestServer(await server._make_app(), port=port))
    await client.start_server()
    yield server, client, log
    await client.close()


async def _argv_of(log, count: int) -> list[list[str]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if log.exists() and len(lines := log.read_text().splitlines()) >= count:
            return [json.loads(line) for line in lines]
        await asyncio.sleep(0.05)
    raise AssertionError("no app process started")


async def test_each_join_link_starts_its_own_role_with_the_browser_s_seat(room):
    server, client, log = room
    page = await client.get("/", params={"join": server.keys.join_token(team_role(1))})
    text = await page.text()
    ticket = server.keys.ticket(team_role(1))
    assert f"/ws/{ticket}" in text and "Team Bravo" in text
    seat = server.keys.seat_of(
        client.session.cookie_jar.filter_cookies(client.make_url("/")).get(server.seat_cookie).value
    )
    assert seat is not None
    websocket = await client.ws_connect(f"/ws/{ticket}", origin=server.origin)
    (argv,) = await _argv_of(log, 1)
    assert argv[argv.index("--team") + 1] == "1" and f"--seat={seat}" in argv
    assert f"--class={server.keys.class_id}" in argv
    assert "--teams" in argv and "Alpha,Bravo" in argv
    await websocket.close()


@given(st.text("-_" + "abcXYZ019", min_size=1, max_size=14))
@settings(max_examples=50, deadline=None)
def test_a_seat_id_that_begins_with_a_dash_still_reaches_the_app(seat):
    """Seat ids are random url-safe text: one in 64 begins with "-", which a child process
    once took for an option, and the team device stayed blank."""
    from mltcourse.serving.child import _options

    server = ClassroomServer(
        ["app"],
        host="127.0.0.1",
        port=1,
        origin="http://127.0.0.1:1",
        data=Path("/nonexistent"),
        exercise=("crossroads", ("Alpha", "Bravo")),
    )
    argv = ["--data-dir", "d", *server.role_args(team_role(0), seat)]
    options, _ = _options(argv)
    assert options.seat == seat and options.class_id == server.keys.class_id
    assert options.team == 0


async def test_a_forged_ticket_or_a_missing_seat_gets_no_app(room):
    server, client, log = room
    await client.get("/", params={"join": server.token})  # a learner's link only
    forged = f"{PRESENTER}.{'A' * 22}"
    refused = await client.get(f"/ws/{forged}", headers={"Origin": server.origin})
    assert refused.status == 403
    client.session.cookie_jar.clear(lambda cookie: cookie.key == server.seat_cookie)
    unseated = await client.get("/ws", headers={"Origin": server.origin})
    assert unseated.status == 403 and "no seat" in await unseated.text()
    await asyncio.sleep(0.2)
    assert not log.exists()


def test_tokens_tickets_and_seats_are_the_class_s_own():
    keys, other = ClassKeys(new_secret(), ("A", "B")), ClassKeys(new_secret(), ("A", "B"))
    assert keys.roles == (SEAT, "team-0", "team-1", PRESENTER)
    assert ClassKeys(new_secret()).roles == (SEAT,)  # no exercise: learners only
    for role in keys.roles:
        assert keys.role_of_token(keys.join_token(role)) == role
        assert keys.role_of_ticket(keys.ticket(role)) == role
        assert other.role_of_token(keys.join_token(role)) is None
        assert other.role_of_ticket(keys.ticket(role)) is None
    seat = keys.new_seat()
    assert keys.seat_of(seat) == seat.split(".")[0] and other.seat_of(seat) is None
    assert keys.new_seat() != seat


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=60))
def test_nothing_but_the_class_s_own_values_is_accepted(value):
    keys = ClassKeys("ab" * 32, ("A",))
    assert keys.role_of_token(value) is None
    assert keys.role_of_ticket(value) is None
    assert keys.seat_of(value) is None


def _row(seat, learner, **more) -> SeatRow:
    fields = dict(team=None, joined=0.0, last_seen=0.0, place=None, shown=None)
    fields |= dict(checks_passed=0, scores=())
    return SeatRow(seat, learner, **(fields | more))


def test_the_roster_shows_who_is_connected_where_and_how_far():
    rows = [
        _row("s1", "Amina\x1b[2J", place=Place("lesson", "basics", "risks", 1.0), checks_passed=3),
        _row("s2", "Jonas", shown="Exercise: Crossroads", scores=(("crossroads", 0.5),)),
        _row("s3", "Gone"),
        _row("s4", None, team=1),
    ]
    connected = {"s1": SEAT, "s2": SEAT, "s4": team_role(1), "s5": SEAT, "s6": PRESENTER}
    text = "\n".join(roster_lines(rows, connected, ("Alpha", "Bravo")))
    assert "5 connected" in text and "\x1b" not in text
    assert "Amina" in text and "lesson: basics #risks" in text and "Gone" not in text
    assert "crossroads 50%" in text and "Exercise: Crossroads" in text
    assert "device, team Bravo" in text and "1 more at the sign-in" in text
    assert "Presenter view: 1 open" in text
    twice = roster_lines([_row("s1", "Amina"), _row("s2", "Amina")], {"s1": SEAT, "s2": SEAT})
    assert sum("Amina (on 2 seats)" in line for line in twice) == 2


def test_the_roster_into_a_file_is_written_only_when_it_changes(tmp_path):
    out = (tmp_path / "roster.txt").open("w")
    board = RosterBoard(out)
    board.show(["Class at 10:00:00", "a"])
    board.show(["Class at 10:00:02", "a"])
    board.show(["Class at 10:00:04", "b"])
    out.close()
    assert (tmp_path / "roster.txt").read_text().count("Class at") == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--scenario", "crossroads"], "--scenario and --teams go together"),
        (["--scenario", "nowhere", "--teams", "A,B"], "nowhere"),
        (["--scenario", "crossroads", "--teams", "A,a"], "team names must differ"),
    ],
)
def test_serve_checks_its_exercise_before_starting(options, message, tmp_path, capsys):
    root = exercise_course(tmp_path)
    argv = ["--content", str(root), "serve", "--data-dir", str(tmp_path / "d"), *options]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_facilitate_serve_starts_a_server_with_each_team_s_link_and_stops_it(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    args = Namespace(host="127.0.0.1", port=free_port(), public_url=None)
    served = serve_exercise(args, root, data, "crossroads", ("Alpha", "Bravo"))
    try:
        who = [label for label, _ in served.links]
        assert who == ["Team Alpha", "Team Bravo", "Presenter view", "Learners (each on their own)"]
        with urllib.request.urlopen(served.links[1][1], timeout=5) as page:
            assert "Team Bravo" in page.read().decode()
    finally:
        served.stop()
    assert served.process.returncode is not None and served.failure() is not None

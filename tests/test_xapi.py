"""Records beyond one machine: xAPI 1.0.3 statements and CSV from the store, and delivery to
a learning record store (a small HTTP server on loopback) through the on-disk outbox."""

from __future__ import annotations

import base64
import csv
import io
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from exercisetest import OWNER, exercise_course
from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.reports.lrs import deliver
from mltcourse.reports.records_csv import records_csv
from mltcourse.reports.xapi import (
    EXT_PROFILE,
    EXT_VOTES,
    learner_statements,
    statement_problems,
)
from mltcourse.reports.xapi_teams import team_statements
from mltcourse.store import TRAINING, ProgressStore
from mltcourse.store.attempts import start
from mltcourse.store.exercises import ExerciseStore, start_exercise
from mltcourse.store.records import learner_histories


@pytest.fixture
def setup(tmp_path):
    """A course, and a data folder with one learner's work and one finished team exercise."""
    root = exercise_course(tmp_path)
    course = load_course(root)
    scenario = course.scenarios["crossroads"]
    data = tmp_path / "data"
    store = ProgressStore.in_dir(data)
    ana = store.learner("Ana")
    store.mark_read(ana.id, "basics")
    store.record_answer(ana.id, "basics", "who", [0], True)
    store.record_answer(ana.id, "basics", "which", [0, 2], False)
    attempt = start(store, ana.id, scenario, TRAINING)
    for choice in ("consult", "rights-first", "hand-over"):
        attempt.choose(choice)
    start(store, ana.id, scenario, TRAINING).choose("alone")  # left open
    live = start_exercise(ExerciseStore(store), scenario, ("Alpha", "Bravo"))
    live.assign_role(0, OWNER, "Ben")
    live.enter_tally(0, {"consult": 4, "alone": 1})
    live.decide_by_majority(0)
    for choice in ("rights-first", "hand-over"):
        live.record_choice(0, choice)
    for choice in ("alone", "deflect", "security-first", "keep"):
        live.record_choice(1, choice)
    histories = learner_histories(store)
    exercises = ExerciseStore(store).all_exercises()
    store.close()
    return root, course, data, histories, exercises


def all_statements(course, histories, exercises):
    out = [s for h in histories for s in learner_statements(course, h)]
    return out + [s for r in exercises for s in team_statements(course, r)]


def test_statements_have_every_field_the_spec_requires(setup):
    _, course, _, histories, exercises = setup
    statements = all_statements(course, histories, exercises)
    assert all(statement_problems(s) == [] for s in statements)
    assert len({s["id"] for s in statements}) == len(statements)
    verbs = {s["verb"]["display"]["en-US"] for s in statements}
    assert verbs == {
        "initialized",
        "experienced",
        "answered",
        "completed",
        "passed",
        "failed",
        "terminated",
    }
    assert statement_problems({"id": "x", "actor": {"name": "no id"}, "verb": {}}) != []


def test_learner_and_team_statements_carry_scores_profiles_and_teams(setup):
    _, course, _, histories, exercises = setup
    ana = learner_statements(course, histories[0])
    completed = next(s for s in ana if s["verb"]["display"]["en-US"] == "completed")
    assert completed["actor"]["account"]["name"] == "Ana"
    assert 0 <= completed["result"]["score"]["scaled"] <= 1
    assert set(completed["result"]["extensions"][EXT_PROFILE]) == {
        "coordination",
        "ownership",
        "rights",
    }
    checks = [s for s in ana if "/checks/" in s["object"]["id"]]
    assert [s["result"]["success"] for s in checks] == [True, False]
    teams = team_statements(course, exercises[0])
    alpha_vote = next(s for s in teams if EXT_VOTES in s.get("result", {}).get("extensions", {}))
    assert alpha_vote["actor"]["objectType"] == "Group"
    assert alpha_vote["context"]["team"] == alpha_vote["actor"]
    assert alpha_vote["actor"]["member"][0]["account"]["name"] == "Ben"
    assert alpha_vote["result"]["extensions"][EXT_VOTES] == {"consult": 4, "alone": 1}
    outcomes = {
        s["actor"]["name"]: s["verb"]["display"]["en-US"]
        for s in teams
        if s["verb"]["display"]["en-US"] in ("passed", "failed")
    }
    assert outcomes == {"Alpha": "passed", "Bravo": "failed"}


def test_statement_ids_are_the_same_every_time(setup):
    _, course, _, histories, exercises = setup
    first = [s["id"] for s in all_statements(course, histories, exercises)]
    assert first == [s["id"] for s in all_statements(course, histories, exercises)]


def test_records_csv_lists_learners_and_teams(setup):
    _, course, _, histories, exercises = setup
    rows = list(csv.DictReader(io.StringIO(records_csv(course, histories, exercises))))
    events = {(r["actor"], r["event"]) for r in rows}
    assert ("Ana", "lesson read") in events and ("Ana", "attempt finished") in events
    assert ("Alpha", "decision") in events and ("Bravo", "exercise finished") in events
    alpha_first = next(r for r in rows if r["actor"] == "Alpha" and r["event"] == "decision")
    assert alpha_first["decided_by"] == "majority"  # its own column, not packed into event
    assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)


# --- delivery to an LRS ----------------------------------------------------------------------


class FakeLRS:
    """A learning record store on loopback: keeps statements by id, answers 409 to a batch
    holding an id it has, and can be told to fail the next requests with a status."""

    def __init__(self) -> None:
        self.stored: dict[str, dict] = {}
        self.received: list[str] = []  # every statement id posted, duplicates included
        self.headers: list = []
        self.fail_next: list[int] = []
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                lrs.headers.append(self.headers)  # names are case-insensitive here
                ids = [s["id"] for s in body]
                if lrs.fail_next:  # a 200 carries the ids, as xAPI requires
                    status = lrs.fail_next.pop(0)
                    self._answer(status, ids if status == 200 else {})
                    return
                lrs.received += ids
                if self.path != "/xapi/statements":
                    self._answer(404, {})
                elif any(i in lrs.stored for i in ids):
                    self._answer(409, {"error": "conflict"})
                else:
                    lrs.stored.update({s["id"]: s for s in body})
                    self._answer(200, ids)

            def _answer(self, status: int, payload) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeLRS:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def statements(setup):
    _, course, _, histories, exercises = setup
    return all_statements(course, histories, exercises)


def test_statements_reach_the_lrs_once_with_the_version_header_and_credentials(
    statements, tmp_path, monkeypatch
):
    monkeypatch.setenv("MLTCOURSE_LRS_AUTH", "trainer:s3cret")
    with FakeLRS() as lrs:
        delivery = deliver(statements, lrs.url, tmp_path)
        again = deliver(statements, lrs.url, tmp_path)  # nothing new: nothing sent
    assert (delivery.sent, delivery.queued, delivery.error) == (len(statements), 0, None)
    assert again.sent == 0 and sorted(lrs.received) == sorted(s["id"] for s in statements)
    headers = lrs.headers[0]
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"trainer:s3cret").decode()


def test_a_refused_connection_queues_everything_for_the_next_run(statements, tmp_path):
    refused = deliver(statements, f"http://127.0.0.1:{closed_port()}/xapi", tmp_path)
    assert refused.sent == 0 and refused.queued == len(statements)
    assert "could not reach" in refused.error
    with FakeLRS() as lrs:
        # the queue belongs to the LRS address; moved, it is the same statements again
        delivered = deliver(statements, lrs.url, tmp_path)
    assert delivered.sent == len(statements) and len(lrs.received) == len(statements)


def test_a_5xx_keeps_the_queue_and_the_next_run_sends_it_first_without_duplicates(
    statements, tmp_path
):
    half = len(statements) // 2
    with FakeLRS() as lrs:
        lrs.fail_next = [503]
        failed = deliver(statements[:half], lrs.url, tmp_path)
        assert failed.queued == half and "503" in failed.error and not lrs.stored
        done = deliver(statements, lrs.url, tmp_path)  # queued half first, then the rest
    assert done.error is None and done.sent == len(statements)
    assert lrs.received[:half] == [s["id"] for s in statements[:half]]
    assert len(lrs.received) == len(set(lrs.received)) == len(statements)


def test_a_wrong_address_or_bad_credentials_stop_the_run_and_keep_the_queue(statements, tmp_path):
    with FakeLRS() as lrs:
        wrong = deliver(statements, lrs.url + "/nowhere", tmp_path)
        lrs.fail_next = [401]
        refused = deliver(statements, lrs.url, tmp_path)
        assert "404" in wrong.error and "401" in refused.error
        assert wrong.queued == refused.queued == len(statements) and not lrs.stored
        assert deliver([], lrs.url, tmp_path).sent == len(statements)


def test_a_malformed_statement_is_set_aside_and_the_rest_go_through(statements, tmp_path):
    broken = {**statements[1], "verb": {}}
    with FakeLRS() as lrs:
        lrs.fail_next = [400, 200, 400, 200]  # the batch, then one by one
        delivery = deliver([statements[0], broken, statements[2]], lrs.url, tmp_path)
    assert (delivery.sent, delivery.rejected, delivery.queued) == (2, 1, 0)
    aside = next((tmp_path / "xapi-outbox").glob("*/rejected.jsonl")).read_text()
    assert broken["id"] in aside and "HTTP 400" in aside


def test_a_409_means_the_lrs_already_has_the_statement(statements, tmp_path):
    with FakeLRS() as lrs:
        deliver(statements[:3], lrs.url, tmp_path / "laptop-1")
        other = deliver(statements[:5], lrs.url, tmp_path / "laptop-2")  # 3 already there
        assert other.error is None and other.sent == 5
    assert len(lrs.stored) == 5


def test_export_command_writes_csv_and_xapi_and_sends_to_the_lrs(setup, tmp_path, capsys):
    root, _, data, *_ = setup
    base = ["--content", str(root), "export", "--data-dir", str(data)]
    assert main([*base, "--format", "csv", "--out", str(tmp_path / "r.csv")]) == 0
    assert "lesson read" in (tmp_path / "r.csv").read_text()
    assert main([*base, "--format", "xapi", "--learner", "Ben"]) == 0
    only_ben = json.loads(capsys.readouterr().out)
    assert only_ben and {s["actor"]["name"] for s in only_ben} == {"Alpha"}
    assert main([*base, "--format", "csv", "--lrs", "http://127.0.0.1:9"]) == 2
    with FakeLRS() as lrs:
        assert main([*base, "--format", "xapi", "--lrs", lrs.url]) == 0
    assert "statement(s) sent" in capsys.readouterr().err
    assert main([*base, "--format", "xapi", "--lrs", f"http://127.0.0.1:{closed_port()}"]) == 1
    assert "queued" in capsys.readouterr().err

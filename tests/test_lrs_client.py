"""The LRS client against servers that do not behave: redirects, answers that trickle, stall,
stop short or are not what xAPI says, addresses with credentials, damaged outbox files, and
control characters in whatever comes back. Every server here is a raw socket on loopback run
in threads, and every call is bounded, so a hang fails its test instead of stalling the suite."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
import time
import uuid
from pathlib import Path

import pytest

from mltcourse.reports.lrs import AUTH_VARIABLE, Limits, Outbox, deliver, statements_url
from mltcourse.safetext import first_control

FAST = Limits(wait=5.0, upload=1.0, export=3.0)  # waits longer than uploads: the deadline cuts
SECRET = "s3cret-pw"
TRAINER = "trainer"


def make_statements(count: int) -> list[dict]:
    verb = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}}
    return [
        {
            "id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {"homePage": "x:", "name": f"n{i}"}},
            "verb": verb,
            "object": {"id": f"https://mltcourse.invalid/xapi/a/{i}"},
        }
        for i in range(count)
    ]


def bounded(call, seconds: float = 20.0):
    """call() in a thread; the test fails, rather than hangs, if it has not returned in time."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still running after {seconds} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def timed(call, seconds: float = 20.0):
    started = time.monotonic()
    value = bounded(call, seconds)
    return value, time.monotonic() - started


class Request:
    def __init__(self, head: bytes, body: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        self.method, self.path, _ = lines[0].split(" ", 2)
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        self.body = body

    def ids(self) -> list[str]:
        return [s["id"] for s in json.loads(self.body)]


class Server:
    """A TCP server on 127.0.0.1 that reads one HTTP request per connection and hands the
    socket to ``respond(server, conn, request)``. Everything it does ends within seconds."""

    def __init__(self, respond) -> None:
        self.respond = respond
        self.requests: list[Request] = []
        self.stored: dict[str, dict] = {}
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/xapi"
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(5)
        self.listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            request = Request(head, b"")
            length = int(request.headers.get("content-length", "0"))
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                body += chunk
            request.body = body
            self.requests.append(request)
            self.respond(self, conn, request)
        except OSError:
            pass
        finally:
            conn.close()

    def pause(self, seconds: float) -> None:
        self.stop.wait(seconds)


def answer(conn, status: str, body: bytes = b"", headers: tuple = ()) -> None:
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    head += "".join(f"{h}\r\n" for h in headers)
    conn.sendall(head.encode("latin-1") + b"\r\n" + body)


def lrs(server, conn, request) -> None:
    """A learning record store: 200 with the ids, or 409 if it holds any of them already."""
    ids = request.ids()
    if any(i in server.stored for i in ids):
        answer(conn, "409 Conflict", b"{}")
        return
    server.stored.update({s["id"]: s for s in json.loads(request.body)})
    answer(conn, "200 OK", json.dumps(ids).encode(), ("Content-Type: application/json",))


def queued_ids(data: Path) -> list[str]:
    queue = next((data / "xapi-outbox").glob("*/queue.json"))
    return [s["id"] for s in json.loads(queue.read_text())]


def sent_ledger(data: Path) -> list[str]:
    found = list((data / "xapi-outbox").glob("*/sent.txt"))
    return found[0].read_text().split() if found else []


def assert_nothing_delivered(delivery, data: Path, statements: list[dict]) -> None:
    assert delivery.sent == 0 and delivery.queued == len(statements), delivery
    assert delivery.error and first_control(delivery.error) is None
    assert queued_ids(data) == [s["id"] for s in statements] and sent_ledger(data) == []


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


# --- 1. redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [300, 301, 302, 303, 305, 307, 308])
def test_a_redirect_is_not_followed_and_nothing_reaches_its_target(status, tmp_path, monkeypatch):
    monkeypatch.setenv(AUTH_VARIABLE, f"{TRAINER}:{SECRET}")
    statements = make_statements(3)
    with Server(lrs) as other:
        target = f"127.0.0.1:{other.port}/xapi/\x1b]0;owned\x07statements"
        location = f"http://{TRAINER}:{SECRET}@{target}?tok=abc"

        def redirect(server, conn, request) -> None:
            answer(conn, f"{status} Moved", b"", (f"Location: {location}",))

        with Server(redirect) as origin:
            delivery = bounded(lambda: deliver(statements, origin.url, tmp_path, FAST))
        assert other.requests == []  # neither the statements nor the credentials went on
        assert origin.requests[0].headers["authorization"].startswith("Basic ")
        assert_nothing_delivered(delivery, tmp_path, statements)
        shown = f"redirect to http://127.0.0.1:{other.port}/xapi/]0;ownedstatements?…"
        assert shown in delivery.error
        assert str(status) in delivery.error and "not followed" in delivery.error
        for secret in (SECRET, TRAINER, "abc"):
            assert secret not in delivery.error
        # sent straight to the LRS (a queue of its own), every statement arrives once
        later = bounded(lambda: deliver(statements, other.url, tmp_path, FAST))
    assert later.sent == 3 and sorted(other.stored) == sorted(s["id"] for s in statements)


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("/elsewhere/statements", "redirect to http://127.0.0.1:{port}/elsewhere/statements;"),
        ("https://u:p@sso.example/login#x", "redirect to https://sso.example/login;"),
        (None, "redirect to (no address given)"),
    ],
)
def test_the_message_says_where_a_redirect_pointed(location, shown, tmp_path):
    def redirect(server, conn, request) -> None:
        answer(conn, "302 Found", b"", (f"Location: {location}",) if location else ())

    with Server(redirect) as origin:
        delivery = bounded(lambda: deliver(make_statements(2), origin.url, tmp_path, FAST))
    assert shown.format(port=origin.port) in delivery.error
    assert delivery.sent == 0 and delivery.queued == 2


# --- 2. deadlines and answers that are not a whole, successful xAPI answer --------------------


def trickle(server, conn, piece_by_piece: bytes, start: bytes = b"") -> None:
    conn.sendall(start)
    for byte in piece_by_piece:
        if server.stop.is_set():
            return
        conn.sendall(bytes([byte]))
        server.pause(0.02)


def trickled_headers(server, conn, request) -> None:
    trickle(server, conn, b"X-Slow: " + b"a" * 2000, b"HTTP/1.1 200 OK\r\n")


def trickled_body(server, conn, request) -> None:
    body = json.dumps(request.ids()).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    trickle(server, conn, body, head)


def silent(server, conn, request) -> None:
    server.pause(10)


@pytest.mark.parametrize("respond", [trickled_headers, trickled_body, silent])
def test_a_slow_answer_is_cut_off_at_the_upload_deadline(respond, tmp_path):
    statements = make_statements(3)
    with Server(respond) as server:
        delivery, took = timed(lambda: deliver(statements, server.url, tmp_path, FAST))
    assert took < FAST.upload + 1.0
    assert_nothing_delivered(delivery, tmp_path, statements)
    assert "took more than 1 s" in delivery.error


def test_the_export_deadline_leaves_the_rest_queued_for_the_next_run(tmp_path):
    statements = make_statements(120)  # three batches
    slow = threading.Event()
    slow.set()

    def slow_lrs(server, conn, request) -> None:
        if slow.is_set():
            server.pause(0.6)
        lrs(server, conn, request)

    with Server(slow_lrs) as server:
        limits = Limits(wait=5.0, upload=5.0, export=1.0)
        first, took = timed(lambda: deliver(statements, server.url, tmp_path, limits))
        assert took < 2.5
        assert (first.sent, first.queued) == (50, 70) and "export's time limit" in first.error
        slow.clear()
        second = bounded(lambda: deliver(statements, server.url, tmp_path, FAST))
    assert second.error is None and second.sent == 70 and second.queued == 0
    assert sorted(server.stored) == sorted(s["id"] for s in statements)
    assert sorted(sent_ledger(tmp_path)) == sorted(s["id"] for s in statements)


def test_an_answer_slower_than_a_wait_but_inside_the_deadline_is_delivered(tmp_path):
    def slowish(server, conn, request) -> None:
        server.pause(0.3)
        lrs(server, conn, request)

    with Server(slowish) as server:
        delivery = bounded(lambda: deliver(make_statements(3), server.url, tmp_path, FAST))
    assert (delivery.sent, delivery.error) == (3, None)


def reset(conn) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def ids_of(request) -> bytes:
    return json.dumps(request.ids()).encode()


def other_ids(request) -> bytes:
    return json.dumps([str(uuid.uuid4()) for _ in request.ids()]).encode()


BROKEN = {
    "body cut short of Content-Length": lambda s, c, r: c.sendall(
        f"HTTP/1.1 200 OK\r\nContent-Length: {len(ids_of(r)) + 40}\r\n\r\n".encode() + ids_of(r)
    ),
    "Content-Length shorter than the body": lambda s, c, r: c.sendall(
        f"HTTP/1.1 200 OK\r\nContent-Length: {len(ids_of(r)) - 5}\r\n\r\n".encode() + ids_of(r)
    ),
    "chunked body cut short": lambda s, c, r: c.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + ids_of(r)
    ),
    "reset before answering": lambda s, c, r: reset(c),
    "reset in the body": lambda s, c, r: (
        c.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(ids_of(r))}\r\n\r\n[".encode()),
        s.pause(0.1),
        reset(c),
    ),
    "closed without a word": lambda s, c, r: None,
    "not HTTP": lambda s, c, r: c.sendall(b"HELLO THERE\r\n\r\n"),
    "headers never end": lambda s, c, r: c.sendall(b"HTTP/1.1 200 OK\r\nX-A: b\r\n"),
    "200 with a web page": lambda s, c, r: answer(c, "200 OK", b"<html>Welcome</html>"),
    "200 with an object": lambda s, c, r: answer(c, "200 OK", b'{"ok": true}'),
    "200 with nothing": lambda s, c, r: answer(c, "200 OK"),
    "200 with other ids": lambda s, c, r: answer(c, "200 OK", other_ids(r)),
    "201 with the ids": lambda s, c, r: answer(c, "201 Created", ids_of(r)),
    "202 accepted": lambda s, c, r: answer(c, "202 Accepted"),
    "401": lambda s, c, r: answer(c, "401 Unauthorized"),
    "403": lambda s, c, r: answer(c, "403 Forbidden"),
    "404": lambda s, c, r: answer(c, "404 Not Found"),
    "418": lambda s, c, r: answer(c, "418 I'm a teapot"),
    "500": lambda s, c, r: answer(c, "500 Internal Server Error", b"<trace>"),
    "503": lambda s, c, r: answer(c, "503 Service Unavailable"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_an_answer_that_is_not_a_whole_successful_xapi_answer_delivers_nothing(name, tmp_path):
    statements = make_statements(3)
    with Server(BROKEN[name]) as server:
        delivery = bounded(lambda: deliver(statements, server.url, tmp_path, FAST))
    assert_nothing_delivered(delivery, tmp_path, statements)


def test_an_answer_longer_than_the_limit_delivers_nothing(tmp_path):
    statements = make_statements(3)

    def long_answer(server, conn, request) -> None:  # the right ids, padded past the limit
        answer(conn, "200 OK", ids_of(request)[:-1] + b"," + b'"x",' * 5000 + b'"x"]')

    with Server(long_answer) as server:
        limits = Limits(wait=5.0, upload=2.0, export=3.0, answer=4096)
        delivery = bounded(lambda: deliver(statements, server.url, tmp_path, limits))
    assert_nothing_delivered(delivery, tmp_path, statements)
    assert "ran past 4096 bytes" in delivery.error


WHOLE = {
    "chunked": lambda s, c, r: c.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(ids_of(r)):x}\r\n".encode() + ids_of(r) + b"\r\n0\r\n\r\n"
    ),
    "HTTP/1.0 to the close": lambda s, c, r: c.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + ids_of(r)),
    "ids in capitals": lambda s, c, r: answer(c, "200 OK", ids_of(r).upper()),
    "204 for each (already held)": lambda s, c, r: answer(c, "204 No Content"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_a_whole_answer_in_any_form_http_allows_is_delivered(name, tmp_path):
    statements = make_statements(3)
    with Server(WHOLE[name]) as server:
        delivery = bounded(lambda: deliver(statements, server.url, tmp_path, FAST))
    assert (delivery.sent, delivery.queued, delivery.error) == (3, 0, None)
    assert sorted(sent_ledger(tmp_path)) == sorted(s["id"] for s in statements)


def test_a_batch_answered_with_only_some_ids_is_sent_again_one_by_one(tmp_path):
    def partial(server, conn, request) -> None:  # takes all but the first of a batch
        ids = request.ids()
        taken = ids[1:] if len(ids) > 1 else ids
        server.stored.update(dict.fromkeys(taken, {}))
        answer(conn, "200 OK", json.dumps(taken).encode())

    statements = make_statements(3)
    with Server(partial) as server:
        delivery = bounded(lambda: deliver(statements, server.url, tmp_path, FAST))
    assert (delivery.sent, delivery.error) == (3, None) and len(server.requests) == 4
    assert sorted(server.stored) == sorted(s["id"] for s in statements)


# --- 3. credentials in the address ------------------------------------------------------------


@pytest.mark.parametrize(
    "netloc",
    [f"{TRAINER}:{SECRET}@", f"{TRAINER}@", f":{SECRET}@", f"{TRAINER}:{SECRET}@lrs.example@"],
)
def test_an_address_with_credentials_is_refused_without_repeating_them(netloc, tmp_path):
    with Server(lrs) as server:
        url = f"http://{netloc}127.0.0.1:{server.port}/xapi"
        with pytest.raises(ValueError) as refused:
            bounded(lambda: deliver(make_statements(2), url, tmp_path, FAST))
    message = str(refused.value)
    assert AUTH_VARIABLE in message and "user name or password" in message
    assert SECRET not in message and TRAINER not in message and "127.0.0.1" not in message
    assert server.requests == [] and files_under(tmp_path) == []


def test_an_at_sign_in_the_path_is_not_credentials():
    assert statements_url("https://lrs.example/org@team/xapi") == (
        "https://lrs.example/org@team/xapi/statements"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/xapi\x1b]0;owned\x07",
        "http://127.0.0.1/x api",
        "http://127.0.0.1:port/xapi",
        "ftp://127.0.0.1/xapi",
        "http:///xapi",
        "http://127.0.0.1/xapi?key=abc",
    ],
)
def test_an_address_that_is_not_a_plain_url_is_refused_plainly(url):
    with pytest.raises(ValueError) as refused:
        statements_url(url)
    message = str(refused.value)
    assert first_control(message) is None and "127.0.0.1" not in message and "abc" not in message


def test_the_outbox_keeps_the_address_only_as_shown_and_scrubs_old_credentials(tmp_path):
    old = tmp_path / "xapi-outbox" / "0123456789abcdef"
    old.mkdir(parents=True)
    (old / "endpoint.txt").write_text(f"https://{TRAINER}:{SECRET}@old.example/xapi\n")
    with Server(lrs) as server:
        bounded(lambda: deliver(make_statements(1), server.url, tmp_path, FAST))
    assert (old / "endpoint.txt").read_text() == "https://old.example/xapi\n"
    endpoints = sorted(p.read_text() for p in tmp_path.rglob("endpoint.txt"))
    assert endpoints == sorted([f"{server.url}\n", "https://old.example/xapi\n"])
    assert not any(SECRET in p.read_text(errors="replace") for p in files_under(tmp_path))


def test_the_export_command_refuses_an_address_with_credentials_before_writing(course_data, capsys):
    root, data = course_data
    url = f"https://{TRAINER}:{SECRET}@lrs.example/xapi"
    code = main_export(root, data, url)
    out, err = capsys.readouterr()
    assert code == 2 and AUTH_VARIABLE in err and out == ""
    assert SECRET not in out + err
    assert not any(SECRET in p.read_text(errors="replace") for p in files_under(data))


# --- 4. damaged outbox files ------------------------------------------------------------------

GOOD_ID = str(uuid.uuid4())
DAMAGE = {
    ("queue.json", "not JSON"): b'[{"id": ',
    ("queue.json", "empty"): b"",
    ("queue.json", "an object"): b'{"id": 1}',
    ("queue.json", "no ids"): b"[1, 2]",
    ("queue.json", "an id that is not one"): b'[{"id": "../x"}]',
    ("queue.json", "not UTF-8"): b"\xff\xfe[]",
    ("queue.json", "too deep"): b"[" * 100000,
    ("sent.txt", "not UTF-8"): b"\xff\n",
    ("sent.txt", "not ids"): b"hello world\n",
    ("sent.txt", "last line cut"): GOOD_ID.encode() + b"\n" + GOOD_ID[:10].encode(),
    ("rejected.jsonl", "not JSON"): b"{not json\n",
    ("rejected.jsonl", "not an entry"): b'{"reason": "x"}\n',
    ("rejected.jsonl", "last line cut"): b'{"reason": "HTTP 400", "statement": {',
}


@pytest.mark.parametrize(("name", "kind"), sorted(DAMAGE))
def test_a_damaged_outbox_file_is_set_aside_named_and_does_not_block_the_export(
    name, kind, tmp_path
):
    statements = make_statements(3)
    with Server(lrs) as server:
        folder = Outbox(tmp_path, server.url).folder
        (folder / name).write_bytes(DAMAGE[name, kind])
        delivery = bounded(lambda: deliver(statements, server.url, tmp_path, FAST))
    assert (delivery.sent, delivery.error) == (3, None)
    assert len(delivery.notes) == 1 and name in delivery.notes[0]
    assert "damaged" in delivery.notes[0] and first_control(delivery.notes[0]) is None
    (aside,) = folder.glob(f"{name}.damaged-*")
    assert aside.name in delivery.notes[0] and aside.read_bytes() == DAMAGE[name, kind]
    assert sorted(sent_ledger(tmp_path)) == sorted(s["id"] for s in statements)
    assert json.loads((folder / "queue.json").read_text()) == []


def test_a_damaged_file_set_aside_twice_keeps_both_copies(tmp_path):
    with Server(lrs) as server:
        folder = Outbox(tmp_path, server.url).folder
        for text in (b"first", b"second"):
            (folder / "queue.json").write_bytes(text)
            bounded(lambda: deliver(make_statements(1), server.url, tmp_path, FAST))
    kept = sorted(p.read_bytes() for p in folder.glob("queue.json.damaged-*"))
    assert kept == [b"first", b"second"]


def make_fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(path)


@pytest.mark.parametrize("kind", ["folder", "pipe", "link"])
def test_an_outbox_file_that_is_not_a_regular_file_is_set_aside_without_hanging(kind, tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me\n")
    with Server(lrs) as server:
        folder = Outbox(tmp_path / "data", server.url).folder
        target = folder / "sent.txt"
        {"folder": target.mkdir, "pipe": lambda: make_fifo(target)}.get(
            kind, lambda: target.symlink_to(elsewhere)
        )()
        delivery = bounded(lambda: deliver(make_statements(2), server.url, tmp_path / "data"))
    assert (delivery.sent, delivery.error) == (2, None) and "sent.txt" in delivery.notes[0]
    assert len(list(folder.glob("sent.txt.damaged-*"))) == 1 and target.is_file()
    assert elsewhere.read_text() == "keep me\n"


def test_the_export_command_names_a_damaged_file_and_still_sends(course_data, capsys):
    root, data = course_data
    with Server(lrs) as server:
        folder = Outbox(data, server.url).folder
        (folder / "queue.json").write_bytes(b"\x1b]0;owned\x07 not json")
        code = bounded(lambda: main_export(root, data, server.url))
    err = capsys.readouterr().err
    assert code == 0 and "queue.json" in err and "set aside as queue.json.damaged-" in err
    assert "statement(s) sent" in err and server.stored


# --- 5. nothing from a server or an address reaches the terminal with its controls ----------


def test_control_characters_in_an_answer_never_reach_the_message(tmp_path):
    def hostile(server, conn, request) -> None:
        answer(conn, "503 \x1b]52;c;ZXZpbA==\x07Busy\x1b[2J\x9b6n\rfake line")

    with Server(hostile) as server:
        delivery = bounded(lambda: deliver(make_statements(2), server.url, tmp_path, FAST))
    assert "503" in delivery.error and "Busy" in delivery.error
    assert first_control(delivery.error) is None and "\n" not in delivery.error


def test_the_export_command_prints_no_control_characters_from_the_server(course_data, capsys):
    root, data = course_data

    def redirect(server, conn, request) -> None:
        answer(conn, "302 \x1b[31mFound", b"", ("Location: /x\x1b]0;owned\x07\x9b2J",))

    with Server(redirect) as server:
        code = bounded(lambda: main_export(root, data, server.url))
    err = capsys.readouterr().err
    assert code == 1 and "queued" in err and "redirect to" in err
    assert first_control(err) is None


def test_credentials_go_only_to_the_lrs_address(tmp_path, monkeypatch):
    monkeypatch.setenv(AUTH_VARIABLE, f"{TRAINER}:{SECRET}")
    with Server(lrs) as server:
        delivery = bounded(lambda: deliver(make_statements(2), server.url, tmp_path, FAST))
    expected = "Basic " + base64.b64encode(f"{TRAINER}:{SECRET}".encode()).decode()
    assert delivery.sent == 2 and server.requests[0].headers["authorization"] == expected
    assert server.requests[0].path == "/xapi/statements"


# --- the command line, on a small course -----------------------------------------------------


@pytest.fixture
def course_data(tmp_path):
    from exercisetest import exercise_course
    from mltcourse.store import ProgressStore

    root = exercise_course(tmp_path)
    data = tmp_path / "data"
    store = ProgressStore.in_dir(data)
    ana = store.learner("Ana")
    store.mark_read(ana.id, "basics")
    store.record_answer(ana.id, "basics", "who", [0], True)
    store.close()
    return root, data


def main_export(root: Path, data: Path, url: str) -> int:
    from mltcourse.cli import main

    return main(["--content", str(root), "export", "--data-dir", str(data)] + [
        "--format", "xapi", "--lrs", url
    ])  # fmt: skip

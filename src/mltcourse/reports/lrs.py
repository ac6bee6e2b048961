"""Sending xAPI statements to a learning record store, through an outbox on disk.

Nothing is lost and nothing is sent twice: statements are queued on disk before any is sent,
and leave the queue only once the LRS has taken them: 200 with the JSON array of their ids that
xAPI 1.0.3 (Communication 2.1.2) requires, or 409 / 204, which say it holds those ids already.
A refused connection, a timeout, a redirect, a 5xx or an answer that is not a whole HTTP
response leaves the rest queued for the next run, which sends the queue first. The ids sent
are kept, so a later export sends only what is new. A statement the LRS rejects as malformed
(400, or 413 on its own) is set aside with the reason, not retried for ever. The HTTP side
(deadlines, no redirects, whole answers only) is in ``lrs_http``.

An outbox file that cannot be read as what it should be is renamed beside itself with a
``.damaged-<time>`` suffix, never deleted, and a fresh one is started; the message names it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..content.paths import display_path
from .lrs_http import (
    AUTH_VARIABLE,
    Answer,
    Limits,
    SendStopped,
    credentials,
    one_line,
    post,
    shown,
    statements_url,
)

__all__ = ["AUTH_VARIABLE", "BATCH", "Delivery", "Limits", "Outbox", "SendStopped"]
__all__ += ["credentials", "deliver", "shown", "statements_url"]

BATCH = 50
LIMITS = Limits()


@dataclass(frozen=True)
class Delivery:
    sent: int
    queued: int  # still waiting for a later run
    rejected: int
    error: str | None
    notes: tuple[str, ...] = ()  # outbox files found damaged and set aside


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _is_id(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _contents(path: Path) -> bytes | None:
    """A regular file's bytes, None if nothing is there; OSError if something else is (a link,
    a folder, a pipe: opened without following or waiting, so it cannot hang the export)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError("not a regular file")
        return handle.read()


def _queue_problem(text: str) -> str | None:
    waiting = json.loads(text)
    if not isinstance(waiting, list):
        return "not a JSON array"
    if not all(isinstance(s, dict) and _is_id(s.get("id")) for s in waiting):
        return "an entry that is not a statement with an id"
    return None


def _sent_problem(text: str) -> str | None:
    if text and not text.endswith("\n"):
        return "its last line is cut short"
    if not all(_is_id(line) for line in text.splitlines()):
        return "a line that is not a statement id"
    return None


def _rejected_problem(text: str) -> str | None:
    if text and not text.endswith("\n"):
        return "its last line is cut short"
    for line in text.splitlines():
        entry = json.loads(line)
        if not (isinstance(entry, dict) and {"reason", "statement"} <= entry.keys()):
            return "a line that is not a set-aside statement"
    return None


def _damage(path: Path, problem) -> str | None:  # noqa: ANN001 - one of the *_problem checks
    """Why the file at path cannot be used as it is, or None (a missing file is fine)."""
    try:
        data = _contents(path)
        if data is None:
            return None
        return problem(data.decode("utf-8"))
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except (ValueError, RecursionError):
        return "not valid JSON"
    except OSError as error:
        return one_line(error.strerror or str(error), 80)


def _set_aside(path: Path, why: str) -> str:
    """Rename a damaged file (or folder) beside itself; the message that says so."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    count = 1
    while os.path.lexists(target):
        count += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{count}")
    try:
        os.rename(path, target)
    except OSError as error:
        raise ValueError(
            f"the outbox file {one_line(display_path(path), 300)} is damaged ({why}) and could "
            f"not be set aside: {one_line(error.strerror or str(error), 80)}"
        ) from None
    return (
        f"the outbox file {one_line(display_path(path), 300)} was damaged ({why}): set aside "
        f"as {one_line(target.name, 120)}, and a fresh one started"
    )


PENDING = "pending"  # the outbox of statements made before any LRS was named


class Outbox:
    """The statements waiting for one LRS, and the ids it has taken, in the data folder.

    With no endpoint it is the pending outbox: statements a command left for whichever LRS
    the next ``export --lrs`` sends to (the course's *completed*, left by ``certificate``)."""

    def __init__(self, data_dir: Path, endpoint: str | None) -> None:
        key = PENDING if endpoint is None else hashlib.sha256(endpoint.encode()).hexdigest()[:16]
        root = Path(data_dir) / "xapi-outbox"
        self.folder = root / key
        self.notes: list[str] = []
        for folder in (root, self.folder):
            if os.path.lexists(folder) and not (folder.is_dir() and not folder.is_symlink()):
                self.notes.append(_set_aside(folder, "not a folder"))
        self.folder.mkdir(parents=True, exist_ok=True)
        _scrub_addresses(root)
        if endpoint is not None:
            # the address as shown: statements_url refuses one with credentials, a second lock
            _write_atomically(self.folder / "endpoint.txt", shown(endpoint, 2000) + "\n")
        self.queue_path = self.folder / "queue.json"
        self.sent_path = self.folder / "sent.txt"
        self.rejected_path = self.folder / "rejected.jsonl"
        for path, problem in (
            (self.queue_path, _queue_problem),
            (self.sent_path, _sent_problem),
            (self.rejected_path, _rejected_problem),
        ):
            why = _damage(path, problem)
            if why:
                self.notes.append(_set_aside(path, why))

    def sent_ids(self) -> set[str]:
        if not self.sent_path.exists():
            return set()
        return set(self.sent_path.read_text(encoding="utf-8").split())

    def queue(self) -> list[dict]:
        """What waits to be sent, less anything a run that died had sent already."""
        if not self.queue_path.exists():
            return []
        sent = self.sent_ids()
        waiting = json.loads(self.queue_path.read_text(encoding="utf-8"))
        return [s for s in waiting if s["id"] not in sent]

    def add(self, statements: list[dict]) -> list[dict]:
        """Queue the statements not sent or queued yet, behind those already waiting."""
        waiting = self.queue()
        known = self.sent_ids() | {s["id"] for s in waiting}
        for statement in statements:
            if statement["id"] not in known:
                known.add(statement["id"])
                waiting.append(statement)
        _write_atomically(self.queue_path, json.dumps(waiting))
        return waiting

    def taken(self, ids: list[str], waiting: list[dict]) -> list[dict]:
        """Record ids as sent (durably, first), then drop them from the queue."""
        with open(self.sent_path, "a", encoding="utf-8") as ledger:
            ledger.write("".join(f"{i}\n" for i in ids))
            ledger.flush()
            os.fsync(ledger.fileno())
        gone = set(ids)
        waiting = [s for s in waiting if s["id"] not in gone]
        _write_atomically(self.queue_path, json.dumps(waiting))
        return waiting

    def clear(self) -> None:
        """Empty the queue (the pending outbox, once its statements are queued for an LRS)."""
        _write_atomically(self.queue_path, "[]")

    def set_aside(self, statement: dict, reason: str) -> None:
        with open(self.rejected_path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"reason": one_line(reason), "statement": statement}) + "\n")


def _scrub_addresses(root: Path) -> None:
    """An endpoint.txt written before addresses with credentials were refused loses them."""
    for path in root.glob("*/endpoint.txt"):
        try:
            text = (_contents(path) or b"").decode("utf-8", "replace").strip()
            if "@" in urllib.parse.urlsplit(text).netloc:
                _write_atomically(path, shown(text, 2000) + "\n")
        except (OSError, ValueError):
            continue


def _ids(body: bytes) -> list[str] | None:
    """The statement ids in a POST /statements answer (a JSON array of strings), else None."""
    try:
        ids = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    return [i.lower() for i in ids]


def _verdict(answer: Answer, batch: list[dict]) -> str:
    """What an answer says of a batch: "taken", "held" (the LRS has those ids already),
    "refused" (about the statements themselves) or "unclear" (200 with other ids);
    anything else stops the run with the batch still queued."""
    status, reason = answer.status, answer.reason
    if 300 <= status < 400:
        raise SendStopped(
            f"the LRS answered {status} {reason}, a redirect to "
            f"{answer.location or '(no address given)'}; redirects are not followed, so "
            "nothing was delivered: give --lrs the address the LRS itself answers at"
        )
    if status == 200:
        ids = _ids(answer.body)
        if ids is None:
            raise SendStopped(
                "the LRS answered 200 without the JSON array of statement ids xAPI requires, "
                "so nothing counts as delivered"
            )
        return "taken" if sorted(ids) == sorted(s["id"].lower() for s in batch) else "unclear"
    if status in (204, 409):
        return "held"
    if status in (400, 413):
        return "refused"
    if 200 <= status < 300:
        raise SendStopped(
            f"the LRS answered {status} {reason}, not the 200 with statement ids xAPI "
            "requires, so nothing counts as delivered"
        )
    raise SendStopped(f"the LRS answered {status} {reason}".rstrip())


def deliver(
    statements: list[dict], endpoint: str, data_dir: Path, limits: Limits = LIMITS
) -> Delivery:
    """Queue the new statements (and any left pending), then send the whole queue, oldest
    first, within the limits."""
    url = statements_url(endpoint)
    auth = credentials()
    outbox = Outbox(data_dir, endpoint)
    pending = None
    if os.path.lexists(Path(data_dir) / "xapi-outbox" / PENDING):  # a command left some
        pending = Outbox(data_dir, None)
        outbox.notes += pending.notes
    earlier = pending.queue() if pending else []
    waiting = outbox.add(earlier + statements)  # on disk for this LRS before it is cleared
    if pending and earlier:
        pending.clear()
    sent = rejected = 0
    end = time.monotonic() + limits.export
    ran_out = f"the export's time limit ({limits.export:g} s) ran out"

    def send(batch: list[dict]) -> tuple[str, int]:
        now = time.monotonic()
        if now >= end:
            raise SendStopped(ran_out)
        deadline = min(now + limits.upload, end)
        slow = f"the LRS took more than {limits.upload:g} s to answer"
        late = ran_out if deadline == end else slow
        answer = post(url, json.dumps(batch).encode(), auth, limits, deadline, late)
        return _verdict(answer, batch), answer.status

    try:
        while waiting:
            batch = waiting[:BATCH]
            if send(batch)[0] == "taken":
                waiting = outbox.taken([s["id"] for s in batch], waiting)
                sent += len(batch)
                continue
            for statement in batch:  # not taken whole: find out which, one by one
                verdict, status = send([statement])
                if verdict == "unclear":
                    raise SendStopped(
                        "the LRS answered 200 with ids other than the statement's, so it "
                        "does not count as delivered"
                    )
                if verdict == "refused":
                    outbox.set_aside(statement, f"HTTP {status}")
                    rejected += 1
                else:
                    sent += 1
                waiting = outbox.taken([statement["id"]], waiting)
    except SendStopped as stop:
        return Delivery(sent, len(waiting), rejected, one_line(str(stop), 600), tuple(outbox.notes))
    return Delivery(sent, 0, rejected, None, tuple(outbox.notes))

"""Sending xAPI statements to a learning record store, through an outbox on disk.

Nothing is lost and nothing is sent twice: statements are queued on disk before any is sent,
and leave the queue only once the LRS has answered 2xx (or 409, which says it already holds
that statement id). A refused connection, a timeout or a 5xx leaves the rest queued for the
next run, which sends the queue first. The ids sent are kept, so a later export sends only
what is new. A statement the LRS rejects as malformed (400, or 413 on its own) is set aside
with the reason, not retried for ever.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .xapi import VERSION

AUTH_VARIABLE = "MLTCOURSE_LRS_AUTH"
BATCH = 50


class SendStopped(Exception):
    """The LRS could not take statements now (network, timeout, 5xx, refused credentials)."""


@dataclass(frozen=True)
class Delivery:
    sent: int
    queued: int  # still waiting for a later run
    rejected: int
    error: str | None


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class Outbox:
    """The statements waiting for one LRS, and the ids it has taken, in the data folder."""

    def __init__(self, data_dir: Path, endpoint: str) -> None:
        key = hashlib.sha256(endpoint.encode()).hexdigest()[:16]
        self.folder = Path(data_dir) / "xapi-outbox" / key
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "endpoint.txt").write_text(endpoint + "\n", encoding="utf-8")
        self.queue_path = self.folder / "queue.json"
        self.sent_path = self.folder / "sent.txt"
        self.rejected_path = self.folder / "rejected.jsonl"

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

    def set_aside(self, statement: dict, reason: str) -> None:
        with open(self.rejected_path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"reason": reason, "statement": statement}) + "\n")


def credentials() -> str | None:
    """Basic-auth credentials from MLTCOURSE_LRS_AUTH ("user:password"), never from argv."""
    value = os.environ.get(AUTH_VARIABLE)
    if not value:
        return None
    if ":" not in value:
        raise ValueError(f"{AUTH_VARIABLE} must be user:password")
    return "Basic " + base64.b64encode(value.encode()).decode()


def statements_url(endpoint: str) -> str:
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError("the LRS address must start with http:// or https://")
    return endpoint.rstrip("/") + "/statements"


# Answers about the statements themselves; any other error is about the LRS or the way to
# it (a wrong address, refused credentials, an outage) and stops the run with all queued.
STATEMENT_ERRORS = (400, 409, 413)


def _post(url: str, batch: list[dict], auth: str | None, timeout: float) -> int:
    """POST a batch: the HTTP status (2xx, or one of STATEMENT_ERRORS), else SendStopped."""
    request = urllib.request.Request(
        url,
        data=json.dumps(batch).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": VERSION},
    )
    if auth:
        request.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        if error.code in STATEMENT_ERRORS:
            return error.code
        raise SendStopped(f"the LRS answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SendStopped(f"could not reach the LRS: {reason}") from None


def deliver(
    statements: list[dict], endpoint: str, data_dir: Path, timeout: float = 10.0
) -> Delivery:
    """Queue the new statements, then send the whole queue, oldest first."""
    url = statements_url(endpoint)
    auth = credentials()
    outbox = Outbox(data_dir, endpoint)
    waiting = outbox.add(statements)
    sent = rejected = 0
    try:
        while waiting:
            batch = waiting[:BATCH]
            status = _post(url, batch, auth, timeout)
            if 200 <= status < 300:
                waiting = outbox.taken([s["id"] for s in batch], waiting)
                sent += len(batch)
                continue
            for statement in batch:  # one refused the batch: find out which, one by one
                status = _post(url, [statement], auth, timeout)
                if not (200 <= status < 300 or status == 409):
                    outbox.set_aside(statement, f"HTTP {status}")
                    rejected += 1
                else:
                    sent += 1
                waiting = outbox.taken([statement["id"]], waiting)
    except SendStopped as stop:
        return Delivery(sent, len(waiting), rejected, str(stop))
    return Delivery(sent, 0, rejected, None)

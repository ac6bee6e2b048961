"""One POST to a learning record store, as the outbox in ``lrs`` needs it: under a deadline,
never following a redirect, and never taking an answer for more than it is.

* The address may not hold a user name or password (they would be echoed and kept on disk);
  credentials come from MLTCOURSE_LRS_AUTH and go only to the address given: a 3xx is handed
  back as it is, with where it pointed, and nothing is sent on to the place it names.
* Each POST has a deadline (connecting, sending, the status line, the headers, the body); a
  server that trickles its answer a byte at a time is cut off at it. The exchange runs in a
  worker thread, so even a stall inside the HTTP library cannot hold the caller past it.
* A 2xx counts only once its whole body has come: a body cut short of its Content-Length or
  its last chunk, a reset or a body over the size limit is an error, never a delivery.
* Whatever of the server's answer is shown (reason phrase, Location, error text) has its
  control characters removed and is kept to one line.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..safetext import clean, clean_name, first_control
from .xapi import VERSION

AUTH_VARIABLE = "MLTCOURSE_LRS_AUTH"


@dataclass(frozen=True)
class Limits:
    """How long and how much. ``wait``: any one step (connecting, one read or one write);
    ``upload``: one POST, from connecting to the last byte of the answer; ``export``: the whole
    run, after which what is left stays queued for the next; ``answer``: the most bytes of an
    answer read (a batch's ids are a few kilobytes)."""

    wait: float = 10.0
    upload: float = 30.0
    export: float = 120.0
    answer: int = 1 << 20


class SendStopped(Exception):
    """The LRS could not take statements now; nothing in the request counts as delivered."""


@dataclass(frozen=True)
class Answer:
    """A whole HTTP answer: the body only for a 2xx, where it was read to its end."""

    status: int
    reason: str  # cleaned, one line
    body: bytes = b""
    location: str | None = None  # for a 3xx: where it pointed, fit to show


def one_line(text: str, limit: int = 200) -> str:
    """Text from outside (a server, an error) fit for a message: no controls, one line."""
    return clean_name(str(text), limit)


def shown(url: str, limit: int = 200) -> str:
    """A URL fit to show: no user name or password, no query (tokens ride there), no controls."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        url = urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))
        url += "?…" if parts.query else ""
    except ValueError:  # e.g. a broken [IPv6] host: strip what could be credentials by hand
        url = re.sub(r"//[^/?#]*@", "//", url).split("?")[0].split("#")[0]
    return one_line(clean(url), limit)  # controls dropped, not spaced: the URL reads as sent


def statements_url(endpoint: str) -> str:
    """The statements resource under the LRS address, or ValueError saying what is wrong with
    the address without repeating it (it may hold a secret)."""
    if first_control(endpoint) is not None or any(c.isspace() for c in endpoint):
        raise ValueError("the LRS address holds a space or a control character")
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError("the LRS address is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("the LRS address must start with http:// or https://")
    if "@" in parts.netloc:
        raise ValueError(
            "the LRS address holds a user name or password: give it without them, and the "
            f"credentials in {AUTH_VARIABLE} as user:password"
        )
    if not parts.hostname:
        raise ValueError("the LRS address names no host")
    if "?" in endpoint or "#" in endpoint:
        raise ValueError("the LRS address cannot carry a ?query or a #fragment")
    return endpoint.rstrip("/") + "/statements"


def credentials() -> str | None:
    """Basic-auth credentials from MLTCOURSE_LRS_AUTH ("user:password"), never from argv."""
    value = os.environ.get(AUTH_VARIABLE)
    if not value:
        return None
    if ":" not in value:
        raise ValueError(f"{AUTH_VARIABLE} must be user:password")
    return "Basic " + base64.b64encode(value.encode()).decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx comes back as an HTTPError: nothing, least of all the credentials, goes on."""

    def http_error_302(self, req, fp, code, msg, headers):
        return None

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _recording(base: type, sockets: list) -> object:
    """A connection class for urllib that notes its socket, so a deadline can shut it."""

    def make(host: str, **kwargs) -> http.client.HTTPConnection:
        connection = base(host, **kwargs)
        connect = connection.connect

        def connect_and_note() -> None:
            connect()
            sockets.append(connection.sock)

        connection.connect = connect_and_note
        return connection

    return make


def _opener(sockets: list) -> urllib.request.OpenerDirector:
    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(_recording(http.client.HTTPConnection, sockets), req)

    class Secure(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(
                _recording(http.client.HTTPSConnection, sockets),
                req,
                context=self._context,
                check_hostname=self._check_hostname,
            )

    return urllib.request.build_opener(Plain, Secure, _NoRedirects)


def _body(response, most: int, deadline: float) -> bytes:
    """The whole body, or SendStopped if it is cut short, too long or too slow."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= deadline:
            raise TimeoutError("the answer did not end in time")
        chunk = response.read1(min(65536, most + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > most:
            raise SendStopped(f"the LRS's answer ran past {most} bytes; nothing counted")
    if response.length:  # Content-Length promised more than came before the connection closed
        raise SendStopped("the LRS's answer was cut short of its Content-Length")
    return b"".join(chunks)


def _exchange(request, sockets: list, limits: Limits, deadline: float) -> Answer:
    wait = max(0.01, min(limits.wait, deadline - time.monotonic()))
    try:
        response = _opener(sockets).open(request, timeout=wait)
    except urllib.error.HTTPError as error:
        with error:
            where = error.headers.get("Location") if 300 <= error.code < 400 else None
            if where is not None:
                with contextlib.suppress(ValueError):
                    where = urllib.parse.urljoin(request.full_url, where)
                where = shown(where)
            return Answer(error.code, one_line(error.reason or "", 80), location=where)
    except urllib.error.URLError as error:
        raise SendStopped(f"could not reach the LRS: {one_line(error.reason)}") from None
    except TimeoutError:
        raise SendStopped(f"the LRS did not answer within {wait:g} s") from None
    except (http.client.HTTPException, OSError) as error:
        raise SendStopped(_broken(error)) from None
    with response:
        try:
            body = _body(response, limits.answer, deadline)
        except TimeoutError:
            raise SendStopped("the LRS's answer stalled") from None
        except (http.client.HTTPException, OSError) as error:
            raise SendStopped(_broken(error)) from None
        return Answer(response.status, one_line(response.reason or "", 80), body)


def _broken(error: Exception) -> str:
    detail = one_line(str(error), 120) or type(error).__name__
    return f"the LRS's answer was not a whole HTTP response ({detail})"


def post(url: str, body: bytes, auth: str | None, limits: Limits, deadline: float, late: str):
    """POST body to url and return the Answer; SendStopped(late) once time.monotonic() reaches
    deadline, whatever the exchange is doing then (its socket is shut down)."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": VERSION},
    )
    if auth:
        request.add_unredirected_header("Authorization", auth)
    sockets: list[socket.socket] = []
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["answer"] = _exchange(request, sockets, limits, deadline)
        except Exception as error:  # carried back to the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=work, name="mltcourse-lrs-post", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        for sock in sockets:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
        worker.join(0.5)  # let it unwind; its answer, if any, is not taken
        raise SendStopped(late)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answer"]

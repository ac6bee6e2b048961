"""``mltcourse serve``'s addresses and limits: what the page may name, and what is refused."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from mltcourse.serving.address import (
    MAX_HEIGHT,
    MAX_WIDTH,
    AddressError,
    clamp,
    is_loopback,
    public_origin,
    websocket_origin,
)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.20", False),
        ("classroom.local", False),
    ],
)
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_the_public_origin_on_loopback_is_the_address_itself():
    assert public_origin("127.0.0.1", 8000, None) == "http://127.0.0.1:8000"
    assert public_origin("localhost", 8000, None) == "http://localhost:8000"
    assert public_origin("::1", 9000, None) == "http://[::1]:9000"
    assert public_origin("127.0.0.1", 80, None) == "http://127.0.0.1"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.20", "classroom.local"])
def test_beyond_loopback_needs_a_public_url(host):
    with pytest.raises(AddressError, match="--public-url"):
        public_origin(host, 8000, None)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://192.168.1.20:8000", "http://192.168.1.20:8000"),
        ("http://192.168.1.20:8000/", "http://192.168.1.20:8000"),
        ("HTTP://Classroom.Local:8000", "http://classroom.local:8000"),
        ("https://class.example", "https://class.example"),
        ("https://class.example:443/", "https://class.example"),
        ("http://[fd00::5]:8000", "http://[fd00::5]:8000"),
    ],
)
def test_public_urls_become_origins(url, origin):
    assert public_origin("0.0.0.0", 8000, url) == origin


@pytest.mark.parametrize(
    "url",
    [
        "http://0.0.0.0:8000",
        "http://[::]:8000",
        "ftp://192.168.1.20",
        "192.168.1.20:8000",
        "http://192.168.1.20:8000/course",
        "http://192.168.1.20:8000/?x=1",
        "http://user:secret@192.168.1.20:8000",
        "http://192.168.1.20:99999",
        "http://",
    ],
)
def test_unusable_public_urls_are_refused(url):
    with pytest.raises(AddressError):
        public_origin("0.0.0.0", 8000, url)


def test_the_websocket_origin_follows_the_scheme():
    assert websocket_origin("http://10.0.0.2:8000") == "ws://10.0.0.2:8000"
    assert websocket_origin("https://class.example") == "wss://class.example"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120),
        (120, 120),
        ("100000", MAX_WIDTH),
        (10**12, MAX_WIDTH),
        ("-5", 1),
        (0, 1),
        ("9" * 5000, 80),
        ("wide", 80),
        (None, 80),
        (True, 80),
        (12.5, 80),
        ([1], 80),
    ],
)
def test_sizes_are_clamped(value, expected):
    assert clamp(value, 80, MAX_WIDTH) == expected
    assert clamp("151", 24, MAX_HEIGHT) == MAX_HEIGHT


def serve(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mltcourse", "serve", *options],
        capture_output=True,
        text=True,
        timeout=60,  # a refusal is immediate; a server that started would be killed here
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--host", "0.0.0.0"), "add --public-url"),
        (("--host", "192.168.1.20"), "add --public-url"),
        (("--host", "0.0.0.0", "--public-url", "http://0.0.0.0:8000"), "names no machine"),
        (("--host", "0.0.0.0", "--public-url", "ws://10.0.0.2:8000"), "http:// or https://"),
        (("--max-sessions", "0"), "--max-sessions needs a positive number"),
        (("--port", "0"), "--port needs a number"),
    ],
)
def test_unsafe_or_unusable_options_are_usage_errors(options, message, tmp_path):
    run = serve(*options, "--data-dir", str(tmp_path / "data"))
    assert run.returncode == 2, run.stderr
    assert message in run.stderr and run.stderr.startswith("mltcourse: ")
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert not (tmp_path / "data").exists()  # refused before anything was made


def test_the_help_names_the_new_options():
    run = serve("--help")
    assert run.returncode == 0
    assert "--public-url URL" in run.stdout and "--max-sessions N" in run.stdout


def test_a_port_already_taken_is_said_plainly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        run = serve("--port", str(taken.getsockname()[1]), "--data-dir", str(tmp_path))
    assert run.returncode == 1, run.stderr
    assert "mltcourse: cannot serve on 127.0.0.1:" in run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr

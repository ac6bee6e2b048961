"""Where the classroom server listens, the address students' browsers use, and the limits.

Pure functions with no aiohttp in them: ``mltcourse serve`` checks its options with them
before anything is started, and the tests call them directly."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_MAX_SESSIONS = 45  # a large class, one browser each, with a few to spare
MAX_WIDTH, MAX_HEIGHT = 400, 150  # cells: beyond any real screen at a readable font size
MAX_MESSAGE = 64 * 1024  # bytes in one websocket message: keys, resizes, a long paste
FONT_SIZES = range(8, 41)  # the page's ?fontsize=, in CSS pixels


class AddressError(ValueError):
    """An option that would put the server somewhere unsafe or unreachable."""


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host``: 127.0.0.0/8, ::1 or ``localhost``."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:  # a host name, or "" (every interface): beyond this machine
        return False


def _url_host(host: str) -> str:
    """``host`` as it goes in a URL: an IPv6 address in brackets."""
    name = host.strip().strip("[]")
    return f"[{name}]" if ":" in name else name


def _origin(scheme: str, host: str, port: int | None) -> str:
    """The origin as a browser writes it in its ``Origin`` header (no default port)."""
    default = {"http": 80, "https": 443}[scheme]
    shown = "" if port in (None, default) else f":{port}"
    return f"{scheme}://{_url_host(host).lower()}{shown}"


def public_origin(host: str, port: int, public_url: str | None) -> str:
    """The ``scheme://host[:port]`` students' browsers use, checked.

    Without ``public_url`` it is the loopback address itself, and binding beyond loopback is
    refused: the page would otherwise tell browsers to connect to an address such as 0.0.0.0
    (where nothing is) or to one the server cannot vouch for."""
    if public_url is None:
        if not is_loopback(host):
            where = host or "every interface"
            raise AddressError(
                f"--host {where} listens beyond this machine: add --public-url with the address "
                "students' browsers will use, for example --public-url http://192.168.1.20:"
                f"{port}"
            )
        return _origin("http", host, port)
    return checked_public_url(public_url)


def checked_public_url(url: str) -> str:
    """The origin of ``--public-url``, or AddressError saying what is wrong with it."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise AddressError(f"--public-url {url!r} is not a usable address ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise AddressError(f"--public-url {url!r} must start with http:// or https://")
    host = parts.hostname
    if not host:
        raise AddressError(f"--public-url {url!r} has no host name or address")
    if parts.username is not None or parts.password is not None:
        raise AddressError("--public-url must not carry a user name or password")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise AddressError(
            f"--public-url {url!r} must be only scheme://host[:port]: the app is served at /"
        )
    try:
        unspecified = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        unspecified = False
    if unspecified:
        raise AddressError(
            f"--public-url {url!r} names no machine ({host} means every interface): give the "
            "address students' browsers will use"
        )
    return _origin(parts.scheme, host, port)


def websocket_origin(origin: str) -> str:
    """The ws:// or wss:// origin of the page's own websocket."""
    return ("wss" if origin.startswith("https:") else "ws") + origin[origin.index(":") :]


def clamp(value: object, default: int, top: int) -> int:
    """A terminal dimension from a browser: an int in 1..top, else ``default``."""
    if isinstance(value, str):
        try:
            value = int(value.strip()) if len(value) <= 12 else default
        except ValueError:
            value = default
    if not isinstance(value, int) or isinstance(value, bool):
        value = default
    return max(1, min(top, value))

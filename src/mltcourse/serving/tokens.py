"""The class's secrets: one join link per role, the websocket's ticket, and each seat's id.

Everything is derived from one random secret per class with HMAC-SHA256, so the trainer's
console (``facilitate --serve``) and the server it starts compute the same links without
sending them anywhere, and nothing a browser holds can be turned into another role's.

Roles: ``seat`` (a learner studying on their own), ``team-N`` (a device of team N, from 0)
and ``presenter`` (the projector's view of an exercise). Pure functions, no aiohttp."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

SEAT, PRESENTER = "seat", "presenter"
SECRET_ENV = "MLTCOURSE_CLASS_SECRET"  # how facilitate --serve hands the secret to its server


def team_role(position: int) -> str:
    return f"team-{position}"


def team_of(role: str) -> int | None:
    """The team position of a ``team-N`` role, else None."""
    prefix, _, number = role.partition("-")
    return int(number) if prefix == "team" and number.isdigit() else None


def new_secret() -> str:
    return secrets.token_hex(32)


def _mac(secret: str, purpose: str, length: int) -> str:
    digest = hmac.new(bytes.fromhex(secret), purpose.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]


@dataclass(frozen=True)
class ClassKeys:
    """The class's join tokens, tickets and seat ids, from its ``secret`` (hex)."""

    secret: str
    teams: tuple[str, ...] = ()  # the served exercise's teams, if any
    roles: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        bytes.fromhex(self.secret)  # ValueError early if it is not hex
        extra = (*(team_role(n) for n in range(len(self.teams))), PRESENTER) if self.teams else ()
        object.__setattr__(self, "roles", (SEAT, *extra))

    @property
    def class_id(self) -> str:
        """A name for this class in the store (its seats): stable for one secret."""
        return "class-" + _mac(self.secret, "class", 12)

    def join_token(self, role: str) -> str:
        return _mac(self.secret, f"join:{role}", 32)

    def role_of_token(self, token: str | None) -> str | None:
        """The role whose join token this is (compared in constant time), else None."""
        if not token:
            return None
        found = None
        offered = token.encode("utf-8", "replace")
        for role in self.roles:
            if hmac.compare_digest(offered, self.join_token(role).encode()):
                found = role
        return found

    def ticket(self, role: str) -> str:
        """The path part of the websocket URL a page of ``role`` connects to."""
        return f"{role}.{_mac(self.secret, f'ticket:{role}', 22)}"

    def role_of_ticket(self, ticket: str) -> str | None:
        role, _, _ = ticket.partition(".")
        if role in self.roles and hmac.compare_digest(
            ticket.encode("utf-8", "replace"), self.ticket(role).encode()
        ):
            return role
        return None

    def new_seat(self) -> str:
        """A fresh seat id with its signature: the value of the seat cookie."""
        seat = secrets.token_urlsafe(9)
        return f"{seat}.{_mac(self.secret, f'seat:{seat}', 16)}"

    def seat_of(self, cookie: str | None) -> str | None:
        """The seat id of a seat cookie this class signed, else None."""
        if not cookie or cookie.count(".") != 1:
            return None
        seat, _ = cookie.split(".")
        expected = f"{seat}.{_mac(self.secret, f'seat:{seat}', 16)}"
        matches = hmac.compare_digest(cookie.encode("utf-8", "replace"), expected.encode())
        return seat if matches else None

    def join_url(self, origin: str, role: str = SEAT) -> str:
        return f"{origin}/?join={self.join_token(role)}"

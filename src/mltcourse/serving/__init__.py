"""``mltcourse serve``: the app in students' browsers, one process per connection, behind the
classroom server's access control (:mod:`.server`).

Importing this package is light: the addresses and limits (:mod:`.address`) are checked
before aiohttp and textual-serve are imported by :mod:`.server`."""

from __future__ import annotations

from .address import AddressError, is_loopback, public_origin

__all__ = ["AddressError", "app_command", "is_loopback", "public_origin"]


def app_command(python: str, content: str, data: str) -> list[str]:
    """The command line of one served app process (see :mod:`.child`); the server adds the
    role of each connection. No --learner: every seat asks who is studying."""
    return [python, "-m", "mltcourse.serving.child", "--content", content, "--data-dir", data]

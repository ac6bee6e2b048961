"""Where an organisation's xAPI records point: the activity IRI base, the home page of its
learners' accounts, and the LRS the classroom server sends to in the background.

Read from ``settings.toml`` in the data folder (TOML is data only, never run), section
``[xapi]``::

    [xapi]
    activity_base = "https://training.example.org/xapi/mltcourse"
    home_page = "https://sso.example.org"        # default: the activity base
    lrs = "https://lrs.example.org/xapi"         # for ``mltcourse serve``; credentials from
                                                 # $MLTCOURSE_LRS_AUTH, never from this file

``--xapi-base`` on the command line wins over the file.
"""

from __future__ import annotations

import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .. import __version__

DEFAULT_BASE = "https://mltcourse.invalid/xapi"  # stable, never fetched
SETTINGS_FILE = "settings.toml"
MAX_SETTINGS_BYTES = 64 * 1024


class SettingsError(ValueError):
    """The settings file or an address in it cannot be used (the message says why)."""


@dataclass(frozen=True)
class XapiConfig:
    activity_base: str = DEFAULT_BASE
    home_page: str = DEFAULT_BASE
    lrs: str | None = None
    course_version: str = f"mltcourse {__version__}"

    @property
    def is_default(self) -> bool:
        return self.activity_base == DEFAULT_BASE and self.home_page == DEFAULT_BASE


DEFAULT = XapiConfig()


def checked_base(value: object, what: str) -> str:
    """An absolute http(s) address without credentials, query or fragment; no trailing /."""
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{what} must be an address such as https://example.org/xapi")
    text = value.strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{what} must start with https:// (or http://) and name a host")
    if "@" in parts.netloc or parts.query or parts.fragment or any(c.isspace() for c in text):
        raise SettingsError(f"{what} must hold no user name, password, query, fragment or space")
    return text.rstrip("/")


def load_xapi_config(data_dir: Path, base: str | None = None) -> XapiConfig:
    """The organisation's settings from the data folder, ``base`` (``--xapi-base``) first."""
    path = Path(data_dir) / SETTINGS_FILE
    section: dict = {}
    if path.is_file():
        try:
            raw = path.read_bytes()
            if len(raw) > MAX_SETTINGS_BYTES:
                raise SettingsError(f"{path.name} is larger than {MAX_SETTINGS_BYTES} bytes")
            section = tomllib.loads(raw.decode("utf-8")).get("xapi", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path.name} in the data folder cannot be read: {exc}") from None
        if not isinstance(section, dict):
            raise SettingsError(f"{path.name}: [xapi] must be a table")
        unknown = sorted(set(section) - {"activity_base", "home_page", "lrs"})
        if unknown:
            raise SettingsError(f"{path.name}: unknown [xapi] settings: {', '.join(unknown)}")
    activity = base or section.get("activity_base")
    activity = (
        checked_base(activity, "--xapi-base" if base else "activity_base")
        if activity
        else DEFAULT_BASE
    )
    home = section.get("home_page")
    home = checked_base(home, "home_page") if home is not None else activity
    lrs = section.get("lrs")
    if lrs is not None:
        lrs = checked_base(lrs, "lrs")
    return XapiConfig(activity, home, lrs)

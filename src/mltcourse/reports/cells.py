"""Cells of the CSV files, as spreadsheets read them: no formulas from content, dates that
parse as dates, and an Excel-friendly encoding on request."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with this


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def spreadsheet_time(seconds: float | None) -> str:
    """``2026-12-02 14:05:09`` in UTC: a form Excel, LibreOffice and pandas read as a date."""
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]], excel: bool = False) -> str:
    """The rows as CSV; for Excel, after a byte-order mark, so it opens as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return (BOM if excel else "") + out.getvalue()

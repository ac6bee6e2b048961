"""What ``mltcourse serve`` prints when it starts: the join link, and the link as a QR code."""

from __future__ import annotations

import io
import sys


def qr_text(url: str) -> str | None:
    """``url`` as a QR code in block characters (no colour codes), or None without segno."""
    try:
        import segno
    except ImportError:  # pragma: no cover - a dependency; the link is printed anyway
        return None
    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def announce(
    title: str, links: list[tuple[str, str]], host: str, port: int, max_sessions: int
) -> None:
    """The join links, each with its QR code; the first is the class's own."""
    out = sys.stdout
    out.write(f"\n{title}: serving the course on {host}:{port}\n\n")
    for who, url in links:
        out.write(f"{who} (the link carries the class's secret; share it only with them):\n\n")
        out.write(f"    {url}\n\n")
        code = qr_text(url)
        if code:
            out.write(code + "\n")
    out.write(
        f"Up to {max_sessions} browsers at once; each has its own app, stopped when it leaves.\n"
        "Press Ctrl+C to stop the server.\n\n"
    )
    out.flush()

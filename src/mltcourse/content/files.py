"""Reading a course file safely: a regular file, inside the course, within a size limit.

A course folder may be shared or unpacked from elsewhere. A pipe or a device named like a
scenario would hang every command that reads it, a link to ``/dev/zero`` would read until
memory runs out, and a link to ``/etc/passwd`` would show that file to a learner (and, under
``serve``, to anyone). So each course file is resolved and refused if it leads outside the
course, opened without blocking, checked to be a regular file and measured before it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..safetext import describe, first_control
from .diagnostics import Diagnostic

MAX_YAML_BYTES = 512 * 1024  # the largest shipped scenario is about 60 KB
MAX_LESSON_BYTES = 256 * 1024  # the largest shipped lesson is about 20 KB


class CourseFileError(OSError):
    """A course file that must not be read; the message says why and what to do."""


def read_course_file(path: Path, root: Path | None, limit: int) -> bytes:
    """The bytes of ``path``, if it is a regular file inside ``root`` of at most ``limit``."""
    try:
        real = Path(path).resolve(strict=True)
    except OSError as exc:
        raise CourseFileError(f"cannot read the file: {exc.strerror or exc}") from None
    if root is not None and not real.is_relative_to(Path(root).resolve()):
        raise CourseFileError(
            f"it links outside the course folder (to {real}); copy the file into the course"
        )
    try:
        handle = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise CourseFileError(f"cannot read the file: {exc.strerror or exc}") from None
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CourseFileError(
                "it is not a regular file (a pipe, a device or a folder); course files must be "
                "ordinary files"
            )
        if info.st_size > limit:
            raise CourseFileError(_too_big(info.st_size, limit))
        data = file.read(limit + 1)
    if len(data) > limit:
        raise CourseFileError(_too_big(len(data), limit))
    return data


def _too_big(size: int, limit: int) -> str:
    return (
        f"it is {size:,} bytes, more than the {limit // 1024} KB a course file may hold; "
        "split it into smaller files"
    )


def control_diagnostics(text: str, file: str) -> list[Diagnostic]:
    """Errors for control characters in a text file (a lesson), at their line and column."""
    out = []
    for number, line in enumerate(text.split("\n"), 1):
        index = first_control(line)
        if index is not None:
            out.append(
                Diagnostic(
                    file,
                    number,
                    index + 1,
                    f"control character {describe(line[index])} in the text; remove it "
                    "(only newlines and tabs are allowed)",
                )
            )
    return out


def yaml_control_diagnostics(value, file: str) -> list[Diagnostic]:
    """Errors for control characters in any key or string of a parsed YAML file."""
    from .yamlread import YList, YMap

    out: list[Diagnostic] = []

    def check(text: str, pos) -> None:
        index = first_control(text)
        if index is not None:
            out.append(
                Diagnostic(
                    file,
                    pos[0],
                    pos[1],
                    f"control character {describe(text[index])} in this text (a YAML escape "
                    "such as \\e or \\x1b?); remove it: only newlines and tabs are allowed",
                )
            )

    def walk(node, pos) -> None:
        if isinstance(node, str):
            check(node, pos)
        elif isinstance(node, YMap):
            for key, item in node.items():
                if isinstance(key, str):
                    check(key, node.key_pos.get(key, node.pos))
                walk(item, node.where(key))
        elif isinstance(node, YList):
            for index, item in enumerate(node):
                walk(item, node.where(index))

    walk(value, (1, 1))
    return out

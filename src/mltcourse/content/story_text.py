"""Text that follows the story: indicator values and conditional passages in scene text.

    The chief meets you {if trust >= 60: with a handshake}{else: at the door, unsmiling}.
    Public trust stands at {trust}.

``{name}`` shows an indicator's value; ``{if COND: text}`` shows ``text`` when the condition
holds, optionally followed by ``{elif COND: text}`` and ``{else: text}``. Passages may hold
values and further passages. ``\\{`` and ``\\}`` are literal braces. Conditions are the
condition language of ``conditions.py``. The result is always plain text: nothing but the
author's own characters and the digits of a value, never markup.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from . import conditions
from .condition_compile import Evaluator, compile_condition

MAX_NESTING = 8
_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")
_KEYWORD = re.compile(r"\s*(if|elif|else)\b")


class TemplateError(ValueError):
    """A problem in a text's passages; ``offset`` is the 0-based index into the text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Value:
    name: str
    offset: int  # of the name


@dataclass(frozen=True, slots=True)
class Branch:
    source: str | None  # the condition as written; None for else
    expr: conditions.Expr | None
    test: Evaluator | None
    body: tuple[Part, ...]
    offset: int  # of the condition (of the keyword for else)


@dataclass(frozen=True, slots=True)
class Passages:
    branches: tuple[Branch, ...]
    offset: int  # of the opening brace


Part = str | Value | Passages


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def parts(self, depth: int, closing: bool) -> tuple[Part, ...]:
        """Parts up to the end of the text, or up to the '}' that closes a passage."""
        text, out, literal = self.text, [], []
        while self.pos < len(text):
            char = text[self.pos]
            if char == "\\" and text[self.pos + 1 : self.pos + 2] in ("{", "}"):
                literal.append(text[self.pos + 1])
                self.pos += 2
            elif char == "}":
                if closing:
                    break
                raise TemplateError("a '}' closes nothing here; write '\\}' for a brace", self.pos)
            elif char == "{":
                if literal:
                    out.append("".join(literal))
                    literal = []
                out.append(self.directive(depth))
            else:
                literal.append(char)
                self.pos += 1
        if literal:
            out.append("".join(literal))
        return tuple(out)

    def directive(self, depth: int) -> Part:
        start = self.pos
        self.pos += 1
        keyword = _KEYWORD.match(self.text, self.pos)
        if keyword is None:
            name = _NAME.match(self.text, self.pos)
            if name is None:
                raise TemplateError(
                    "expected an indicator name or 'if CONDITION:' after '{'; "
                    "write '\\{' for a brace",
                    start,
                )
            self.pos = name.end()
            return Value(name.group(1), name.start(1))
        if keyword.group(1) != "if":
            raise TemplateError(
                f"'{keyword.group(1)}' must follow an '{{if …}}' passage directly",
                keyword.start(1),
            )
        if depth >= MAX_NESTING:
            raise TemplateError(f"passages nested more than {MAX_NESTING} deep", start)
        self.pos = start
        branches = [self.branch(depth, "if")]
        while True:
            after = self.pos
            while after < len(self.text) and self.text[after].isspace():
                after += 1
            if not self.text.startswith("{", after):
                break
            follow = _KEYWORD.match(self.text, after + 1)
            if follow is None or follow.group(1) == "if":
                break
            if branches[-1].source is None:
                raise TemplateError("nothing may follow an '{else: …}'", follow.start(1))
            self.pos = after
            branches.append(self.branch(depth, follow.group(1)))
        return Passages(tuple(branches), start)

    def branch(self, depth: int, keyword: str) -> Branch:
        """One '{if C: …}', '{elif C: …}' or '{else: …}', from its brace to its closing one."""
        opening = self.pos
        self.pos = _KEYWORD.match(self.text, self.pos + 1).end()  # type: ignore[union-attr]
        source = expr = test = None
        offset = self.pos - len(keyword)
        if keyword == "else":
            if not self.text.startswith(":", self.pos):
                raise TemplateError("expected ':' after 'else'", self.pos)
        else:
            end = _condition_end(self.text, self.pos)
            if end is None or self.text[end] != ":":
                where = end if end is not None else opening
                raise TemplateError(f"expected ':' after the condition of '{keyword}'", where)
            raw = self.text[self.pos : end]
            source = raw.strip()
            offset = self.pos + (len(raw) - len(raw.lstrip()))
            try:
                expr = conditions.parse(source)
            except conditions.ConditionError as exc:
                raise TemplateError(f"condition: {exc}", offset + exc.column - 1) from None
            test = compile_condition(expr)
            self.pos = end
        self.pos += 1  # the ':'
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1
        body = self.parts(depth + 1, closing=True)
        if self.pos >= len(self.text):
            raise TemplateError(f"the '{{{keyword}' here is never closed with '}}'", opening)
        self.pos += 1  # the '}'
        return Branch(source, expr, test, body, offset)


def _condition_end(text: str, start: int) -> int | None:
    """Index of the ':' (or stray brace) that ends a condition, or None at the end of text."""
    for index in range(start, len(text)):
        if text[index] in ":{}":
            return index
    return None


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[Part, ...] | TemplateError:
    try:
        return _Parser(text).parts(0, closing=False)
    except TemplateError as exc:
        return exc


def has_passages(text: str) -> bool:
    """Whether a text has anything to render (braces); most texts are plain."""
    return "{" in text or "}" in text


def parse(text: str) -> tuple[Part, ...]:
    """The parts of a text, or TemplateError with the offset of the first problem."""
    result = _parsed(text)
    if isinstance(result, TemplateError):
        raise result
    return result


def check(
    parts: tuple[Part, ...], indicators: Mapping[str, object], flags: set[str] | frozenset[str]
) -> list[TemplateError]:
    """Unknown or misused names in values and conditions, at their offsets in the text."""
    problems: list[TemplateError] = []
    for part in parts:
        if isinstance(part, Value):
            if part.name in flags:
                problems.append(
                    TemplateError(
                        f"flag {part.name!r} is true or false and has no value to show; "
                        f"use {{if {part.name}: …}}",
                        part.offset,
                    )
                )
            elif part.name not in indicators:
                problems.append(
                    TemplateError(
                        f"unknown indicator {part.name!r}{_suggest(part.name, indicators)}",
                        part.offset,
                    )
                )
        elif isinstance(part, Passages):
            for branch in part.branches:
                if branch.expr is not None:
                    for problem in conditions.check(branch.expr, indicators, set(flags)):
                        message = str(problem)
                        if message.startswith("unknown") and "did you mean" not in message:
                            name = message.split("'")[1] if "'" in message else ""
                            message += _suggest(name, [*indicators, *flags])
                        at = branch.offset + problem.column - 1
                        problems.append(TemplateError(f"condition: {message}", at))
                problems.extend(check(branch.body, indicators, flags))
    return problems


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def conditional_passages(parts: tuple[Part, ...]) -> list[Branch]:
    """Every branch with a condition, outer ones first, in the order they are written."""
    out: list[Branch] = []
    for part in parts:
        if isinstance(part, Passages):
            for branch in part.branches:
                if branch.source is not None:
                    out.append(branch)
                out.extend(conditional_passages(branch.body))
    return out


class RenderError(ValueError):
    """A text that cannot be rendered in a state (only in strict rendering)."""


def render(text: str, values: Mapping[str, float], flags, strict: bool = False) -> str:
    """The text as the learner reads it in this state: plain text, never markup.

    Lenient by default: a text that does not parse is shown as written, and a name the state
    lacks shows as written or counts as false, so display never fails. ``strict`` raises
    RenderError instead, for playtests.
    """
    if not has_passages(text):
        return text
    parsed = _parsed(text)
    if isinstance(parsed, TemplateError):
        if strict:
            raise RenderError(str(parsed))
        return text
    out: list[str] = []
    _render(parsed, values, flags, strict, out)
    return _tidy("".join(out))


def _render(parts, values, flags, strict: bool, out: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Value):
            value = values.get(part.name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.append(format_value(value))
            elif strict:
                raise RenderError(f"no indicator {part.name!r} to show")
            else:
                out.append(part.name)
        else:
            for branch in part.branches:
                if branch.test is None or _holds(branch, values, flags, strict):
                    _render(branch.body, values, flags, strict, out)
                    break


def _holds(branch: Branch, values, flags, strict: bool) -> bool:
    try:
        return bool(branch.test(values, flags))  # type: ignore[misc]
    except (KeyError, TypeError) as exc:
        if strict:
            raise RenderError(f"condition {branch.source!r}: no value for {exc}") from None
        return False


def format_value(value: float) -> str:
    """A value as a reader expects it: 55, not 55.0; 12.5 stays."""
    if not math.isfinite(value) or value == int(value):
        return f"{value:.0f}" if math.isfinite(value) else str(value)
    return f"{value:.1f}"


_RUNS = re.compile(r"(?<=\S)[ \t]{2,}")
_LINE_ENDS = re.compile(r"[ \t]+\n")
_BLANKS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """Spaces left by a passage that showed nothing: one space, no empty paragraphs."""
    return _BLANKS.sub("\n\n", _LINE_ENDS.sub("\n", _RUNS.sub(" ", text))).strip()

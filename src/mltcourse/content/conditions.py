"""The condition language: a tiny, safe expression language over indicators and flags.

    security >= 50 and not radio_launched

Parsed by a recursive-descent parser into a small tree, type-checked against the scenario's
indicators (numbers) and flags (booleans), and compiled into closures (``condition_compile.py``).
Never ``eval``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .suggest import did_you_mean

MAX_LENGTH = 2_000
MAX_DEPTH = 40
MAX_NUMBER = 1e9

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|<|>)|(?P<paren>[()])|(?P<minus>-))"
)
_KEYWORDS = {"and", "or", "not", "true", "false"}


class ConditionError(ValueError):
    """A condition that cannot be parsed or does not type-check; ``column`` is 1-based."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.column = column


@dataclass(frozen=True, slots=True)
class Num:
    value: float
    column: int


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    column: int


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    column: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    column: int


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Expr, ...]
    column: int


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Expr
    right: Expr
    column: int


Expr = Num | Name | Bool | Not | BoolOp | Compare


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    column: int


# Operators from other languages that authors reach for, and what this one spells instead.
_OTHER_OPERATORS = {
    "=>": "use '>=' (at least)",
    "=<": "use '<=' (at most)",
    "&&": "use 'and'",
    "||": "use 'or'",
    "!=": None,  # valid here
    "=": "use '==' to compare",
    "!": "use 'not'",
    "&": "use 'and'",
    "|": "use 'or'",
}


def _unexpected(source: str, index: int) -> str:
    for operator, fix in _OTHER_OPERATORS.items():
        if fix and source.startswith(operator, index):
            return f"unexpected {operator!r}: {fix}"
    return f"unexpected character {source[index]!r}"


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ConditionError(f"condition is longer than {MAX_LENGTH} characters", 1)
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if match is None or match.end() == pos:
            col = pos + 1 + (len(source[pos:]) - len(source[pos:].lstrip()))
            raise ConditionError(_unexpected(source, col - 1), col)
        kind = match.lastgroup or ""
        text = match.group(kind)
        column = match.start(kind) + 1
        if kind == "name" and text in _KEYWORDS:
            kind = text
        tokens.append(Token(kind, text, column))
        pos = match.end()
    tokens.append(Token("eof", "", len(source) + 1))
    return tokens


class _Parser:
    def __init__(self, source: str):
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        token = self.peek()
        if token.kind != kind:
            found = token.text or "the end"
            raise ConditionError(f"expected {what}, found {found!r}", token.column)
        return self.take()

    def parse(self) -> Expr:
        expr = self.or_expr()
        token = self.peek()
        if token.kind != "eof":
            hint = ""
            if token.text == "-" and self.tokens[self.index - 1].kind == "name":
                name = self._underscored()
                hint = ": names in conditions use '_', not '-'" + (
                    f": {name}" if "_" in name else ""
                )
            raise ConditionError(f"unexpected {token.text!r}{hint}", token.column)
        return expr

    def _underscored(self) -> str:
        """The hyphenated name at the current token, written with '_' (went-alone: went_alone)."""
        parts = [self.tokens[self.index - 1].text]
        index = self.index
        while (
            index + 1 < len(self.tokens)
            and self.tokens[index].text == "-"
            and self.tokens[index + 1].kind == "name"
        ):
            parts.append(self.tokens[index + 1].text)
            index += 2
        return "_".join(parts)

    def or_expr(self) -> Expr:
        return self._bool_chain("or", self.and_expr)

    def and_expr(self) -> Expr:
        return self._bool_chain("and", self.not_expr)

    def _bool_chain(self, op: str, operand: Callable[[], Expr]) -> Expr:
        first = operand()
        operands = [first]
        while self.peek().kind == op:
            self.take()
            operands.append(operand())
        if len(operands) == 1:
            return first
        return BoolOp(op, tuple(operands), first.column)

    def not_expr(self) -> Expr:
        token = self.peek()
        if token.kind == "not":
            self.take()
            self._enter(token)
            operand = self.not_expr()
            self.depth -= 1
            return Not(operand, token.column)
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.atom()
        token = self.peek()
        if token.kind == "op":
            self.take()
            right = self.atom()
            if self.peek().kind == "op":
                raise ConditionError(
                    "chained comparisons are not allowed; join them with 'and'",
                    self.peek().column,
                )
            return Compare(token.text, left, right, token.column)
        return left

    def atom(self) -> Expr:
        token = self.take()
        if token.kind == "num":
            return Num(_number(token.text, token.column), token.column)
        if token.kind == "minus":
            number = self.expect("num", "a number after '-'")
            return Num(-_number(number.text, number.column), token.column)
        if token.kind == "name":
            return Name(token.text, token.column)
        if token.kind in ("true", "false"):
            return Bool(token.kind == "true", token.column)
        if token.kind == "paren" and token.text == "(":
            self._enter(token)
            inner = self.or_expr()
            self.depth -= 1
            closing = self.peek()
            if not (closing.kind == "paren" and closing.text == ")"):
                raise ConditionError(
                    f"missing ')' to close the '(' at column {token.column}", closing.column
                )
            self.take()
            return inner
        found = token.text or "the end of the condition"
        raise ConditionError(f"expected a name, number or '(' but found {found!r}", token.column)

    def _enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"nested more than {MAX_DEPTH} levels deep", token.column)


def _number(text: str, column: int) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise ConditionError(f"number {text} is out of range", column)
    return int(value) if value.is_integer() else value


def parse(source: str) -> Expr:
    """Parse a condition, raising ConditionError with a column on any problem."""
    if not isinstance(source, str):
        raise ConditionError("a condition must be text", 1)
    if not source.strip():
        raise ConditionError("the condition is empty", 1)
    return _Parser(source).parse()


def names(expr: Expr) -> set[str]:
    """Every indicator or flag name a condition refers to."""
    match expr:
        case Name(name=name):
            return {name}
        case Not(operand=operand):
            return names(operand)
        case BoolOp(operands=operands):
            return set().union(*(names(o) for o in operands))
        case Compare(left=left, right=right):
            return names(left) | names(right)
    return set()


def check(expr: Expr, indicators: Mapping[str, object], flags: set[str]) -> list[ConditionError]:
    """Type-check a condition: numbers are compared, booleans are combined."""
    problems: list[ConditionError] = []
    _expect_bool(expr, indicators, flags, problems)
    return problems


def _kind(expr: Expr, indicators: Mapping[str, object], flags: set[str]) -> str:
    match expr:
        case Num():
            return "number"
        case Name(name=name):
            if name in indicators:
                return "number"
            return "bool" if name in flags else "unknown"
    return "bool"


def _expect_bool(expr, indicators, flags, problems) -> None:
    match expr:
        case Name(name=name, column=col):
            kind = _kind(expr, indicators, flags)
            if kind == "unknown":
                problems.append(
                    ConditionError(
                        f"unknown indicator or flag {name!r}"
                        + did_you_mean(name, [*indicators, *flags]),
                        col,
                    )
                )
            elif kind == "number":
                problems.append(
                    ConditionError(
                        f"indicator {name!r} is a number; compare it, e.g. {name} > 0", col
                    )
                )
        case Num(column=col):
            problems.append(ConditionError("a number on its own is not a condition", col))
        case Not(operand=operand):
            _expect_bool(operand, indicators, flags, problems)
        case BoolOp(operands=operands):
            for operand in operands:
                _expect_bool(operand, indicators, flags, problems)
        case Compare(left=left, right=right):
            for side in (left, right):
                _expect_number(side, indicators, flags, problems)


def _expect_number(expr, indicators, flags, problems) -> None:
    match expr:
        case Num():
            return
        case Name(name=name, column=col):
            kind = _kind(expr, indicators, flags)
            if kind == "unknown":
                problems.append(
                    ConditionError(
                        f"unknown indicator or flag {name!r}"
                        + did_you_mean(name, [*indicators, *flags]),
                        col,
                    )
                )
            elif kind == "bool":
                problems.append(
                    ConditionError(f"flag {name!r} is true or false; it cannot be compared", col)
                )
        case _:
            problems.append(
                ConditionError("only numbers and indicators can be compared", expr.column)
            )


def constant_comparisons(expr: Expr) -> list[tuple[str, float, int]]:
    """(indicator, constant, column) for each comparison of an indicator with a number."""
    found: list[tuple[str, float, int]] = []
    match expr:
        case (
            Compare(left=Name(name=n), right=Num(value=v, column=c))
            | Compare(left=Num(value=v, column=c), right=Name(name=n))
        ):
            found.append((n, v, c))
        case Not(operand=operand):
            found.extend(constant_comparisons(operand))
        case BoolOp(operands=operands):
            for operand in operands:
                found.extend(constant_comparisons(operand))
    return found

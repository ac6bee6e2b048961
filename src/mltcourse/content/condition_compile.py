"""Checked conditions compiled into closures (see ``conditions.py`` for the language).

Two forms: by name, over a mapping of indicator values and a set of flags, for the rules; and
by position and bit, over a tuple of values and an integer of flags, for the fast runtime the
analysis and playtests use (``engine/compiled.py``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

from .conditions import Bool, BoolOp, Compare, ConditionError, Expr, Name, Not, Num

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


Evaluator = Callable[[Mapping[str, float], frozenset[str] | set[str]], bool]


def compile_condition(expr: Expr) -> Evaluator:
    """Turn a checked condition into a closure over (indicator values, set flags)."""
    match expr:
        case Bool(value=value):
            return lambda values, flags: value
        case Name(name=name):
            return lambda values, flags: name in flags
        case Not(operand=operand):
            inner = compile_condition(operand)
            return lambda values, flags: not inner(values, flags)
        case BoolOp(op="and", operands=operands):
            parts = tuple(compile_condition(o) for o in operands)
            return lambda values, flags: all(p(values, flags) for p in parts)
        case BoolOp(operands=operands):
            parts = tuple(compile_condition(o) for o in operands)
            return lambda values, flags: any(p(values, flags) for p in parts)
        case Compare(op=op, left=left, right=right):
            compare = _COMPARE[op]
            get_left, get_right = _operand(left), _operand(right)
            return lambda values, flags: compare(get_left(values), get_right(values))
    raise ConditionError("not a condition", expr.column)  # pragma: no cover


def _operand(expr: Expr) -> Callable[[Mapping[str, float]], float]:
    if isinstance(expr, Num):
        value = expr.value
        return lambda values: value
    name = expr.name  # type: ignore[union-attr]
    return lambda values: values[name]


IndexedEvaluator = Callable[[list[float] | tuple[float, ...], int], bool]


def compile_indexed(
    expr: Expr, indicator_index: Mapping[str, int], flag_bits: Mapping[str, int]
) -> IndexedEvaluator:
    """Compile for the fast runtime: indicators by position, flags as bits of one integer."""
    match expr:
        case Bool(value=value):
            return lambda values, flags: value
        case Name(name=name):
            bit = flag_bits.get(name, 0)
            return lambda values, flags: bool(flags & bit)
        case Not(operand=operand):
            inner = compile_indexed(operand, indicator_index, flag_bits)
            return lambda values, flags: not inner(values, flags)
        case BoolOp(op=op, operands=operands):
            # Folded into nested two-operand closures: far cheaper than all()/any() per call.
            parts = [compile_indexed(o, indicator_index, flag_bits) for o in operands]
            combined = parts[-1]
            for part in reversed(parts[:-1]):
                combined = _both(part, combined) if op == "and" else _either(part, combined)
            return combined
        case Compare(op=op, left=left, right=right):
            compare = _COMPARE[op]
            if isinstance(left, Name) and isinstance(right, Num):
                i, constant = indicator_index[left.name], right.value
                return lambda values, flags: compare(values[i], constant)
            if isinstance(left, Num) and isinstance(right, Name):
                constant, i = left.value, indicator_index[right.name]
                return lambda values, flags: compare(constant, values[i])
            get_left = _indexed_operand(left, indicator_index)
            get_right = _indexed_operand(right, indicator_index)
            return lambda values, flags: compare(get_left(values), get_right(values))
    raise ConditionError("not a condition", expr.column)  # pragma: no cover


def _both(first: IndexedEvaluator, second: IndexedEvaluator) -> IndexedEvaluator:
    return lambda values, flags: first(values, flags) and second(values, flags)


def _either(first: IndexedEvaluator, second: IndexedEvaluator) -> IndexedEvaluator:
    return lambda values, flags: first(values, flags) or second(values, flags)


def _indexed_operand(expr: Expr, indicator_index: Mapping[str, int]):
    if isinstance(expr, Num):
        value = expr.value
        return lambda values: value
    i = indicator_index[expr.name]  # type: ignore[union-attr]
    return lambda values: values[i]

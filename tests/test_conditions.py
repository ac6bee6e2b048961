import pytest

from mltcourse.content import conditions
from mltcourse.content.condition_compile import compile_condition, compile_indexed
from mltcourse.content.conditions import ConditionError, check, parse

INDICATORS = {"security": 0, "trust": 0}
FLAGS = {"radio", "wells_flagged"}


def evaluate(source: str, values: dict, flags: set) -> bool:
    return compile_condition(parse(source))(values, flags)


@pytest.mark.parametrize(
    ("source", "values", "flags", "expected"),
    [
        ("security >= 50", {"security": 50}, set(), True),
        ("security > 50", {"security": 50}, set(), False),
        ("security >= 50 and not radio", {"security": 60}, {"radio"}, False),
        ("security >= 50 and not radio", {"security": 60}, set(), True),
        ("radio or security < 10", {"security": 60}, {"radio"}, True),
        ("(radio or wells_flagged) and trust != 3", {"trust": 3}, {"radio"}, False),
        ("not not radio", {}, {"radio"}, True),
        ("40 < trust", {"trust": 41}, set(), True),
        ("trust == -5", {"trust": -5}, set(), True),
        ("true", {}, set(), True),
        ("false or radio", {}, set(), False),
    ],
)
def test_evaluation(source, values, flags, expected):
    assert evaluate(source, values, flags) is expected


def test_and_binds_tighter_than_or():
    # a or (b and c): true when a alone holds
    assert evaluate("radio or wells_flagged and false", {}, {"radio"}) is True
    assert evaluate("(radio or wells_flagged) and false", {}, {"radio"}) is False


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("security >= ", 13, "expected a name"),
        ("security >= 50 and", 19, "expected a name"),
        ("(security > 1", 14, "missing ')'"),
        ("security > 1)", 13, "unexpected ')'"),
        ("security $ 1", 10, "unexpected character '$'"),
        ("1 < security < 5", 14, "chained comparisons"),
        ("", 1, "empty"),
    ],
)
def test_syntax_errors_report_columns(source, column, fragment):
    with pytest.raises(ConditionError) as info:
        parse(source)
    assert info.value.column == column
    assert fragment in str(info.value)


def test_type_errors():
    problems = check(parse("security and radio > 2 and unknown"), INDICATORS, FLAGS)
    messages = [str(p) for p in problems]
    assert any("'security' is a number" in m for m in messages)
    assert any("'radio' is true or false" in m for m in messages)
    assert any("unknown indicator or flag 'unknown'" in m for m in messages)
    assert [p.column for p in problems] == [1, 14, 28]


def test_limits_are_enforced():
    with pytest.raises(ConditionError, match="longer than"):
        parse("radio or " * 1000 + "radio")
    with pytest.raises(ConditionError, match="nested more than"):
        parse("(" * 100 + "radio" + ")" * 100)
    with pytest.raises(ConditionError, match="out of range"):
        parse("security > 99999999999")


def test_names_and_constant_comparisons():
    expr = parse("security > 10 and (radio or 20 <= trust)")
    assert conditions.names(expr) == {"security", "radio", "trust"}
    assert [(n, v) for n, v, _ in conditions.constant_comparisons(expr)] == [
        ("security", 10),
        ("trust", 20),
    ]


def test_indexed_compilation_agrees():
    expr = parse("security > 10 and (radio or 20 <= trust) and not wells_flagged")
    fast = compile_indexed(expr, {"security": 0, "trust": 1}, {"radio": 1, "wells_flagged": 2})
    slow = compile_condition(expr)
    for security in (5, 15):
        for trust in (10, 30):
            for flags in (set(), {"radio"}, {"wells_flagged"}, {"radio", "wells_flagged"}):
                bits = sum({"radio": 1, "wells_flagged": 2}[f] for f in flags)
                assert fast((security, trust), bits) == slow(
                    {"security": security, "trust": trust}, flags
                )


@pytest.mark.parametrize(
    ("source", "column", "fix"),
    [
        ("trust => 5", 7, "use '>='"),
        ("trust =< 5", 7, "use '<='"),
        ("a && b", 3, "use 'and'"),
        ("a || b", 3, "use 'or'"),
        ("trust = 5", 7, "use '=='"),
        ("!radio_launched", 1, "use 'not'"),
        ("radio-launched", 6, "names in conditions use '_'"),
    ],
)
def test_operators_from_other_languages_get_the_fix(source, column, fix):
    from mltcourse.content.conditions import ConditionError, parse

    with pytest.raises(ConditionError) as raised:
        parse(source)
    assert fix in str(raised.value) and raised.value.column == column

"""The grouped analysis gives what the state-by-state search gives, and pinned analyses stay."""

from dataclasses import asdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import CORE_COURSE
from mltcourse.content.loader import load_course
from mltcourse.engine.analysis import AnalysisTooLarge, analyse
from mltcourse.engine.compiled import Compiled
from mltcourse.engine.cuts import Partition
from mltcourse.engine.lint_story import lint_passages
from test_properties import build

FLAGS = ["f0", "f1"]
OPERATORS = ["<", "<=", ">", ">=", "==", "!="]


@st.composite
def acyclic_specs(draw):
    """(a scenario whose scenes only lead forward, with every kind of condition, inject and
    passage the grouped analysis must treat exactly; whether the grouped analysis applies to
    it: only where every effect is a whole number and no indicator is compared with another)."""
    whole, pairs = draw(st.booleans()), draw(st.integers(0, 4)) == 0
    compared: list[str] = []  # the comparisons of two indicators drawn
    halves: list[float] = []  # the effects that are not whole numbers
    indicators = {}
    for k in range(draw(st.integers(1, 3))):
        low, high = draw(st.sampled_from([(0, 100), (10, 60), (-20, 20)]))
        indicators[f"i{k}"] = {"label": f"I{k}", "start": draw(st.integers(low, high))}
        indicators[f"i{k}"].update(min=low, max=high)
    names = list(indicators)

    def atom():
        kind = draw(st.integers(0, 3))
        if kind == 0:
            return draw(st.sampled_from(FLAGS))
        if kind == 1 and pairs and len(names) > 1:
            compared.append(f"{names[0]} {draw(st.sampled_from(OPERATORS))} {names[1]}")
            return compared[-1]
        name = draw(st.sampled_from(names))
        low, high = indicators[name]["min"], indicators[name]["max"]
        number = draw(st.integers(low, high - 1)) + draw(st.sampled_from([0, 0, 0.5]))
        left, right = name, f"{number:g}"
        if draw(st.booleans()):
            left, right = right, left
        return f"{left} {draw(st.sampled_from(OPERATORS))} {right}"

    def condition():
        joiner = draw(st.sampled_from([" and ", " or "]))
        parts = [atom() for _ in range(draw(st.integers(1, 2)))]
        return ("not " if draw(st.integers(0, 4)) == 0 else "") + f"({joiner.join(parts)})"

    def text():
        if draw(st.integers(0, 2)):
            return "t"
        return f"t {{if {condition()}: a}}{{elif {condition()}: b}}{{else: c}}"

    def effects():
        step = 1 if whole else 2.5
        drawn = {n: draw(st.integers(-12, 12)) * step for n in names if draw(st.booleans())}
        halves.extend(d for d in drawn.values() if not float(d).is_integer())
        return drawn

    def choice(index, targets):
        spec = {
            "id": f"c{index}",
            "text": "t",
            "effects": effects(),
            "principles": {"ownership": draw(st.integers(-2, 2))},
            "feedback": text(),
            "section": "basics#overview",
        }
        if targets is not None:
            spec["next"] = draw(st.sampled_from(targets))
        if draw(st.integers(0, 2)) == 0:
            spec["flags"] = {draw(st.sampled_from(FLAGS)): draw(st.booleans())}
        if index > 0 and draw(st.integers(0, 2)) == 0:
            spec["when"] = condition()
        return spec

    scenes = [f"s{i}" for i in range(draw(st.integers(2, 6)))]
    scene_specs = {
        s: {
            "title": s,
            "text": text(),
            "choices": [
                choice(i, scenes[n + 1 :] + ["end"]) for i in range(draw(st.integers(2, 3)))
            ],
        }
        for n, s in enumerate(scenes)
    }
    scene_specs["s0"]["choices"][0]["flags"] = {f: draw(st.booleans()) for f in FLAGS}
    injects = []
    for j in range(draw(st.integers(0, 3))):
        inject = {"id": f"inj{j}", "title": "i", "text": text(), "when": condition()}
        inject["effects"] = effects()
        if draw(st.booleans()):
            inject["flags"] = {draw(st.sampled_from(FLAGS)): draw(st.booleans())}
        if draw(st.booleans()):
            inject["choices"] = [choice(i, None) for i in range(2)]
        injects.append(inject)
    endings = [
        {"id": f"e{k}", "title": "e", "text": text(), "rating": "mixed", "when": condition()}
        for k in range(draw(st.integers(0, 2)))
    ]
    endings.append({"id": "last", "title": "e", "text": text(), "rating": "failure"})
    spec = {
        "id": "gen",
        "title": "Gen",
        "module": "basics",
        "role": "SRSG",
        "setting": "s",
        "summary": "s",
        "briefing": "b",
        "indicators": indicators,
        "start": "s0",
        "scenes": scene_specs,
        "injects": injects,
        "endings": endings,
    }
    return spec, not halves and not compared


def _fields(result) -> dict:
    return {k: sorted(v) if isinstance(v, set) else v for k, v in asdict(result).items()}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(acyclic_specs())
def test_the_grouped_search_finds_exactly_what_the_state_by_state_one_finds(drawn):
    spec, exact = drawn
    scenario = build(spec)
    assert Partition(Compiled(scenario)).applies == exact
    assert _fields(analyse(scenario)) == _fields(analyse(scenario, by_groups=False))


def _pinned(result) -> dict:
    fields = _fields(result)
    return {k: fields[k] for k in ("states", "best", "worst", "best_path", "worst_path")} | {
        "decisions": (result.min_decisions, result.max_decisions),
        "endings": fields["reachable_endings"],
        "choices": len(fields["reachable_choices"]),
        "sources": fields["inject_sources"],
        "passages": (fields["passages_shown"], fields["passages_hidden"]),
    }


def test_the_analysis_of_small_scenarios_is_pinned():
    """Figures the state-by-state search gave before the grouped one existed: a change to the
    analysis that alters any of them changes results, not only speed."""
    crossroads = load_course(CORE_COURSE).scenarios["crossroads"]
    assert _pinned(analyse(crossroads)) == PINNED_CROSSROADS
    assert _pinned(analyse(build(chain_spec()))) == PINNED_CHAIN


PINNED_CROSSROADS = {
    "states": 11,
    "best": 1.0,
    "worst": 0.0,
    "best_path": ["first/consult", "second/bold"],
    "worst_path": ["first/alone", "gap-shows/deflect", "second/security-first", "third/keep"],
    "decisions": (2, 4),
    "endings": ["bad", "good", "middling"],
    "choices": 9,
    "sources": ["first/alone>gap-shows"],
    "passages": ([], []),
}
PINNED_CHAIN = {
    "states": 330,
    "best": 1.0,
    "worst": 0.0,
    "best_path": ["s0/c2", "s1/c0", "s2/c1", "s3/c0", "s4/c1", "s5/c2", "s6/c0"],
    "worst_path": ["s0/c0", "s1/c1", "s2/c2", "s3/c1", "s4/c2", "crisis/c0", "s5/c0", "s6/c1"],
    "decisions": (7, 8),
    "endings": ["bad", "good", "middling"],
    "choices": 23,
    "sources": [
        "crisis/c1>rumour",
        "s1/c1>rumour",
        "s2/c0>rumour",
        "s4/c0>crisis",
        "s4/c2>crisis",
        "s5/c1>crisis",
        "s5/c1>rumour",
        "s6/c0>rumour",
        "s6/c2>crisis",
    ],
    "passages": (
        [
            "ending:bad#1",
            "rumour#2",
            "s0#3",
            "s1#2",
            "s1#3",
            "s1/c0#1",
            "s1/c1#1",
            "s1/c2#1",
            "s2#1",
            "s2#2",
            "s2#3",
            "s2/c0#1",
            "s2/c1#1",
            "s2/c2#1",
            "s3#1",
            "s3#2",
            "s3#3",
            "s3/c0#1",
            "s3/c1#1",
            "s3/c2#1",
            "s4#1",
            "s4#2",
            "s4#3",
            "s4/c0#1",
            "s4/c1#1",
            "s4/c2#1",
            "s5#1",
            "s5#2",
            "s5#3",
            "s5/c0#1",
            "s5/c1#1",
            "s5/c2#1",
            "s6#1",
            "s6#2",
            "s6#3",
            "s6/c0#1",
            "s6/c1#1",
            "s6/c2#1",
        ],
        [
            "crisis/c0#1",
            "crisis/c1#1",
            "rumour#1",
            "s0#1",
            "s0#2",
            "s0/c0#1",
            "s0/c1#1",
            "s0/c2#1",
            "s1#1",
            "s1#2",
            "s1#3",
            "s1/c0#1",
            "s1/c1#1",
            "s1/c2#1",
            "s2#1",
            "s2#2",
            "s2#3",
            "s2/c0#1",
            "s2/c1#1",
            "s2/c2#1",
            "s3#1",
            "s3#2",
            "s3#3",
            "s3/c0#1",
            "s3/c1#1",
            "s3/c2#1",
            "s4#1",
            "s4#2",
            "s4#3",
            "s4/c0#1",
            "s4/c1#1",
            "s4/c2#1",
            "s5#1",
            "s5#2",
            "s5#3",
            "s5/c0#1",
            "s5/c1#1",
            "s5/c2#1",
            "s6#1",
            "s6#2",
            "s6#3",
            "s6/c0#1",
            "s6/c1#1",
            "s6/c2#1",
        ],
    ),
}


def test_both_searches_stop_at_the_state_bound():
    crossroads = load_course(CORE_COURSE).scenarios["crossroads"]
    for by_groups in (True, False):
        with pytest.raises(AnalysisTooLarge, match="more than 5 distinct states"):
            analyse(crossroads, max_states=5, by_groups=by_groups)


def test_a_passage_on_an_indicator_no_condition_reads_is_seen_in_every_state():
    """The state an analysis keeps includes what passages read: two plays that reach a text
    with different values of such an indicator show both of its branches."""
    scenario = build(_passage_spec())
    for by_groups in (True, False):
        result = analyse(scenario, by_groups=by_groups)
        assert {"s1#1", "s1#2"} <= result.passages_shown, by_groups
    assert lint_passages(scenario) == []


def _passage_spec() -> dict:
    def choice(id_, effects, next_):
        return {
            "id": id_,
            "text": "t",
            "effects": effects,
            "principles": {"ownership": 1 if effects else -1},
            "feedback": "f",
            "section": "basics#overview",
            "next": next_,
        }

    return {
        "id": "gen",
        "title": "Gen",
        "module": "basics",
        "role": "SRSG",
        "setting": "s",
        "summary": "s",
        "briefing": "b",
        "indicators": {"mood": {"label": "Mood", "start": 50}},
        "start": "s0",
        "scenes": {
            "s0": {
                "title": "s0",
                "text": "t",
                "choices": [choice("lift", {"mood": 10}, "s1"), choice("wait", {}, "s1")],
            },
            "s1": {
                "title": "s1",
                "text": "Mood is {if mood >= 55: high}{else: low}.",
                "choices": [choice("go", {}, "end"), choice("stay", {"mood": 5}, "end")],
            },
        },
        "endings": [{"id": "last", "title": "e", "text": "e", "rating": "failure"}],
    }


def chain_spec() -> dict:
    """Seven decisions in a row over three indicators, with gated choices, an inject that asks
    for a decision, one that does not, passages and three endings: a few hundred states."""
    moves = [
        {"a": 7, "b": -3},
        {"b": 6, "c": -4},
        {"c": 9, "a": -8},
        {"a": 2, "b": 5, "c": -11},
    ]

    def choice(n: int, k: int, next_: str | None) -> dict:
        spec = {
            "id": f"c{k}",
            "text": "t",
            "effects": moves[(n + k) % len(moves)],
            "principles": {"ownership": (n * 3 + k * 2) % 5 - 2},
            "feedback": "f {if b >= 50: steady}",
            "section": "basics#overview",
        }
        if next_ is not None:
            spec["next"] = next_
        if k == 2:
            spec["when"] = f"a > {40 + n} or f0"
        if (n + k) % 3 == 0:
            spec["flags"] = {"f0": k == 0}
        return spec

    scenes = {
        f"s{n}": {
            "title": f"s{n}",
            "text": "{if c < 35: tense}{elif f0: calm}{else: quiet}",
            "choices": [choice(n, k, f"s{n + 1}" if n < 6 else "end") for k in range(3)],
        }
        for n in range(7)
    }
    return {
        "id": "chain",
        "title": "Chain",
        "module": "basics",
        "role": "SRSG",
        "setting": "s",
        "summary": "s",
        "briefing": "b",
        "indicators": {
            "a": {"label": "A", "start": 50},
            "b": {"label": "B", "start": 45, "min": 10, "max": 80},
            "c": {"label": "C", "start": 40},
        },
        "start": "s0",
        "scenes": scenes,
        "injects": [
            {
                "id": "crisis",
                "title": "i",
                "text": "i",
                "when": "b < 40 and not f0",
                "effects": {"a": -10},
                "choices": [choice(9, 0, None), choice(9, 1, None)],
            },
            {
                "id": "rumour",
                "title": "i",
                "text": "{if a >= 60: loud}{else: faint}",
                "when": "c >= 55",
                "effects": {"b": -5},
                "flags": {"f0": True},
            },
        ],
        "endings": [
            {
                "id": "good",
                "title": "e",
                "text": "e",
                "rating": "success",
                "when": "a >= 60 and b >= 50",
            },
            {
                "id": "bad",
                "title": "e",
                "text": "e {if c < 30: worse}",
                "rating": "failure",
                "when": "c < 30",
            },
            {"id": "middling", "title": "e", "text": "e", "rating": "mixed"},
        ],
    }

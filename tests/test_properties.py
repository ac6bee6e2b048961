"""Hypothesis: the engine's invariants over generated scenarios and arbitrary text."""

import random

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mltcourse.content import conditions
from mltcourse.content.build import FileContext, ScenarioBuilder
from mltcourse.content.diagnostics import ContentError
from mltcourse.content.schema import SCENARIO_FILE
from mltcourse.content.schema_types import conform
from mltcourse.content.yamlread import read_yaml_text
from mltcourse.engine.analysis import AnalysisTooLarge, analyse, scene_loops
from mltcourse.engine.compiled import END_NODE, Compiled
from mltcourse.engine.scoring import score
from mltcourse.engine.state import MAX_STEPS, GameState, choose, new_game, open_choices

PRINCIPLES = ["ownership", "coordination", "rights"]
FLAGS = ["f0", "f1"]


@st.composite
def scenario_specs(draw):
    n_scenes = draw(st.integers(2, 7))
    scenes = [f"s{i}" for i in range(n_scenes)]
    indicators = {
        f"i{k}": {"label": f"I{k}", "start": draw(st.integers(0, 100))}
        for k in range(draw(st.integers(1, 3)))
    }
    names = list(indicators)

    def condition():
        kind = draw(st.integers(0, 2))
        if kind == 0:
            return f"{draw(st.sampled_from(names))} >= {draw(st.integers(0, 100))}"
        if kind == 1:
            return f"not {draw(st.sampled_from(FLAGS))}"
        return f"{draw(st.sampled_from(FLAGS))} or {draw(st.sampled_from(names))} < 50"

    def choice(index, targets):
        spec = {
            "id": f"c{index}",
            "text": "t",
            "effects": {n: draw(st.integers(-30, 30)) for n in names if draw(st.booleans())},
            "principles": {
                p: draw(st.integers(-2, 2))
                for p in draw(
                    st.lists(st.sampled_from(PRINCIPLES), min_size=1, max_size=3, unique=True)
                )
            },
            "feedback": "f",
            "section": "basics#overview",
        }
        if targets is not None:
            spec["next"] = draw(st.sampled_from(targets))
        if draw(st.integers(0, 3)) == 0:
            spec["flags"] = {draw(st.sampled_from(FLAGS)): draw(st.booleans())}
        if index > 0 and draw(st.integers(0, 3)) == 0:
            spec["when"] = condition()
        return spec

    targets = scenes + ["end", "end"]
    scene_specs = {
        s: {
            "title": s,
            "text": s,
            "choices": [choice(i, targets) for i in range(draw(st.integers(2, 3)))],
        }
        for s in scenes
    }
    # Every flag a condition may use must be set somewhere: the first choice declares both.
    scene_specs["s0"]["choices"][0]["flags"] = {f: draw(st.booleans()) for f in FLAGS}
    injects = []
    for j in range(draw(st.integers(0, 2))):
        inject = {
            "id": f"inj{j}",
            "title": "i",
            "text": "i",
            "when": condition(),
            "effects": {names[0]: draw(st.integers(-20, 20))},
        }
        if draw(st.booleans()):
            inject["choices"] = [choice(i, None) for i in range(2)]
        injects.append(inject)
    endings = [
        {"id": f"e{k}", "title": "e", "text": "e", "rating": "mixed", "when": condition()}
        for k in range(draw(st.integers(0, 2)))
    ]
    endings.append({"id": "fallback", "title": "e", "text": "e", "rating": "failure"})
    return {
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


def build(spec):
    text = yaml.safe_dump(spec, sort_keys=False)
    data = read_yaml_text(text, "gen.yaml")
    assert conform(data, SCENARIO_FILE, "gen.yaml") == []
    ctx = FileContext("gen.yaml", text)
    scenario = ScenarioBuilder(data, "gen.yaml", ctx, "").build()
    assert ctx.diagnostics == []
    return scenario


def random_play(scenario, rng):
    state = new_game(scenario)
    while not state.finished:
        options = open_choices(scenario, state)
        state = choose(scenario, state, rng.choice(options).id)
    return state


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenario_specs(), st.integers(0, 2**16))
def test_play_ends_in_an_ending_or_a_reported_cycle(spec, seed):
    scenario = build(spec)
    state = random_play(scenario, random.Random(seed))
    assert state.ending in {e.id for e in scenario.endings}
    if state.steps >= MAX_STEPS:
        assert scene_loops(scenario), "a play ran to the step bound without any loop to report"


@SETTINGS
@given(scenario_specs(), st.integers(0, 2**16))
def test_scores_stay_in_unit_interval_and_within_analysis_bounds(spec, seed):
    scenario = build(spec)
    try:
        result = analyse(scenario, max_states=5_000)
    except AnalysisTooLarge:
        result = None  # a bound too large to prove; the unit-interval check still applies
    rng = random.Random(seed)
    for _ in range(5):
        scored = score(scenario, random_play(scenario, rng))
        values = [scored.overall] if scored.overall is not None else []
        values += list(scored.principles.values())
        assert all(0.0 <= v <= 1.0 for v in values)
        exact = result is not None and not result.cycles and not result.step_bound
        if scored.overall is not None and exact:
            assert result.worst - 1e-9 <= scored.overall <= result.best + 1e-9


@SETTINGS
@given(scenario_specs(), st.integers(0, 2**16))
def test_state_survives_json_round_trip(spec, seed):
    scenario = build(spec)
    rng = random.Random(seed)
    state = new_game(scenario)
    for _ in range(rng.randint(0, 12)):
        if state.finished:
            break
        state = choose(scenario, state, rng.choice(open_choices(scenario, state)).id)
        again = GameState.from_json(state.to_json())
        assert again == state and again.value == state.value


@SETTINGS
@given(scenario_specs(), st.integers(0, 2**16))
def test_compiled_runtime_follows_the_same_rules(spec, seed):
    scenario = build(spec)
    compiled = Compiled(scenario)
    rng = random.Random(seed)
    state = new_game(scenario)
    node, values, flags, fired, resume = compiled.start, compiled.start_values, 0, 0, -1
    for _ in range(60):
        options = compiled.open(compiled.nodes[node], values, flags)
        assert [c.id for c in options] == [c.id for c in open_choices(scenario, state)]
        pick = rng.randrange(len(options))
        state = choose(scenario, state, options[pick].id)
        node, values, flags, fired, resume, _ = compiled.step(
            values, flags, fired, options[pick], resume
        )
        assert dict(zip(compiled.names, values, strict=True)) == dict(state.values)
        if node == END_NODE:
            assert state.finished
            assert compiled.ending(values, flags).id == state.ending
            break
        assert compiled.nodes[node].id == state.node


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_condition_parser_never_raises_unexpectedly(text):
    try:
        expr = conditions.parse(text)
    except conditions.ConditionError as exc:
        assert exc.column >= 1
        return
    conditions.check(expr, {"a": 0}, {"b"})


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_yaml_reader_and_schema_never_raise_unexpectedly(text):
    try:
        data = read_yaml_text(text, "x.yaml")
    except ContentError as exc:
        assert exc.diagnostic.line >= 1
        return
    for problem in conform(data, SCENARIO_FILE, "x.yaml"):
        assert problem.file == "x.yaml" and problem.line >= 1

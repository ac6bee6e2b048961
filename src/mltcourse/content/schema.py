"""The one schema of the course files.

Every shape check the loader makes, the JSON Schema shipped for editors, and the field tables
in ``docs/authoring.md`` (kept true by a test) come from the declarations at the bottom of this
file; the types they are written in are in ``schema_types.py``. Semantic rules (references,
reachability) live in ``validate.py``.
"""

from __future__ import annotations

import re

from .schema_types import (
    Boolean,
    Enum,
    Field,
    Integer,
    ListOf,
    MapOf,
    Number,
    Obj,
    Text,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
RISK_PATTERN = r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$"
SECTION_PATTERN = r"^[a-z0-9][a-z0-9_-]*#[a-z0-9][a-z0-9_-]*$"
ROLES = (
    "SRSG",
    "DSRSG-RC/HC",
    "DSRSG",
    "Force Commander",
    "Police Commissioner",
    "Chief of Staff",
    "Director of Mission Support",
    "Head of Mission",
    "MLT",
)


IDENT = Text(pattern=ID_PATTERN, hint="id (lower case, digits, '-' or '_')", max_length=80)
NAME = Text(pattern=NAME_PATTERN, hint="name (lower case, digits and '_')", max_length=80)


def _risk_ref_advice(value: str) -> str:
    if re.fullmatch(ID_PATTERN, value):
        return (
            f"a risk is named with its lesson's id first, MODULE.{value} "
            "(mltcourse list --risks shows each lesson's risks)"
        )
    return ""


def _risk_id_advice(value: str) -> str:
    module, dot, risk = value.partition(".")
    if dot and re.fullmatch(ID_PATTERN, risk):
        return f"in module.yaml a risk's id has no module part: write {risk!r}"
    return ""


RISK_REF = Text(
    pattern=RISK_PATTERN, hint="risk id (module.risk)", max_length=160, advice=_risk_ref_advice
)
RISK_ID = Text(
    pattern=ID_PATTERN,
    hint="id (lower case, digits, '-' or '_')",
    max_length=80,
    advice=_risk_id_advice,
)
SECTION_REF = Text(pattern=SECTION_PATTERN, hint="lesson section (module#anchor)", max_length=160)
CONDITION = Text(hint="condition", max_length=2_000)
PROSE = Text()
SHORT = Text(max_length=300)
TEXTS = ListOf(item=PROSE, min_items=1)

PRINCIPLE = Obj(
    name="principle",
    description="One doctrine principle.",
    fields=(
        Field("id", IDENT, True, "the id scenarios score against"),
        Field("title", SHORT, True, "a short name"),
        Field("statement", PROSE, True, "one paragraph in the course's own words"),
        Field(
            "sources",
            ListOf(item=SECTION_REF, min_items=1),
            True,
            "lesson section references the principle rests on",
        ),
    ),
)
PRINCIPLES_FILE = Obj(
    name="principle catalogue",
    description="modules/principles.yaml",
    fields=(Field("principles", ListOf(item=PRINCIPLE, min_items=1), True, "the principles"),),
)

OPTION = Obj(
    name="check option",
    fields=(
        Field("text", PROSE, True, "the option"),
        Field("correct", Boolean(), False, "true for a right option (default false)"),
        Field("explanation", PROSE, True, "why it is right, or what makes it tempting"),
    ),
)
TIER = Enum(values=("short", "medium", "long"))
CHECK = Obj(
    name="knowledge check",
    fields=(
        Field("id", IDENT, True, "unique within the module"),
        Field(
            "kind", Enum(values=("single", "multiple", "tier")), True, "single, multiple or tier"
        ),
        Field("prompt", PROSE, True, "the question; for tier, the benchmark"),
        Field("objective", IDENT, True, "the objective it exercises"),
        Field(
            "tests",
            ListOf(item=Text(max_length=160), min_items=1),
            True,
            "principle ids and/or full risk ids it tests",
        ),
        Field(
            "options",
            ListOf(item=OPTION, min_items=2, max_items=8),
            False,
            "the options (single, multiple)",
        ),
        Field("answer", TIER, False, "the right tier (tier)"),
        Field(
            "explanations",
            Obj(
                name="tier explanations",
                fields=tuple(Field(t, PROSE, True, f"explanation for {t}") for t in TIER.values),
            ),
            False,
            "an explanation for each tier (tier)",
        ),
    ),
)
MODULE_FILE = Obj(
    name="module",
    description="modules/NN-id/module.yaml",
    fields=(
        Field("id", IDENT, True, "the module id"),
        Field("order", Integer(minimum=1, maximum=99), True, "position on the course map"),
        Field("title", SHORT, True, "lesson title"),
        Field("doctrine", Text(max_length=20), True, "the doctrine section it teaches"),
        Field("minutes", Integer(minimum=1, maximum=240), False, "estimated study time"),
        Field("summary", PROSE, True, "one sentence for the course map"),
        Field("principles", ListOf(item=IDENT, min_items=1), True, "principle ids it teaches"),
        Field(
            "objectives",
            ListOf(
                item=Obj(
                    name="objective",
                    fields=(
                        Field("id", IDENT, True, "objective id"),
                        Field("text", PROSE, True, "the objective"),
                    ),
                ),
                min_items=1,
                max_items=12,
            ),
            True,
            "learning objectives",
        ),
        Field("activities", TEXTS, True, "key operational activities"),
        Field(
            "benchmarks",
            Obj(
                name="benchmarks",
                fields=tuple(
                    Field(t, ListOf(item=PROSE), True, f"{t}-term priorities") for t in TIER.values
                ),
            ),
            True,
            "benchmarks in three tiers",
        ),
        Field(
            "risks",
            ListOf(
                item=Obj(
                    name="risk",
                    fields=(
                        Field("id", RISK_ID, True, "risk id without the module prefix"),
                        Field("title", SHORT, True, "a short name"),
                        Field("text", PROSE, True, "the risk in own words"),
                    ),
                )
            ),
            False,
            "challenges and risks",
        ),
        Field(
            "considerations",
            ListOf(
                item=Obj(
                    name="consideration",
                    fields=(
                        Field("title", SHORT, True, "a short name"),
                        Field("text", PROSE, True, "the dilemma or polarity"),
                    ),
                )
            ),
            False,
            "considerations for the MLT",
        ),
        Field("see_also", ListOf(item=IDENT), False, "related module ids"),
        Field("checks", ListOf(item=CHECK, min_items=1), True, "knowledge checks"),
    ),
)
GLOSSARY_FILE = Obj(
    name="glossary",
    description="modules/glossary.yaml",
    fields=(
        Field(
            "terms",
            ListOf(
                item=Obj(
                    name="term",
                    fields=(
                        Field("term", SHORT, True, "the acronym or term"),
                        Field("expansion", SHORT, False, "what the acronym stands for"),
                        Field("definition", PROSE, True, "definition in own words"),
                        Field("modules", ListOf(item=IDENT), False, "modules where it matters"),
                    ),
                ),
                min_items=1,
            ),
            True,
            "the terms",
        ),
    ),
)

EFFECTS = MapOf(key=NAME, value=Number(limit=1000))
FLAGS = MapOf(key=NAME, value=Boolean())
SCORES = MapOf(key=IDENT, value=Integer(minimum=-3, maximum=3), min_items=1)
_CHOICE_FIELDS = (
    Field("id", IDENT, True, "unique within its scene"),
    Field("text", PROSE, True, "what the learner picks"),
    Field("next", IDENT, True, "the next scene's id, or end"),
    Field("when", CONDITION, False, "offered only while this condition holds"),
    Field("effects", EFFECTS, False, "indicator changes"),
    Field("flags", FLAGS, False, "flags to set or clear"),
    Field("principles", SCORES, True, "principle scores, -3..3"),
    Field("raises", ListOf(item=RISK_REF), False, "risks the choice raises"),
    Field("mitigates", ListOf(item=RISK_REF), False, "risks the choice mitigates"),
    Field("feedback", PROSE, True, "why the choice is sound or not"),
    Field("section", SECTION_REF, True, "the lesson section the feedback rests on"),
    Field("notes", PROSE, False, "facilitator notes"),
)
CHOICE = Obj(name="choice", fields=_CHOICE_FIELDS)
INJECT_CHOICE = Obj(
    name="inject choice",
    fields=tuple(f for f in _CHOICE_FIELDS if f.name != "next"),
    misplaced=(
        (
            "next",
            "inject choices have no next; after the choice the story resumes where the "
            "inject interrupted it (to send the play elsewhere, set a flag and test it there)",
        ),
    ),
)
ROLE = Text(max_length=60, hint="role")
SCENE = Obj(
    name="scene",
    fields=(
        Field("title", SHORT, True, "a short heading"),
        Field("text", PROSE, True, "what the learner reads"),
        Field("owner", ROLE, False, "the MLT role that owns the decision"),
        Field("notes", PROSE, False, "facilitator notes"),
        Field("choices", ListOf(item=CHOICE, min_items=2, max_items=9), True, "the choices"),
    ),
)
INJECT = Obj(
    name="inject",
    fields=(
        Field("id", IDENT, True, "unique within the scenario"),
        Field("title", SHORT, True, "heading"),
        Field("text", PROSE, True, "what the learner sees"),
        Field("when", CONDITION, True, "the condition that fires it"),
        Field("effects", EFFECTS, False, "indicator changes when it fires"),
        Field("flags", FLAGS, False, "flags set or cleared when it fires"),
        Field("materializes", ListOf(item=RISK_REF), False, "risks this event makes real"),
        Field("owner", ROLE, False, "the MLT role that owns the decision"),
        Field("notes", PROSE, False, "facilitator notes"),
        Field(
            "choices",
            ListOf(item=INJECT_CHOICE, min_items=2, max_items=9),
            False,
            "choices, without next",
        ),
    ),
)
ENDING = Obj(
    name="ending",
    fields=(
        Field("id", IDENT, True, "unique within the scenario"),
        Field("title", SHORT, True, "heading"),
        Field("text", PROSE, True, "what the learner reads"),
        Field("rating", Enum(values=("success", "mixed", "failure")), True, "the outcome rating"),
        Field(
            "when", CONDITION, False, "the condition on the final state (not on the last ending)"
        ),
    ),
)
INDICATOR = Obj(
    name="indicator",
    fields=(
        Field("label", SHORT, True, "the name shown to the learner"),
        Field("start", Number(limit=1e6), True, "the starting value"),
        Field("min", Number(limit=1e6), False, "lowest value, default 0"),
        Field("max", Number(limit=1e6), False, "highest value, default 100"),
        Field("description", PROSE, False, "what the number stands for"),
    ),
)
SCENARIO_FILE = Obj(
    name="scenario",
    description="scenarios/ID.yaml",
    fields=(
        Field("id", IDENT, True, "scenario id, the same as the file name"),
        Field("title", SHORT, True, "title"),
        Field("module", IDENT, True, "the module it follows"),
        Field("role", ROLE, True, "the learner's role"),
        Field("setting", PROSE, True, "where and when"),
        Field("summary", PROSE, True, "one sentence for the course map"),
        Field("minutes", Integer(minimum=1, maximum=240), False, "estimated playing time"),
        Field("briefing", PROSE, True, "read before the first scene"),
        Field("indicators", MapOf(key=NAME, value=INDICATOR, min_items=1), True, "indicators"),
        Field("start", IDENT, True, "the first scene's id"),
        Field("scenes", MapOf(key=IDENT, value=SCENE, min_items=1), True, "scenes by id"),
        Field("injects", ListOf(item=INJECT), False, "events that fire on a condition"),
        Field("endings", ListOf(item=ENDING, min_items=1), True, "endings, tried in order"),
    ),
)

PERCENT = Integer(minimum=0, maximum=100)
COMPLETION = Obj(
    name="completion",
    description="What a learner must do for the course to count as complete.",
    fields=(
        Field("lessons_read", Boolean(), False, "every lesson read to its end (default true)"),
        Field(
            "checks_first_attempt",
            PERCENT,
            False,
            "per cent of each lesson's checks answered right at the first answer (default 80)",
        ),
        Field(
            "checks_after_review",
            Boolean(),
            False,
            "a check missed at first counts once recalled in spaced review (default true)",
        ),
        Field(
            "scenario_mode",
            Enum(values=("assessment", "any")),
            False,
            "the mode a scenario must be played to an ending in (default assessment)",
        ),
        Field(
            "scenario_quality",
            PERCENT,
            False,
            "the decision quality, in per cent, that attempt must reach (default 60)",
        ),
        Field(
            "scenarios",
            ListOf(item=IDENT),
            False,
            "the scenario ids that count (default: every scenario)",
        ),
    ),
)
COURSE_FILE = Obj(
    name="course settings",
    description="modules/course.yaml",
    fields=(Field("completion", COMPLETION, True, "what complete means for this course"),),
)

FILE_SCHEMAS = {
    "scenario": SCENARIO_FILE,
    "module": MODULE_FILE,
    "principles": PRINCIPLES_FILE,
    "glossary": GLOSSARY_FILE,
    "course": COURSE_FILE,
}


def json_schema(kind: str, course=None) -> dict:
    """The JSON Schema (draft 2020-12) for one kind of course file; given a ``Course``, with
    that course's principle, risk, module and section ids enumerated for editors."""
    schema = FILE_SCHEMAS[kind]
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mltcourse.invalid/schema/{kind}.schema.json",
        "title": f"mltcourse {schema.name}",
        **schema.json(),
    }
    if course is None:
        return out
    from .schema_ids import with_course_ids

    return with_course_ids(out, course)

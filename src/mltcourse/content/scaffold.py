"""Starting points for authors: a new scenario that lints clean as written, and a course
folder of one's own copied from an existing course."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .model import Course

SCHEMA_LINE = "# yaml-language-server: $schema={up}schema/{kind}.schema.json\n"


def copy_course(course: Course, source: Path, target: Path) -> str:
    """Copy the catalogue, glossary, lessons, assets and one scenario of ``course`` (read from
    ``source``) into ``target``, with the JSON Schemas the files' first lines point editors
    to. Returns the id of the scenario copied."""
    from .schema import FILE_SCHEMAS, json_schema

    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        source / "modules", target / "modules", ignore=shutil.ignore_patterns(".*", "__pycache__")
    )
    if (source / "assets").is_dir():
        shutil.copytree(source / "assets", target / "assets", ignore=shutil.ignore_patterns(".*"))
    (target / "schema").mkdir()
    for kind in FILE_SCHEMAS:
        (target / "schema" / f"{kind}.schema.json").write_text(
            json.dumps(json_schema(kind), indent=2) + "\n", encoding="utf-8"
        )
    for path in (target / "modules").glob("*.yaml"):
        _ensure_schema_line(path, "../", path.stem)
    for path in (target / "modules").glob("*/module.yaml"):
        _ensure_schema_line(path, "../../", "module")
    scenario = _first_scenario(course)
    (target / "scenarios").mkdir()
    if scenario is None:
        return ""
    copied = target / "scenarios" / f"{scenario.id}.yaml"
    shutil.copyfile(scenario.path, copied)
    _ensure_schema_line(copied, "../", "scenario")
    return scenario.id


def _first_scenario(course: Course):
    """The smallest scenario: the quickest one to read as an example of the whole format."""
    scenarios = sorted(
        course.scenarios.values(),
        key=lambda s: (sum(len(n.choices) for n in s.scenes.values()), s.id),
    )
    return scenarios[0] if scenarios else None


def _ensure_schema_line(path: Path, up: str, kind: str) -> None:
    from .schema import FILE_SCHEMAS

    if kind not in FILE_SCHEMAS:
        return
    text = path.read_text(encoding="utf-8-sig")
    if not text.startswith("# yaml-language-server:"):
        path.write_text(SCHEMA_LINE.format(up=up, kind=kind) + text, encoding="utf-8")


def scenario_scaffold(course: Course, scenario_id: str, module_id: str | None = None) -> str:
    """A small scenario that validates and lints clean: two decisions (the first a close call
    whose best option costs something), an inject that lets a risk raised earlier happen, and
    a success and a failure ending that the doctrine-best and -worst plays reach."""
    modules = {m.id: m for m in course.modules}
    if module_id is None:
        module_id = course.modules[0].id if course.modules else "peacebuilding"
    elif module_id not in modules and modules:
        known = ", ".join(modules)
        raise ValueError(f"unknown module {module_id!r} (known: {known})")
    principles = list(course.principles) or ["national-ownership", "coordination"]
    first, second = principles[0], principles[1 % len(principles)]
    module = modules.get(module_id)
    risks = [r.id for r in module.risks] if module else []
    risk = risks[0] if risks else next(iter(course.risks), f"{module_id}.some-risk")
    risk_anchor = f"risk-{risk.split('.', 1)[1]}" if module and risks else "overview"
    title = scenario_id.replace("-", " ").replace("_", " ").capitalize()
    return f"""{SCHEMA_LINE.format(up="../", kind="scenario")}id: {scenario_id}
title: {title}
module: {module_id}
role: SRSG
setting: A fictional country, invented for training. Say when and where.
summary: One sentence that tells the learner what is at stake.
minutes: 10
briefing: |
  Who the learner is, what they find on arrival, and what is at stake.
indicators:
  security: {{label: Security, start: 50}}
  trust: {{label: Public trust, start: 50}}
  capacity: {{label: National capacity, start: 40}}
start: first-decision
scenes:
  first-decision:
    title: The first decision
    text: |
      Describe the situation the learner faces, with names, places and numbers.
    owner: SRSG
    notes: What a facilitator should listen for here.
    choices:
      - id: sound-option
        text: The option the doctrine supports, at a visible cost.
        next: second-decision
        effects: {{trust: 15, security: -5}}
        principles: {{{first}: 2, {second}: -1}}
        mitigates: [{risk}]
        feedback: >-
          Explain, in the doctrine's terms, why this is sound and what it costs.
        section: {module_id}#overview
      - id: middle-option
        text: A defensible middle way that gives up a little of each.
        next: second-decision
        effects: {{trust: 5, security: 5}}
        principles: {{{first}: 1}}
        feedback: >-
          Explain why this is defensible and what it leaves undone, so the call is close.
        section: {module_id}#overview
      - id: tempting-option
        text: The tempting shortcut, with a real gain.
        next: second-decision
        effects: {{security: 10, capacity: -10}}
        flags: {{shortcut_taken: true}}
        principles: {{{first}: -2, {second}: 1}}
        raises: [{risk}]
        feedback: >-
          Explain what the shortcut buys and which doctrine point it breaks.
        section: {module_id}#{risk_anchor}
  second-decision:
    title: The second decision
    text: |
      What has changed since the first decision, and what the learner must now weigh.
    choices:
      - id: hand-over
        text: Hand the lead to the national authorities, and back them.
        next: end
        effects: {{capacity: 15, security: -5}}
        principles: {{{first}: 2}}
        feedback: >-
          Explain why handing over builds what lasts, and what it risks in the short run.
        section: {module_id}#overview
      - id: keep-control
        text: Keep control a while longer, to be sure it is done right.
        next: end
        effects: {{security: 5}}
        principles: {{{first}: -1}}
        feedback: >-
          Explain what keeping control protects, and what the country does not learn.
        section: {module_id}#overview
injects:
  - id: shortcut-bites
    title: The shortcut bites back
    text: What happens, some time later, because the shortcut was taken.
    when: shortcut_taken and capacity < 35
    effects: {{trust: -10}}
    materializes: [{risk}]
endings:
  - id: good-ending
    title: A good ending
    rating: success
    when: trust >= 60 and capacity >= 50
    text: What success looks like.
  - id: poor-ending
    title: A poor ending
    rating: failure
    text: What failure looks like.
"""

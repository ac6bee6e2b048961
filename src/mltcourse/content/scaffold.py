"""A new scenario that validates as written, for authors to grow from."""

from __future__ import annotations

from .model import Course


def scenario_scaffold(course: Course, scenario_id: str, module_id: str | None = None) -> str:
    modules = {m.id: m for m in course.modules}
    if module_id is None:
        module_id = course.modules[0].id if course.modules else "peacebuilding"
    elif module_id not in modules and modules:
        known = ", ".join(modules)
        raise ValueError(f"unknown module {module_id!r} (known: {known})")
    principles = list(course.principles) or ["national-ownership", "coordination"]
    first, second = principles[0], principles[1 % len(principles)]
    title = scenario_id.replace("-", " ").replace("_", " ").capitalize()
    return f"""# yaml-language-server: $schema=../schema/scenario.schema.json
id: {scenario_id}
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
        next: end
        effects: {{trust: 10, security: -5}}
        principles: {{{first}: 2}}
        feedback: >-
          Explain, in the doctrine's terms, why this is sound and what it costs.
        section: {module_id}#overview
      - id: tempting-option
        text: The tempting shortcut, with a real gain.
        next: end
        effects: {{security: 10, capacity: -10}}
        principles: {{{second}: -1}}
        feedback: >-
          Explain what the shortcut buys and which doctrine point it breaks.
        section: {module_id}#overview
endings:
  - id: good-ending
    title: A good ending
    rating: success
    when: trust >= 55
    text: What success looks like.
  - id: poor-ending
    title: A poor ending
    rating: failure
    text: What failure looks like.
"""

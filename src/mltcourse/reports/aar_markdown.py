"""The after-action review as Markdown: the facilitator's version, or the participants'
handout without the facilitator notes."""

from __future__ import annotations

from .aar import AfterAction, header_facts, option_label, percent, vote_split, when
from .aar_events import event_sentence
from .markdown import md as _cell


def after_action_markdown(review: AfterAction, participant: bool = False) -> str:
    scenario = review.scenario
    names = [team.name for team in review.teams]
    title = "After-action review" + (" (participants)" if participant else "")
    lines = [f"# {title}: {_cell(scenario.title)}", ""]
    lines += [f"**{label}:** {_cell(value)}  " for label, value in header_facts(review)]
    lines += [
        f"**Setting:** {_cell(scenario.setting)}",
        "",
        "## Outcomes",
        "",
        "| team | ending | rating | decision quality | decisions |",
        "|---|---|---|---|---|",
    ]
    for team in review.teams:
        lines.append(
            f"| {_cell(team.name)} | {_cell(team.ending_title)} | {team.rating or 'unfinished'} "
            f"| {percent(team.overall)} | {len(team.steps)} |"
        )
    lines += ["", "## Principle profiles", ""]
    lines.append("| principle | " + " | ".join(_cell(n) for n in names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for principle, principle_title in review.principle_titles.items():
        row = [percent(team.principles.get(principle)) for team in review.teams]
        lines.append(f"| {_cell(principle_title)} | " + " | ".join(row) + " |")
    lines += ["", "## Risk ledgers", ""]
    for team in review.teams:
        lines.append(f"### {_cell(team.name)}")
        lines.append("")
        for label, ids in team.ledger.sections():
            titles = ", ".join(_cell(review.risk_titles[r]) for r in ids) or "none"
            lines.append(f"- **{label}:** {titles}")
        lines.append("")
    lines += ["## Paths and votes", ""]
    for team in review.teams:
        lines += _path(team)
    lines += ["## Discussion prompts", ""]
    if not review.prompts:
        lines += ["Every team took the doctrine-best option at every decision.", ""]
    for number, prompt in enumerate(review.prompts, 1):
        lines += [f"### {number}. {_cell(prompt.title)}", "", _cell(prompt.question), ""]
        for teams, text, feedback in prompt.choices:
            lines.append(
                f"- **{_cell(teams)}** chose “{_cell(option_label(text))}”. {_cell(feedback)}"
            )
        lines += [
            "",
            f"Doctrine-best: “{_cell(option_label(prompt.best_text))}”. "
            f"{_cell(prompt.best_feedback)}",
            "",
        ]
        if participant:
            continue
        for note in prompt.notes:
            lines.append(f"> Facilitator: {_cell(note)}")
        if prompt.notes:
            lines.append("")
    return "\n".join(lines) + "\n"


def _path(team) -> list[str]:
    lines = [f"### {_cell(team.name)}", ""]
    if team.roles:
        lines.append("Roles: " + ", ".join(f"{_cell(r)}: {_cell(m)}" for r, m in team.roles))
        lines.append("")
    lines.append("| # | decision | owner | choice | decided by | votes | quality |")
    lines.append("|---|---|---|---|---|---|---|")
    for step in team.steps:
        owner = step.owner or ""
        if step.owner_member:
            owner += f" ({step.owner_member})"
        mark = "" if step.doctrine_best else " ✗"
        lines.append(
            f"| {step.number} | {_cell(step.heading)} | {_cell(owner)} | "
            f"{_cell(step.choice_text)}{mark} | {_cell(step.decided_by)} | "
            f"{_cell(vote_split(step))} | {percent(step.quality)} |"
        )
    lines += ["", f"Ending: **{_cell(team.ending_title)}**. {_cell(team.ending_text)}", ""]
    for event in team.events:
        lines.append(f"- Event: {_cell(event_sentence(event, _clock))}")
    if team.events:
        lines.append("")
    for number, decision, old, new in team.corrections:
        then = f"; then “{_cell(option_label(new))}”" if new else "; not decided again"
        lines.append(
            f"- Correction at decision {number} ({_cell(decision)}): "
            f"“{_cell(option_label(old))}” taken back{then}."
        )
    if team.corrections:
        lines.append("")
    return lines


def _clock(seconds: float | None) -> str:
    return when(seconds, with_date=False)

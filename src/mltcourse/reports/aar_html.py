"""The after-action review as one self-contained HTML page to hand out.

Inline CSS and SVG charts only: no scripts, fonts or images to fetch, so it opens offline and
prints. Every string that comes from the course or the facilitator is escaped.
"""

from __future__ import annotations

import textwrap
from html import escape

from .aar import (
    AfterAction,
    TeamReview,
    TeamStep,
    header_facts,
    option_label,
    percent,
    vote_split,
    when,
)
from .aar_events import event_sentence

# Okabe-Ito: told apart by readers with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
# The options of a vote in greys, darkest first, so they are not read as the teams' colours.
OPTION_SHADES = ("#3b4252", "#6b7385", "#9aa1b0", "#c5cad4", "#e1e4ea")
LABEL_CHARS = 26  # characters per line of a chart label (wrapped, never cut)

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 68rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2330; background: #fff; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #d0d5de; }
.meta { color: #4c5566; }
.teams { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
.team { border: 1px solid #d0d5de; border-radius: .4rem; padding: .6rem 1rem; }
.team h3 { margin: .2rem 0; }
.rating { font-weight: 600; padding: .1rem .5rem; border-radius: .3rem; }
.success { background: #d8f1dc; } .mixed { background: #fbefc9; } .failure { background: #f7d4d4; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e3e6ec;
         vertical-align: top; }
.off { color: #a12a2a; font-weight: 600; }
.prompt { border-left: 4px solid #0072B2; padding: .2rem 1rem; margin: 1rem 0; }
.note { background: #f4f1e6; padding: .4rem .8rem; border-radius: .3rem; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
          vertical-align: -0.05rem; }
svg text { font: 14px system-ui, sans-serif; fill: #1d2330; }
@media print { body { max-width: none; } .prompt { break-inside: avoid; } }
"""


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _legend(names: list[str]) -> str:
    items = "".join(
        f'<span><i class="swatch" style="background:{_colour(i)}"></i>{escape(n)}</span>'
        for i, n in enumerate(names)
    )
    return f'<p class="legend">{items}</p>'


def _wrapped(text: str) -> list[str]:
    """A chart label in lines of LABEL_CHARS, broken between words."""
    return textwrap.wrap(text, LABEL_CHARS) or [""]


def _label(x: int, y: int, lines: list[str]) -> str:
    """An SVG text of several lines, 16 px apart, the first at ``y``."""
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if n == 0 else 16}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}">{spans}</text>'


def quality_chart(teams: tuple[TeamReview, ...]) -> str:
    """Overall decision quality per team, as horizontal bars."""
    label_w, bar_w = 220, 360
    rows, y = [], 4
    for i, team in enumerate(teams):
        label = _wrapped(team.name)
        row_h = max(28, 16 * len(label) + 10)
        value = team.overall or 0.0
        rows.append(
            _label(0, y + 16, label)
            + f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="18" fill="#e3e6ec"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{value * bar_w:.1f}" height="18" '
            f'fill="{_colour(i)}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}">{escape(percent(team.overall))}</text>'
        )
        y += row_h
    height = y + 4
    width = label_w + bar_w + 60
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Decision quality per team">{"".join(rows)}</svg>'
    )


def profile_chart(review: AfterAction) -> str:
    """Per principle, one bar per team: how its choices stood among the options open."""
    teams = review.teams
    label_w, bar_w, bar_h, gap = 230, 320, 17, 12
    parts, top = [], 4
    for principle, title in review.principle_titles.items():
        label = _wrapped(title)
        parts.append(_label(0, top + 13, label))
        for i, team in enumerate(teams):
            value = team.principles.get(principle)
            y = top + i * bar_h
            width = 0.0 if value is None else value * bar_w
            tip = f"{team.name}: {percent(value)}"
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h - 2}" '
                f'fill="#f1f3f6"/><rect x="{label_w}" y="{y}" width="{width:.1f}" '
                f'height="{bar_h - 2}" fill="{_colour(i)}"><title>{escape(tip)}</title></rect>'
                f'<text x="{label_w + bar_w + 6}" y="{y + bar_h - 4}">{escape(percent(value))}'
                "</text>"
            )
        top += max(bar_h * len(teams), 16 * len(label)) + gap
    height = top + 4
    width = label_w + bar_w + 60
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Principle profiles">{"".join(parts)}</svg>'
    )


def vote_bar(step: TeamStep) -> str:
    """The vote split at one decision as a stacked bar; the option chosen is outlined."""
    total = sum(n for *_, n in step.votes)
    if not total:
        return escape(step.decided_by)
    width, x, parts = 200, 0.0, []
    for i, (choice, text, n) in enumerate(step.votes):
        w = n / total * width
        stroke = ' stroke="#d55e00" stroke-width="3"' if choice == step.choice else ""
        shade = OPTION_SHADES[i % len(OPTION_SHADES)]
        parts.append(
            f'<rect x="{x:.1f}" y="1" width="{w:.1f}" height="16" fill="{shade}"{stroke}>'
            f"<title>{escape(f'{option_label(text)}: {n}')}</title></rect>"
        )
        x += w
    return (
        f'<svg width="{width}" height="18" viewBox="0 0 {width} 18" role="img" '
        f'aria-label="{escape(vote_split(step))}">{"".join(parts)}</svg><br>'
        f"{escape(vote_split(step))} · {escape(step.decided_by)}"
    )


def _team_card(team: TeamReview, index: int, risk_titles: dict[str, str]) -> str:
    rating = team.rating or "unfinished"
    roles = "".join(f"<li>{escape(r)}: {escape(m)}</li>" for r, m in team.roles)
    ledger = []
    for label, ids in team.ledger.sections():
        titles = ", ".join(risk_titles.get(r, r) for r in ids) or "none"
        ledger.append(f"<li>{label}: {escape(titles)}</li>")
    return (
        f'<div class="team" style="border-top:4px solid {_colour(index)}">'
        f"<h3>{escape(team.name)}</h3>"
        f'<p><strong>{escape(team.ending_title)}</strong> <span class="rating '
        f'{escape(team.rating or "")}">{escape(rating)}</span></p>'
        f"<p>{escape(team.ending_text)}</p>"
        f"<p>Decision quality: <strong>{escape(percent(team.overall))}</strong> over "
        f"{len(team.steps)} decisions</p>"
        + (f"<p>Role cards:</p><ul>{roles}</ul>" if roles else "")
        + f"<ul>{''.join(ledger)}</ul></div>"
    )


def after_action_html(review: AfterAction, participant: bool = False) -> str:
    """The page; the participants' version leaves out the facilitator notes."""
    e = escape
    scenario = review.scenario
    names = [team.name for team in review.teams]
    heading = "After-action review" + (" (participants)" if participant else "")
    facts = " · ".join(f"{label}: {value}" for label, value in header_facts(review))
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(heading)}: {e(scenario.title)}</title><style>{_STYLE}</style>",
        "</head><body>",
        f"<h1>{e(heading)}: {e(scenario.title)}</h1>",
        f'<p class="meta">{e(facts)}</p>',
        f'<p class="meta">{e(scenario.setting)}</p>',
        "<h2>Outcomes</h2>",
        '<div class="teams">',
        *(_team_card(team, i, review.risk_titles) for i, team in enumerate(review.teams)),
        "</div>",
        "<h2>Decision quality</h2>",
        quality_chart(review.teams),
        "<h2>Principle profiles</h2>",
        "<p>How each team's choices stood among the options open, per principle "
        "(100 % = the doctrine-best option each time).</p>",
        _legend(names),
        profile_chart(review),
        "<h2>Indicators at the end</h2><table><tr><th>Indicator</th><th>Start</th>",
        *(f"<th>{e(n)}</th>" for n in names),
        "</tr>",
    ]
    labels = [label for label, _, _ in review.teams[0].indicators] if review.teams else []
    for row, label in enumerate(labels):
        start = review.teams[0].indicators[row][1]
        cells = "".join(f"<td>{team.indicators[row][2]:g}</td>" for team in review.teams)
        out.append(f"<tr><td>{e(label)}</td><td>{start:g}</td>{cells}</tr>")
    out.append("</table><h2>Paths and votes</h2>")
    for team in review.teams:
        out.append(
            f"<h3>{e(team.name)}</h3><table><tr><th>#</th><th>Decision</th><th>Owner</th>"
            "<th>Choice</th><th>Vote split</th><th>Quality</th></tr>"
        )
        for step in team.steps:
            owner = e(step.owner or "")
            if step.owner_member:
                owner += f" ({e(step.owner_member)})"
            off = "" if step.doctrine_best else ' class="off" title="not the doctrine-best option"'
            out.append(
                f"<tr><td>{step.number}</td><td>{e(step.heading)}</td><td>{owner}</td>"
                f"<td{off}>{e(step.choice_text)}</td><td>{vote_bar(step)}</td>"
                f"<td>{e(percent(step.quality))}</td></tr>"
            )
        out.append("</table>")
        for event in team.events:
            out.append(f"<p>Event: {e(event_sentence(event, _clock))}</p>")
        for number, decision, old, new in team.corrections:
            then = f"; then “{e(option_label(new))}”" if new else "; not decided again"
            out.append(
                f"<p>Correction at decision {number} ({e(decision)}): "
                f"“{e(option_label(old))}” taken back{then}.</p>"
            )
    out.append("<h2>Discussion prompts</h2>")
    if not review.prompts:
        out.append("<p>Every team took the doctrine-best option at every decision.</p>")
    for number, prompt in enumerate(review.prompts, 1):
        out.append(f'<div class="prompt"><h3>{number}. {e(prompt.title)}</h3>')
        out.append(f"<p><strong>{e(prompt.question)}</strong></p><ul>")
        for teams, text, feedback in prompt.choices:
            out.append(
                f"<li><strong>{e(teams)}</strong> chose “{e(option_label(text))}”. "
                f"{e(feedback)}</li>"
            )
        out.append(
            f"</ul><p>Doctrine-best: “{e(option_label(prompt.best_text))}”. "
            f"{e(prompt.best_feedback)}</p>"
        )
        for note in () if participant else prompt.notes:
            out.append(f'<p class="note">Facilitator: {e(" ".join(note.split()))}</p>')
        out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _clock(seconds: float | None) -> str:
    return when(seconds, with_date=False)

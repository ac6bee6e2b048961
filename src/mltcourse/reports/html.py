"""The debrief as one self-contained HTML file: inline CSS and SVG, no scripts, no requests.

Made to be handed out after an exercise or opened offline; every content string is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from ..content.model import Course
from .debrief import Debrief, ReviewedDecision, principle_profile
from .markdown import KINDS, VERDICTS

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2330; background: #fff; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2rem;
     border-bottom: 1px solid #d0d5de; } h3 { margin-bottom: .3rem; }
.meta { color: #4c5566; } .rating { font-weight: 600; padding: .1rem .5rem;
        border-radius: .3rem; } .success { background: #d8f1dc; } .mixed { background: #fbefc9; }
.failure { background: #f7d4d4; } table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e3e6ec; }
.bar { background: #e3e6ec; height: .8rem; width: 12rem; border-radius: .2rem; }
.bar > span { display: block; height: 100%; background: #3b6fd8; border-radius: .2rem; }
.best { border-left: 3px solid #3b6fd8; padding-left: .8rem; color: #2c3446; }
.event { color: #8a4b00; } code { background: #f1f3f6; padding: 0 .2rem; }
.note { border-left: 3px solid #8a4b00; margin-left: 0; padding-left: .8rem;
        white-space: pre-wrap; }
@media (prefers-color-scheme: dark) {
  body { color: #e4e7ee; background: #161a22; } .meta, .best { color: #b3bac8; }
  td, th, h2 { border-color: #333a48; } .bar { background: #333a48; }
  code { background: #262c38; } .success { background: #1f4a2a; }
  .mixed { background: #4d4216; } .failure { background: #5a2323; } .event { color: #f0a957; }
}
"""


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)} %"


def _bar(value: float) -> str:
    return f'<div class="bar"><span style="width:{value * 100:.0f}%"></span></div>'


def _sparkline(series: list[float], low: float, high: float) -> str:
    """A small inline SVG line of an indicator's path."""
    width, height = 160, 28
    span = (high - low) or 1
    step = width / max(1, len(series) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - (v - low) / span * height:.1f}" for i, v in enumerate(series)
    )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f'<polyline fill="none" stroke="#3b6fd8" stroke-width="2" points="{points}"/></svg>'
    )


def _listed(items: list[str]) -> str:
    return escape(", ".join(items)) if items else "nothing"


def _decision(d: ReviewedDecision, note: str | None = None) -> list[str]:
    e = escape
    kind = '<span class="event">event</span>' if d.is_inject else "scene"
    mine = next(o for o in d.options if o.chosen)
    verdict = VERDICTS.get(mine.verdict or "", "")
    out = [
        f"<h3>{d.number}. {e(d.node_title)} ({kind})</h3>",
        f"<p><strong>Your choice:</strong> {e(d.choice_text)} "
        f"(quality {_percent(d.quality)}{', ' + verdict if verdict else ''})</p>",
        f"<p>{e(d.feedback)}</p>",
        f'<p class="meta">Lesson: {e(d.section_title)}</p>',
        f'<div class="best"><p><strong>How the doctrine weighed it:</strong> {e(d.why)}</p></div>',
        "<table><tr><th>Option</th><th>Verdict</th><th>Value</th><th>Buys</th><th>Costs</th></tr>",
    ]
    for o in d.options:
        mark = " <strong>(your choice)</strong>" if o.chosen else ""
        out.append(
            f"<tr><td>{e(o.text)}{mark}</td><td>{VERDICTS.get(o.verdict or '', '')}</td>"
            f"<td>{o.value:+d}</td><td>{_listed(o.buys())}</td><td>{_listed(o.costs())}</td></tr>"
        )
    out.append("</table>")
    others = [o for o in d.options if not o.chosen and o.verdict]
    if others:
        out.append("<ul>")
        out += [
            f"<li><strong>{e(o.text)}</strong> ({VERDICTS[o.verdict]}): {e(o.feedback)}</li>"
            for o in others
        ]
        out.append("</ul>")
    if note:
        out.append(f'<blockquote class="note"><strong>Your note:</strong> {e(note)}</blockquote>')
    return out


def debrief_html(debrief: Debrief, course: Course, notes: Mapping[str, str] | None = None) -> str:
    """The debrief page; ``notes`` (node id -> text) are the learner's notes on its decisions."""
    scenario = debrief.scenario
    e = escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Debrief: {e(scenario.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Debrief: {e(scenario.title)}</h1>",
        *(
            [
                '<p class="meta">'
                + " · ".join(f"{label}: {e(value)}" for label, value in debrief.provenance.lines())
                + "</p>"
            ]
            if debrief.provenance
            else []
        ),
        f'<p class="meta">Role: {e(scenario.role)} · {e(scenario.setting)}</p>',
        f"<h2>Outcome</h2><p><strong>{e(debrief.ending_title)}</strong> "
        f'<span class="rating {e(debrief.outcome or "")}">'
        f"{e(debrief.outcome or 'unfinished')}</span></p>",
        f"<p>{e(debrief.ending_text)}</p>",
        f"<p>Decision quality: <strong>{_percent(debrief.score.overall)}</strong> over "
        f"{debrief.score.counted} scored decisions.</p>",
        "<h2>Principle profile</h2><table><tr><th>Principle</th><th>Quality</th><th></th></tr>",
    ]
    for title, value in principle_profile(debrief, course):
        out.append(f"<tr><td>{e(title)}</td><td>{_percent(value)}</td><td>{_bar(value)}</td></tr>")
    out.append("</table>")
    if debrief.principle_notes:
        out.append("<h3>Why a principle reads below 100 %</h3><ul>")
        for note in debrief.principle_notes:
            items = "".join(f"<li>{e(sentence)}</li>" for sentence in note.strained_at)
            out.append(
                f"<li><strong>{e(note.title)}</strong> ({_percent(note.quality)})<ul>{items}</ul>"
                "</li>"
            )
        out.append("</ul>")
    out.append("<h2>Risk ledger</h2>")
    if not debrief.risk_story:
        out.append("<p>No risk was raised, mitigated or materialised.</p>")
    else:
        out.append("<ol>")
        for item in debrief.risk_story:
            if item.kind == "materialised":
                where, cause = "After", f"through the event “{e(item.cause)}”"
            else:
                where, cause = "At", f"by choosing {e(item.cause)}"
            out.append(
                f'<li>{where} decision {item.after}: <strong class="{item.kind}">'
                f"{KINDS[item.kind]}</strong> “{e(item.risk_title)}”, {cause}. "
                f'<span class="meta">Lesson: {e(item.section_title)}</span>'
                f'<br><span class="meta">{e(item.risk_text)}</span></li>'
            )
        out.append("</ol>")
    out.append("<h2>Decision by decision</h2>")
    for d in debrief.decisions:
        out += _decision(d, (notes or {}).get(d.node))
    out.append(
        "<h2>Indicators</h2><table><tr><th>Indicator</th><th>Start</th><th>End</th>"
        "<th>Path</th></tr>"
    )
    for name, series in debrief.history.items():
        indicator = scenario.indicators[name]
        out.append(
            f"<tr><td>{e(indicator.label)}</td><td>{series[0]:g}</td><td>{series[-1]:g}</td>"
            f"<td>{_sparkline(series, indicator.min, indicator.max)}</td></tr>"
        )
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"

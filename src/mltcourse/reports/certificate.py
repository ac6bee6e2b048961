"""The record of completion as one self-contained HTML page, made to be printed.

Inline CSS, no scripts, no requests; every name, title and note is escaped. It says who, when,
what the course asks (its own rule), how each lesson's checks and each scenario went, and
whether the course is complete.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from .progress import CourseRecord, rule_sentences

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2330; background: #fff; }
h1 { font-size: 1.8rem; margin: 0 0 .2rem; } h2 { font-size: 1.2rem; margin-top: 1.8rem;
     border-bottom: 1px solid #d0d5de; } .meta { color: #4c5566; }
.verdict { font-size: 1.2rem; font-weight: 600; padding: .5rem .8rem; border-radius: .3rem;
           display: inline-block; margin: .8rem 0; }
.complete { background: #d8f1dc; } .incomplete { background: #fbefc9; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e3e6ec; }
td.num { text-align: right; white-space: nowrap; } .met { color: #1f6b33; font-weight: 600; }
.unmet { color: #8a4b00; } blockquote { margin: .3rem 0 .8rem 1rem; white-space: pre-wrap; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; }
  tr, blockquote { break-inside: avoid; } .verdict { border: 1px solid #888; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 18mm; }
"""


def _date(moment: float | None) -> str:
    return "—" if moment is None else datetime.fromtimestamp(moment).strftime("%d %B %Y")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _mark(met: bool) -> str:
    return '<span class="met">met</span>' if met else '<span class="unmet">not yet</span>'


def certificate_html(record: CourseRecord, course_title: str, issued: float) -> str:
    e = escape
    verdict = (
        f'<p class="verdict complete">Course complete on {_date(record.completed_at)}</p>'
        if record.complete
        else f'<p class="verdict incomplete">Not complete yet: {record.met} of '
        f"{record.required} requirements met</p>"
    )
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Record of completion: {e(record.learner)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f'<p class="meta">{e(course_title)} · record of completion</p>',
        f"<h1>{e(record.learner)}</h1>",
        f'<p class="meta">Started {_date(record.started)} · last active '
        f"{_date(record.last_active)} · this record made {_date(issued)}</p>",
        verdict,
        "<h2>What the course asks</h2><ul>",
        *(f"<li>{e(sentence)}</li>" for sentence in rule_sentences(record.rule)),
        "</ul>",
        "<h2>Lessons</h2>",
        "<table><tr><th>Lesson</th><th>Read</th><th>Checks right at first</th>"
        "<th>After review</th><th>Passed</th><th></th></tr>",
    ]
    for lesson in record.lessons:
        out.append(
            f"<tr><td>{e(lesson.title)}</td><td>{_date(lesson.read_at)}</td>"
            f'<td class="num">{lesson.first_attempt} of {lesson.checks}</td>'
            f'<td class="num">{lesson.after_review}</td>'
            f'<td class="num">{_percent(lesson.share)}</td><td>{_mark(lesson.met)}</td></tr>'
        )
    out.append("</table><h2>Scenarios</h2>")
    if not record.scenarios:
        out.append("<p>The course asks for no scenario.</p>")
    else:
        out.append(
            "<table><tr><th>Scenario</th><th>Attempts</th><th>Best quality</th>"
            "<th>Ending</th><th></th></tr>"
        )
        for scenario in record.scenarios:
            ending = "—"
            if scenario.ending_title:
                ending = f"{e(scenario.ending_title)} ({e(scenario.outcome or '')})"
            out.append(
                f"<tr><td>{e(scenario.title)}</td><td class='num'>{scenario.attempts}</td>"
                f'<td class="num">{_percent(scenario.best_quality)}</td><td>{ending}</td>'
                f"<td>{_mark(scenario.met)}</td></tr>"
            )
        out.append("</table>")
    if record.review_due:
        out.append(f"<p class='meta'>{record.review_due} item(s) due for review.</p>")
    if record.notes:
        out.append("<h2>Notes and bookmarks</h2>")
        for note in record.notes:
            mark = " (bookmark)" if note.bookmark else ""
            out.append(f"<p><strong>{e(note.label or note.place)}</strong>{mark}</p>")
            if note.body:
                out.append(f"<blockquote>{e(note.body)}</blockquote>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"

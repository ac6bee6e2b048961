"""mltcourse progress and certificate: the record's JSON, the printable page, and the course's
xAPI *completed* left in the outbox only once the course is complete."""

from __future__ import annotations

import json

from apptest import FIXTURE_COURSE
from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.reports.lrs import Outbox, deliver
from mltcourse.reports.xapi import statement_problems
from mltcourse.store import open_store
from mltcourse.store.notes import DECISION, LESSON, save_note

HOSTILE = "<script>alert(1)</script>\x1b]0;owned\x07 & Co"
COURSE = load_course(FIXTURE_COURSE)


def run(capsys, data, *args):
    code = main(["--content", str(FIXTURE_COURSE), *args, "--data-dir", str(data)])
    out = capsys.readouterr()
    return code, out.out, out.err


def study(data, name: str, finish: bool) -> str:
    """A learner who read and answered everything; with ``finish`` also passed the scenario."""
    store = open_store(data)
    learner = store.learner(name)
    for module in COURSE.modules:
        store.mark_read(learner.id, module.id)
        for check in module.checks:
            store.record_answer(learner.id, module.id, check.id, sorted(check.correct), True)
    if finish:
        store.record_attempt(
            learner.id,
            "wells",
            "digest",
            "assessment",
            "play",
            [("offer", "cmcoord")],
            ("trusted", "success", 0.9),
        )
    save_note(
        store, learner.id, LESSON, "basics#overview", "Basics › Overview", "Ask the <DSRSG>", False
    )
    save_note(store, learner.id, DECISION, "wells/offer", "Wells › The offer", "", True)
    stored = learner.name
    store.close()
    return stored


def pending(data) -> list[dict]:
    return Outbox(data, None).queue()


def test_progress_json_has_the_documented_shape(tmp_path, capsys):
    study(tmp_path, "Ana", finish=False)
    code, out, _ = run(capsys, tmp_path, "progress", "--json")
    report = json.loads(out)
    assert code == 0
    assert {"learner", "complete", "lessons", "scenarios", "review_due"} <= report.keys()
    assert report["learner"] == "Ana" and report["complete"] is False
    assert [lesson["id"] for lesson in report["lessons"]] == ["basics", "relief"]
    assert all(lesson["met"] for lesson in report["lessons"])
    assert report["scenarios"] == [
        {
            "id": "wells",
            "title": COURSE.scenarios["wells"].title,
            "lesson": "relief",
            "attempts": 0,
            "best_quality": None,
            "ending": None,
            "ending_title": None,
            "outcome": None,
            "met": False,
            "met_at": None,
        }
    ]
    assert isinstance(report["review_due"], int)
    assert {n["place"] for n in report["notes"]} == {"basics#overview", "wells/offer"}


def test_progress_of_an_unknown_learner_is_a_usage_error(tmp_path, capsys):
    study(tmp_path, "Ana", finish=False)
    code, _, err = run(capsys, tmp_path, "progress", "--learner", "Bob")
    assert code == 2 and "no learner named 'Bob'" in err and "Ana" in err


def test_an_incomplete_certificate_says_so_and_leaves_no_statement(tmp_path, capsys):
    name = study(tmp_path, HOSTILE, finish=False)
    out_file = tmp_path / "record.html"
    code, _, err = run(capsys, tmp_path, "certificate", "--learner", name, "--out", str(out_file))
    page = out_file.read_text()
    assert code == 0 and "not complete yet" in err
    assert "Not complete yet: 2 of 3 requirements met" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\x07" not in page
    assert "Ask the &lt;DSRSG&gt;" in page  # the learner's note, escaped
    assert pending(tmp_path) == []


def test_a_complete_certificate_leaves_one_completed_statement_in_the_outbox(tmp_path, capsys):
    name = study(tmp_path, HOSTILE, finish=True)
    code, page, _ = run(capsys, tmp_path, "certificate", "--learner", name)
    assert code == 0
    assert "Course complete on" in page and "@media print" in page
    assert "<script" not in page.replace("&lt;script", "")
    assert not any(tag in page for tag in ("<link", " src=", "<script", "@import"))
    waiting = pending(tmp_path)
    assert len(waiting) == 1
    statement = waiting[0]
    assert statement["verb"]["id"].endswith("/completed")
    assert statement["object"]["id"].endswith("/course")
    assert statement["result"]["completion"] is True
    assert statement_problems(statement) == []
    run(capsys, tmp_path, "certificate", "--learner", name, "--no-notes")  # again: same one
    assert [s["id"] for s in pending(tmp_path)] == [statement["id"]]
    code, page, _ = run(capsys, tmp_path, "certificate", "--learner", name, "--no-notes")
    assert "Ask the" not in page


def test_the_pending_statement_goes_with_the_next_delivery(tmp_path, capsys, monkeypatch):
    name = study(tmp_path, "Ana", finish=True)
    run(capsys, tmp_path, "certificate", "--learner", name)
    sent: list[list[dict]] = []

    def fake_post(url, body, auth, limits, deadline, late):
        from mltcourse.reports.lrs_http import Answer

        batch = json.loads(body)
        sent.append(batch)
        return Answer(200, "OK", json.dumps([s["id"] for s in batch]).encode(), None)

    monkeypatch.setattr("mltcourse.reports.lrs.post", fake_post)
    delivery = deliver([], "http://127.0.0.1:9/xapi", tmp_path)
    assert delivery.sent == 1 and delivery.error is None
    assert sent[0][0]["object"]["id"].endswith("/course")
    assert pending(tmp_path) == []


def test_the_course_statement_uses_the_organisations_activity_base(tmp_path, capsys):
    name = study(tmp_path, "Ana", finish=True)
    (tmp_path / "settings.toml").write_text(
        '[xapi]\nactivity_base = "https://training.example.org/xapi/mltcourse"\n'
    )
    assert run(capsys, tmp_path, "certificate", "--learner", name)[0] == 0
    [statement] = pending(tmp_path)
    assert statement["object"]["id"] == "https://training.example.org/xapi/mltcourse/course"

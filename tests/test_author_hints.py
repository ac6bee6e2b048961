"""Rows of the author walk-through that still lacked a fix: one error at the cause with the
id most likely meant, and no cascade from a catalogue that has one mistake."""

from __future__ import annotations

from helpers import copy_course
from mltcourse.content.suggest import closest
from test_author_errors import diagnostics, mutate

PRINCIPLES = "modules/principles.yaml"


def test_a_catalogue_entry_with_a_missing_field_is_one_error_not_one_per_use(tmp_path):
    root = mutate(copy_course(tmp_path), "    sources: [basics#overview]\n", "", PRINCIPLES)
    assert diagnostics(root) == [
        "principles.yaml:2:5: principle is missing the required field 'sources'"
    ]
    # The ids it still names are checked against: a typo elsewhere is still caught.
    mutate(root, "principles: {coordination: 2}", "principles: {cordination: 2}")
    assert diagnostics(root)[1:] == [
        "crossroads.yaml:21:22: unknown principle 'cordination'; did you mean 'coordination'?"
    ]


def test_a_catalogue_that_is_not_yaml_or_is_missing_is_one_error(tmp_path):
    root = copy_course(tmp_path)
    path = root / PRINCIPLES
    path.write_text(path.read_text() + "principles: [\n")
    (only,) = diagnostics(root)
    assert only.startswith("principles.yaml:") and "YAML syntax" in only
    path.unlink()
    assert diagnostics(root) == ["principles.yaml:1:1: the principle catalogue is missing"]


def test_a_section_or_lesson_link_that_starts_a_heading_gets_that_heading(tmp_path):
    root = mutate(copy_course(tmp_path), "section: basics#risks", "section: basics#who")
    assert diagnostics(root) == [
        "crossroads.yaml:33:18: lesson 'basics' has no section 'who'; did you mean 'who-leads'?"
    ]
    root = mutate(
        copy_course(tmp_path / "link"),
        "(lesson:basics#risks)",
        "(lesson:basics#whyit)",
        "modules/01-basics/lesson.md",
    )
    assert diagnostics(root) == [
        "lesson.md:5:35: link 'lesson:basics#whyit': lesson 'basics' has no section 'whyit'; "
        "did you mean 'why-it-matters'?"
    ]


def test_closest_finds_the_id_begun_or_misspelt_but_not_a_stranger():
    risks = ["civil-society.polarisation", "civil-society.hubris", "basics.gap"]
    assert closest("civil-society.polarized", risks) == "civil-society.polarisation"
    assert closest("tradeoffs", ["trade-offs-for-the-mlt", "overview"]) == (
        "trade-offs-for-the-mlt"
    )
    assert closest("civil", ["civil-society", "wps", "youth"]) == "civil-society"
    assert closest("basics.nope", risks) is None
    assert closest("who", ["who-leads", "who-pays"]) is None  # two fit: neither is meant
    assert closest("wh", ["who-leads"]) is None  # too short to say


def test_a_scene_whose_every_choice_leads_back_to_it_is_an_error_there(tmp_path):
    root = copy_course(tmp_path)
    path = root / "scenarios/crossroads.yaml"
    text = path.read_text()
    start = text.index("  third:\n")
    end = text.index("injects:\n")
    path.write_text(text[:start] + text[start:end].replace("next: end", "next: third") + text[end:])
    errors = diagnostics(root)
    assert errors[0] == (
        "crossroads.yaml:67:15: every choice in scene 'third' leads back to it, so a play "
        "that gets here can never leave; send one of them on"
    )

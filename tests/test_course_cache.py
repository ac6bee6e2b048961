"""The course cache: used only while nothing changed, never trusted when broken."""

from __future__ import annotations

import pickle

from apptest import course_copy
from mltcourse.content.loader import load_course
from mltcourse.content.outline import outline_of
from mltcourse.engine.playtest import policy_play
from mltcourse.store import course_cache
from mltcourse.store.course_cache import load_course_cached


def test_an_unchanged_course_comes_back_from_the_cache_identical(tmp_path, monkeypatch):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    fresh = load_course_cached(root, cache)
    assert len(list(cache.glob("course-*.pickle"))) == 1

    def no_loading(*_):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr("mltcourse.content.loader.load_course", no_loading)
    cached = load_course_cached(root, cache)
    assert cached == fresh
    wells = cached.scenarios["wells"]
    assert policy_play(wells, "best") == policy_play(fresh.scenarios["wells"], "best")


def test_an_edited_file_is_read_again(tmp_path):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    load_course_cached(root, cache)
    scenario = root / "scenarios" / "wells.yaml"
    scenario.write_text(scenario.read_text().replace("The wells offer", "The well offer!"))
    assert load_course_cached(root, cache).scenarios["wells"].title == "The well offer!"
    assert len(list(cache.glob("course-*.pickle"))) == 1  # the stale entry is gone


def test_a_damaged_cache_entry_is_ignored(tmp_path):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    load_course_cached(root, cache)
    [entry] = cache.glob("course-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert load_course_cached(root, cache) == load_course(root)
    assert pickle.loads(entry.read_bytes()) == load_course(root)  # and it was rewritten


def test_every_kind_of_course_file_is_part_of_the_key(tmp_path):
    root = course_copy(tmp_path)
    names = {p.rsplit("/", 1)[-1] for p in course_cache.snapshot(root)}
    assert names == {"principles.yaml", "glossary.yaml", "module.yaml", "lesson.md", "wells.yaml"}


def test_the_outline_is_stored_beside_the_course_and_matches_it(tmp_path):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    assert course_cache.cached_outline(root, cache) is None
    course = load_course_cached(root, cache)
    outline = course_cache.cached_outline(root, cache)
    assert outline == outline_of(course)
    assert [m.id for m in outline.modules] == ["basics", "relief"]
    assert outline.scenario("wells").title == course.scenarios["wells"].title
    assert outline.module("basics").checks == tuple(c.id for c in course.module("basics").checks)


def test_an_outline_is_not_used_once_a_file_changes_or_when_damaged(tmp_path):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    load_course_cached(root, cache)
    [outline_file] = cache.glob("course-*.outline.json")
    outline_file.write_text('{"modules": [["basics"]]}')
    assert course_cache.cached_outline(root, cache) is None  # damaged: ignored
    load_course_cached(root, cache.parent / "other-cache")
    scenario = root / "scenarios" / "wells.yaml"
    scenario.write_text(scenario.read_text().replace("The wells offer", "The well offer!"))
    assert course_cache.cached_outline(root, cache.parent / "other-cache") is None  # stale


def test_the_outline_keeps_the_errors_of_files_left_out(tmp_path):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    (root / "scenarios" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    load_course_cached(root, cache)
    outline = course_cache.cached_outline(root, cache)
    [(file, errors)] = outline.failed_files().items()
    assert file.endswith("broken.yaml") and errors[0].line >= 2

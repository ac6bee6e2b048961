"""The course cache: used only while nothing changed, never trusted when broken."""

from __future__ import annotations

import pickle

from apptest import course_copy
from mltcourse.content.loader import load_course
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

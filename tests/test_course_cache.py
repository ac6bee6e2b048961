"""The course cache: used only while nothing changed, never trusted when broken."""

from __future__ import annotations

import hashlib
import json
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apptest import course_copy
from mltcourse.content.loader import load_course
from mltcourse.content.outline import outline_of
from mltcourse.engine.playtest import policy_play
from mltcourse.store import course_cache
from mltcourse.store.course_cache import load_course_cached


def body(entry):
    return entry.read_bytes().partition(b"\n")[2]


def rewrite(entry, plain, checksum=True):
    """Write plain data back as an entry, with a correct checksum or the old one."""
    new = json.dumps(plain).encode()
    header = entry.read_bytes().partition(b"\n")[0]
    if checksum:
        header = header.split(b"=")[0] + b"=" + hashlib.sha256(new).hexdigest().encode()
    entry.write_bytes(header + b"\n" + new)


def entries(cache):
    return [p for p in cache.glob("course-*.json") if not p.name.endswith(".outline.json")]


def test_an_unchanged_course_comes_back_from_the_cache_identical(tmp_path, monkeypatch):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    fresh = load_course_cached(root, cache)
    assert len(entries(cache)) == 1

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
    assert len(entries(cache)) == 1  # the stale entry is gone


def test_a_damaged_cache_entry_is_ignored_with_a_note_and_rebuilt(tmp_path):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    load_course_cached(root, cache)
    [entry] = entries(cache)
    entry.write_bytes(b"not json")
    notes: list[str] = []
    assert load_course_cached(root, cache, notes) == load_course(root)
    assert len(notes) == 1 and "could not be read" in notes[0]
    [entry] = entries(cache)  # and it was rewritten as plain data
    assert json.loads(body(entry))["$"] == "Course"


def test_a_pickle_in_the_cache_never_runs(tmp_path):
    """Whoever can write to the data folder must not run code at the next start."""
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    load_course_cached(root, cache)
    [entry] = entries(cache)
    marker = tmp_path / "PWNED"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    entry.write_bytes(pickle.dumps(Payload()))
    assert load_course_cached(root, cache, []) == load_course(root)
    assert not marker.exists()


def _mutations():
    """Values that keep the JSON valid but break the model: wrong types, missing fields."""
    return st.sampled_from(
        [None, 0, 1.5, True, "x", [], {}, {"$": "Course"}, {"$map": []}, {"$set": {}}, [[1]]]
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_wrong_typed_cache_is_ignored_and_rebuilt_never_a_crash(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("cache")
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    fresh = load_course_cached(root, cache)
    [entry] = entries(cache)
    plain = json.loads(body(entry))
    # walk a random path into the data and replace what is there
    node, path = plain, []
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
        )
        path.append((node, key))
        node = node[key]
    if not path:
        return
    parent, key = path[-1]
    replacement = data.draw(_mutations())
    if replacement == parent[key]:
        return
    parent[key] = replacement
    # A wrong checksum must be caught; so must wrong types behind a right one.
    rewrite(entry, plain, checksum=data.draw(st.booleans()))
    cut = data.draw(st.booleans())
    if cut:  # or truncate it
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    notes: list[str] = []
    try:
        course = load_course_cached(root, cache, notes)
    except Exception as exc:  # noqa: BLE001 - the point is that nothing escapes
        pytest.fail(f"the damaged cache crashed the load: {exc!r}")
    if course != fresh:  # only a right checksum over right types can change the course
        assert entries(cache) and not notes
        assert json.loads(body(entries(cache)[0])) == plain


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


@settings(max_examples=80, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=30,
    )
)
def test_any_json_in_the_outline_file_is_an_outline_or_a_value_error(value):
    from mltcourse.content.outline import CourseOutline

    for document in (value, {"modules": value, "scenarios": [], "errors": []}):
        try:
            outline = CourseOutline.from_json(document)
        except ValueError:
            continue
        for module in outline.modules:  # what the map reads has the types the map expects
            assert isinstance(module.title, str) and isinstance(module.order, int)


def test_the_prebuilt_course_serves_a_first_launch_while_its_files_are_unchanged(
    tmp_path, monkeypatch
):
    """The wheel ships the bundled course read and checked at build time (hatch_build.py)."""
    from mltcourse.store import prebuilt

    root = course_copy(tmp_path)
    prebuilt.write_prebuilt(root, root / prebuilt.FOLDER)
    monkeypatch.setattr(prebuilt, "bundled_root", lambda: root)
    cache = tmp_path / "cache"
    assert course_cache.cached_outline(root, cache) == outline_of(load_course(root))

    def no_loading(*_):
        raise AssertionError("the prebuilt course should have been used")

    monkeypatch.setattr("mltcourse.content.loader.load_course", no_loading)
    course = load_course_cached(root, cache)
    assert [s.id for s in course.scenarios.values()] == ["wells"]
    assert entries(cache)  # and it went into the learner's cache for the next start
    monkeypatch.undo()
    monkeypatch.setattr(prebuilt, "bundled_root", lambda: root)
    lesson = root / "modules" / "01-basics" / "lesson.md"
    lesson.write_text(lesson.read_text() + "\nOne more line.\n")
    assert prebuilt.outline(root) is None and prebuilt.course(root) is None  # files changed
    assert prebuilt.outline(tmp_path) is None  # and only the installed course has one

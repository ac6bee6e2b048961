"""Full-text search: the documents, the safe query, the index file beside the course cache."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apptest import FIXTURE_COURSE, course_copy
from helpers import REPO
from mltcourse.content.loader import load_course
from mltcourse.content.model import Course
from mltcourse.content.pages import lesson_pages
from mltcourse.content.search import Document, course_documents, fts_query
from mltcourse.safetext import first_control
from mltcourse.store.course_cache import (
    load_course_cached,
    search_index_path,
    store_search_index,
)
from mltcourse.store.search_index import SearchIndex, SearchIndexError, index_for, write_index

FIXTURE = load_course(FIXTURE_COURSE)
BUNDLED = load_course(REPO)


@pytest.fixture(scope="module")
def fixture_index():
    index = SearchIndex.build(course_documents(FIXTURE))
    yield index
    index.close()


@pytest.fixture(scope="module")
def bundled_index():
    index = SearchIndex.build(course_documents(BUNDLED))
    yield index
    index.close()


def is_real(course: Course, kind: str, ref: str) -> bool:
    """A result's ref names something the app can open."""
    if kind == "lesson":
        module_id, _, anchor = ref.partition("#")
        module = course.module(module_id)
        pages = lesson_pages(module, bool(course.scenarios_for(module_id))) if module else ()
        return any(anchor in page.anchors for page in pages)
    if kind == "glossary":
        return any(term.term == ref for term in course.glossary)
    scenario_id, _, scene = ref.partition("#")
    scenario = course.scenarios.get(scenario_id)
    return scenario is not None and (not scene or scene in scenario.scenes)


def test_lessons_are_indexed_a_heading_at_a_time_as_the_page_reads():
    docs = {d.ref: d for d in course_documents(FIXTURE) if d.kind == "lesson"}
    assert {"basics#overview", "basics#why-it-matters", "basics#who-leads"} <= set(docs)
    who = docs["basics#who-leads"]
    assert who.title == "Basics of peacebuilding › Who leads"
    assert "the relief lesson" in who.body
    assert "lesson:relief" not in who.body and "](" not in who.body  # link targets left out
    assert "host government in front" in docs["basics#why-it-matters"].body
    assert "relief#risk-blurred-mandates" in {d.ref for d in course_documents(FIXTURE)}


def test_every_document_refers_to_something_that_opens():
    for course in (FIXTURE, BUNDLED):
        for doc in course_documents(course):
            assert is_real(course, doc.kind, doc.ref), doc.ref


def test_results_are_ranked_with_snippets_and_the_words_that_matched(fixture_index):
    results = fixture_index.search("host government")
    assert results[0].kind == "lesson" and results[0].ref.startswith("basics#")
    assert "host" in results[0].snippet.lower()
    assert {"host", "government"} <= {w.lower() for m in results[0].matches for w in m.split()}
    assert any(matched for _, matched in results[0].snippet_parts)
    assert results[0].to_json().keys() >= {"kind", "ref", "title", "snippet"}


def test_each_kind_is_found(fixture_index):
    assert fixture_index.search("quick impact")[0].ref == "QIP"
    assert fixture_index.search("national flag")[0].ref == "wells#offer"
    assert fixture_index.search("troop contributor")[0].ref == "wells"  # the briefing


def test_the_last_word_is_a_prefix_until_a_space_follows(fixture_index):
    assert fixture_index.search("humanit")
    assert fixture_index.search("humanit ") == []
    assert fixture_index.search("contingent comm")[0].ref == "wells#offer"


def test_words_are_stemmed(bundled_index):
    assert "returns" in {m.lower() for r in bundled_index.search("returned") for m in r.matches}


def test_surprises_and_answers_are_not_indexed(fixture_index):
    assert fixture_index.search("Gunmen") == []  # an inject's text
    assert fixture_index.search("aid now wears a uniform") == []  # a choice's feedback


@pytest.mark.parametrize(
    "text",
    ['"', '"unclosed', "NEAR(a b", "AND OR NOT", "title:x", "a* * ^b", "{title}: x", "-x +y", ""],
)
def test_fts_syntax_is_only_words(fixture_index, text):
    query = fts_query(text)
    assert query is None or query.count('"') % 2 == 0
    fixture_index.search(text)


FTS_BITS = st.sampled_from(
    ['"', "*", "NEAR(", ")", "AND", "OR", "NOT", "^", ":", "title:", "-", "+", "{", "}", " "]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), FTS_BITS, st.sampled_from(["peace", "ref"]))))
def test_any_query_never_raises_and_results_are_real(bundled_index, pieces):
    text = "".join(pieces)
    for result in bundled_index.search(text):
        assert is_real(BUNDLED, result.kind, result.ref)
        assert first_control(result.snippet + result.title) is None


def test_the_index_is_kept_beside_the_course_cache_and_follows_its_changes(tmp_path):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    course = load_course_cached(root, cache)
    path = search_index_path(root, cache)
    assert not path.exists()  # the load does not wait for it
    store_search_index(course, root, cache)
    assert SearchIndex.open(path).search("host government")
    lesson = root / "modules" / "01-basics" / "lesson.md"
    lesson.write_text(lesson.read_text() + "\n## Zanzibar\n\nA new word: quokka.\n")
    fresh = load_course_cached(root, cache)
    assert not path.exists()  # dropped with its entry
    store_search_index(fresh, root, cache)
    new_path = search_index_path(root, cache)
    assert [r.ref for r in SearchIndex.open(new_path).search("quokka")] == ["basics#zanzibar"]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: p.write_bytes(b"not sqlite at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:2000]),
        lambda p: sqlite3.connect(p).executescript("DROP TABLE search; CREATE TABLE search (x); "),
    ],
)
def test_a_damaged_index_is_rebuilt(tmp_path, spoil):
    root, cache = course_copy(tmp_path), tmp_path / "cache"
    course = load_course_cached(root, cache)
    store_search_index(course, root, cache)
    path = search_index_path(root, cache)
    spoil(path)
    with pytest.raises(SearchIndexError):
        SearchIndex.open(path).search("host")
    assert index_for(course, root, path).search("host government")
    assert SearchIndex.open(path).search("host government")  # and written back


def test_without_a_writable_cache_the_index_is_built_in_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    index = index_for(FIXTURE, FIXTURE_COURSE, blocker / "cache" / "x.search.sqlite")
    assert index.search("host government")


def test_what_the_index_file_holds_is_cleaned_on_the_way_out(tmp_path):
    path = tmp_path / "hostile.search.sqlite"
    hostile = "\x1b]52;c;bad\x07 peace \x1b[2J"
    write_index([Document("lesson", f"x#{hostile}", hostile, hostile)], path)
    (result,) = SearchIndex.open(path).search("peace")
    assert first_control(result.ref + result.title + result.snippet) is None
    assert all(first_control(m) is None for m in result.matches)


def test_the_query_is_bounded():
    query = fts_query("x" * 500 + " " + " ".join(f"w{n}" for n in range(100)))
    assert query is not None
    words = re.findall(r"\w+", query)
    assert len(words) == 2 * 12 + 1  # each word, the words as one phrase, and OR
    assert max(len(word) for word in words) == 64
    assert len(re.findall(r"\w+", fts_query("-".join(["a"] * 1000)) or "")) == 12


def test_words_side_by_side_rank_above_words_apart():
    index = SearchIndex.build(
        [
            Document("glossary", "one", "One", "the hearts minds of the north"),
            Document("glossary", "two", "Two", "the minds hearts of the north"),
        ]
    )
    assert [r.ref for r in index.search("hearts minds")] == ["one", "two"]
    assert [r.ref for r in index.search("minds hearts")] == ["two", "one"]


def test_index_of_another_format_is_refused(tmp_path):
    path = tmp_path / "old.search.sqlite"
    write_index([], path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE about SET format = 'something else'")
    connection.commit()
    connection.close()
    with pytest.raises(SearchIndexError):
        SearchIndex.open(Path(path))


def test_the_page_highlight_marks_whole_words_and_skips_common_ones():
    from mltcourse.content.search import highlight_pattern

    pattern = highlight_pattern(("and", "Hearts", "minds", "do no harm"))
    assert pattern is not None
    text = "Hearts AND minds; heartsease; do  no\nharm"
    assert pattern.findall(text) == ["Hearts", "minds", "do  no\nharm"]
    only_common = highlight_pattern(("the",))
    assert only_common is not None and only_common.findall("The end") == ["The"]
    assert highlight_pattern(()) is None


def test_story_passages_are_indexed_without_their_conditions(tmp_path):
    root = course_copy(tmp_path)
    path = root / "scenarios" / "wells.yaml"
    path.write_text(
        path.read_text().replace(
            "text: The contingent commander proposes wells under the national flag.",
            "text: 'The commander {if security >= 70: smiles}{else: frowns at {security}}.'",
        )
    )
    course = load_course(root)
    assert not course.errors
    (offer,) = [d for d in course_documents(course) if d.ref == "wells#offer"]
    assert "smiles" in offer.body and "frowns" in offer.body
    assert "security" not in offer.body and ">=" not in offer.body


def test_the_index_shipped_with_the_package_serves_the_installed_course(tmp_path, monkeypatch):
    from mltcourse.store import prebuilt, search_index

    root = course_copy(tmp_path)
    prebuilt.write_prebuilt(root, root / prebuilt.FOLDER)
    monkeypatch.setattr(prebuilt, "bundled_root", lambda: root)
    shipped = (root / prebuilt.FOLDER / prebuilt.SEARCH_INDEX).read_bytes()
    monkeypatch.setattr(search_index, "write_index", None)  # building would fail now
    path = tmp_path / "cache" / "x.search.sqlite"
    path.parent.mkdir()
    search_index.store_index(FIXTURE, root, path)
    assert path.read_bytes() == shipped
    assert SearchIndex.open(path).search("host government")
    lesson = root / "modules" / "01-basics" / "lesson.md"
    lesson.write_text(lesson.read_text() + "\nChanged.\n")
    assert prebuilt.search_index(root) is None  # the installed files changed: built instead

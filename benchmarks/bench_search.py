"""Full-text search benchmarks, run by hand: python benchmarks/bench_search.py

Every figure is reported against a floor measured in the same run:
  * a search over the bundled course and over a 10x copy of it (every document ten times, the
    copy's index written in a temporary folder), each query against a bare FTS5 MATCH count of
    the same words (the floor: what SQLite needs to find them at all);
  * building the index (cutting the course into documents and writing the file) as a share
    of a cold course load (reading and validating the files, writing the course cache).
"""

from __future__ import annotations

import dataclasses
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from mltcourse.content import lessons  # noqa: E402
from mltcourse.content.loader import load_course  # noqa: E402
from mltcourse.content.search import course_documents, fts_query  # noqa: E402
from mltcourse.store import course_cache  # noqa: E402
from mltcourse.store.search_index import SearchIndex, write_index  # noqa: E402

# What a learner might type, letter by letter included (the screen searches as they type).
QUERIES = [
    "h",
    "hu",
    "hum",
    "humanitarian space",
    "hearts and minds",
    "refugees",
    "UNSCR 2250",
    "15 % of QIP",
    "do-no-harm",
    "financial cliff",
    "radio",
    "disinformation",
    "national ownership",
    "women youth",
    "transition",
    'NEAR("the" *',
    "a",
    "the mission",
]


def timed(fn, repeat: int = 7) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def query_times(index: SearchIndex, path: Path) -> tuple[list[float], list[float]]:
    """(search, floor) in ms for each query: the full search (ranked, snippets, matches) and
    a bare MATCH count of the same FTS5 expression on a connection of its own."""
    bare = sqlite3.connect(path)
    full, floor = [], []
    for text in QUERIES:
        expression = fts_query(text)
        full.append(timed(lambda text=text: index.search(text)) * 1000)
        floor.append(
            timed(
                lambda e=expression: bare.execute(
                    "SELECT count(*) FROM search WHERE search MATCH ?", (e,)
                ).fetchone()
            )
            * 1000
        )
    bare.close()
    return full, floor


def report(label: str, full: list[float], floor: list[float]) -> None:
    worst = max(range(len(full)), key=full.__getitem__)
    print(
        f"{label}: median {statistics.median(full):.2f} ms, worst {full[worst]:.2f} ms "
        f"({QUERIES[worst]!r}); bare MATCH median {statistics.median(floor):.2f} ms, "
        f"worst {max(floor):.2f} ms"
    )


def cold_load(cache: Path) -> None:
    """A course load with nothing cached: the files read and checked, the entry written."""
    for old in cache.glob("*"):
        old.unlink()
    lessons.lesson_sections.cache_clear()
    lessons.outline.cache_clear()
    course_cache.load_course_cached(REPO, cache)


def main() -> None:
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
    course = load_course(REPO)
    documents = list(course_documents(course))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = folder / "course.search.sqlite"
        write_index(documents, one)
        ten = folder / "x10" / "course.search.sqlite"
        ten.parent.mkdir()
        copies = [
            dataclasses.replace(d, ref=f"{d.ref}~{n}", title=f"{d.title} ({n})")
            for n in range(10)
            for d in documents
        ]
        write_index(copies, ten)
        print(
            f"index: {len(documents)} documents, {one.stat().st_size / 1e6:.1f} MB; "
            f"10x copy: {len(copies)} documents, {ten.stat().st_size / 1e6:.1f} MB"
        )
        for label, path in (("search, course", one), ("search, 10x copy", ten)):
            index = SearchIndex.open(path)
            report(label, *query_times(index, path))
            index.close()

        cache = folder / "cache"
        cache.mkdir()
        with_index = timed(lambda: cold_load(cache), 5)
        saved = course_cache._store_search_index
        course_cache._store_search_index = lambda course, entry: None
        try:
            without = timed(lambda: cold_load(cache), 5)
        finally:
            course_cache._store_search_index = saved

        def build() -> None:
            lessons.lesson_sections.cache_clear()
            write_index(course_documents(course), folder / "build.search.sqlite")

        alone = timed(build)
    print(
        f"cold course load {without * 1000:.0f} ms without the index, "
        f"{with_index * 1000:.0f} ms with it (+{(with_index / without - 1) * 100:.1f} %); "
        f"the index build alone {alone * 1000:.1f} ms = {alone / without * 100:.1f} % "
        "of the cold load"
    )


if __name__ == "__main__":
    main()

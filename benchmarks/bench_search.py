"""Full-text search benchmarks, run by hand: python benchmarks/bench_search.py

Every figure is reported against a floor measured in the same run:
  * a search over the bundled course and over a 10x copy of it (every document ten times, the
    copy's index written in a temporary folder), each query against a bare FTS5 MATCH count of
    the same words (the floor: what SQLite needs to find them at all);
  * building the index (cutting the course into documents and writing the file) as a share
    of a cold course load (reading and validating the files, writing the course cache); the
    app builds it after the load has handed the course over, so the load itself waits for
    none of it. A first launch from a wheel writes the shipped index instead.
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
        shipped = one.read_bytes()

        # Interleaved rounds, the best of each kept: the machine's load changes over a run.
        loads, builds, copies_ms = [], [], []
        for _ in range(7):
            loads.append(timed(lambda: cold_load(cache), 1))
            loaded = course_cache.load_course_cached(REPO, cache)
            lessons.lesson_sections.cache_clear()
            builds.append(
                timed(lambda c=loaded: course_cache.store_search_index(c, REPO, cache), 1)
            )
            copies_ms.append(timed(lambda: (folder / "copy.sqlite").write_bytes(shipped), 1))
    load, build, copy = min(loads), min(builds), min(copies_ms)
    print(
        f"cold course load {load * 1000:.0f} ms (files read and checked, cache written); the "
        f"index, built after the course is handed over, {build * 1000:.1f} ms = "
        f"{build / load * 100:.1f} % of it; the index shipped in the wheel, written on a "
        f"first launch, {copy * 1000:.1f} ms = {copy / load * 100:.1f} %"
    )


if __name__ == "__main__":
    main()

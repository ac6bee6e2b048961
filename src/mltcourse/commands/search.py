"""``mltcourse search``: full-text search over the course, from its index beside the cache."""

from __future__ import annotations

import json

from . import UsageError


def cmd_search(args) -> int:
    """Answer from the index file when the course is unchanged since it was written (no
    course load at all); otherwise load the course (through the cache) and build it."""
    from ..content.paths import default_root
    from ..store import data_dir
    from ..store.course_cache import load_course_cached, search_index_path
    from ..store.search_index import SearchIndex, SearchIndexError, index_for

    root = default_root(args.content)
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    query = " ".join(args.query)
    cache = data_dir(args.data_dir) / "cache"
    try:
        index = SearchIndex.open(search_index_path(root, cache))
    except SearchIndexError:
        course = load_course_cached(root, cache)
        index = index_for(course, root, search_index_path(root, cache))
    try:
        results = index.search(query, args.limit)
    finally:
        index.close()
    if args.json:
        payload = {"query": query, "results": [result.to_json() for result in results]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    if not results:
        print(f"Nothing in the course matches {query!r}.")
    for result in results:
        print(f"{result.kind:<9} {result.title}\n          {result.ref}")
        if result.snippet:
            print(f"          {' '.join(result.snippet.split())}")
    return 0

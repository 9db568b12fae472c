"""The search phase, in the benchmark's own process: one warm library over the query mix,
against SQLite FTS5 over the same texts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks.bench import VOCABULARY
from benchmarks.bench.api import API_DISTINCT_QUERIES
from benchmarks.generate.lexicon import Lexicon
from benchmarks.queries import (
    PUBLIC,
    FtsSearcher,
    Query,
    build_fts,
    kept_fts,
    query_mix,
    run_mix,
    summarise,
    varied_mix,
)

INPROC_QUERIES = 200  # of the API's distinct queries, run in-process one at a time: its baseline


def measure_search(
    library_dir: Path, cache: Path, fts_path: Path, repeats: int, reuse_fts: bool = False
) -> dict[str, Any]:
    """The query mix on the library and on SQLite FTS5; `reuse_fts`: keep an FTS5 database
    built from the same catalog (`queries.kept_fts`) instead of building it again."""
    from indexer.analysis import FRENCH_STOP_WORDS
    from kb.library import Library

    lexicon = Lexicon.load(cache / "lexicon.txt")
    mix = query_mix(lexicon, FRENCH_STOP_WORDS)
    with Library.open(library_dir, VOCABULARY, create=False) as library:
        t0 = time.perf_counter()
        library.index.searcher()
        open_s = time.perf_counter() - t0

        def search(q: Query) -> int:
            return library.search(
                q.text, dict(q.filters), visibilities=PUBLIC, page=q.page, size=q.size,
                facets=q.facets,
            ).total  # fmt: skip

        t0 = time.perf_counter()
        search(mix[0])
        first_s = time.perf_counter() - t0
        # The same questions again: answered from the library's cache of answers, if any.
        cached = run_mix(search, mix, 1)
        # Searches proper: the cache of answers (if the library has one) is emptied first.
        caching = without_answer_cache(library)
        ours = run_mix(search, mix, repeats)
        # The baseline of the API's rate: the API's own (distinct) queries, one at a time.
        varied = varied_mix(lexicon, FRENCH_STOP_WORDS, API_DISTINCT_QUERIES)[:INPROC_QUERIES]
        t0 = time.perf_counter()
        for q in varied:
            search(q)
        varied_rate = len(varied) / (time.perf_counter() - t0)
        memory = own_memory()
        fts_build = (reuse_fts and kept_fts(library, fts_path)) or build_fts(library, fts_path)
    fts = FtsSearcher(fts_path)
    try:
        theirs = run_mix(fts.search, mix, repeats)
    finally:
        fts.close()
    return {
        "queries": len(mix),
        "repeats": repeats,
        "open_searcher_s": round(open_s, 3),
        "first_query_s": round(first_s, 3),
        "answer_cache": caching,
        "api_queries_in_process_per_s": round(varied_rate, 1),
        "warm_process_mb": memory,
        "library_cached": summarise(cached),
        "library": summarise(ours),
        "fts5": summarise(theirs),
        "fts5_build": fts_build,
        "mix": [q.label() for q in mix],
    }


def without_answer_cache(library: Any) -> bool:
    """Make `library` compute every answer; True if it had a cache of answers to disable.

    The library keeps the last answers per index commit (`kb.search.Searches.cache`): a
    benchmark that repeats its queries would time cache hits. Older code kept them in the
    library's `_search_cache` (a benchmark may run on an older checkout: `--before`).
    """
    searches = getattr(library, "searches", None)
    owner, name = (searches, "cache") if searches is not None else (library, "_search_cache")
    cache = getattr(owner, name, None)
    if cache is None:
        return False
    setattr(owner, name, type(cache)(0))  # a capacity of 0: every answer is computed
    return True


def own_memory() -> dict[str, float]:
    """This process's resident memory now and at its peak (MB), from /proc/self/status."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found["rss" if key == "VmRSS" else "peak"] = round(int(value.split()[0]) / 1024, 1)
    return found

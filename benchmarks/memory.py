"""A warm search process's memory under a cache budget, on a library already built.

    .venv/bin/python -m benchmarks.memory --library PATH --cache-mb 256 [--queries 1000]

Opens the library as `kb serve` does (one process, `cache_mb` for its caches), runs the
benchmark's query mix and `--queries` distinct queries of the API's kind (facets on some,
snippets on all, anonymous caller), and prints one JSON object: resident memory
(/proc/self/status: VmRSS, its anonymous and file-mapped parts, the peak VmHWM) after
opening and after the searches, what the caches held, and the searches' times. Run it
once per budget, each in a fresh process. It opens the library read-write (SQLite's
journal files): give it a copy, not a library another process must find untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from benchmarks.bench import VOCABULARY
from benchmarks.generate.lexicon import Lexicon
from benchmarks.queries import PUBLIC, percentile, query_mix, varied_mix


def memory() -> dict[str, float]:
    """This process's resident memory now (MB): total, anonymous, file-mapped, peak."""
    keys = {"VmRSS": "rss", "RssAnon": "anon", "RssFile": "file", "VmHWM": "peak"}
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in keys:
            found[keys[key]] = round(int(value.split()[0]) / 1024, 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--cache-mb", type=float, required=True)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--lexicon", type=Path, help="lexicon.txt of the generated cache "
                        "(default: built from the corpus, as `benchmarks.generate` does)")
    args = parser.parse_args()
    from indexer.analysis import FRENCH_STOP_WORDS
    from kb.library import Library

    lexicon = (Lexicon.load(args.lexicon) if args.lexicon else Lexicon.build())
    queries = query_mix(lexicon, FRENCH_STOP_WORDS) + varied_mix(
        lexicon, FRENCH_STOP_WORDS, args.queries)
    out: dict[str, object] = {"library": str(args.library), "cache_mb": args.cache_mb,
                              "queries": len(queries), "load_start": os.getloadavg()}
    out["before_open"] = memory()
    with Library.open(args.library, VOCABULARY, create=False, cache_mb=args.cache_mb) as lib:
        lib.index.searcher()
        out["documents"] = lib.index.doc_count()
        out["segments"] = len(lib.index.segments())
        out["opened"] = memory()
        times = []
        for q in queries:
            t0 = time.perf_counter()
            lib.search(q.text, dict(q.filters), visibilities=PUBLIC, page=q.page, size=q.size,
                       facets=q.facets)  # fmt: skip
            times.append(time.perf_counter() - t0)
        out["warm"] = memory()
        out["caches_held_mb"] = round(lib.budget.held / 2**20, 1)
        out["cache_entries"] = len(lib.budget)
    out["search_p50_ms"] = round(percentile(times, 0.5) * 1000, 1)
    out["search_p95_ms"] = round(percentile(times, 0.95) * 1000, 1)
    out["load_end"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

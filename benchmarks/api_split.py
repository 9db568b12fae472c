"""Where a /search request's time goes besides the search: measured in process, per stage.

    .venv/bin/python -m benchmarks.api_split --library PATH [--queries 300]

Over the API's distinct queries (`benchmarks.queries.varied_mix`, as `bench` sends them),
each answered as `GET /search` answers it for an anonymous caller, the stages timed apart:
the library's search (its cache of answers emptied), the catalog check that each hit is
still visible, and the response (models, JSON, ETag). Medians, p95 and shares of the
total; the machine's load is printed with them.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks.bench import VOCABULARY
from benchmarks.bench.search import without_answer_cache
from benchmarks.generate.lexicon import Lexicon
from benchmarks.queries import percentile, varied_mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--size", type=int, default=10_000, help="the generated cache")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    from api.auth import ANONYMOUS
    from api.routes.search import hit_out, still_visible
    from api.schemas import SearchOut
    from indexer.analysis import FRENCH_STOP_WORDS
    from kb.library import Library

    lexicon = Lexicon.load(gen.cache_folder(args.size) / "lexicon.txt")
    mix = varied_mix(lexicon, FRENCH_STOP_WORDS, args.queries)
    # Visibility: the catalog's facts come with the hits (one query a page, in search).
    stages: dict[str, list[float]] = {"search": [], "visibility": [], "response": []}
    with Library.open(args.library, VOCABULARY, create=False) as library:
        library.index.searcher()
        without_answer_cache(library)
        for q in mix[:20]:  # warm: postings of common words, tag tables
            library.search(q.text, dict(q.filters), visibilities=ANONYMOUS.visibilities,
                           page=q.page, size=q.size, facets=q.facets)  # fmt: skip
        load = os.getloadavg()[0]
        for q in mix:
            t0 = time.perf_counter()
            results = library.search(q.text, dict(q.filters),
                                     visibilities=ANONYMOUS.visibilities, page=q.page,
                                     size=q.size, facets=q.facets)  # fmt: skip
            t1 = time.perf_counter()
            shown = [h for h in results.hits if still_visible(ANONYMOUS, h)]
            t2 = time.perf_counter()
            payload = SearchOut(
                query=q.text, total=results.total, page=results.page, size=results.size,
                last_page=results.last_page,
                hits=[hit_out(h) for h in shown],
                facets={f: dict(v) for f, v in results.facets.items()},
                suggestion=results.suggestion, warnings=[str(w) for w in results.warnings],
            )  # fmt: skip
            payload.model_dump_json().encode("utf-8")
            t3 = time.perf_counter()
            stages["search"].append(t1 - t0)
            stages["visibility"].append(t2 - t1)
            stages["response"].append(t3 - t2)
    total = sum(sum(v) for v in stages.values())
    out: dict[str, Any] = {}
    for name, values in stages.items():
        out[name] = (round(percentile(values, 0.5) * 1000, 2),
                     round(percentile(values, 0.95) * 1000, 2),
                     round(100 * sum(values) / total, 1))  # fmt: skip
    print(f"{len(mix)} distinct queries, load before {load:.2f}, after {os.getloadavg()[0]:.2f}")
    for name, (p50, p95, share) in out.items():
        print(f"  {name:<27} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  {share:5.1f}% of a request's")


if __name__ == "__main__":
    main()

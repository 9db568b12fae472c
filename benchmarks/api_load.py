"""The API under load on a library already built, with its in-process baseline.

    .venv/bin/python -m benchmarks.api_load --library PATH [--size 10000] [--processes 1,2]

What `bench` measures in its API phase (a real uvicorn on 127.0.0.1, 8 keep-alive
clients, distinct queries), without the ingest phases: for the library a `bench --keep`
run left, or any library built from `benchmarks.generate`'s cache of that size. The
baseline, measured in this process first: the same distinct queries one at a time on a
warm `Library` (its cache of answers emptied). Prints the figures with the load average
and writes them to benchmarks/results/<size>-<date>-api.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import date
from pathlib import Path

from benchmarks import generate as gen
from benchmarks.bench import RESULTS, VOCABULARY
from benchmarks.bench.api import API_DISTINCT_QUERIES, measure_api
from benchmarks.bench.search import INPROC_QUERIES, own_memory, without_answer_cache
from benchmarks.generate.lexicon import Lexicon
from benchmarks.queries import PUBLIC, percentile, varied_mix


def in_process(library_dir: Path, size: int) -> dict[str, object]:
    from indexer.analysis import FRENCH_STOP_WORDS
    from kb.library import Library

    lexicon = Lexicon.load(gen.cache_folder(size) / "lexicon.txt")
    varied = varied_mix(lexicon, FRENCH_STOP_WORDS, API_DISTINCT_QUERIES)[:INPROC_QUERIES]
    with Library.open(library_dir, VOCABULARY, create=False) as library:
        library.index.searcher()
        without_answer_cache(library)
        times = []
        t0 = time.perf_counter()
        for q in varied:
            t = time.perf_counter()
            library.search(q.text, dict(q.filters), visibilities=PUBLIC, page=q.page,
                           size=q.size, facets=q.facets)  # fmt: skip
            times.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - t0
    return {
        "queries": len(varied),
        "per_s": round(len(varied) / elapsed, 1),
        "p50_ms": round(percentile(times, 0.5) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "warm_process_mb": own_memory(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--size", type=int, default=10_000, help="the generated cache")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    cache = gen.cache_folder(args.size)
    result: dict[str, object] = {"library": str(args.library), "size": args.size,
                                 "load_start": os.getloadavg()}  # fmt: skip
    result["in_process"] = base = in_process(args.library, args.size)
    print(f"in process, one at a time: {base['per_s']}/s, p50 {base['p50_ms']} ms, "
          f"p95 {base['p95_ms']} ms (load {os.getloadavg()[0]:.2f})", flush=True)
    for n in (int(p) for p in args.processes.split(",")):
        before = os.getloadavg()
        api = measure_api(args.library, cache, args.seconds, n)
        api["load_before"], api["load_after"] = before, os.getloadavg()
        result[f"api_{n}"] = api
        s, first = api["search"], api["search_first_pass"]
        print(f"{n} process(es): distinct searches {s['requests_per_s']}/s p95 {s['p95_ms']} ms "
              f"({s['requests_per_s'] / base['per_s']:.2f}x in-process); first pass "
              f"{first['requests_per_s']}/s p95 {first['p95_ms']} ms; repeated mix "
              f"{api['search_repeated_mix']['requests_per_s']}/s; errors {s['errors']}; "
              f"server RSS {api['server_tree_rss_mb']} MB; connections per process "
              f"{api['connections_per_process']}; load {before[0]:.2f} -> "
              f"{api['load_after'][0]:.2f}", flush=True)  # fmt: skip
    out = RESULTS / f"{args.size}-{date.today().isoformat()}-api.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()

"""Distinct searches in process: where their time goes, and whether a change kept the answers.

    .venv/bin/python -m benchmarks.distinct stages --library PATH [--queries 400]
    .venv/bin/python -m benchmarks.distinct profile --library PATH [--queries 400]
    .venv/bin/python -m benchmarks.distinct answers --library PATH --out FILE [--queries 1000]
    .venv/bin/python -m benchmarks.distinct compare BEFORE AFTER

Over the API's distinct queries (`benchmarks.queries.varied_mix`, as `bench` sends them),
each asked once on a warm `Library` (its cache of answers emptied) for an anonymous caller:
- `stages`: each search's time split into its stages (parsing and tag expansion, scoring,
  the engine's search, hits with snippets, facets, suggestion), medians, p95 and shares,
  for all queries and for the slowest 5%;
- `profile`: cProfile of the same searches, the top functions by own and cumulative time;
- `answers`: every answer (total, hits with scores, snippets, facets, suggestion, warnings)
  as JSON lines; `compare` says which queries' answers differ between two such files.
The first `--warm` queries are asked once before the measure (tag tables, common words).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import pstats
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks.bench import VOCABULARY
from benchmarks.bench.search import without_answer_cache
from benchmarks.generate.lexicon import Lexicon
from benchmarks.queries import PUBLIC, Query, percentile, varied_mix


def _mix(size: int, count: int) -> list[Query]:
    from indexer.analysis import FRENCH_STOP_WORDS

    lexicon = Lexicon.load(gen.cache_folder(size) / "lexicon.txt")
    return varied_mix(lexicon, FRENCH_STOP_WORDS, count)


@contextmanager
def _library(path: Path) -> Iterator[Any]:
    from kb.library import Library

    with Library.open(path, VOCABULARY, create=False) as library:
        library.index.searcher()
        without_answer_cache(library)
        yield library


def _ask(library: Any, q: Query) -> Any:
    return library.search(q.text, dict(q.filters), visibilities=PUBLIC, page=q.page,
                          size=q.size, facets=q.facets)  # fmt: skip


# --- stages ---------------------------------------------------------------------------------

# "other" is the rest: mostly the engine's own search (one call into tantivy).
STAGES = ("parse", "compile", "hits", "facets", "suggest")


def _instrument(spent: dict[str, float]) -> Callable[[], None]:
    """Time the stages of `FullTextIndex.search` (`indexer.searching`) into `spent` (name ->
    seconds); returns the function that undoes it."""
    import indexer.searching as searching
    from indexer.compile import Compiler

    patched: list[tuple[Any, str, Any]] = []
    inside: list[str] = []  # a stage within another (suggest parses) counts in the outer

    def timed(owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if inside:
                return original(*args, **kwargs)
            inside.append(stage)
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - t
                inside.pop()

        patched.append((owner, name, original))
        setattr(owner, name, wrapper)

    timed(searching.Searching, "_parse", "parse")
    timed(searching, "expand", "parse")
    timed(Compiler, "compile", "compile")
    timed(searching, "build_hits", "hits")
    timed(searching, "facet_counts", "facets")
    timed(searching.Searching, "_suggest", "suggest")

    def undo() -> None:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)

    return undo


def stages(library_dir: Path, size: int, count: int, warm: int) -> None:
    mix = _mix(size, count + warm)
    rows: list[dict[str, float]] = []
    with _library(library_dir) as library:
        for q in mix[:warm]:
            _ask(library, q)
        spent: dict[str, float] = defaultdict(float)
        undo = _instrument(spent)
        load = os.getloadavg()[0]
        try:
            for q in mix[warm:]:
                spent.clear()
                t = time.perf_counter()
                _ask(library, q)
                total = time.perf_counter() - t
                row = {s: spent.get(s, 0.0) for s in STAGES}
                row["total"] = total
                row["other"] = total - sum(row[s] for s in STAGES)
                row["kind"] = q.kind  # type: ignore[assignment]
                rows.append(row)
        finally:
            undo()
    print(f"{len(rows)} distinct queries after {warm} to warm, load {load:.2f} -> "
          f"{os.getloadavg()[0]:.2f}")  # fmt: skip
    _report("all", rows)
    slow_floor = percentile([r["total"] for r in rows], 0.95)
    _report("slowest 5%", [r for r in rows if r["total"] >= slow_floor])
    by_kind: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        by_kind[str(r["kind"])].append(r["total"])
    for kind, times in sorted(by_kind.items()):
        print(f"  {kind:<16} n={len(times):4d}  p50 {percentile(times, .5) * 1000:7.2f} ms  "
              f"p95 {percentile(times, .95) * 1000:7.2f} ms")  # fmt: skip


def _report(title: str, rows: list[dict[str, float]]) -> None:
    total = sum(r["total"] for r in rows)
    times = [r["total"] for r in rows]
    print(f"{title}: {len(rows)} searches, {len(rows) / total:.1f}/s one at a time, "
          f"p50 {percentile(times, .5) * 1000:.2f} ms, p95 {percentile(times, .95) * 1000:.2f} ms")
    for stage in (*STAGES, "other"):
        values = [r[stage] for r in rows]
        print(f"  {stage:<8} p50 {percentile(values, .5) * 1000:7.2f} ms  p95 "
              f"{percentile(values, .95) * 1000:7.2f} ms  {100 * sum(values) / total:5.1f}%")


# --- profile --------------------------------------------------------------------------------


def profile(library_dir: Path, size: int, count: int, warm: int, top: int) -> None:
    mix = _mix(size, count + warm)
    with _library(library_dir) as library:
        for q in mix[:warm]:
            _ask(library, q)
        profiler = cProfile.Profile()
        profiler.enable()
        for q in mix[warm:]:
            _ask(library, q)
        profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(out.getvalue())


# --- answers --------------------------------------------------------------------------------


def answers(library_dir: Path, size: int, count: int, out: Path) -> None:
    mix = _mix(size, count)
    with _library(library_dir) as library, out.open("w") as f:
        for q in mix:
            r = _ask(library, q)
            f.write(json.dumps({
                "query": q.label(),
                "total": r.total,
                "hits": [[h.id, h.score] for h in r.hits],
                "snippets": [[dataclasses.astuple(s) for s in h.snippets] for h in r.hits],
                "facets": r.facets,
                "suggestion": r.suggestion,
                "warnings": [str(w) for w in r.warnings],
            }, ensure_ascii=False, default=list) + "\n")  # fmt: skip
    print(f"{len(mix)} answers written to {out}")


def compare(before: Path, after: Path) -> int:
    a = before.read_text().splitlines()
    b = after.read_text().splitlines()
    differ = 0
    for x, y in zip(a, b, strict=True):
        if x != y:
            differ += 1
            if differ <= 10:
                left, right = json.loads(x), json.loads(y)
                keys = [k for k in left if left[k] != right[k]]
                print(f"differs: {left['query']}: {', '.join(keys)}")
    print(f"{len(a)} answers compared, {differ} differ")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("stages", "profile", "answers", "compare"))
    parser.add_argument("files", nargs="*", type=Path, help="compare: BEFORE AFTER")
    parser.add_argument("--library", type=Path)
    parser.add_argument("--size", type=int, default=10_000, help="the generated cache")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.what == "compare":
        raise SystemExit(compare(*args.files))
    if args.library is None:
        parser.error("--library is required")
    if args.what == "stages":
        stages(args.library, args.size, args.queries, args.warm)
    elif args.what == "profile":
        profile(args.library, args.size, args.queries, args.warm, args.top)
    else:
        if args.out is None:
            parser.error("--out is required")
        answers(args.library, args.size, args.queries, args.out)


if __name__ == "__main__":
    main()

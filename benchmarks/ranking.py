"""Search with Whoosh scoring every match (the old path) against `indexer.ranking.Ranker`,
in one process, on the same warm library and the same queries: same answers, and how long.

    .venv/bin/python -m benchmarks.ranking --size 1000               # the bench's kept library
    .venv/bin/python -m benchmarks.ranking --size 10000 --library DIR --varied 300

Checks, for the benchmark's query mix and `--varied` of the API's distinct queries: the same
total, facets and suggestion, and the same hits in the same order (scores may differ in
their last bits: hits whose scores are within 1e-9 of each other may swap; reported apart).
Then times both paths over the mix, alternating query by query (`--repeats` passes after a
warm-up pass), with the library's cache of answers emptied: medians and p95 per class, and
their ratios. The old path is `tests.whoosh_oracle.score_all` and Whoosh's `docs_for_query`
behind the same `FullTextIndex.search` (page cutting and snippets are the new code's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whoosh import query as wq

from benchmarks import generate as gen
from benchmarks.bench import VOCABULARY, _without_answer_cache
from benchmarks.queries import PUBLIC, Query, percentile, query_mix, varied_mix
from indexer import index as index_module
from indexer.facets import DocSet
from tests.whoosh_oracle import score_all, whoosh_query


def matching(searcher: Any, query: Any, visible: DocSet | None) -> DocSet:
    """Documents the query matches (not scored), among `visible` (None: all), by Whoosh."""
    if query is wq.NullQuery:
        return frozenset()
    docs = frozenset(searcher.docs_for_query(whoosh_query(query)))
    return docs if visible is None else docs & visible


class WhooshRanker:
    """The old path: Whoosh scores every match, Whoosh finds match sets."""

    cache = None  # snippets read Whoosh's matchers too

    def __init__(self, searcher: Any, every: DocSet):
        self.searcher = searcher
        self.every = every

    def scores(self, query: Any, scope: DocSet | None) -> dict[int, float]:
        return score_all(self.searcher, query, scope, self.every)

    def docs(self, query: Any, scope: DocSet | None = None) -> DocSet:
        return matching(self.searcher, query, scope)


class Paths:
    """Switches `FullTextIndex.search` between the two rankers (a benchmark-only patch)."""

    def __init__(self) -> None:
        self.original = index_module._View.ranker
        self._old: dict[int, WhooshRanker] = {}

    def use(self, which: str) -> None:
        if which == "new":
            index_module._View.ranker = self.original  # type: ignore[method-assign]
            return
        old = self._old

        def ranker(view: Any) -> WhooshRanker:
            key = id(view)
            if key not in old:
                old[key] = WhooshRanker(view.searcher, view.tags.all_docs)
            return old[key]

        index_module._View.ranker = property(ranker)  # type: ignore[method-assign,assignment]


def _answer(results: Any) -> dict[str, Any]:
    return {
        "total": results.total,
        "hits": [(h.id, h.score) for h in results.hits],
        "facets": {k: dict(v) for k, v in results.facets.items()},
        "suggestion": results.suggestion,
        "snippets": [h.snippets for h in results.hits],
    }


def _same_order(old: list[tuple[str, float]], new: list[tuple[str, float]]) -> str:
    """ "same", "near-tie" (only hits with scores within 1e-9 swapped) or "different"."""
    if [i for i, _ in old] == [i for i, _ in new]:
        return "same"
    if len(old) != len(new):
        return "different"
    for (a, sa), (b, sb) in zip(old, new, strict=True):
        if a != b and abs(sa - sb) > 1e-9:
            return "different"
    return "near-tie"


def check(library: Any, paths: Paths, queries: Sequence[Query]) -> dict[str, Any]:
    problems: list[str] = []
    near = 0
    for q in queries:
        answers = {}
        for which in ("old", "new"):
            paths.use(which)
            answers[which] = _answer(library.search(
                q.text, dict(q.filters), visibilities=PUBLIC, page=q.page, size=q.size,
                facets=q.facets,
            ))  # fmt: skip
        old, new = answers["old"], answers["new"]
        for key in ("total", "facets", "suggestion"):
            if old[key] != new[key]:
                problems.append(f"{q.label()}: {key} {old[key]!r} != {new[key]!r}")
        order = _same_order(old["hits"], new["hits"])
        if order == "different":
            problems.append(f"{q.label()}: hits {old['hits']} != {new['hits']}")
        elif order == "near-tie":
            near += 1
        elif old["snippets"] != new["snippets"]:
            problems.append(f"{q.label()}: snippets differ")
        scores_old = [s for _, s in old["hits"]]
        scores_new = [s for _, s in new["hits"]]
        if any(abs(a - b) > 1e-3 for a, b in zip(scores_old, scores_new, strict=False)):
            problems.append(f"{q.label()}: scores {scores_old} != {scores_new}")
    return {"queries": len(queries), "near_ties": near, "problems": problems}


def timing(library: Any, paths: Paths, mix: Sequence[Query], repeats: int) -> dict[str, Any]:
    times: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
    per_query: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}

    def run(which: str, q: Query) -> float:
        paths.use(which)
        t0 = time.perf_counter()
        library.search(q.text, dict(q.filters), visibilities=PUBLIC, page=q.page,
                       size=q.size, facets=q.facets)  # fmt: skip
        return time.perf_counter() - t0

    for q in mix:  # warm-up: postings read once per generation by the new path
        run("old", q)
        run("new", q)
    for n in range(repeats):
        for q in mix:
            order = ("old", "new") if n % 2 == 0 else ("new", "old")
            for which in order:
                seconds = run(which, q)
                times[which].setdefault(q.kind, []).append(seconds)
                times[which].setdefault("all", []).append(seconds)
                per_query[which].setdefault(q.label(), []).append(seconds)

    def stats(values: list[float]) -> dict[str, float]:
        return {"p50_ms": round(statistics.median(values) * 1000, 2),
                "p95_ms": round(percentile(values, 0.95) * 1000, 2)}  # fmt: skip

    out: dict[str, Any] = {}
    for kind in times["old"]:
        old, new = stats(times["old"][kind]), stats(times["new"][kind])
        out[kind] = {"old": old, "new": new,
                     "p50_ratio": round(new["p50_ms"] / old["p50_ms"], 3),
                     "p95_ratio": round(new["p95_ms"] / old["p95_ms"], 3)}  # fmt: skip
    out["queries"] = {
        label: {w: round(statistics.median(per_query[w][label]) * 1000, 2) for w in ("old", "new")}
        for label in per_query["old"]
    }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from indexer.analysis import FRENCH_STOP_WORDS
    from kb.library import Library

    parser = argparse.ArgumentParser(description="Old (Whoosh) vs new ranking, same process.")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--library", type=Path, help="built library (default: the bench's)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--varied", type=int, default=200, help="API queries to check")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures there too")
    args = parser.parse_args(argv)
    cache = gen.generate(args.size)
    library_dir = args.library or cache / "work" / "library"
    lexicon = gen.Lexicon.load(cache / "lexicon.txt")
    mix = query_mix(lexicon, FRENCH_STOP_WORDS)
    varied = varied_mix(lexicon, FRENCH_STOP_WORDS, 2000)[: args.varied]
    paths = Paths()
    result: dict[str, Any] = {"size": args.size, "library": str(library_dir)}
    try:
        with Library.open(library_dir, VOCABULARY, create=False) as library:
            _without_answer_cache(library)
            t0 = time.perf_counter()
            result["check"] = check(library, paths, [*mix, *varied])
            result["check_s"] = round(time.perf_counter() - t0, 1)
            print(json.dumps(result["check"], indent=1, ensure_ascii=False)[:4000])
            if not args.no_timing:
                result["timing"] = timing(library, paths, mix, args.repeats)
                for kind, row in result["timing"].items():
                    if kind != "queries":
                        print(f"{kind:16} old {row['old']}  new {row['new']}  "
                              f"p50 x{row['p50_ratio']} p95 x{row['p95_ratio']}")  # fmt: skip
                for label, row in result["timing"]["queries"].items():
                    print(f"  {label[:60]:60} old {row['old']:8.1f}  new {row['new']:7.1f} ms")
    finally:
        paths.use("new")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 1 if result.get("check", {}).get("problems") else 0


if __name__ == "__main__":
    raise SystemExit(main())

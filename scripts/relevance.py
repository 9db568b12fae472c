"""Relevance benchmark: nDCG@10 and MRR of `kb search` on the sample library.

    .venv/bin/python scripts/relevance.py            # means, per category, failing queries
    .venv/bin/python scripts/relevance.py --verbose  # every query with its top results
    .venv/bin/python scripts/relevance.py --check    # exit 1 below the stored floor

Builds a temporary library from corpus/ (real ingest: extraction, sidecars, tags), runs each
query of benchmarks/relevance/queries.toml through `Library.search` and scores the first ten
hits against the judgments (graded 0-2, by file name). nDCG@10 uses gain 2^grade - 1 and
the ideal ordering of the judged documents; MRR the rank of the first relevant document.
A query that finds nothing but gets a "did you mean" is scored on the suggestion's results.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.ingest import IngestOptions, ingest  # noqa: E402
from kb.library import Library  # noqa: E402

BENCHMARK = ROOT / "benchmarks" / "relevance" / "queries.toml"
CORPUS = ROOT / "corpus"
VOCABULARY = CORPUS / "vocabulary.toml"
DEPTH = 10
FAILING_NDCG = 0.5  # a query below this is listed as failing


@dataclass(frozen=True)
class Query:
    text: str
    category: str
    relevant: Mapping[str, int]  # file name -> grade (1 or 2)
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    visibilities: frozenset[str] | None = None


@dataclass(frozen=True)
class Outcome:
    query: Query
    ranked: tuple[str, ...]  # file names of the top hits, best first
    ndcg: float
    rr: float
    followed: str | None  # the suggestion scored instead of the query, if any


def load(path: Path = BENCHMARK) -> tuple[list[Query], dict[str, float]]:
    """The queries and the floor of a benchmark file; ValueError naming a bad entry."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    floor = {k: float(v) for k, v in data.get("floor", {}).items()}
    queries = []
    for i, entry in enumerate(data.get("query", []), start=1):
        where = f"{path.name}: query {i} ({entry.get('text')!r})"
        relevant = entry.get("relevant") or {}
        if not relevant or any(g not in (1, 2) for g in relevant.values()):
            raise ValueError(f"{where}: `relevant` needs file names graded 1 or 2")
        visibilities = entry.get("visibilities")
        queries.append(
            Query(
                text=entry["text"],
                category=entry.get("category", "other"),
                relevant=dict(relevant),
                filters={k: tuple(v) for k, v in entry.get("filters", {}).items()},
                visibilities=None if visibilities is None else frozenset(visibilities),
            )
        )
    return queries, floor


def dcg(gains: Sequence[float]) -> float:
    return sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], depth: int = DEPTH) -> float:
    """nDCG of `ranked` against graded `relevant` (gain 2^grade - 1), cut at `depth`."""
    gains = [2 ** relevant.get(name, 0) - 1 for name in ranked[:depth]]
    ideal = sorted((2**g - 1 for g in relevant.values()), reverse=True)[:depth]
    best = dcg(ideal)
    return dcg(gains) / best if best else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int]) -> float:
    for rank, name in enumerate(ranked, start=1):
        if relevant.get(name, 0) > 0:
            return 1.0 / rank
    return 0.0


def build_library(directory: Path) -> Library:
    library = Library.open(directory / "library", VOCABULARY)
    report = ingest(library, [CORPUS], IngestOptions(workers=1))
    if report.failed:
        raise SystemExit(f"ingest of {CORPUS} failed: {report.failed}")
    return library


def run(library: Library, queries: Sequence[Query]) -> list[Outcome]:
    known = {Path(p.given).name for doc in library.catalog.documents()
             for p in library.catalog.paths_of(doc.id)}  # fmt: skip
    outcomes = []
    for query in queries:
        missing = sorted(set(query.relevant) - known)
        if missing:
            raise SystemExit(f"{query.text!r}: judged files not in the library: {missing}")
        ranked, followed = _ranked(library, query, query.text)
        if not ranked and followed is not None:
            ranked, _ = _ranked(library, query, followed)
        else:
            followed = None
        outcomes.append(
            Outcome(
                query,
                ranked,
                ndcg_at(ranked, query.relevant),
                reciprocal_rank(ranked, query.relevant),
                followed,
            )
        )
    return outcomes


def _ranked(library: Library, query: Query, text: str) -> tuple[tuple[str, ...], str | None]:
    results = library.search(
        text,
        query.filters,
        visibilities=query.visibilities,
        size=DEPTH,
        snippets=0,
    )
    names = tuple(Path(h.path).name if h.path else h.id for h in results.hits)
    return names, results.suggestion


def report(outcomes: Sequence[Outcome], verbose: bool) -> tuple[float, float]:
    n = len(outcomes)
    mean_ndcg = sum(o.ndcg for o in outcomes) / n
    mrr = sum(o.rr for o in outcomes) / n
    print(f"{n} queries   nDCG@{DEPTH} {mean_ndcg:.3f}   MRR {mrr:.3f}")
    categories: dict[str, list[Outcome]] = {}
    for o in outcomes:
        categories.setdefault(o.query.category, []).append(o)
    for name, group in categories.items():
        g_ndcg = sum(o.ndcg for o in group) / len(group)
        g_mrr = sum(o.rr for o in group) / len(group)
        print(f"  {name:<16} {len(group):>3}   nDCG@{DEPTH} {g_ndcg:.3f}   MRR {g_mrr:.3f}")
    failing = [o for o in outcomes if o.ndcg < FAILING_NDCG]
    shown = outcomes if verbose else failing
    if failing:
        print(f"\n{len(failing)} failing (nDCG@{DEPTH} < {FAILING_NDCG}):")
    for o in shown:
        _print_outcome(o)
    return mean_ndcg, mrr


def _print_outcome(o: Outcome) -> None:
    extra = f"  (scored on the suggestion {o.followed!r})" if o.followed else ""
    print(f"\n  {o.query.text!r} [{o.query.category}] nDCG {o.ndcg:.3f} RR {o.rr:.2f}{extra}")
    for rank, name in enumerate(o.ranked, start=1):
        grade = o.query.relevant.get(name, 0)
        print(f"    {rank:>2}. {'*' * grade:<2} {name}")
    missed = [name for name in o.query.relevant if name not in o.ranked]
    for name in missed:
        print(f"     -  {'*' * o.query.relevant[name]:<2} {name} (not in the top {DEPTH})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 below the floor")
    parser.add_argument("--verbose", action="store_true", help="print every query")
    parser.add_argument("--benchmark", type=Path, default=BENCHMARK)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    queries, floor = load(args.benchmark)
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as tmp:
        library = build_library(Path(tmp))
        try:
            built = time.perf_counter()
            outcomes = run(library, queries)
            searched = time.perf_counter()
        finally:
            library.close()
    mean_ndcg, mrr = report(outcomes, args.verbose)
    print(
        f"\nlibrary built in {built - started:.1f} s; {len(queries)} queries in "
        f"{(searched - built) * 1000:.0f} ms"
    )
    if not args.check:
        return 0
    low = []
    if mean_ndcg < floor.get("ndcg_at_10", 0.0):
        low.append(f"nDCG@{DEPTH} {mean_ndcg:.3f} < floor {floor['ndcg_at_10']:.3f}")
    if mrr < floor.get("mrr", 0.0):
        low.append(f"MRR {mrr:.3f} < floor {floor['mrr']:.3f}")
    if low:
        print("relevance below the floor: " + "; ".join(low), file=sys.stderr)
        return 1
    print(f"relevance at or above the floor ({floor})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Search speed: `Library.search` with facets and snippets against the bare engine, same
process.

    .venv/bin/python scripts/bench_search.py               # sample library x 25 (500 docs)
    .venv/bin/python scripts/bench_search.py --copies 1    # the sample library as it is
    .venv/bin/python scripts/bench_search.py --runs 50 --copies 100

Ingests corpus/ into a temporary library, then writes `--copies` - 1 more copies of every
document straight into the index (new ids, same text and tags), so that broad queries
return hundreds of documents. For each query it times, interleaved run by run:
- `bare`: the parsed, compiled query through tantivy's `Searcher.search(limit=10)`, no
  filter, no facets, no snippets, no catalog (what the engine alone costs);
- `full`: `Library.search(..., facets=True)` (total, 10 hits with 3 snippets each, the 7
  facets, the "did you mean" check, the catalog lookups of the hits' paths);
- `public`: the same with visibilities={"public"} (the portal's view).
Prints medians and p95 in milliseconds and the full/bare ratio of the medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.compile import Compiler  # noqa: E402
from indexer.index import QUERY_TAG_FIELDS  # noqa: E402
from indexer.query import parse_query  # noqa: E402
from indexer.schema import QUERY_FIELD_KINDS, TEXT_FIELD_BOOSTS, engine_schema  # noqa: E402
from kb.ingest import IngestOptions, ingest  # noqa: E402
from kb.library import Library  # noqa: E402

CORPUS = ROOT / "corpus"
QUERIES: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
    ("économie sociale", {}),
    ("observatoire ESS Bretagne", {}),
    ("coopérative", {}),
    ('"conseil scientifique"', {}),
    ("emploi", {"territory": ("bretagne",)}),
    ("étude", {"family": ("mutuelles", "cooperatives")}),
    ("mutuelle de santee", {}),
    ("", {"kind": ("etude",)}),
)


def build(directory: Path, copies: int) -> Library:
    library = Library.open(directory / "library", CORPUS / "vocabulary.toml")
    ingest(library, [CORPUS], IngestOptions(workers=1))
    docs = library.catalog.documents(state="active")
    indexed = [library.index_document(doc) for doc in docs]
    with library.index.writer(timeout=30.0) as writer:  # one commit, as one ingest would
        for copy in range(1, copies):
            for doc in indexed:
                writer.upsert(dataclasses.replace(doc, id=f"{doc.id}-{copy}"))
    return library


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=25, help="copies of the corpus")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        started = time.perf_counter()
        library = build(Path(tmp), args.copies)
        try:
            print(
                f"library: {library.index.doc_count()} documents "
                f"(built in {time.perf_counter() - started:.1f} s)\n"
            )
            cold(library)
            bench(library, args.runs)
        finally:
            library.close()
    return 0


def cold(library: Library) -> None:
    """The first search on a freshly opened library: the searcher is opened and the tag
    sets of the facets are read from the postings (once per index generation)."""
    times = []
    for _ in range(5):
        fresh = Library.open(library.root, library.vocabulary)
        try:
            t0 = time.perf_counter()
            fresh.search("économie sociale", facets=True)
            times.append((time.perf_counter() - t0) * 1000)
        finally:
            fresh.close()
    print(f"first search after opening (cold), median of 5: {statistics.median(times):.1f} ms\n")


def bench(library: Library, runs: int) -> None:
    searcher: Any = library.index.searcher()
    compiler = Compiler(engine_schema())

    def bare(text: str) -> Callable[[], object]:
        def run() -> object:
            parsed = parse_query(text, kinds=QUERY_FIELD_KINDS, text_fields=TEXT_FIELD_BOOSTS,
                                 tag_fields=QUERY_TAG_FIELDS)  # fmt: skip
            return len(searcher.search(compiler.compile(parsed.query), limit=10).hits)

        return run

    header = f"{'query':<34} {'hits':>5}  {'bare p50/p95':>13}  {'full p50/p95':>13}"
    print(f"{header}  {'public p50/p95':>14}  full/bare")
    all_full: list[float] = []
    all_bare: list[float] = []
    for text, filters in QUERIES:
        modes: dict[str, Callable[[], object]] = {
            "bare": bare(text),
            "full": lambda t=text, f=filters: library.search(t, f, facets=True),
            "public": lambda t=text, f=filters: library.search(
                t, f, facets=True, visibilities=frozenset({"public"})
            ),
        }
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        for mode in modes.values():  # warm caches: the tag table, the stemmer, the pages
            mode()
        for _ in range(runs):
            for mode, func in modes.items():
                t0 = time.perf_counter()
                func()
                times[mode].append((time.perf_counter() - t0) * 1000)
        total = library.search(text, filters).total
        cells = []
        for mode in modes:
            p50, p95 = statistics.median(times[mode]), percentile(times[mode], 0.95)
            cells.append(f"{p50:6.1f}/{p95:6.1f}")
        ratio = statistics.median(times["full"]) / statistics.median(times["bare"])
        label = (text or "(empty)") + (f" {filters}" if filters else "")
        print(f"{label[:34]:<34} {total:>5}  {cells[0]:>13}  {cells[1]:>13}  {cells[2]:>14}"
              f"  {ratio:5.1f}x")  # fmt: skip
        all_full += times["full"]
        all_bare += times["bare"]
    print(
        f"\nall queries: full p50 {statistics.median(all_full):.1f} ms, "
        f"p95 {percentile(all_full, 0.95):.1f} ms; bare p50 {statistics.median(all_bare):.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())

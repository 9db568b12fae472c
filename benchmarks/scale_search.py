"""Search at a larger size without a cold ingest of it: the engine alone, in one process.

    .venv/bin/python -m benchmarks.scale_search --library PATH --copies 10

Builds an index of `copies` times the documents of a built library (`make bench
SIZE=10000 --keep` leaves one under benchmarks/cache/10000/work/library), each copy with
ids of its own, analysed in a pool of processes and written by one writer, as `kb
reindex` does; then runs the bench's query mixes on it through `FullTextIndex.search` (as
an anonymous visitor: public documents, facets and snippets where the mix asks) and, in
the same process, on an index of one copy: the baseline of the ratios. Prints p50/p95 over
the fixed mix, distinct searches a second over the varied mix, the process's memory and
the index's size, and writes them to benchmarks/results/scale-<documents>-<date>.json.

What it leaves out of `kb search`: the catalog (hits are not checked against it) and the
vocabulary's names typed in a query (`tag_names`); both cost little beside the engine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks.bench import RESULTS, VOCABULARY
from benchmarks.generate.lexicon import Lexicon
from benchmarks.queries import PUBLIC, Query, percentile, query_mix, varied_mix
from indexer.analysis import FRENCH_STOP_WORDS
from indexer.fields import index_field
from indexer.index import FullTextIndex, IndexDocument, SearchRequest
from indexer.prepare import PreparedText, join_sections, prepare_text
from kb.library import Library

BATCH = 2_000  # documents per commit


def _prepare(text: str) -> PreparedText:
    return prepare_text(text)


def _documents(library_dir: Path) -> list[IndexDocument]:
    with Library.open(library_dir, VOCABULARY, create=False) as library:
        return [library.index_document(doc) for doc in library.catalog.documents(state="active")]


def _copies(docs: Sequence[IndexDocument], copies: int) -> Iterator[IndexDocument]:
    for copy in range(copies):
        for doc in docs:
            yield dataclasses.replace(doc, id=f"{doc.id}-{copy}", prepared=None)


def build(target: Path, docs: Sequence[IndexDocument], copies: int, workers: int) -> float:
    """Index `copies` times `docs` into a new index at `target`; seconds taken."""
    started = time.perf_counter()
    index = FullTextIndex.create(target)
    texts = [join_sections(doc.sections)[0] for doc in docs]
    with ProcessPoolExecutor(workers) as pool:
        prepared = list(pool.map(_prepare, texts, chunksize=64))
    try:
        writer = index.open_writer()
        for n, doc in enumerate(_copies(docs, copies), 1):
            writer.upsert(dataclasses.replace(doc, prepared=prepared[(n - 1) % len(docs)]))
            if n % BATCH == 0:
                writer.commit()
                writer = index.open_writer()
        writer.commit()
    finally:
        index.close()
    return time.perf_counter() - started


def request(q: Query, snippets: int = 3) -> SearchRequest:
    filters = {index_field(name): tuple(values) for name, values in q.filters.items()}
    return SearchRequest(text=q.text, filters=filters, visibilities=PUBLIC, page=q.page,
                         size=q.size, facets=q.facets, snippets=snippets)  # fmt: skip


def measure(index: FullTextIndex, fixed: Sequence[Query], varied: Sequence[Query],
            repeats: int) -> dict[str, Any]:  # fmt: skip
    for q in fixed:  # warm: the engine's files into the page cache
        index.search(request(q))
    times = []
    for _ in range(repeats):
        for q in fixed:
            t = time.perf_counter()
            index.search(request(q))
            times.append(time.perf_counter() - t)
    started = time.perf_counter()
    distinct = []
    for q in varied:
        t = time.perf_counter()
        index.search(request(q))
        distinct.append(time.perf_counter() - t)
    wall = time.perf_counter() - started
    return {
        "mix_p50_ms": round(1000 * percentile(times, 0.5), 2),
        "mix_p95_ms": round(1000 * percentile(times, 0.95), 2),
        "distinct_per_s": round(len(varied) / wall, 1),
        "distinct_p95_ms": round(1000 * percentile(distinct, 0.95), 2),
    }


def _measure_alone(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    lexicon = Lexicon.load(gen.cache_folder(args.size) / "lexicon.txt")
    fixed = query_mix(lexicon, FRENCH_STOP_WORDS)
    varied = varied_mix(lexicon, FRENCH_STOP_WORDS, args.distinct)
    index = FullTextIndex.open(folder, create=False)
    try:
        found = measure(index, fixed, varied, args.repeats)
        found["rss_mb"] = _rss_mb()  # heap and the index's pages mapped in so far
        found["rss_anon_mb"] = _rss_mb("RssAnon:")  # the heap alone
        found["index_mb"] = _size_mb(folder)
        found["segments"] = len(index.segments())
    finally:
        index.close()
    return found


def _rss_mb(field: str = "VmRSS:") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path,
                        default=gen.cache_folder(10_000) / "work" / "library")  # fmt: skip
    parser.add_argument("--size", type=int, default=10_000, help="the library's size (lexicon)")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--distinct", type=int, default=1000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure_alone(args.measure, args)))
        return
    load = [os.getloadavg()[0]]
    docs = _documents(args.library)
    work = Path(tempfile.mkdtemp(prefix="kb-scale-"))
    results: dict[str, Any] = {"documents": len(docs) * args.copies, "base_documents": len(docs)}
    try:
        results["build_s_base"] = round(build(work / "base", docs, 1, args.workers), 1)
        results["build_s"] = round(build(work / "big", docs, args.copies, args.workers), 1)
        for name in ("base", "big"):  # each in a process of its own: its memory is the search's
            child = subprocess.run(
                [sys.executable, "-m", "benchmarks.scale_search", "--measure", str(work / name),
                 "--size", str(args.size), "--repeats", str(args.repeats),
                 "--distinct", str(args.distinct)],
                capture_output=True, text=True, check=True)  # fmt: skip
            results[name] = json.loads(child.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load.append(os.getloadavg()[0])
    results["load"] = load
    results["ratios"] = {k: round(results["big"][k] / results["base"][k], 2)
                         for k in ("mix_p50_ms", "mix_p95_ms", "distinct_per_s")}  # fmt: skip
    out = RESULTS / f"scale-{results['documents']}-{date.today().isoformat()}.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()

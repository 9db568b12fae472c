"""Where the benchmark's time goes, and what other settings would give (measured, not guessed).

    .venv/bin/python -m benchmarks.profile extract --size 1000   # per format, per stage
    .venv/bin/python -m benchmarks.profile index --size 1000     # writer settings, fields
    .venv/bin/python -m benchmarks.profile ingest --size 1000    # cProfile of the parent
    .venv/bin/python -m benchmarks.profile search --size 1000    # cProfile per query class

Runs on the cached library of `benchmarks.generate` (and, for `index` and `search`, on the
library a `bench --keep` run left in benchmarks/cache/<size>/work/library). Nothing here
changes the project's code: alternatives (writer settings, fields left out, pypdf instead of
PDFium) are built beside it with the project's own schema, analyzer and `IndexWriter`.
Output goes to stdout and to benchmarks/results/<size>-<date>-profile-<what>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pickle
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks.bench import RESULTS, VOCABULARY
from benchmarks.bench.search import without_answer_cache
from benchmarks.generate import documents, lexicon
from benchmarks.generate.documents import Terms

INDEX_BATCH = 200  # as kb.library.INDEX_BATCH


def _top(profile: cProfile.Profile, count: int = 25, sort: str = "tottime") -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(count)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start : start + count + 1])


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


@contextmanager
def _timer(into: dict[str, float], key: str) -> Iterator[None]:
    """Adds wall seconds to `key` and CPU seconds to `key + " cpu"`: the machine is shared,
    and CPU time is what other processes disturb least."""
    t0, c0 = time.perf_counter(), _cpu()
    yield
    into[key] = into.get(key, 0.0) + time.perf_counter() - t0
    into[key + " cpu"] = into.get(key + " cpu", 0.0) + _cpu() - c0


def _files(cache: Path) -> list[dict[str, Any]]:
    import json

    return list(json.loads((cache / "manifest.json").read_text())["files"])


# --- extraction -----------------------------------------------------------------------------


def profile_extract(cache: Path, sample: int) -> None:
    """Per format: extraction and repair time per page, the PDF stages, pypdf vs PDFium."""
    from indexer.extract import default_registry
    from indexer.extract import pdf as pdf_module
    from indexer.repair import repair_document
    from kb.extraction import ExtractJob, run_extraction

    registry = default_registry()
    rows = _files(cache)
    rng = random.Random(1)
    by_format: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_format.setdefault(row["format"], []).append(row)
    print(f"sample: up to {sample} files per format, in this process (no pool)\n")
    print(f"{'format':6} {'files':>5} {'pages':>6} {'extract ms/page':>16} "
          f"{'repair ms/page':>15} {'outcome KB/page':>16} {'pickle ms/page':>15}")  # fmt: skip
    profiles: dict[str, cProfile.Profile] = {}
    for fmt, items in sorted(by_format.items()):
        chosen = rng.sample(items, min(sample, len(items)))
        pages = sum(r["pages"] for r in chosen)
        seconds = {"extraction": 0.0, "repair": 0.0, "pickle": 0.0}
        size = 0
        profile = profiles[fmt] = cProfile.Profile()
        for row in chosen:
            path = cache / "library" / row["name"]
            profile.enable()
            outcome = run_extraction(ExtractJob(str(path), str(path)), registry)
            profile.disable()
            for k, v in outcome.seconds.items():
                seconds[k] += v
            t0 = time.perf_counter()
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(data)
            seconds["pickle"] += time.perf_counter() - t0
            size += len(data)
        print(f"{fmt:6} {len(chosen):5} {pages:6} {seconds['extraction'] / pages * 1000:16.2f} "
              f"{seconds['repair'] / pages * 1000:15.2f} {size / pages / 1024:16.1f} "
              f"{seconds['pickle'] / pages * 1000:15.3f}")  # fmt: skip
    for fmt, profile in profiles.items():
        print(f"\n--- {fmt}: top functions by own time ---")
        print(_top(profile, 18))

    # PDF: what each stage of the extractor costs, and pypdf against PDFium.
    pdfs = rng.sample(by_format.get("pdf", []), min(sample, len(by_format.get("pdf", []))))
    if not pdfs:
        return
    import pypdf
    import pypdfium2 as pdfium

    stages: dict[str, float] = {}
    recall = {"pdfium": [], "pypdf": []}  # type: dict[str, list[float]]
    pages = 0
    terms = Terms.load()
    lexicon.use(lexicon.Lexicon.load(cache / "lexicon.txt"))
    for row in pdfs:
        path = cache / "library" / row["name"]
        number = int(Path(row["name"]).name.split("-", 1)[0])
        spec = documents.spec(number, terms)
        reference = documents.pages_of(spec, terms)
        pages += row["pages"]
        with _timer(stages, "pdfium: open + text of every page"):
            pdf = pdfium.PdfDocument(str(path))
            texts = []
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                texts.append(tp.get_text_range())
                tp.close()
                page.close()
        with _timer(stages, "pdfium: metadata"):
            pdf.get_metadata_dict(skip_empty=True)
        pdf.close()
        with _timer(stages, "pypdf: document info only (what the extractor also does)"):
            pdf_module._pypdf_info(path)
        with _timer(stages, "pypdf: text of every page"):
            reader = pypdf.PdfReader(str(path))
            pypdf_texts = [p.extract_text() or "" for p in reader.pages]
        if not spec.damaged:
            recall["pdfium"].append(_recall(reference, texts))
            recall["pypdf"].append(_recall(reference, pypdf_texts))
    print(f"\n--- PDF stages over {len(pdfs)} files, {pages} pages (ms per page) ---")
    for key, value in stages.items():
        print(f"{key:60} {value / pages * 1000:8.3f}")
    for name, values in recall.items():
        if values:
            print(f"word recall against the generated text, {name}: "
                  f"median {statistics.median(values):.4f}, min {min(values):.4f}")  # fmt: skip

    # Repair: which step costs what (profile of repair_document alone on the PDFs).
    profile = cProfile.Profile()
    docs = []
    for row in pdfs:
        path = cache / "library" / row["name"]
        docs.append(registry.extract(path))
    t0 = time.perf_counter()
    profile.enable()
    for doc in docs:
        repair_document(doc)
    profile.disable()
    per_page = (time.perf_counter() - t0) / pages * 1000
    print(f"\n--- repair_document on the {len(docs)} PDFs: {per_page:.2f} ms/page "
          "(under the profiler); by cumulative time ---")  # fmt: skip
    print(_top(profile, 30, "cumulative"))


def _recall(reference: Sequence[documents.Page], texts: Sequence[str]) -> float:
    from collections import Counter

    word = lexicon.WORD_RE
    expected = Counter(w for page in reference for p in page.paragraphs for w in word.findall(p))
    found = Counter(w for t in texts for w in word.findall(t))
    hit = sum(min(n, found[w]) for w, n in expected.items())
    return hit / max(1, sum(expected.values()))


# --- index ----------------------------------------------------------------------------------


def _write_batch(index: Any, docs: Sequence[Any], times: dict[str, float]) -> None:
    """One writer, one commit (the writer is dropped on return: that frees the lock)."""
    writer = index.open_writer()
    with _timer(times, "add"):
        for doc in docs:
            writer.upsert(doc)
    with _timer(times, "commit"):
        writer.commit()


def build_variant(docs: Sequence[Any], folder: Path, *, batch: int | None) -> dict[str, float]:
    """Index `docs` (IndexDocument) committing every `batch` (None: once); seconds per
    stage."""
    from indexer.index import FullTextIndex

    shutil.rmtree(folder, ignore_errors=True)
    index = FullTextIndex.create(folder)
    times: dict[str, float] = {}
    t_start, c_start = time.perf_counter(), _cpu()
    step = batch or len(docs)
    for start in range(0, len(docs), step):
        _write_batch(index, docs[start : start + step], times)
    times["total"] = time.perf_counter() - t_start
    times["total cpu"] = _cpu() - c_start
    index.close()
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    times["size_mb"] = size / 2**20
    return times


VARIANTS: list[tuple[str, dict[str, Any]]] = [
    (f"as sync_index: commit per {INDEX_BATCH}", {"batch": INDEX_BATCH}),
    ("commit per 1000", {"batch": 1000}),
    ("one commit", {"batch": None}),
]


def profile_index(library_dir: Path, limit: int, only: Sequence[str]) -> None:
    """Commit sizes, on the same documents read once from a built catalog."""
    from indexer.prepare import prepare_text
    from kb.library import Library

    with Library.open(library_dir, VOCABULARY, create=False) as library:
        rows = library.catalog.documents(state="active")[:limit]
        t0 = time.perf_counter()
        docs = [library.index_document(d) for d in rows]
        read_s = time.perf_counter() - t0
    words = sum(len(s.text.split()) for d in docs for s in d.sections)
    print(f"{len(docs)} documents, {words:,} words; catalog -> IndexDocument: {read_s:.2f} s\n")

    # Analysis alone: what the extraction workers run over each document (indexer.prepare).
    texts = ["\n\n".join(s.text for s in d.sections) for d in docs]
    t0 = time.perf_counter()
    terms = sum(prepare_text(text).length for text in texts)
    seconds = time.perf_counter() - t0
    print(f"analysis (prepare_text)  {seconds:6.2f} s  {terms / seconds / 1000:6.0f}k terms/s")
    profile = cProfile.Profile()
    profile.enable()
    for text in texts[: max(1, len(texts) // 5)]:
        prepare_text(text)
    profile.disable()
    print("\n--- the French analysis, by own time ---")
    print(_top(profile, 12))
    print()
    base = Path(tempfile.mkdtemp(prefix="kb-bench-index-"))
    try:
        print("wall seconds (CPU seconds, this process and ended children)")
        print(f"{'variant':46} {'add s':>12} {'commit s':>12} {'total s':>12} {'docs/s':>6} "
              f"{'MB':>5}")  # fmt: skip
        for name, kw in VARIANTS:
            if only and not any(o in name for o in only):
                continue
            times = build_variant(docs, base / "ix", **kw)
            rate = len(docs) / times["total"]
            cells = " ".join(f"{times[k]:5.1f} ({times[k + ' cpu']:5.1f})"
                             for k in ("add", "commit", "total"))  # fmt: skip
            print(f"{name:46} {cells} {rate:6.1f} {times['size_mb']:5.0f}", flush=True)
        profile = cProfile.Profile()
        subset = docs[: max(1, len(docs) // 4)]
        profile.enable()
        build_variant(subset, base / "ix", batch=INDEX_BATCH)
        profile.disable()
        print(f"\n--- sync_index-like build of {len(subset)} documents, by own time ---")
        print(_top(profile, 30))
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- ingest (parent process) and search -----------------------------------------------------


def profile_ingest(cache: Path, workers: int) -> None:
    """cProfile of the ingesting (parent) process: catalog, tags, index; not the workers."""
    from kb.ingest import IngestOptions, ingest
    from kb.library import Library

    base = Path(tempfile.mkdtemp(prefix="kb-bench-ingest-"))
    try:
        source = base / "source"
        shutil.copytree(cache / "library", source, copy_function=__import__("os").link)
        profile = cProfile.Profile()
        with Library.open(base / "library", VOCABULARY) as library:
            t0 = time.perf_counter()
            profile.enable()
            report = ingest(library, [source], IngestOptions(workers=workers))
            profile.disable()
            wall = time.perf_counter() - t0
        print(f"wall {wall:.1f} s; timings {({k: round(v, 1) for k, v in report.timings.items()})}")
        print("\n--- parent process, by own time ---")
        print(_top(profile, 35))
        print("\n--- parent process, by cumulative time ---")
        print(_top(profile, 45, "cumulative"))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def profile_search(cache: Path, library_dir: Path, repeats: int, optimize: bool) -> None:
    """Each query's median time, without snippets, without suggestions, bare; the profile
    of each class (the library's cache of answers off: every search is computed). With
    `optimize`, on a copy of the library whose index is merged into one segment first (what
    `kb optimize` gives after an ingest)."""
    from benchmarks.queries import PUBLIC, query_mix, summarise
    from indexer.analysis import FRENCH_STOP_WORDS
    from kb.library import Library

    if optimize:
        from indexer.index import FullTextIndex
        from indexer.writing import optimize as merge_segments

        copy = Path(tempfile.mkdtemp(prefix="kb-bench-search-")) / "library"
        shutil.copytree(library_dir, copy)
        t0 = time.perf_counter()
        index = FullTextIndex.open(copy / "index", create=False)
        report = merge_segments(index)
        index.close()
        size = sum(p.stat().st_size for p in (copy / "index").iterdir() if p.is_file()) / 2**20
        print(f"merged a copy of the index ({report.segments_before} segments -> "
              f"{report.segments_after}) in {time.perf_counter() - t0:.1f} s: {size:.0f} MB\n")
        library_dir = copy
    mix = query_mix(lexicon.Lexicon.load(cache / "lexicon.txt"), FRENCH_STOP_WORDS)
    with Library.open(library_dir, VOCABULARY, create=False) as library:

        def search(q: Any, **kw: Any) -> Any:
            args = {"visibilities": PUBLIC, "page": q.page, "size": q.size, "facets": q.facets}
            return library.search(q.text, dict(q.filters), **{**args, **kw})

        for q in mix:
            search(q)
        # Repeating a query would time the library's cache of answers (~0.3 ms a hit).
        without_answer_cache(library)
        from benchmarks.queries import Timed

        timed = []
        for _ in range(repeats):
            for q in mix:
                t0 = time.perf_counter()
                total = search(q).total
                timed.append(Timed(q, time.perf_counter() - t0, total))
        summary = summarise(timed)
        print(f"whole mix: {summary['all']}")
        for kind, stats in summary["classes"].items():
            print(f"  {kind:16} {stats}")
        print()
        print(f"{'query':60} {'total':>6} {'ms':>7} {'no snip':>8} {'no sugg':>8} "
              f"{'bare':>7}")  # fmt: skip
        for q in mix:
            cells = []
            for kw in ({}, {"snippets": 0}, {"suggest": False},
                       {"snippets": 0, "suggest": False, "facets": False}):  # fmt: skip
                values = []
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    total = search(q, **kw).total
                    values.append(time.perf_counter() - t0)
                cells.append(statistics.median(values) * 1000)
            print(f"{q.kind[:12]:12} {q.label()[:47]:47} {total:6} "
                  + " ".join(f"{c:7.1f}" for c in cells))
        kinds: dict[str, list[Any]] = {}
        for q in mix:
            kinds.setdefault(q.kind, []).append(q)
        for kind, queries in kinds.items():
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(repeats):
                for q in queries:
                    search(q)
            profile.disable()
            print(f"\n--- {kind}: by own time ---")
            print(_top(profile, 14))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile one part of the benchmark.")
    parser.add_argument("what", choices=("extract", "index", "ingest", "search"))
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=60, help="extract: files per format")
    parser.add_argument("--limit", type=int, default=2000, help="index: documents")
    parser.add_argument("--only", nargs="*", default=(), help="index: variant name parts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--library", type=Path, help="built library (default: the bench's)")
    parser.add_argument("--optimize", action="store_true", help="search: on a merged copy")
    args = parser.parse_args(argv)
    cache = gen.generate(args.size)
    library_dir = args.library or cache / "work" / "library"
    tasks: dict[str, Callable[[], None]] = {
        "extract": lambda: profile_extract(cache, args.sample),
        "index": lambda: profile_index(library_dir, args.limit, args.only),
        "ingest": lambda: profile_ingest(cache, args.workers),
        "search": lambda: profile_search(cache, library_dir, args.repeats, args.optimize),
    }
    out = io.StringIO()

    class Tee(io.TextIOBase):
        def write(self, s: str) -> int:
            sys.__stdout__.write(s)
            sys.__stdout__.flush()
            return out.write(s)

    with redirect_stdout(Tee()):  # type: ignore[type-var]
        tasks[args.what]()
    RESULTS.mkdir(parents=True, exist_ok=True)
    what = args.what + ("-optimized" if args.optimize else "")
    target = RESULTS / f"{args.size}-{date.today().isoformat()}-profile-{what}.txt"
    target.write_text(out.getvalue())
    print(f"\nwritten to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

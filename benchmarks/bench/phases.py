"""The benchmark's phases that write: each runs in a child process of its own
(`python -m benchmarks.bench child PHASE JSON`, `benchmarks.procs`), so that its peak
memory is its own."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks.bench import VOCABULARY

CHANGED_SHARE = 0.01


def phase_extract(args: dict[str, Any]) -> dict[str, Any]:
    """Bare parallel extraction (and repair) of every file: no catalog, no index."""
    from kb.extraction import ExtractJob, run_extraction
    from kb.ingest import IngestOptions
    from kb.scan import scan
    from kb.workers import Failed, run_in_pool

    options = IngestOptions(workers=args["workers"])
    started = time.perf_counter()
    found = scan([Path(args["source"])])
    from kb.sidecar import is_sidecar

    jobs = [
        ExtractJob(c.path, c.given, repair=True, limits=options.limits,
                   time_limit=options.time_limit)  # fmt: skip
        for c in found.candidates
        if not is_sidecar(Path(c.path))
    ]
    seconds: dict[str, float] = {"extraction": 0.0, "repair": 0.0}
    failed = sections = characters = 0
    for _job, outcome in run_in_pool(
        run_extraction, jobs, workers=options.workers, time_limit=options.time_limit
    ):
        if isinstance(outcome, Failed) or outcome.document is None:
            failed += 1
            continue
        for key, value in outcome.seconds.items():
            seconds[key] = seconds.get(key, 0.0) + value
        sections += len(outcome.document.sections)
        characters += sum(len(s.text) for s in outcome.document.sections)
    return {
        "wall_s": round(time.perf_counter() - started, 2),
        "files": len(jobs),
        "failed": failed,
        "sections": sections,
        "characters": characters,
        "worker_s": {k: round(v, 2) for k, v in seconds.items()},
    }


def _instrument(totals: dict[str, float]) -> None:
    """Time the index stages inside `sync_index` (the library reports them as one)."""
    from indexer.index import IndexWriter
    from kb.sync import IndexSync

    def timed(owner: Any, name: str, key: str) -> None:
        original = getattr(owner, name)

        def wrapper(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                totals[key] = totals.get(key, 0.0) + time.perf_counter() - t0

        setattr(owner, name, wrapper)

    timed(IndexSync, "index_document", "index_catalog_read")
    timed(IndexWriter, "upsert", "analysis_and_indexing")
    timed(IndexWriter, "commit", "commit")


def phase_ingest(args: dict[str, Any]) -> dict[str, Any]:
    """One `ingest` of the source folder into the library (created if absent)."""
    from kb.ingest import IngestOptions, ingest
    from kb.library import Library

    if args.get("change"):
        changed = change_files(Path(args["cache"]), Path(args["source"]), args["change"])
    else:
        changed = 0
    stages: dict[str, float] = {}
    _instrument(stages)
    started = time.perf_counter()
    with Library.open(Path(args["library"]), VOCABULARY) as library:
        report = ingest(library, [Path(args["source"])], IngestOptions(workers=args["workers"]))
    wall = time.perf_counter() - started
    return {
        "wall_s": round(wall, 2),
        "changed_files": changed,
        "counts": report.counts(),
        "failures": [str(p) for p in report.failed[:5]],
        "timings_s": {k: round(v, 2) for k, v in sorted(report.timings.items())},
        "index_stages_s": {k: round(v, 2) for k, v in sorted(stages.items())},
    }


def change_files(cache: Path, source: Path, seed: int) -> int:
    """Rewrite 1% of the generated files under `source` (a different 1% for each seed)."""
    manifest = json.loads((cache / "manifest.json").read_text())
    files = manifest["files"]
    rng = random.Random(f"change:{seed}")
    count = max(1, round(len(files) * CHANGED_SHARE))
    for row in rng.sample(files, count):
        number = int(Path(row["name"]).name.split("-", 1)[0])
        gen.change_document(cache, source, row["name"], number, manifest["seed"])
    return count


def phase_serve(args: dict[str, Any]) -> dict[str, Any]:
    """The API under uvicorn on 127.0.0.1:port until terminated, in `processes` server
    processes (as `kb serve --processes N` runs it)."""
    from api.serving import serve
    from kb.settings import Settings

    processes = int(args.get("processes", 1))
    settings = Settings(library=Path(args["library"]), vocabulary=VOCABULARY)
    if processes > 1:
        os.environ.update({"KB_LIBRARY": args["library"], "KB_VOCABULARY": str(VOCABULARY)})
    serve(settings, "127.0.0.1", args["port"], processes, log_level="warning")
    return {}


PHASES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "extract": phase_extract,
    "ingest": phase_ingest,
    "serve": phase_serve,
}

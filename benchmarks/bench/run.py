"""Every phase of the benchmark in turn, filling its result as it goes (resumable)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks import progress
from benchmarks.bench.api import API_CLIENTS, measure_api
from benchmarks.bench.machine import describe_machine, load_average
from benchmarks.bench.search import measure_search
from benchmarks.procs import PhaseInterrupted, run_phase


def _size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _fresh_source(cache: Path, work: Path) -> Path:
    """A hard-linked copy of the generated library: the 1% change must not touch the cache."""
    source = work / "source"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(cache / "library", source, copy_function=os.link)
    return source


def run(args: argparse.Namespace, result: dict[str, Any], checkpoint: Callable[[], None]) -> None:
    """Every phase in turn, filling `result` as it goes and calling `checkpoint` after each
    (so a failure or a stop keeps what was done). A `result` that is not empty is a run to
    resume (benchmarks.progress): its finished phases are skipped."""
    say = print
    started = time.perf_counter()
    resuming = bool(result)
    say(f"generating (or reusing) the {args.size:,}-document library ...", flush=True)
    t0 = time.perf_counter()
    cache = gen.generate(args.size)
    corpus = gen.describe(cache)
    corpus["generate_s_this_run"] = round(time.perf_counter() - t0, 1)
    say(f"  {cache}: {corpus['documents']:,} documents, {corpus['pages']:,} pages, "
        f"{corpus['words']:,} words", flush=True)  # fmt: skip
    work = args.work or Path(result.get("work") or cache / "work")
    if args.reuse or resuming:
        if args.reuse and not (work / "library" / "catalog.sqlite").exists():
            raise SystemExit(f"--reuse: no library kept in {work} (run once with --keep)")
        source = work / "source"
        if not source.exists():
            source = _fresh_source(cache, work)
    else:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        source = _fresh_source(cache, work)
    workers = result.get("workers", args.workers)
    if resuming:
        result.setdefault("resumed", []).append(
            {"at": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average": load_average()}
        )
        args.runs = result["runs"]
    else:
        result.update({
            "date": date.today().isoformat(),
            "size": args.size,
            "runs": args.runs,
            "workers": workers,
            "work": str(work),
            "machine": describe_machine(),
            "corpus": corpus,
            "load_average": {"start": load_average()},
        })  # fmt: skip
    checkpoint()

    def phase(name: str, what: str, phase_args: dict[str, Any], key: str) -> None:
        say(f"{what} ...", flush=True)
        before = load_average()
        try:
            out = run_phase(name, phase_args)
        except PhaseInterrupted as stop:
            result["interrupted"] = {"key": key, "wall_s": stop.wall_s, "load_before": before,
                                     "peak_tree_rss_mb": stop.peak_tree_rss_mb}  # fmt: skip
            raise
        out["load_before"], out["load_after"] = before, load_average()
        progress.merge_interrupted(result, key, out)
        result[key]["runs"].append(out)
        checkpoint()
        before_stop = out.get("resumed_after_s")
        resumed = f" (with {before_stop} s before the stop)" if before_stop else ""
        say(f"  {out['wall_s']} s{resumed}, CPU {out.get('cpu_tree_s')} s, "
            f"peak tree RSS {out['peak_tree_rss_mb']} MB, "
            f"load {before[0]} -> {out['load_after'][0]}", flush=True)  # fmt: skip

    library_dir = work / "library"
    common = {"source": str(source), "library": str(library_dir), "workers": workers}
    if args.reuse:
        previous = json.loads(args.reuse.read_text())
        for key in progress.INGEST_KEYS:
            result[key] = previous[key]
        result["reused_ingest_figures_from"] = str(args.reuse)

    def left(key: str) -> int:
        return 0 if args.reuse else progress.runs_left(result, key, args.runs)

    def number(key: str) -> int:
        return len(result[key]["runs"]) + 1

    for _ in range(left("extract")):
        phase("extract", f"bare extraction, run {number('extract')}/{args.runs}", common,
              "extract")  # fmt: skip
    for _ in range(left("cold")):
        if result.get("interrupted", {}).get("key") == "cold":
            say("  completing the interrupted cold ingest", flush=True)
        else:
            shutil.rmtree(library_dir, ignore_errors=True)
        phase("ingest", f"cold ingest, run {number('cold')}/{args.runs}", common, "cold")
    for _ in range(left("noop")):
        phase("ingest", f"no-op re-ingest, run {number('noop')}/{args.runs}", common, "noop")
    for _ in range(left("change")):
        n = number("change")
        phase("ingest", f"re-ingest after 1% changed, run {n}/{args.runs}",
              {**common, "cache": str(cache), "change": n}, "change")  # fmt: skip
    result["sizes"] = {
        "index_bytes": _size_of(library_dir / "index"),
        "index_segments": len(list((library_dir / "index").glob("*.store"))),  # one a segment
        "catalog_bytes": sum(_size_of(p) for p in library_dir.glob("catalog.sqlite*")),
        "source_bytes": corpus["bytes"],
    }
    if "search" not in result:
        say("search: warm library vs SQLite FTS5 ...", flush=True)
        before = load_average()
        search = measure_search(library_dir, cache, work / "fts5.sqlite", args.repeats,
                                reuse_fts=bool(args.reuse))  # fmt: skip
        search["load_before"], search["load_after"] = before, load_average()
        result["search"] = search
        checkpoint()
    result["sizes"]["fts5_bytes"] = result["search"]["fts5_build"]["bytes"]
    if not args.no_api:
        # The table shows the last count of processes; the JSON keeps each under "apis".
        result.setdefault("apis", {})
        for processes in args.api_processes:
            done = result["apis"].get(str(processes))
            if done and "error" not in done:
                continue
            say(f"API: uvicorn on 127.0.0.1, {processes} process(es), {API_CLIENTS} clients ...",
                flush=True)  # fmt: skip
            before = load_average()
            try:
                api = measure_api(library_dir, cache, args.api_seconds, processes)
            except Exception as exc:  # the API is optional for the rest of the figures
                api = {"error": f"{type(exc).__name__}: {exc}", "processes": processes}
            api["load_before"], api["load_after"] = before, load_average()
            result["apis"][str(processes)] = result["api"] = api
            checkpoint()
    result["load_average"]["end"] = load_average()
    result["seconds"] = round(time.perf_counter() - started, 1)
    if not args.keep and not args.reuse and not resuming:
        shutil.rmtree(work, ignore_errors=True)

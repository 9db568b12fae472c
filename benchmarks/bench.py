"""Ingest and search at the size of a real library, against baselines run in the same go.

    .venv/bin/python -m benchmarks.bench --size 1000     # quick look: ~5 min, 3 runs
    .venv/bin/python -m benchmarks.bench                 # 10,000 documents: ~20 min, 1 run
    make bench SIZE=10000

Generates (once, cached in benchmarks/cache/<size>/) a synthetic French library, then:

1. bare extraction: `run_extraction` over the process pool on every file, no catalog, no
   index: the floor for ingest (`--runs` times);
2. cold ingest into a new library (`--runs` times, fresh each time): documents/s, pages/s,
   the time split (hashing, extraction, repair, catalog, index: catalog reads, analysis and
   indexing, commit), peak memory of the process tree;
3. no-op re-ingest of the same folder; re-ingest after 1% of the files changed;
4. search: one warm `Library` over the fixed query mix (public documents, as the portal),
   p50/p95/p99, against SQLite FTS5 (unicode61 remove_diacritics 2) over the same texts;
5. API: a real uvicorn on 127.0.0.1, 8 concurrent keep-alive clients over the same mix:
   requests/s and p95, against the in-process search and /health;
6. index and catalog size on disk, against the FTS5 database.

Every phase that writes runs in its own process (its memory is its own). The table is
printed and the figures written to benchmarks/results/<size>-<date>.json. This is a
measurement tool, not part of `make test`; the machine is shared, so the load average
before and after each phase is recorded with it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks import generate as gen
from benchmarks import progress
from benchmarks.procs import ROOT, PhaseInterrupted, child_report, end, run_phase, tree_usage
from benchmarks.queries import (
    PUBLIC,
    FtsSearcher,
    Query,
    build_fts,
    kept_fts,
    percentile,
    query_mix,
    run_mix,
    summarise,
    varied_mix,
)

RESULTS = ROOT / "benchmarks" / "results"
VOCABULARY = ROOT / "corpus" / "vocabulary.toml"
CHANGED_SHARE = 0.01
API_CLIENTS = 8
# Distinct queries: each client's share (1/8) is more than a process's cache of answers
# holds (512), however the keep-alive connections spread over the processes.
API_DISTINCT_QUERIES = 5000
FIRST_PASS = 1000  # of those, asked once each on a fresh server
KEEP_FROM = 50_000  # documents: from this size the built library is always kept
INPROC_QUERIES = 200  # of those, run in-process one at a time: the API's baseline


# --- phases (each runs in a child process) ----------------------------------------------


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


# --- search, in this process --------------------------------------------------------------


def measure_search(
    library_dir: Path, cache: Path, fts_path: Path, repeats: int, reuse_fts: bool = False
) -> dict[str, Any]:
    """The query mix on the library and on SQLite FTS5; `reuse_fts`: keep an FTS5 database
    built from the same catalog (`queries.kept_fts`) instead of building it again."""
    from indexer.analysis import FRENCH_STOP_WORDS
    from kb.library import Library

    lexicon = gen.Lexicon.load(cache / "lexicon.txt")
    mix = query_mix(lexicon, FRENCH_STOP_WORDS)
    with Library.open(library_dir, VOCABULARY, create=False) as library:
        t0 = time.perf_counter()
        library.index.searcher()
        open_s = time.perf_counter() - t0

        def search(q: Query) -> int:
            return library.search(
                q.text, dict(q.filters), visibilities=PUBLIC, page=q.page, size=q.size,
                facets=q.facets,
            ).total  # fmt: skip

        t0 = time.perf_counter()
        search(mix[0])
        first_s = time.perf_counter() - t0
        # The same questions again: answered from the library's cache of answers, if any.
        cached = run_mix(search, mix, 1)
        # Searches proper: the cache of answers (if the library has one) is emptied first.
        caching = _without_answer_cache(library)
        ours = run_mix(search, mix, repeats)
        # The baseline of the API's rate: the API's own (distinct) queries, one at a time.
        varied = varied_mix(lexicon, FRENCH_STOP_WORDS, API_DISTINCT_QUERIES)[:INPROC_QUERIES]
        t0 = time.perf_counter()
        for q in varied:
            search(q)
        varied_rate = len(varied) / (time.perf_counter() - t0)
        memory = _own_memory()
        fts_build = (reuse_fts and kept_fts(library, fts_path)) or build_fts(library, fts_path)
    fts = FtsSearcher(fts_path)
    try:
        theirs = run_mix(fts.search, mix, repeats)
    finally:
        fts.close()
    return {
        "queries": len(mix),
        "repeats": repeats,
        "open_searcher_s": round(open_s, 3),
        "first_query_s": round(first_s, 3),
        "answer_cache": caching,
        "api_queries_in_process_per_s": round(varied_rate, 1),
        "warm_process_mb": memory,
        "library_cached": summarise(cached),
        "library": summarise(ours),
        "fts5": summarise(theirs),
        "fts5_build": fts_build,
        "mix": [q.label() for q in mix],
    }


def _without_answer_cache(library: Any) -> bool:
    """Make `library` compute every answer; True if it had a cache of answers to disable.

    The library keeps the last answers per index commit (`kb.search.Searches.cache`): a
    benchmark that repeats its queries would time cache hits. Older code kept them in the
    library's `_search_cache` (a benchmark may run on an older checkout: `--before`).
    """
    searches = getattr(library, "searches", None)
    owner, name = (searches, "cache") if searches is not None else (library, "_search_cache")
    cache = getattr(owner, name, None)
    if cache is None:
        return False
    setattr(owner, name, type(cache)(0))  # a capacity of 0: every answer is computed
    return True


# --- the API --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _load(
    port: int, paths: Sequence[str], seconds: float, clients: int, once: bool = False
) -> dict[str, Any]:
    """`clients` threads, each with one keep-alive connection, cycling over `paths` for
    `seconds`; with `once`, each asks its share of `paths` once, however long it takes."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(number: int) -> None:
        # Each client its own share of the paths: none asks what another just asked (an
        # answer cache would serve it), unless there are fewer paths than clients.
        share = paths[number::clients] or paths
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        i = 0
        while (i < len(share)) if once else (time.perf_counter() < stop_at):
            path = share[i % len(share)]
            i += 1
            t0 = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        errors.append(f"{response.status} {path}")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__} {path}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - t0)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
    }




def measure_api(
    library_dir: Path, cache: Path, seconds: float, processes: int = 1
) -> dict[str, Any]:
    """Uncached: cycling over 2,000 distinct queries of the mix's classes (a cache of the
    last answers never hits); repeated: the fixed mix of 28 queries over and over, which a
    cache of answers serves (the portal's home page and facet links repeat themselves).
    `processes`: uvicorn worker processes, each with its own library."""
    from indexer.analysis import FRENCH_STOP_WORDS

    lexicon = gen.Lexicon.load(cache / "lexicon.txt")
    varied = varied_mix(lexicon, FRENCH_STOP_WORDS, API_DISTINCT_QUERIES)
    paths = ["/search?" + urlencode(q.params()) for q in varied]
    fixed = ["/search?" + urlencode(q.params()) for q in query_mix(lexicon, FRENCH_STOP_WORDS)]
    port = _free_port()
    command = [
        sys.executable, "-m", "benchmarks.bench", "child", "serve",
        json.dumps({"library": str(library_dir), "port": port, "processes": processes}),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the API server did not start") from None
                time.sleep(0.2)
        # Warm-up: searcher, tag tables; with several processes, each must get some.
        _load(port, fixed, 3.0 * processes, API_CLIENTS)
        health = _load(port, ["/health"], min(seconds, 10.0), API_CLIENTS)
        # Distinct slices of the varied queries for each load. First pass: each question
        # once, on a fresh server (the terms' postings are read from disk the first time
        # a process meets them). Then the same questions again for `seconds`: more of them
        # than the cache of answers holds, so every answer is computed, from postings the
        # process has read before -- a server's steady state, and the figure targeted.
        first = _load(port, paths[:FIRST_PASS], seconds, API_CLIENTS, once=True)
        # All the distinct queries: each client cycles over more than a process's cache of
        # answers holds. (Before: 1,000 queries, which 2 processes' caches held: that
        # figure counted cache hits.)
        spread: dict[str, int] = {}
        counter = threading.Timer(min(2.0, seconds / 2), lambda: spread.update(_spread(port)))
        counter.start()
        searches = _load(port, paths, seconds, API_CLIENTS)
        counter.join()
        one = _load(port, paths[len(paths) // 2 :], min(seconds, 10.0), 1)
        repeated = _load(port, fixed, min(seconds, 10.0), API_CLIENTS)
        server_rss = tree_usage(server.pid)[0]
    finally:
        end(server, grace=20)
    return {
        "clients": API_CLIENTS,
        "processes": processes,
        "distinct_queries": len(paths),
        "search_first_pass": first,
        "search": searches,
        "search_1_client": one,
        "search_repeated_mix": repeated,
        "health": health,
        # Resident memory of the server's process tree after the loads (supervisor included).
        "server_tree_rss_mb": round(server_rss / 2**20, 1),
        # Keep-alive connections held by each server process during the search load.
        "connections_per_process": sorted(spread.values(), reverse=True),
    }


# --- orchestration --------------------------------------------------------------------------


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _spread(port: int) -> dict[str, int]:
    """Established connections to `port` per server process id, from `ss` (empty if the
    tool is missing)."""
    try:
        out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, timeout=10).stdout  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return {}
    found: dict[str, int] = {}
    for line in out.splitlines():
        if "pid=" in line:
            pid = line.split("pid=", 1)[1].split(",", 1)[0]
            found[pid] = found.get(pid, 0) + 1
    return found


def _own_memory() -> dict[str, float]:
    """This process's resident memory now and at its peak (MB), from /proc/self/status."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found["rss" if key == "VmRSS" else "peak"] = round(int(value.split()[0]) / 1024, 1)
    return found


def _size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _machine() -> dict[str, Any]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory_gb = round(int(memory) / 2**20, 1)
    except OSError:
        memory_gb = 0.0
    versions = {}
    for name in ("tantivy", "pypdfium2", "pypdf", "PyStemmer", "fastapi", "uvicorn"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "versions": versions,
    }


def _median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 2)


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
            {"at": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average": _load_average()}
        )
        args.runs = result["runs"]
    else:
        result.update({
            "date": date.today().isoformat(),
            "size": args.size,
            "runs": args.runs,
            "workers": workers,
            "work": str(work),
            "machine": _machine(),
            "corpus": corpus,
            "load_average": {"start": _load_average()},
        })  # fmt: skip
    checkpoint()

    def phase(name: str, what: str, phase_args: dict[str, Any], key: str) -> None:
        say(f"{what} ...", flush=True)
        before = _load_average()
        try:
            out = run_phase(name, phase_args)
        except PhaseInterrupted as stop:
            result["interrupted"] = {"key": key, "wall_s": stop.wall_s, "load_before": before,
                                     "peak_tree_rss_mb": stop.peak_tree_rss_mb}  # fmt: skip
            raise
        out["load_before"], out["load_after"] = before, _load_average()
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
        before = _load_average()
        search = measure_search(library_dir, cache, work / "fts5.sqlite", args.repeats,
                                reuse_fts=bool(args.reuse))  # fmt: skip
        search["load_before"], search["load_after"] = before, _load_average()
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
            before = _load_average()
            try:
                api = measure_api(library_dir, cache, args.api_seconds, processes)
            except Exception as exc:  # the API is optional for the rest of the figures
                api = {"error": f"{type(exc).__name__}: {exc}", "processes": processes}
            api["load_before"], api["load_after"] = before, _load_average()
            result["apis"][str(processes)] = result["api"] = api
            checkpoint()
    result["load_average"]["end"] = _load_average()
    result["seconds"] = round(time.perf_counter() - started, 1)
    if not args.keep and not args.reuse and not resuming:
        shutil.rmtree(work, ignore_errors=True)


# --- the table ------------------------------------------------------------------------------


def _ratio(value: float, base: float, digits: int = 2) -> str:
    return f"{value / base:.{digits}f}x" if base else "-"


def figures(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(figure, value, baseline, ratio, target) rows from a result."""
    docs, pages = r["corpus"]["documents"], r["corpus"]["pages"]
    extract = _median([x["wall_s"] for x in r["extract"]["runs"]])
    cold = _median([x["wall_s"] for x in r["cold"]["runs"]])
    noop = _median([x["wall_s"] for x in r["noop"]["runs"]])
    change = _median([x["wall_s"] for x in r["change"]["runs"]])
    peak = max(x["peak_tree_rss_mb"] for x in r["cold"]["runs"])
    peak_extract = max(x["peak_tree_rss_mb"] for x in r["extract"]["runs"])

    def cpu(phase: str) -> float:
        return _median([x.get("cpu_tree_s", 0.0) for x in r[phase]["runs"]])

    def stage(key: str, where: str = "timings_s") -> str:
        return f"{_median([x[where].get(key, 0.0) for x in r['cold']['runs']]):.1f} s"

    rows = [
        ("cold ingest, wall", f"{cold:.1f} s", f"extraction {extract:.1f} s",
         _ratio(cold, extract), "<= 1.5x"),
        ("cold ingest, CPU of the tree", f"{cpu('cold'):.1f} s",
         f"extraction {cpu('extract'):.1f} s", _ratio(cpu("cold"), cpu("extract")), ""),
        ("  documents/s", f"{docs / cold:.1f}", f"{docs / extract:.1f}",
         f"{extract / cold:.2f}", ""),
        ("  pages/s", f"{pages / cold:.0f}", f"{pages / extract:.0f}",
         f"{extract / cold:.2f}", ""),
        ("  extraction (worker-s)", stage("extraction"), "", "", ""),
        ("  repair (worker-s)", stage("repair"), "", "", ""),
        ("  analysis for the index (worker-s)", stage("analysis"), "", "", ""),
        ("  hashing + triage", stage("hashing"), "", "", ""),
        ("  catalog writes", stage("catalog"), "", "", ""),
        ("  index: catalog reads", stage("index_catalog_read", "index_stages_s"), "", "", ""),
        ("  index: analysis+indexing", stage("analysis_and_indexing", "index_stages_s"),
         "", "", ""),
        ("  index: commit", stage("commit", "index_stages_s"), "", "", ""),
        ("  index: total (writer thread)", stage("indexing"), "", "", ""),
        ("  index: wait for the last commit", stage("index wait"), "", "", ""),
        ("  peak RSS, process tree", f"{peak:.0f} MB", f"extraction {peak_extract:.0f} MB",
         _ratio(peak, peak_extract), "< 1024 MB"),
        ("no-op re-ingest", f"{noop:.2f} s", f"cold {cold:.1f} s", _ratio(noop, cold, 3), "< 5 s"),
        ("1% changed re-ingest", f"{change:.2f} s", f"cold {cold:.1f} s",
         _ratio(change, cold, 3), "< 0.10x"),
    ]  # fmt: skip
    search = r.get("search")
    if search:
        ours, theirs = search["library"], search["fts5"]
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            mine, base = ours["all"][p], theirs["all"][p]
            rows.append((f"search {p[:3]}, whole mix", f"{mine:.1f} ms", f"FTS5 {base:.1f} ms",
                         _ratio(mine, base, 1), "< 50 ms" if p == "p95_ms" else ""))  # fmt: skip
        for kind, stats in ours["classes"].items():
            mine, base = stats["p95_ms"], theirs["classes"][kind]["p95_ms"]
            rows.append((f"  p95 {kind}", f"{mine:.1f} ms", f"FTS5 {base:.1f} ms",
                         _ratio(mine, base, 1), "< 50 ms"))  # fmt: skip
        if "library_cached" in search:
            hit = search["library_cached"]["all"]["p50_ms"]
            rows.append(("search p50, repeated (answer cache)", f"{hit:.2f} ms",
                         f"computed {ours['all']['p50_ms']:.1f} ms",
                         _ratio(hit, ours["all"]["p50_ms"], 3), ""))  # fmt: skip
    for api in (r.get("apis") or {"": r.get("api")}).values():
        rows += _api_rows(api, search)
    sizes = r["sizes"]
    index_mb, fts_mb = sizes["index_bytes"] / 2**20, sizes.get("fts5_bytes", 0) / 2**20
    catalog_mb, files_mb = sizes["catalog_bytes"] / 2**20, sizes["source_bytes"] / 2**20
    rows.append(("index size", f"{index_mb:.0f} MB", f"FTS5 {fts_mb:.0f} MB" if fts_mb else "",
                 _ratio(index_mb, fts_mb), ""))  # fmt: skip
    rows.append(("catalog size", f"{catalog_mb:.0f} MB", f"files {files_mb:.0f} MB",
                 _ratio(catalog_mb, files_mb), ""))  # fmt: skip
    return rows


def _api_rows(api: dict[str, Any] | None, search: dict[str, Any] | None) -> list[Any]:
    rows: list[Any] = []
    if not api:
        return rows
    if "search" not in api:
        return [("API", api.get("error", "not measured"), "", "", "")]
    n = api.get("processes", 1)
    s, h, one = api["search"], api["health"], api["search_1_client"]
    inproc = search.get("api_queries_in_process_per_s", 0.0) if search else 0.0
    rows.append((f"API searches/s, 8 clients, {n} proc.", f"{s['requests_per_s']:.0f}",
                 f"in-process, 1 at a time {inproc:.0f}/s",
                 _ratio(s["requests_per_s"], inproc), ">= 200/s"))  # fmt: skip
    rows.append((f"API search p95, 8 clients, {n} proc.", f"{s['p95_ms']:.0f} ms",
                 f"1 client {one['p95_ms']:.0f} ms", _ratio(s["p95_ms"], one["p95_ms"], 1),
                 "< 100 ms"))  # fmt: skip
    first = api.get("search_first_pass")
    if first:
        rows.append((f"  first pass: /s, p95, {n} proc.",
                     f"{first['requests_per_s']:.0f}, {first['p95_ms']:.0f} ms",
                     "each question once, fresh server", "", ""))  # fmt: skip
    repeated = api.get("search_repeated_mix")
    if repeated:
        rows.append(("API, 28 repeated queries: /s, p95", f"{repeated['requests_per_s']:.0f}"
                     f", {repeated['p95_ms']:.0f} ms", "", "", ""))  # fmt: skip
    rows.append(("API /health/s, 8 clients", f"{h['requests_per_s']:.0f}", "", "", ""))
    errors = s["errors"] + one["errors"] + h["errors"] + (first or {}).get("errors", 0)
    if errors:
        rows.append(("API errors", str(errors), ", ".join(s["error_examples"]), "", ""))
    return rows


def table(r: dict[str, Any]) -> str:
    rows = [("figure", "value", "baseline", "ratio", "target"), *figures(r)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    c = r["corpus"]
    head = (
        f"{r['size']:,} documents ({c['pages']:,} pages, {c['words']:,} words, "
        f"{c['bytes'] / 2**20:.0f} MB; {', '.join(f'{k} {v}' for k, v in c['formats'].items())}), "
        f"{r['workers']} workers, medians of {r['runs']} runs; {r['machine']['cores']} cores "
        f"{r['machine']['cpu']}; load average {r['load_average']['start']} -> "
        f"{r['load_average']['end']}"
    )
    return head + "\n" + "\n".join(lines)


def _output_path(size: int) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    base = f"{size}-{date.today().isoformat()}"
    path, n = RESULTS / f"{base}.json", 2
    while path.exists():
        path, n = RESULTS / f"{base}-{n}.json", n + 1
    return path


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["child"]:
        child_report(PHASES[argv[1]](json.loads(argv[2])))
        return 0
    parser = argparse.ArgumentParser(
        description="Measure ingest, search and the API on a synthetic French library."
    )
    parser.add_argument("--size", type=int, default=10_000,
                        help="documents: 1000 quick, 10000 default, 100000 scale")  # fmt: skip
    parser.add_argument(
        "--runs",
        type=int,
        help="runs of each ingest phase, for medians (default: 3 up to 2,000 documents, else 1: "
        "a 10,000-document cold ingest takes about 11 minutes on 2 cores)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=10, help="passes over the query mix")
    parser.add_argument("--api-seconds", type=float, default=20.0)
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument(
        "--api-processes",
        type=lambda v: [int(n) for n in v.split(",")],
        default=[1, 2],
        help="uvicorn processes to measure the API with, in turn (default 1,2)",
    )
    parser.add_argument("--keep", action="store_true",
                        help="keep the built library and FTS5 (always from 50,000 documents)")
    parser.add_argument(
        "--work",
        type=Path,
        help="where the library is built (default: <cache>/work; give another to run two "
        "benchmarks of the same size side by side)",
    )
    parser.add_argument(
        "--resume",
        nargs="?",
        const="latest",
        metavar="RESULTS_JSON",
        help="go on with a stopped run (default: the newest unfinished one of this size): "
        "its finished phases are kept, an interrupted cold ingest is completed, the rest run",
    )
    parser.add_argument("--show", type=Path, help="print the table of a results file and exit")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="RESULTS_JSON",
        help="skip the ingest phases: take their figures from this results file and measure "
        "search and the API on the library a --keep run left",
    )
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 3 if args.size <= 2000 else 1
    if args.size >= KEEP_FROM:  # hours of ingest: keep the library to resume or --reuse
        args.keep = True
    if args.show:
        print(table(json.loads(args.show.read_text())))
        return 0
    result: dict[str, Any] = {}
    if args.resume:
        found = progress.unfinished(RESULTS, args.size) if args.resume == "latest" else None
        out = found if args.resume == "latest" else Path(args.resume)
        if out is None or not out.exists():
            raise SystemExit(f"--resume: no unfinished run of {args.size:,} documents in "
                             f"{RESULTS.relative_to(ROOT)}")  # fmt: skip
        result = json.loads(out.read_text())
        result.pop("error", None)
        print(f"resuming {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    else:
        out = _output_path(args.size)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)  # `kill` keeps what was measured, as Ctrl-C does
    signal.signal(signal.SIGINT, stop)
    try:
        run(args, result, lambda: progress.save(out, result))
    except BaseException as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        if result:
            progress.save(out, result)
            print(f"\nstopped; what was measured is in {out.relative_to(ROOT)} "
                  f"(make bench SIZE={args.size} RESUME=1 goes on from there)")  # fmt: skip
        raise
    progress.save(out, result)
    print()
    print(table(result))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

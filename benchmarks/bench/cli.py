"""The benchmark's command line: measure, resume, reuse a kept library, or show a table."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import progress
from benchmarks.bench import RESULTS
from benchmarks.bench.phases import PHASES
from benchmarks.bench.run import run
from benchmarks.bench.table import table
from benchmarks.procs import ROOT, child_report

KEEP_FROM = 50_000  # documents: from this size the built library is always kept


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

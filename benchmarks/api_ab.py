"""The API server of other revisions against today's: CPU time per search request.

    .venv/bin/python -m benchmarks.api_ab --library PATH [--size 10000] \
        --variant before=b94f42e --variant today=. [--variant today-h11=.:h11] [--rounds 3]

Each variant is a git revision (`.` is the working tree; another is checked out in a
temporary worktree) served by a real uvicorn on 127.0.0.1 in one process, as the bench's
API phase starts it, with today's installed packages for all; `:h11` hides httptools from
the server of a revision that lets uvicorn choose its parser (before 59c64f7, which asks
for httptools), so that uvicorn falls back to the pure-Python h11. Rounds alternate the
variants; each starts a fresh server, warms it (the bench's fixed mix, then 400 distinct
queries), and sends the next `--queries` distinct queries of the API's mix
(`benchmarks.queries.varied_mix`) once each, from 8 keep-alive clients. Measured: the
server process's CPU per request (from /proc: steadier than the wall clock on a shared
machine), the clients' CPU per request (this process), requests a second and p95. Prints
each round and the medians, with each variant's server CPU against the first variant's.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks import generate as gen
from benchmarks.bench.api import API_CLIENTS, API_DISTINCT_QUERIES, _load, start_server
from benchmarks.generate.lexicon import Lexicon
from benchmarks.procs import ROOT, end, tree_usage
from benchmarks.queries import query_mix, varied_mix

WARM_QUERIES = 400


def checkout(revision: str, stack: ExitStack) -> Path:
    """The source tree of `revision`: the working tree for ".", else a temporary worktree
    removed when `stack` closes."""
    if revision == ".":
        return ROOT
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "tree"
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(folder), revision],
                   cwd=ROOT, check=True)  # fmt: skip
    stack.callback(subprocess.run, ["git", "worktree", "remove", "--force", str(folder)],
                   cwd=ROOT, check=False)  # fmt: skip
    return folder


def without_httptools(stack: ExitStack) -> Path:
    """A folder whose `httptools` fails to import, to put first on a server's path."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    (folder / "httptools").mkdir()
    (folder / "httptools" / "__init__.py").write_text("raise ImportError('hidden')\n")
    return folder


def one_round(tree: Path, path: str, library: Path, paths: list[str], fixed: list[str]
              ) -> dict[str, Any]:  # fmt: skip
    server, port = start_server(library, 1, cwd=tree, env=dict(os.environ, PYTHONPATH=path))
    try:
        _load(port, fixed, 3.0, API_CLIENTS)
        _load(port, paths[:WARM_QUERIES], 600, API_CLIENTS, once=True)
        server_before = sum(tree_usage(server.pid)[1].values())
        mine_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        loaded = _load(port, paths[WARM_QUERIES:], 600, API_CLIENTS, once=True)
        wall = time.perf_counter() - started
        mine_after = resource.getrusage(resource.RUSAGE_SELF)
        server_after = sum(tree_usage(server.pid)[1].values())
    finally:
        end(server, grace=20)
    n = loaded["requests"]
    mine = (mine_after.ru_utime + mine_after.ru_stime) - (mine_before.ru_utime
                                                          + mine_before.ru_stime)  # fmt: skip
    return {"server_ms": 1000 * (server_after - server_before) / n, "client_ms": 1000 * mine / n,
            "per_s": n / wall, "p95_ms": loaded["p95_ms"], "errors": loaded["errors"],
            "load": os.getloadavg()[0]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--size", type=int, default=10_000, help="the generated cache")
    parser.add_argument("--variant", action="append", required=True,
                        help="NAME=REVISION[:h11] (REVISION . for the working tree)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=1200, help="measured, per round")
    args = parser.parse_args()
    from indexer.analysis import FRENCH_STOP_WORDS

    lexicon = Lexicon.load(gen.cache_folder(args.size) / "lexicon.txt")
    varied = varied_mix(lexicon, FRENCH_STOP_WORDS, API_DISTINCT_QUERIES)
    paths = ["/search?" + urlencode(q.params()) for q in varied][: WARM_QUERIES + args.queries]
    fixed = ["/search?" + urlencode(q.params()) for q in query_mix(lexicon, FRENCH_STOP_WORDS)]
    with ExitStack() as stack:
        hidden = None
        variants = []
        for spec in args.variant:
            name, _, rest = spec.partition("=")
            revision, _, option = rest.partition(":")
            tree = checkout(revision, stack)
            path = str(tree)
            if option == "h11":
                hidden = hidden or without_httptools(stack)
                path = f"{hidden}{os.pathsep}{tree}"
            variants.append((name, tree, path))
        rounds: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in variants}
        for n in range(args.rounds):
            for name, tree, path in variants:
                result = one_round(tree, path, args.library, paths, fixed)
                rounds[name].append(result)
                print(f"round {n + 1} {name}: " + ", ".join(
                    f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                    for k, v in result.items()), flush=True)  # fmt: skip
    first = statistics.median(r["server_ms"] for r in rounds[variants[0][0]])
    for name, results in rounds.items():
        server = statistics.median(r["server_ms"] for r in results)
        client = statistics.median(r["client_ms"] for r in results)
        rate = statistics.median(r["per_s"] for r in results)
        print(f"{name}: server {server:.2f} ms CPU a request ({server / first:.2f}x "
              f"{variants[0][0]}), clients {client:.2f} ms, {rate:.1f} requests/s (median "
              f"of {len(results)})")


if __name__ == "__main__":
    main()

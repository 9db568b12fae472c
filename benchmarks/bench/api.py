"""The API phase: a real uvicorn on 127.0.0.1 (a child process), loaded by keep-alive
clients over the query mix."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.generate.lexicon import Lexicon
from benchmarks.procs import ROOT, end, tree_usage
from benchmarks.queries import percentile, query_mix, varied_mix

API_CLIENTS = 8
# Distinct queries: each client's share (1/8) is more than a process's cache of answers
# holds (512), however the keep-alive connections spread over the processes.
API_DISTINCT_QUERIES = 5000
FIRST_PASS = 1000  # of those, asked once each on a fresh server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    library_dir: Path, processes: int, *, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """The API of `library_dir` under uvicorn in `processes` processes (the bench's child,
    run from the source tree `cwd`), and its port on 127.0.0.1, once it accepts
    connections; RuntimeError if it has not within a minute."""
    port = _free_port()
    command = [
        sys.executable, "-m", "benchmarks.bench", "child", "serve",
        json.dumps({"library": str(library_dir), "port": port, "processes": processes}),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=cwd, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                end(server, grace=5)
                raise RuntimeError(f"the API server of {cwd} did not start") from None
            time.sleep(0.2)


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

    lexicon = Lexicon.load(cache / "lexicon.txt")
    varied = varied_mix(lexicon, FRENCH_STOP_WORDS, API_DISTINCT_QUERIES)
    paths = ["/search?" + urlencode(q.params()) for q in varied]
    fixed = ["/search?" + urlencode(q.params()) for q in query_mix(lexicon, FRENCH_STOP_WORDS)]
    server, port = start_server(library_dir, processes)
    try:
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

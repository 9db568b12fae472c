"""Threads against one thread in one process: does a search let other threads run?

    .venv/bin/python -m benchmarks.threads_ab --library PATH --size 10000 [--threads 1 2 4]

The API's distinct queries (`benchmarks.queries.varied_mix`) of one warm library, asked
two ways, each by N threads sharing one `FullTextIndex` (each thread its slice of the
queries, all distinct), in rounds that alternate the thread counts:
- `engine`: only the engine's calls a search makes (its searches, aggregations and stored
  documents, recorded once from `FullTextIndex.search` and replayed on the same searcher):
  what the engine does with the GIL released, if it does;
- `search`: the whole of `FullTextIndex.search` (parsing, expansion, the engine, hits with
  snippets, facets, suggestion): our Python around the engine, which holds the GIL.
Each N above one is also run as N forked processes doing the same slices: the control for
the machine's load (the cores other work leaves free), and what `kb serve --processes`
does. Prints searches per wall-second and per CPU-second (of the process and all its
threads, or of the children), medians over the rounds. With the GIL released, N threads
scale as N processes do; held, their wall rate stays at one thread's while processes
scale. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.distinct import _ask, _library, _mix

SWITCH_INTERVAL = 1.0  # seconds, while looking for calls that release the GIL
# One engine call: (method name, positional arguments, keyword arguments).
Call = tuple[str, tuple[Any, ...], dict[str, Any]]


class _Recorder:
    """A searcher that records the calls made to it (the engine's part of a search)."""

    def __init__(self, searcher: Any, into: list[Call]):
        self._searcher = searcher
        self._into = into

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._searcher, name)
        if name not in ("search", "aggregate", "doc"):
            return found

        def recorded(*args: Any, **kwargs: Any) -> Any:
            self._into.append((name, args, kwargs))
            return found(*args, **kwargs)

        return recorded


def record(library: Any, queries: Sequence[Any]) -> tuple[list[Any], list[list[Call]]]:
    """Each query's `SearchRequest` and the engine calls its search made."""
    index = library.index
    requests: list[Any] = []
    calls: list[list[Call]] = []
    search = index.search

    def recording(request: Any) -> Any:
        view = index._view()
        plain = view.searcher
        into: list[Call] = []
        view.searcher = _Recorder(plain, into)
        try:
            return search(request)
        finally:
            view.searcher = plain
            requests.append(request)
            calls.append(into)

    index.search = recording
    try:
        for q in queries:
            _ask(library, q)
    finally:
        del index.search
    return requests, calls


def gil_released(calls: dict[str, Callable[[], object]], repeats: int = 10
                 ) -> dict[str, tuple[int, float]]:  # fmt: skip
    """Per call: (of `repeats`, how many let another thread run Python meanwhile; the
    call's median milliseconds). A thread counts in a loop while this one makes each call,
    reading the counter just before and just after. The switch interval is made longer
    than any call: a call that keeps the GIL can then never be interrupted (the counting
    thread would have to wait that long to force a switch), and one that releases it lets
    the counting thread run as soon as it gets a core."""
    counter = [0]
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            counter[0] += 1

    spinner = threading.Thread(target=count)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    spinner.start()
    found: dict[str, tuple[int, float]] = {}
    try:
        for name, call in calls.items():
            ran, times = 0, []
            for _ in range(repeats):
                before, started = counter[0], time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
                ran += counter[0] != before
            found[name] = (ran, statistics.median(times) * 1000)
    finally:
        stop.set()
        spinner.join()
        sys.setswitchinterval(interval)
    return found


def long_calls(searcher: Any, calls: Sequence[Call]) -> dict[str, Callable[[], object]]:
    """Engine calls of some tens of milliseconds, and two controls as long: a builtin
    that keeps the GIL, one that lets it go (hashlib does, over large buffers)."""
    import tantivy

    from indexer.schema import FACET_FIELDS

    queries = [a[0] for name, a, _kw in calls if name == "search"][:50]
    either = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])
    facets = {f"{name}{i}": {"terms": {"field": field, "size": 1000}}
              for name, field in FACET_FIELDS.items() for i in range(4)}  # fmt: skip
    block = b"x" * 40_000_000
    return {
        "search: 50 of the mix's queries OR-ed, counted":
            lambda: searcher.search(either, limit=10, count=True),
        "aggregate: the facets over every document, 4 times":
            lambda: searcher.aggregate(tantivy.Query.all_query(), facets),
        "control, GIL kept: sum(range(2_000_000))": lambda: sum(range(2_000_000)),
        "control, GIL released: sha256 of 40 MB": lambda: hashlib.sha256(block).digest(),
    }  # fmt: skip


def run(threads: int, work: Sequence[Any], one: Callable[[Any], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process) for `threads` threads doing `work`."""
    slices = [work[i::threads] for i in range(threads)]
    start = threading.Barrier(threads + 1)

    def worker(items: Sequence[Any]) -> None:
        start.wait()
        for item in items:
            one(item)

    pool = [threading.Thread(target=worker, args=(s,)) for s in slices]
    for t in pool:
        t.start()
    wall, cpu = time.perf_counter(), time.process_time()
    start.wait()
    for t in pool:
        t.join()
    return time.perf_counter() - wall, time.process_time() - cpu


def run_processes(count: int, work: Sequence[Any], one: Callable[[Any], object]
                  ) -> tuple[float, float]:  # fmt: skip
    """(wall seconds, CPU seconds of the children) for `count` forked processes doing
    `work` (each its slice): the control, as `kb serve --processes` would run it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    go_read, go_write = os.pipe()
    children = []
    for i in range(count):
        pid = os.fork()
        if pid == 0:  # the child: wait for the start, do its slice, leave at once
            code = 0
            try:
                os.close(go_write)
                os.read(go_read, 1)
                for item in work[i::count]:
                    one(item)
            except BaseException:
                code = 1
            os._exit(code)
        children.append(pid)
    os.close(go_read)
    wall = time.perf_counter()
    os.write(go_write, b"x" * count)
    failed = 0
    for pid in children:
        failed += os.waitpid(pid, 0)[1] != 0
    wall = time.perf_counter() - wall
    os.close(go_write)
    if failed:
        raise RuntimeError(f"{failed} of {count} processes failed")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--size", type=int, default=10_000, help="the generated cache's size")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    mix = _mix(args.size, args.queries + args.warm)
    with _library(args.library) as library:
        for q in mix[: args.warm]:
            _ask(library, q)
        requests, calls = record(library, mix[args.warm :])
        index = library.index
        searcher = index._view().searcher

        def engine(made: list[Call]) -> None:
            for name, a, kw in made:
                getattr(searcher, name)(*a, **kw)

        ways: dict[str, tuple[Sequence[Any], Callable[[Any], object]]] = {
            "engine": (calls, engine),
            "search": (requests, index.search),
        }
        for work, one in ways.values():  # warm: the engine's pages, the counts kept
            run(1, work, one)
        released = gil_released(long_calls(searcher, [c for made in calls for c in made]))
        spent: dict[tuple[str, int], list[tuple[float, float]]] = {}
        load = os.getloadavg()[0]
        for _ in range(args.rounds):
            for way, (work, one) in ways.items():
                for n in args.threads:
                    spent.setdefault((way, n), []).append(run(n, work, one))
                    if n > 1:
                        spent.setdefault((way, -n), []).append(run_processes(n, work, one))
        load_after = os.getloadavg()[0]
    count = len(requests)
    print(f"{count} distinct queries, {args.rounds} rounds, load {load:.1f} -> "
          f"{load_after:.1f}, {os.cpu_count()} cores")  # fmt: skip
    for name, (ran, ms) in released.items():
        print(f"another thread ran Python during {ran:2} of 10 calls ({ms:5.1f} ms) of {name}")
    print(f"{'way':7} {'N':>13} {'per wall-s':>10} {'per CPU-s':>10} {'x one thread':>12} "
          f"{'CPU/wall':>8}")  # fmt: skip
    for (way, n), times in sorted(spent.items(), key=lambda kv: (kv[0][0], abs(kv[0][1]))):
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        one_wall = statistics.median(t[0] for t in spent[(way, args.threads[0])])
        label = f"{n} threads" if n > 0 else f"{-n} processes"
        print(f"{way:7} {label:>13} {count / wall:10.0f} {count / cpu:10.0f} "
              f"{one_wall / wall:11.2f}x {cpu / wall:8.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

"""Extraction in worker processes, with a time limit per file and crash isolation.

A hostile file may hang a parser in C code or kill its process. The pool hands files out in
order and keeps at most `depth` per worker in flight, so it knows which files the workers
hold: the oldest `workers` ones. Each file's clock starts when it becomes one of them; a
file past its time limit has its workers killed and is reported as timed out; a file that
kills its worker is re-run alone to tell it from the innocent files that shared the broken
pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from indexer.extract.subproc import die_with_parent
from kb import logs
from kb.forkserver_watch import PARENT_ENV

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

FORKSERVER_PRELOAD = "kb.forkserver_watch"
MEMORY_LIMIT_BYTES = 8 * 1024**3  # address space per worker: a bomb fails, not the machine


@dataclass(frozen=True)
class Failed(Generic[T]):
    """A job the pool itself had to give up on (time limit, crashed worker)."""

    job: T
    reason: str


def _init_worker(
    setup: Callable[..., None] | None, setup_args: tuple[Any, ...], verbose: bool = False
) -> None:
    # The parent handles Ctrl-C; a worker just dies with the pool, and with the forkserver
    # that forked it (which dies with the kb process: kb/forkserver_watch.py), so that
    # nothing outlives a `kill -9` of the command.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    # A fresh process logs nowhere but Python's last resort (stderr, every warning): the
    # libraries' complaints about damaged files would land between the progress bar and
    # the summary. Log as the command does instead.
    logs.configure(verbose)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(hard, MEMORY_LIMIT_BYTES)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if setup is not None:
        setup(*setup_args)


def run_in_pool(
    func: Callable[[T], R],
    jobs: Iterable[T],
    *,
    workers: int,
    time_limit: float,
    depth: int = 1,
    setup: Callable[..., None] | None = None,
    setup_args: tuple[Any, ...] = (),
) -> Iterator[tuple[T, R | Failed[T]]]:
    """Yield (job, func(job)) as they finish, or (job, Failed) for a timed-out or killed job.

    `func` must be a module-level function; it should enforce `time_limit` itself where it
    can (the pool's own limit, twice that, is the backstop for code that never returns).
    `depth`: jobs in flight per worker, 1 or 2 (a queued job waits at most one `time_limit`
    for its worker, which the backstop allows for). `setup(*setup_args)` runs once in each
    worker process (a module-level function; its arguments are pickled once per worker).
    """
    start = _Start(setup, setup_args)
    depth = max(1, min(depth, 2))
    queue = list(jobs)
    queue.reverse()  # pop() from the end keeps the given order
    suspects: list[T] = []  # jobs that were in a pool that broke: re-run one at a time
    while queue or suspects:
        if suspects:
            job = suspects.pop()
            yield from _run_batch(func, [job], 1, 1, time_limit, start, suspects, alone=True)
        else:
            batch, queue = queue, []
            batch.reverse()
            yield from _run_batch(
                func, batch, workers, depth, time_limit, start, suspects, alone=False
            )


def _run_batch(
    func: Callable[[T], R],
    jobs: list[T],
    workers: int,
    depth: int,
    time_limit: float,
    start: _Start,
    suspects: list[T],
    *,
    alone: bool,
) -> Iterator[tuple[T, R | Failed[T]]]:
    pool = start.pool(workers)
    pending = iter(jobs)
    # future -> [job, when its clock started (None: still queued behind others)]
    in_flight: dict[Future[Any], list[Any]] = {}
    backstop = 2 * time_limit + 5
    try:
        while True:
            while len(in_flight) < workers * depth:
                job = next(pending, None)
                if job is None:
                    break
                in_flight[pool.submit(func, job)] = [job, None]
            if not in_flight:
                return
            _start_clocks(in_flight, workers)
            done, _ = wait(in_flight, timeout=1.0, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                job, _started = in_flight.pop(future)
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        yield job, Failed(job, "the extraction crashed its worker process")
                    else:
                        suspects.append(job)
            now = time.monotonic()
            overdue = [
                f for f, (_, t0) in in_flight.items() if t0 is not None and now - t0 > backstop
            ]
            if overdue or broken:
                for future in overdue:
                    job, _ = in_flight.pop(future)
                    yield job, Failed(job, f"extraction took longer than {backstop:.0f} s")
                # The pool cannot be trusted any more: kill it and go on with a new one.
                suspects.extend(job for job, _ in in_flight.values())
                in_flight.clear()
                _kill(pool)
                rest = list(pending)
                pool = start.pool(workers)
                pending = iter(rest)
    finally:
        _kill(pool) if in_flight else pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class _Start:
    """How to start a pool of workers (again, after one broke)."""

    setup: Callable[..., None] | None
    setup_args: tuple[Any, ...]

    def pool(self, workers: int) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        # Taken into account when the forkserver starts (once per process); the forkserver
        # watches this process, named through its environment (kb/forkserver_watch.py).
        context.set_forkserver_preload(["__main__", FORKSERVER_PRELOAD])
        os.environ[PARENT_ENV] = str(os.getpid())
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.setup, self.setup_args, logs.is_verbose()),
        )


def _start_clocks(in_flight: dict[Future[Any], list[Any]], workers: int) -> None:
    """Start the clock of the oldest `workers` jobs: the executor runs jobs in the order
    they were submitted, so those are the ones the workers hold."""
    now = time.monotonic()
    for entry in list(in_flight.values())[:workers]:
        if entry[1] is None:
            entry[1] = now


def _kill(pool: ProcessPoolExecutor) -> None:
    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)

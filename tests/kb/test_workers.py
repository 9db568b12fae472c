"""The extraction pool (kb.workers): results, time limits and crashes with jobs queued."""

from __future__ import annotations

import os
import time

import pytest

from kb.workers import Failed, run_in_pool

pytestmark = pytest.mark.slow  # process pools with hung and crashing jobs


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def die(code: int) -> int:
    os._exit(code)


def test_every_job_comes_back_with_two_jobs_per_worker() -> None:
    jobs = [0.01 * (n % 3) for n in range(12)]
    results = list(run_in_pool(nap, jobs, workers=2, time_limit=5, depth=2))
    assert sorted(job for job, _ in results) == sorted(jobs)
    assert all(result == job for job, result in results)


def test_jobs_queued_behind_hung_ones_are_not_timed_out() -> None:
    # Both workers hang; the two quick jobs wait in the queue meanwhile. Only the hung
    # ones pass the backstop (2 * time_limit + 5 s): the clock of a queued job starts
    # when a worker takes it, not when it was queued.
    jobs = [60.0, 60.0, 0.01, 0.02]
    t0 = time.monotonic()
    results = dict(run_in_pool(nap, jobs[:2] + jobs[2:], workers=2, time_limit=0.5, depth=2))
    assert time.monotonic() - t0 < 45  # the hung jobs would nap 60 s
    assert results[0.01] == 0.01 and results[0.02] == 0.02
    assert isinstance(results[60.0], Failed)
    assert "longer than" in results[60.0].reason


def test_a_crash_is_pinned_on_its_job_with_others_in_flight() -> None:
    jobs: list[object] = ["ok-1", "ok-2", "crash", "ok-3", "ok-4"]

    results = dict(run_in_pool(_crash_or_echo, jobs, workers=2, time_limit=5, depth=2))
    assert isinstance(results["crash"], Failed)
    assert "crashed" in results["crash"].reason
    assert {k: v for k, v in results.items() if k != "crash"} == {
        "ok-1": "ok-1", "ok-2": "ok-2", "ok-3": "ok-3", "ok-4": "ok-4"
    }  # fmt: skip


def _crash_or_echo(job: object) -> object:
    if job == "crash":
        die(3)
    return job


def test_a_forkserver_whose_kb_process_died_during_its_imports_ends_itself() -> None:
    """The forkserver watches the kb process named in its environment: one killed before
    the forkserver's preload ran leaves a forkserver adopted by init, which must not wait
    on init for ever (kb/forkserver_watch.py)."""
    import subprocess
    import sys

    from kb.forkserver_watch import PARENT_ENV

    code = ("import sys, time, multiprocessing.forkserver\n"
            "import kb.forkserver_watch\n"
            "time.sleep(30)\n"
            "sys.exit(3)\n")  # fmt: skip
    gone = 2**22 + 7  # no such process: the kb process is gone
    started = subprocess.run([sys.executable, "-c", code], env={**os.environ, PARENT_ENV:
                             str(gone)}, timeout=25, capture_output=True)  # fmt: skip
    assert started.returncode == -9, started  # killed itself at once, not after 30 s

"""Running one benchmark phase in its own process, and measuring its memory.

A phase runs as `python -m benchmarks.bench child PHASE JSON` so that its peak memory is its
own (not the benchmark's, which holds the FTS5 baseline and the query results). Memory is
taken two ways: sampled resident memory of the whole process tree (the phase, its
forkserver and its workers, summed, every 0.2 s), which is what the machine must hold; and
`getrusage` maxima (the phase process itself, and its largest waited-for descendant).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
RESULT_MARK = "BENCH-RESULT "


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: split after its last ")".
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_usage(pid: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of `pid` and all its descendants, summed (0 if it is gone), and the
    CPU seconds each of them has used so far."""
    children = _children_map()
    total, stack = 0, [pid]
    cpu: dict[int, float] = {}
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, ()))
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
            with open(f"/proc/{current}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        cpu[current] = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    return total, cpu


class TreeSampler:
    """Samples `tree_usage(pid)` in a thread until stopped: the peak of the summed resident
    memory, and the CPU time of every process seen (as last sampled: a process that ends
    loses at most one interval of it)."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, cpu = tree_usage(self.pid)
            self.peak = max(self.peak, rss)
            self.cpu.update(cpu)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


class PhaseInterrupted(Exception):
    """The benchmark was stopped (Ctrl-C, SIGTERM) while a phase ran: its child was ended,
    after `wall_s` seconds. A resumed benchmark completes an interrupted ingest and counts
    this time in (benchmarks.progress)."""

    def __init__(self, phase: str, wall_s: float, peak_tree_rss_mb: float):
        super().__init__(f"phase {phase} interrupted after {wall_s:.0f} s")
        self.phase, self.wall_s, self.peak_tree_rss_mb = phase, wall_s, peak_tree_rss_mb


def run_phase(phase: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run `phase` in a child process; its result, with `wall_s` and `peak_tree_rss_mb`.

    Interrupted, the child is terminated (an ingest stops cleanly and keeps what it
    committed) and PhaseInterrupted raised."""
    command = [sys.executable, "-m", "benchmarks.bench", "child", phase, json.dumps(args)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid)
    try:
        out, _ = process.communicate()
    except BaseException:
        wall = time.perf_counter() - started
        end(process)
        peak = sampler.stop()
        raise PhaseInterrupted(phase, round(wall, 2), round(peak / 2**20, 1)) from None
    peak = sampler.stop()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"phase {phase} failed with exit status {process.returncode}")
    lines = [line for line in out.splitlines() if line.startswith(RESULT_MARK)]
    if not lines:
        raise RuntimeError(f"phase {phase} printed no result")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_MARK) :])
    result["process_wall_s"] = round(wall, 2)
    result["peak_tree_rss_mb"] = round(peak / 2**20, 1)
    result["cpu_tree_s"] = round(sum(sampler.cpu.values()), 1)
    return result


def end(process: subprocess.Popen[Any], grace: float = 120.0) -> None:
    """Terminate `process` and wait for it; killed after `grace` s, or when asked again."""
    process.terminate()
    deadline = time.monotonic() + grace
    while process.poll() is None:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
        except KeyboardInterrupt:  # a second Ctrl-C or SIGTERM: do not wait
            process.kill()


def child_report(result: dict[str, Any]) -> None:
    """Print a phase's result for `run_phase`, with this process's getrusage maxima."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["maxrss_self_mb"] = round(own.ru_maxrss / 1024, 1)  # kilobytes on Linux
    result["maxrss_children_mb"] = round(waited.ru_maxrss / 1024, 1)
    result["cpu_self_s"] = round(own.ru_utime + own.ru_stime, 2)
    result["cpu_children_s"] = round(waited.ru_utime + waited.ru_stime, 2)
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()

"""Nothing outlives the command: a `kb ingest` killed with SIGKILL leaves no process behind
(its extraction workers, the multiprocessing forkserver, its resource tracker), and a
converter run through `run_bounded` dies with the process that started it or at its time
limit, children included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from indexer.extract.subproc import run_bounded
from kb.errors import ExtractionFailed
from kb.settings import DEFAULT_VOCABULARY
from tests.e2e.test_crash import make_folder

pytestmark = [
    pytest.mark.slow,  # processes killed, and their trees
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def processes() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, process group, start time) of every process we can read."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry)] = (int(fields[1]), int(fields[2]), fields[19])
    return found


def descendants(pid: int) -> dict[int, str]:
    """The process tree under `pid`: pid -> start time (a pid reused later differs)."""
    table = processes()
    tree, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, _, started) in table.items():
            if ppid == parent and child not in tree:
                tree[child] = started
                frontier.append(child)
    return tree


def survivors(tree: dict[int, str], group: int) -> list[int]:
    """Processes of `tree` still alive, and any process left in process group `group`."""
    table = processes()
    left = {pid for pid, started in tree.items() if pid in table and table[pid][2] == started}
    left |= {pid for pid, (_, pgid, _) in table.items() if pgid == group}
    # A zombie waiting for us to reap it is gone already.
    return sorted(p for p in left if _state(p) not in ("Z", "X", None))


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_killed_ingest_leaves_no_process(tmp_path: Path) -> None:
    make_folder(tmp_path / "docs", 3000)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "kb", "--library", str(tmp_path / "library"),
         "--vocabulary", str(DEFAULT_VOCABULARY), "ingest", "-q", "--workers", "2",
         str(tmp_path / "docs")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, to find whatever it started
    )
    try:
        # The forkserver, the resource tracker and two workers.
        wait_for(lambda: len(descendants(ingest.pid)) >= 4, 60, "the extraction workers")
        tree = descendants(ingest.pid)
        ingest.kill()
        ingest.wait()
        wait_for(lambda: not survivors(tree, ingest.pid), 5,
                 f"the processes of the killed ingest to end: {survivors(tree, ingest.pid)}")
    finally:
        if ingest.poll() is None:
            ingest.kill()
        for pid in survivors(descendants(ingest.pid), ingest.pid):  # never leave them
            os.kill(pid, signal.SIGKILL)


def test_a_converter_dies_with_the_worker_that_started_it(tmp_path: Path) -> None:
    started = tmp_path / "started"
    worker = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            from pathlib import Path
            from indexer.extract.subproc import run_bounded
            Path({str(started)!r}).write_text("")
            run_bounded(["sleep", "60"], 120)
        """)],
        cwd=Path(__file__).parents[2],
    )
    try:
        wait_for(lambda: any(True for _ in descendants(worker.pid)) and started.exists(), 30,
                 "the converter")
        tree = descendants(worker.pid)
        converter = next(iter(tree))
        worker.kill()
        worker.wait()
        wait_for(lambda: not survivors(tree, converter), 30, "the converter to end")
    finally:
        if worker.poll() is None:
            worker.kill()


def test_run_bounded_kills_the_whole_group_at_its_time_limit() -> None:
    t0 = time.monotonic()
    with pytest.raises(ExtractionFailed, match="sh took longer than 1 s"):
        run_bounded(["sh", "-c", "sleep 61.25 & sleep 61.25"], 1)
    assert time.monotonic() - t0 < 30  # the sleeps would take 61 s
    wait_for(lambda: not sleepers("61.25"), 30, "the converter's children to end")


def sleepers(marker: str) -> list[int]:
    found = []
    for pid in processes():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command[:2] == [b"sleep", marker.encode()] and _state(pid) != "Z":
            found.append(pid)
    return found


def test_run_bounded_returns_output_and_status() -> None:
    done = run_bounded(["sh", "-c", "printf été; echo oops >&2; exit 3"], 10)
    assert (done.returncode, done.stdout.decode(), done.stderr) == (3, "été", b"oops\n")
    with pytest.raises(ExtractionFailed, match="could not be started"):
        run_bounded(["/nonexistent/converter"], 10)

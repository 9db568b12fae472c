"""`kb watch` and `kb serve --watch` as real processes over real folders and a real library:
files dropped, written slowly, moved, deleted, a watcher stopped and started again. Every
wait is bounded and every process is killed at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT
from kb.watch import _Changes
from tests.conftest import write

pytestmark = pytest.mark.slow

DEBOUNCE = 1.0
ARRIVAL_LIMIT = 60.0  # seconds: fails only when nothing comes; typically ~2-3 s
NOTE = "Note du réseau sur la {word} de l'économie sociale et solidaire en Bretagne.\n"


class Watch:
    """A `kb watch` (or `kb serve --watch`) process and its output file."""

    def __init__(self, args: list[str], output: Path):
        self.output = output
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with open(output, "w") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kb", *args], cwd=PROJECT_ROOT, env=env,
                stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def cycles(self) -> list[str]:
        return [line for line in self.text().splitlines() if "] /" in line and "added" in line]

    def stop(self, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def until(check: Callable[[], object], what: str, watch: Watch, limit: float) -> float:
    """Seconds until `check()` is true; fails with the watcher's output after `limit`."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            pytest.fail(f"{what}: not within {limit:.0f} s; watcher said:\n{watch.text()}")
        if watch.process.poll() is not None:
            pytest.fail(f"{what}: the watcher exited ({watch.process.returncode}):\n{watch.text()}")
        time.sleep(0.2)


@pytest.fixture
def watchers(tmp_path: Path) -> Iterator[Callable[..., Watch]]:
    started: list[Watch] = []

    def start(*args: str) -> Watch:
        watch = Watch(
            ["--library", str(tmp_path / "lib"), *args],
            tmp_path / f"watch-{len(started)}.out",
        )
        started.append(watch)
        return watch

    try:
        yield start
    finally:
        for watch in started:
            watch.kill()


def start_watch(start: Callable[..., Watch], drop: Path) -> Watch:
    watch = start("watch", "--debounce", str(DEBOUNCE), "--workers", "1", str(drop))
    until(lambda: watch.cycles(), "the catch-up ingest at start", watch, 60)
    return watch


def found(library_dir: Path, phrase: str) -> set[str]:
    if not (library_dir / "catalog.sqlite").exists():
        return set()
    with Library.open(library_dir, DEFAULT_VOCABULARY, create=False) as library:
        return {h.id for h in library.search(f'"{phrase}"').hits}


def state_of(library_dir: Path, doc_id: str) -> str | None:
    with Library.open(library_dir, DEFAULT_VOCABULARY, create=False) as library:
        doc = library.catalog.document(doc_id)
        return None if doc is None else doc.state


def audit_actions(library_dir: Path, doc_id: str) -> list[str]:
    with Library.open(library_dir, DEFAULT_VOCABULARY, create=False) as library:
        rows = library.catalog.db.execute(
            "SELECT action FROM audit WHERE document_id = ? ORDER BY id", (doc_id,)
        )
        return [r["action"] for r in rows]


def test_files_dropped_written_slowly_moved_and_deleted(
    tmp_path: Path, watchers: Callable[..., Watch]
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    library_dir = tmp_path / "lib"
    watch = start_watch(watchers, drop)

    # Copied in: searchable within seconds, by `kb search` too.
    source = write(tmp_path / "elsewhere" / "recyclerie.txt", NOTE.format(word="recyclerie"))
    t0 = time.monotonic()
    (drop / "recyclerie.txt").write_bytes(source.read_bytes())
    until(lambda: found(library_dir, "recyclerie"), "a copied file found", watch, ARRIVAL_LIMIT)
    print(f"copied file searchable after {time.monotonic() - t0:.1f} s")  # noqa: T201
    result = CliRunner().invoke(cli, ["--library", str(library_dir), "search", "recyclerie"])
    assert result.exit_code == 0 and "recyclerie.txt" in result.stdout

    # Written slowly, in chunks closer together than the debounce: ingested once, complete.
    slow = drop / "lent.txt"
    with open(slow, "w", encoding="utf-8") as handle:
        for word in ("quetzal", "ornithorynque", "axolotl", "pangolin", "tamanoir", "okapi"):
            handle.write(NOTE.format(word=word))
            handle.flush()
            time.sleep(0.4)
    until(lambda: found(library_dir, "okapi"), "the slow file found", watch, ARRIVAL_LIMIT)
    (doc_id,) = found(library_dir, "okapi")
    assert found(library_dir, "quetzal") == {doc_id}
    assert audit_actions(library_dir, doc_id) == ["ingest.add"]  # never a partial version

    # Changed: the same document gets the new text.
    with open(slow, "a", encoding="utf-8") as handle:
        handle.write(NOTE.format(word="blaireau"))
    until(lambda: found(library_dir, "blaireau"), "the changed file", watch, ARRIVAL_LIMIT)
    assert found(library_dir, "blaireau") == {doc_id}
    assert audit_actions(library_dir, doc_id) == ["ingest.add", "ingest.update"]

    # A file that cannot be read is reported once, then only counted.
    (drop / "casse.pdf").write_bytes(b"%PDF-1.4\n garbage")
    until(lambda: "failed: " in watch.text(), "the broken file reported", watch, ARRIVAL_LIMIT)

    # Renamed: same document, new path.
    (drop / "recyclerie.txt").rename(drop / "recyclerie-brest.txt")
    until(lambda: any("moved 1" in c for c in watch.cycles()), "the move", watch, ARRIVAL_LIMIT)
    (recyclerie,) = found(library_dir, "recyclerie")
    assert "failed before" in watch.text()  # casse.pdf, in the cycle of the move
    assert watch.text().count("casse.pdf") == 1

    # Deleted: its document is marked missing, and no longer found.
    (drop / "recyclerie-brest.txt").unlink()
    until(lambda: state_of(library_dir, recyclerie) == "missing", "the deletion", watch,
          ARRIVAL_LIMIT)
    assert found(library_dir, "recyclerie") == set()

    assert watch.stop() == 0
    assert watch.text().rstrip().endswith("stopped")


def test_a_restart_catches_up_what_changed_while_stopped(
    tmp_path: Path, watchers: Callable[..., Watch]
) -> None:
    drop = tmp_path / "drop"
    write(drop / "avant.txt", NOTE.format(word="coopérative"))
    library_dir = tmp_path / "lib"
    first = start_watch(watchers, drop)
    assert "added 1" in first.cycles()[0]
    (before,) = found(library_dir, "coopérative")
    assert first.stop() == 0 and "stopped" in first.text()

    write(drop / "pendant.txt", NOTE.format(word="mutuelle"))
    (drop / "avant.txt").unlink()
    second = start_watch(watchers, drop)
    catch_up = second.cycles()[0]
    assert "added 1" in catch_up and "missing 1" in catch_up, catch_up
    assert found(library_dir, "mutuelle")
    assert state_of(library_dir, before) == "missing"
    assert second.stop() == 0


def test_poll_finds_files_without_the_systems_events(
    tmp_path: Path, watchers: Callable[..., Watch]
) -> None:
    """--poll (network shares): watchdog's polling observer, the same rounds."""
    drop = tmp_path / "drop"
    drop.mkdir()
    watch = watchers("watch", "--poll", "0.5", "--debounce", "0.5", "--workers", "1", str(drop))
    until(lambda: watch.cycles(), "the catch-up ingest at start", watch, 60)
    write(drop / "partage.txt", NOTE.format(word="monnaie locale"))
    until(lambda: found(tmp_path / "lib", "monnaie locale"), "a file found by polling", watch,
          ARRIVAL_LIMIT)
    assert watch.stop() == 0


def test_serve_watch_runs_the_watcher_beside_the_api(
    tmp_path: Path, watchers: Callable[..., Watch]
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    port = free_port()
    server = watchers("serve", "--port", str(port), "--watch", str(drop))
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=5) as client:
        until(lambda: answers(client, "/health"), "the server up", server, 60)
        child = until_child(server)
        write(drop / "note.txt", NOTE.format(word="ressourcerie"))

        def searchable() -> bool:
            response = client.get("/search", params={"q": "ressourcerie"})
            return response.status_code == 200 and response.json()["total"] == 1

        until(searchable, "a dropped file found through the API", server, ARRIVAL_LIMIT)
    assert server.stop(timeout=45) == 0
    assert not alive(child), "the watcher outlived the server"


def test_the_watcher_of_a_killed_server_stops_too(
    tmp_path: Path, watchers: Callable[..., Watch]
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    port = free_port()
    server = watchers("serve", "--port", str(port), "--watch", str(drop))
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        until(lambda: answers(client, "/health"), "the server up", server, 60)
    child = until_child(server)
    server.kill()  # SIGKILL: no chance to stop its child
    deadline = time.monotonic() + 15
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(child):
        os.kill(child, signal.SIGKILL)
        pytest.fail("the watcher outlived its killed server")


# --- the debounce, in-process ---------------------------------------------------------------


def test_changes_wait_for_quiet_and_a_stable_size(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    library_dir = folder / "lib"
    file = write(folder / "a.txt", "un\n")
    changes = _Changes([str(folder)], ignored=str(library_dir))
    changes.add(str(folder / ".a.txt.part"))  # hidden: a temporary file
    changes.add(str(library_dir / "catalog.sqlite"))  # the library itself
    changes.add(str(tmp_path / "other" / "b.txt"))  # not watched
    assert changes.due(time.monotonic() + 100, 2.0, 300.0)[0] == []
    before = time.monotonic()
    changes.add(str(file))
    now = time.monotonic()
    due, wait = changes.due(now, 2.0, 300.0)
    assert due == [] and 2.0 - (now - before) <= wait <= 2.0  # however long `add` took
    write(file, "un deux\n")  # written to without an event (or between two)
    assert changes.due(now + 2.5, 2.0, 300.0)[0] == []  # seen changed: waits again
    assert changes.due(now + 3.0, 2.0, 300.0)[0] == []
    assert changes.due(now + 5.0, 2.0, 300.0)[0] == [str(folder)]
    assert changes.due(now + 10.0, 2.0, 300.0)[0] == []  # taken


def test_changes_of_a_folder_that_never_calms_down_are_taken_after_max_wait(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "drop"
    file = write(folder / "journal.log", "ligne\n")
    changes = _Changes([str(folder)], ignored=str(tmp_path / "lib"))
    changes.add(str(file))
    start = time.monotonic()
    changes.add(str(file))
    assert changes.due(start + 1.0, 2.0, 30.0)[0] == []
    changes.add(str(file))  # still being written: the clock of its first change runs on
    assert changes.due(time.monotonic() + 0.5, 2.0, 30.0)[0] == []
    assert changes.due(start + 31.0, 2.0, 30.0)[0] == [str(folder)]


# --- helpers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(client: httpx.Client, path: str) -> bool:
    try:
        return client.get(path).status_code in (200, 503)
    except httpx.TransportError:
        return False


def until_child(server: Watch) -> int:
    """The pid of the watcher that `kb serve --watch` started."""
    pids: list[int] = []

    def look() -> bool:
        pids[:] = watcher_pids(server.process.pid)
        return bool(pids)

    until(look, "the watcher process", server, 20)
    return pids[0]


def watcher_pids(parent: int) -> list[int]:
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = next((int(line.split()[1]) for line in status.splitlines()
                     if line.startswith("PPid:")), 0)
        if ppid == parent and b"--parent" in command:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_an_empty_library_answers_searches(library: Library, tmp_path: Path) -> None:
    """What `kb serve --watch` on an empty drop folder serves first: an index without any
    document (its /health lists the library newest first, by date)."""
    from kb.ingest import IngestOptions, ingest

    (tmp_path / "drop").mkdir()
    ingest(library, [tmp_path / "drop"], IngestOptions(workers=1))
    assert library.search("").total == 0
    assert library.search("économie", sort="date").total == 0


def test_a_busy_library_is_waited_for(tmp_path: Path) -> None:
    """Another writer holds the library (a `kb ingest`): the watcher's rounds wait and are
    tried again, the catch-up at start included; nothing is lost."""
    import threading

    from kb.ingest import IngestOptions
    from kb.watch import Cycle, Watcher, WatchOptions

    drop = tmp_path / "drop"
    write(drop / "avant.txt", NOTE.format(word="coopérative"))
    library = Library.open(tmp_path / "lib", DEFAULT_VOCABULARY)
    other = Library.open(tmp_path / "lib", DEFAULT_VOCABULARY)
    cycles: list[Cycle] = []
    watcher = Watcher(
        library, [drop], IngestOptions(workers=1), cycles.append,
        watch=WatchOptions(debounce=0.3, busy_retry=0.5),
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    try:
        with other.write_lock():
            thread.start()
            write(drop / "pendant.txt", NOTE.format(word="mutuelle"))
            time.sleep(2.0)
            assert cycles == []  # neither the catch-up nor the new file got in
        deadline = time.monotonic() + ARRIVAL_LIMIT
        while sum(c.report.added for c in cycles) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sum(c.report.added for c in cycles) == 2, cycles
    finally:
        watcher.stop()
        thread.join(timeout=30)
        other.close()
        library.close()
    assert not thread.is_alive()

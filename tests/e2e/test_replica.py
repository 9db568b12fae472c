"""`kb publish` and `kb serve --replica-of`: a second server on loopback serves the copies the
writer publishes, and moves to each new one without a failed request."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.publish import COPIES, current, publish
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT
from tests.conftest import stop

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"
NEW_DOCUMENTS = 12

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _kb(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kb", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


@pytest.fixture
def writer(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    library_dir = tmp_path / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        ingest(library, [docs], IngestOptions(workers=1))
    return library_dir


@pytest.fixture
def replica(tmp_path: Path, writer: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, publication folder) of `kb serve --replica-of` in its own process."""
    published = tmp_path / "published"
    publish(writer, DEFAULT_VOCABULARY, published)
    port = _free_port()
    env = {**os.environ, "KB_REPLICA_POLL": "0.2"}
    log = tmp_path / "replica.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "kb", "--library", str(tmp_path / "nowhere"), "serve",
             "--port", str(port), "--replica-of", str(published)],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # seconds on a loaded machine
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the replica did not start"
            time.sleep(0.1)
        yield base, published
    finally:
        stop(server)


def test_the_replica_switches_to_each_new_copy_without_a_failed_request_and_refuses_writes(
    replica: tuple[str, Path], writer: Path, tmp_path: Path
) -> None:
    base, published = replica
    first = current(published)
    # Read-only: a write is refused, with where it should go.
    refused = httpx.post(f"{base}/api/v1/collections", json={"name": "x"}, timeout=10)
    assert refused.status_code == 405
    assert refused.json()["error"] == "read_only_replica"
    later = tmp_path / "later"
    later.mkdir()
    for n in range(NEW_DOCUMENTS):
        (later / f"note-{n:02}.txt").write_text(
            f"Note {n} sur le quetzal et l'économie sociale du Morbihan.\n" * 20,
            encoding="utf-8",
        )
    failures: list[str] = []
    totals: list[int] = []
    stop = threading.Event()

    def client() -> None:
        # One keep-alive connection, as the portal holds: every answer is checked.
        with httpx.Client(base_url=base, timeout=10) as http:
            while not stop.is_set():
                try:
                    response = http.get("/search", params={"q": "quetzal"})
                except httpx.HTTPError as exc:
                    failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text[:200]}")
                    continue
                totals.append(response.json()["total"])

    loop = threading.Thread(target=client)
    loop.start()
    try:
        time.sleep(0.5)
        assert totals and set(totals) == {0}  # the first copy has no quetzal
        # The writer ingests more, then publishes again with the command line.
        with Library.open(writer, DEFAULT_VOCABULARY) as library:
            report = ingest(library, [later], IngestOptions(workers=1))
        assert report.counts()["added"] == NEW_DOCUMENTS
        done = _kb("--library", str(writer), "publish", str(published), "--keep", "2")
        assert done.returncode == 0, done.stderr
        assert "published" in done.stdout
        second = current(published)
        assert second is not None and second != first
        deadline = time.monotonic() + 60
        while not totals or totals[-1] != NEW_DOCUMENTS:
            assert time.monotonic() < deadline, f"the replica stayed on the old copy: {totals[-5:]}"
            time.sleep(0.05)
        # A third publication: the first copy is deleted (--keep 2), the replica moves on.
        done = _kb("--library", str(writer), "publish", str(published), "--keep", "2")
        assert done.returncode == 0, done.stderr
        third = current(published)
        assert third is not None and first is not None
        assert not first.exists()
        assert sorted(p.name for p in (published / COPIES).iterdir()) == sorted(
            [second.name, third.name]
        )
        time.sleep(1.0)  # several polls: the replica has switched to the third copy
    finally:
        stop.set()
        loop.join(timeout=30)
    assert failures == []
    # Answers went from the old copy to the new one, never back.
    switched = totals.index(NEW_DOCUMENTS)
    assert set(totals[:switched]) == {0} and set(totals[switched:]) == {NEW_DOCUMENTS}
    assert len(totals) > 20


def test_serving_a_folder_where_nothing_was_published_is_refused(tmp_path: Path) -> None:
    done = _kb("serve", "--port", str(_free_port()), "--replica-of", str(tmp_path / "empty"))
    assert done.returncode != 0
    assert "nothing published" in done.stderr

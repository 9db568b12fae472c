"""A real uvicorn server on a loopback port, queried over HTTP while `kb ingest` commits."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT, Settings

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"
NEW_DOCUMENTS = 40

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with live_server(tmp_path) as found:
        yield found


@contextmanager
def live_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, library directory) of a server started in a thread on 127.0.0.1, over a
    library of the API fixtures."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    library_dir = tmp_path / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        ingest(library, [docs], IngestOptions(workers=1))
    config = uvicorn.Config(
        create_app(Settings(library=library_dir)),
        host="127.0.0.1",
        port=0,  # a free port, chosen by the system
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", library_dir
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_searches_answer_during_an_ingest_and_then_see_its_documents(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, library_dir = server
    later = tmp_path / "later"
    later.mkdir()
    for n in range(NEW_DOCUMENTS):
        (later / f"note-{n:02}.txt").write_text(
            f"Note {n} sur le quetzal et l'économie sociale du Morbihan.\n" * 20,
            encoding="utf-8",
        )
    with httpx.Client(base_url=base, timeout=10) as client:
        assert client.get("/search", params={"q": "quetzal"}).json()["total"] == 0
        before = client.get("/vocabulary").json()["documents"]
        assert before == 3  # the public fixtures
        ingesting = subprocess.Popen(
            [sys.executable, "-m", "kb", "--library", str(library_dir), "ingest", str(later)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        answered = 0
        try:
            while ingesting.poll() is None:
                response = client.get("/search", params={"q": "economie sociale"})
                assert response.status_code == 200, response.text
                assert response.json()["total"] >= before
                assert client.get("/health").status_code == 200
                answered += 1
            out, err = ingesting.communicate(timeout=60)
        finally:
            if ingesting.poll() is None:
                ingesting.kill()
                ingesting.wait()
        assert ingesting.returncode == 0, err
        assert f"added {NEW_DOCUMENTS}" in out.lower()
        assert answered > 0  # some searches ran while the ingest did

        # Committed: seen at once, without a restart.
        found = client.get("/search", params={"q": "quetzal", "size": 100}).json()
        assert found["total"] == NEW_DOCUMENTS
        one = found["hits"][0]
        assert one["file"].startswith("note-")
        assert client.get(f"/documents/{one['id']}").status_code == 200
        assert client.get("/vocabulary").json()["documents"] == before + NEW_DOCUMENTS
        health = client.get("/health").json()
        assert health["documents"] == before + NEW_DOCUMENTS
        assert health["index"]["state"] == "ok"


def test_a_token_in_the_query_string_never_reaches_the_access_log(tmp_path: Path) -> None:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    access = logging.getLogger("uvicorn.access")
    with live_server(tmp_path) as (url, _):
        keep, level = Keep(), access.level
        access.addHandler(keep)
        access.setLevel(logging.INFO)
        try:
            httpx.get(f"{url}/api/v1/search", params={"q": "économie", "token": "kb_secret1",
                                                      "note": "kb_secret2", "size": "3"})
        finally:
            access.removeHandler(keep)
            access.setLevel(level)
    (line,) = [x for x in lines if "/api/v1/search" in x]
    assert "secret" not in line, line
    assert "token=***" in line and "note=***" in line and "size=3" in line, line

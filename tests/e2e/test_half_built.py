"""Every read path on a library with no indexed document, and on one whose index lags.

Two states a user meets: a first ingest where every file failed (or an ingest killed
before its first index commit) leaves a catalog and an index with no document; an ingest
killed between a catalog commit and its index commit leaves documents in the catalog that
the index does not hold yet. Both are built through the command line as a user would,
then driven through the command line (CliRunner) and the API (TestClient).
"""

from __future__ import annotations

import json
import shutil
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.app import create_app
from kb.cli import cli
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"
LAGGING = ("note-budget.txt", "compte-rendu-reseau.txt")  # in the catalog, not the index


def kb(library: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--library", str(library), "--vocabulary", str(DEFAULT_VOCABULARY), *args]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output, result.exception)
    return result.exit_code, result.output


def empty_library(root: Path) -> Path:
    """`mkdir e && : > e/empty.txt && kb ingest e`: a catalog, an index, no document."""
    (root / "e").mkdir()
    (root / "e" / "empty.txt").write_bytes(b"")
    library = root / "empty"
    code, out = kb(library, "ingest", str(root / "e"))
    assert code == 1 and "empty.txt" in out, out
    return library


def lagging_library(root: Path) -> tuple[Path, dict[str, str]]:
    """The fixtures ingested, then two documents taken out of the index as an ingest
    killed between its catalog commit and its index commit leaves them."""
    docs = root / "docs"
    shutil.copytree(FIXTURES, docs)
    library = root / "lagging"
    code, out = kb(library, "ingest", str(docs))
    assert code == 0, out
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        ids = {
            Path(p.path).name: d.id for d in lib.catalog.documents()
            for p in lib.catalog.paths_of(d.id)
        }
        lagging = [ids[name] for name in LAGGING]
        with lib.index.writer() as writer:
            for doc_id in lagging:
                writer.delete(doc_id)
        with lib.catalog.transaction():
            lib.catalog.db.executemany(
                "UPDATE documents SET indexed_revision = NULL WHERE id = ?",
                [(i,) for i in lagging])
        create_token(lib.catalog, "admin-test", "admin")
    return library, ids


# --- the command line ----------------------------------------------------------------------


SEARCHES = (
    ("search", ""),
    ("search", "", "--sort", "date"),
    ("search", "", "--facets"),
    ("search", "economie", "--facets", "--sort", "date"),
    ("search", "econmie"),
    ("search", "", "--json"),
    ("search", "", "--territory", "bretagne", "--sort", "date", "--json"),
)


@pytest.mark.parametrize("args", SEARCHES, ids=" ".join)
def test_cli_searches_an_empty_library(tmp_path: Path, args: tuple[str, ...]) -> None:
    library = empty_library(tmp_path)
    code, out = kb(library, *args)
    assert code == 0, out
    if "--json" in args:
        assert json.loads(out)["total"] == 0
    else:
        assert "0 documents" in out


def test_cli_reads_an_empty_library(tmp_path: Path) -> None:
    library = empty_library(tmp_path)
    code, out = kb(library, "stats")
    assert code == 0 and "0 in the index" in out, out
    code, out = kb(library, "stats", "--json")
    assert json.loads(out)["indexed"] == 0
    code, out = kb(library, "similar", "0123abcd")
    assert code == 1 and "no document" in out, out
    for args in (("collection", "list"), ("log",), ("export", "", "-f", "json")):
        code, out = kb(library, *args)
        assert code == 0, (args, out)


def test_cli_answers_from_what_is_indexed_and_says_so(tmp_path: Path) -> None:
    library, ids = lagging_library(tmp_path)
    code, out = kb(library, "search", "")
    assert code == 0 and "3 documents" in out, out  # etude, rapport, ancien
    assert "2 documents of the catalog are not in the index yet" in out
    code, out = kb(library, "search", "", "--sort", "date", "--facets")
    assert code == 0, out
    code, out = kb(library, "stats")
    assert "3 in the index, 2 waiting" in out, out
    assert "not in the index yet" in out
    stats = json.loads(kb(library, "stats", "--json")[1])
    assert (stats["documents"], stats["indexed"], stats["out_of_index"]) == (5, 3, 2)
    # A document the index lacks is still shown from the catalog.
    code, out = kb(library, "show", ids["note-budget.txt"])
    assert code == 0 and "note-budget.txt" in out, out
    code, out = kb(library, "similar", ids["etude-pole-ess.md"])
    assert code == 0, out
    code, out = kb(library, "similar", ids["note-budget.txt"])
    assert code == 1 and "not in the index yet" in out, out


def test_a_write_catches_the_index_up(tmp_path: Path) -> None:
    library, ids = lagging_library(tmp_path)
    code, out = kb(library, "tag", "add", ids["etude-pole-ess.md"], "territory", "finistere")
    assert code == 0, out
    stats = json.loads(kb(library, "stats", "--json")[1])
    assert (stats["indexed"], stats["out_of_index"]) == (5, 0)


# --- the API -------------------------------------------------------------------------------


def every_get(client: TestClient, doc_id: str, headers: dict[str, str]) -> dict[str, int]:
    """Status of each read route of the API for one document id."""
    urls = [
        "/health", "/search?q=", "/search?q=&sort=date", "/search?q=&facets=true",
        "/search?q=econmie", "/search?q=economie&sort=date&facets=true",
        "/search?q=&territory=bretagne", "/search/export?q=&format=json",
        "/search/export?q=&format=ris", "/vocabulary", "/collections", "/submissions",
        "/audit", f"/documents/{doc_id}", f"/documents/{doc_id}/text",
        f"/documents/{doc_id}/file", f"/documents/{doc_id}/similar",
        f"/documents/{doc_id}/tags", f"/documents/{doc_id}/status",
    ]
    return {url: client.get(url, headers=headers).status_code for url in urls}


def test_api_on_an_empty_library(tmp_path: Path) -> None:
    library = empty_library(tmp_path)
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        secret = create_token(lib.catalog, "admin-test", "admin")[1]
    headers = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(Settings(library=library))) as client:
        for auth in ({}, headers):
            statuses = every_get(client, "0123abcdef", auth)
            assert all(s < 500 for s in statuses.values()), statuses
            for url, status in statuses.items():
                if "/documents/" in url:
                    assert status in (401, 403, 404), (url, status)
                elif url not in ("/submissions", "/audit"):
                    assert status == 200, (url, status)
        body = client.get("/search", params={"q": ""}).json()
        assert body["total"] == 0 and body["hits"] == []
        health = client.get("/health").json()
        assert health["status"] == "ok" and health["documents"] == 0


def test_api_on_a_lagging_library_says_so_then_catches_up(tmp_path: Path) -> None:
    library, ids = lagging_library(tmp_path)
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        secret = create_token(lib.catalog, "curator-test", "curator")[1]
        headers = {"Authorization": f"Bearer {secret}"}
        # An ingest holds the index's writer: the server cannot catch up yet, and answers
        # from what is indexed.
        busy = lib.index.open_writer()
        with lib.write_lock(), TestClient(create_app(Settings(library=library))) as client:
            for doc in (ids["etude-pole-ess.md"], ids["compte-rendu-reseau.txt"]):
                statuses = every_get(client, doc, headers)
                assert all(s < 500 for s in statuses.values()), statuses
            found = client.get("/search", params={"q": ""}, headers=headers).json()
            assert found["total"] == 3  # etude, rapport, ancien
            # The catalog shows a document the index lacks.
            assert client.get(f"/documents/{ids['compte-rendu-reseau.txt']}",
                              headers=headers).status_code == 200
            health = client.get("/health").json()
            assert health["status"] == "ok"
            assert health["index"]["state"] == "catching_up"
            assert "2 " in health["index"]["detail"]
        busy.cancel()
        # The lock released (the ingest ended), a new server catches up in the background.
        with TestClient(create_app(Settings(library=library))) as client:
            deadline = time.monotonic() + 60
            while client.get("/health").json()["index"]["state"] != "ok":
                assert time.monotonic() < deadline, client.get("/health").json()
                time.sleep(0.2)
            found = client.get("/search", params={"q": ""}, headers=headers).json()
            assert found["total"] == 4  # and the network's minutes; the internal note stays hidden

"""Files that could not be read are remembered: not retried, re-reported or exit 1 while
unchanged; retried when changed or on --retry-failed; listed by `kb failures`, counted by
`kb stats` and served to curators by GET /failures. Real files, real library."""

from __future__ import annotations

import json
import os
import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.app import create_app
from kb import failures, migrations
from kb.catalog import SCHEMA_VERSION, Catalog
from kb.cli import cli
from kb.errors import SchemaOutdated
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import Settings
from kb.tokens import ROLES, create_token
from tests.conftest import write

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2, and warns
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

OPTIONS = IngestOptions(workers=1)
GOOD = "Étude de faisabilité du pôle ESS du Pays de Rennes : la recyclerie coopérative.\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write(folder / "etude.txt", GOOD)
    (folder / "casse.pdf").write_bytes(b"%PDF-1.4\n garbage, no objects")
    (folder / "vide.md").write_bytes(b"")
    return folder


def kb(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--library", str(tmp_path / "lib"), *args])
    return result.exit_code, result.stdout, result.stderr


def given(problems: tuple[failures.Failure, ...] | tuple[object, ...]) -> list[str]:
    return sorted(Path(p.path).name for p in problems)  # type: ignore[attr-defined]


def test_an_unchanged_failed_file_is_not_tried_again(library: Library, docs: Path) -> None:
    first = ingest(library, [docs], OPTIONS)
    assert given(first.failed) == ["casse.pdf", "vide.md"] and not first.ok
    second = ingest(library, [docs], OPTIONS)
    assert second.ok and second.failed == ()
    assert given(second.failed_before) == ["casse.pdf", "vide.md"]
    assert {p.reason for p in second.failed_before} == {p.reason for p in first.failed}
    assert "extraction" not in second.timings  # nothing went to an extractor
    assert second.counts()["failed_before"] == 2 and second.counts()["failed"] == 0
    (known,) = [f for f in failures.listing(library.catalog) if f.given.endswith("vide.md")]
    assert known.attempts == 1 and known.reason == "empty file"


def test_retry_failed_tries_them_again(library: Library, docs: Path) -> None:
    ingest(library, [docs], OPTIONS)
    again = ingest(library, [docs], IngestOptions(workers=1, retry_failed=True))
    assert given(again.failed) == ["casse.pdf", "vide.md"] and again.failed_before == ()
    assert {f.attempts for f in failures.listing(library.catalog)} == {2}


def test_a_changed_failed_file_is_retried_and_forgotten_once_read(
    library: Library, docs: Path
) -> None:
    ingest(library, [docs], OPTIONS)
    write(docs / "vide.md", "# Note\n\nLe quetzal de la SCIC bretonne.\n")
    report = ingest(library, [docs], OPTIONS)
    assert report.added == 1 and report.failed == ()
    assert given(report.failed_before) == ["casse.pdf"]
    assert [f.given for f in failures.listing(library.catalog)] == [str(docs / "casse.pdf")]
    assert library.search("quetzal").total == 1


def test_a_touched_failed_file_is_known_by_its_content(library: Library, docs: Path) -> None:
    ingest(library, [docs], OPTIONS)
    casse = docs / "casse.pdf"
    os.utime(casse, ns=(casse.stat().st_atime_ns, casse.stat().st_mtime_ns + 5_000_000_000))
    report = ingest(library, [docs], OPTIONS)
    assert report.failed == () and given(report.failed_before) == ["casse.pdf", "vide.md"]
    # The new mtime is remembered: the next run knows it without hashing it again.
    (row,) = [f for f in failures.listing(library.catalog) if f.given == str(casse)]
    assert row.mtime_ns == casse.stat().st_mtime_ns and row.attempts == 1
    # New content is another matter.
    casse.write_bytes(b"%PDF-1.4\n other garbage")
    assert given(ingest(library, [docs], OPTIONS).failed) == ["casse.pdf"]


def test_a_fixed_sidecar_makes_the_file_retried(library: Library, docs: Path) -> None:
    sidecar = write(docs / "etude.txt.meta.toml", "family = [unquoted\n")
    first = ingest(library, [docs], OPTIONS)
    assert "etude.txt" in given(first.failed)
    assert "etude.txt" in given(ingest(library, [docs], OPTIONS).failed_before)
    write(sidecar, 'family = ["cooperatives"]\n')
    report = ingest(library, [docs], OPTIONS)
    assert report.added == 1 and report.failed == ()
    assert "etude.txt" not in [Path(f.given).name for f in failures.listing(library.catalog)]


def test_a_bad_sidecar_on_a_known_file_is_remembered_too(library: Library, docs: Path) -> None:
    assert ingest(library, [docs], OPTIONS).added == 1
    write(docs / "etude.txt.meta.toml", "family = [unquoted\n")
    assert "etude.txt" in given(ingest(library, [docs], OPTIONS).failed)
    report = ingest(library, [docs], OPTIONS)
    assert report.ok and "etude.txt" in given(report.failed_before)


def test_same_failing_content_at_two_paths_is_remembered_at_both(
    library: Library, docs: Path
) -> None:
    (docs / "copie.pdf").write_bytes((docs / "casse.pdf").read_bytes())
    assert given(ingest(library, [docs], OPTIONS).failed) == ["casse.pdf", "copie.pdf", "vide.md"]
    again = ingest(library, [docs], OPTIONS)
    assert again.ok and given(again.failed_before) == ["casse.pdf", "copie.pdf", "vide.md"]


def test_a_failed_file_gone_from_its_folder_is_forgotten(library: Library, docs: Path) -> None:
    ingest(library, [docs], OPTIONS)
    (docs / "casse.pdf").unlink()
    report = ingest(library, [docs], OPTIONS)
    assert given(report.failed_before) == ["vide.md"]
    assert [Path(f.given).name for f in failures.listing(library.catalog)] == ["vide.md"]
    assert library.stats()["failures"] == 1


# --- the command line -----------------------------------------------------------------------


def test_cli_second_run_exits_0_and_says_what_failed_before(tmp_path: Path, docs: Path) -> None:
    code, out, err = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert code == 1 and "failed 2" in out and "casse.pdf" in err and "vide.md" in err
    code, out, err = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert code == 0, err
    assert "failed 0" in out
    assert "2 failed before, unchanged (kb failures to list; --retry-failed to try again)" in out
    assert "casse.pdf" not in err and "vide.md" not in err
    code, out, err = kb(tmp_path, "ingest", "--workers", "1", "--retry-failed", str(docs))
    assert code == 1 and "failed 2" in out and "casse.pdf" in err and "failed before" not in out
    code, out, _ = kb(tmp_path, "ingest", "--workers", "1", "--json", str(docs))
    payload = json.loads(out)
    assert code == 0 and payload["counts"]["failed_before"] == 2
    assert sorted(Path(p["path"]).name for p in payload["failed_before"]) == [
        "casse.pdf", "vide.md"]


def test_cli_failures_lists_each_with_reason_time_and_attempts(
    tmp_path: Path, docs: Path
) -> None:
    kb(tmp_path, "ingest", "--workers", "1", str(docs))
    kb(tmp_path, "ingest", "--workers", "1", "--retry-failed", str(docs))
    code, out, _ = kb(tmp_path, "failures")
    assert code == 0
    assert f"{docs / 'vide.md'}: empty file (" in out and "tried 2 times" in out
    assert "2 files could not be read" in out
    code, out, _ = kb(tmp_path, "failures", "--json")
    listed = {Path(f["path"]).name: f for f in json.loads(out)["failures"]}
    assert set(listed) == {"casse.pdf", "vide.md"}
    assert listed["vide.md"]["reason"] == "empty file" and listed["vide.md"]["attempts"] == 2
    assert listed["vide.md"]["first_at"] <= listed["vide.md"]["at"]
    code, out, _ = kb(tmp_path, "stats")
    assert "failures      2 " in out
    code, out, _ = kb(tmp_path, "stats", "--json")
    assert json.loads(out)["failures"] == 2


def test_retry_failed_picks_up_a_file_once_conditions_change(
    tmp_path: Path, docs: Path
) -> None:
    """A file that fails for a reason outside it (here --strict and an unknown tag value;
    in life, LibreOffice or Tesseract not installed yet) is tried again on request."""
    write(docs / "etude.txt.meta.toml", 'family = ["cooperative"]\n')  # unknown: "cooperatives"
    code, _, err = kb(tmp_path, "ingest", "--workers", "1", "--strict", str(docs))
    assert code == 1 and "etude.txt" in err
    code, out, _ = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert code == 0 and "added 0" in out and "3 failed before" in out
    code, out, _ = kb(tmp_path, "ingest", "--workers", "1", "--retry-failed", str(docs))
    assert "added 1" in out
    code, out, _ = kb(tmp_path, "failures", "--json")
    assert sorted(Path(f["path"]).name for f in json.loads(out)["failures"]) == [
        "casse.pdf", "vide.md"]
    code, out, _ = kb(tmp_path, "search", "recyclerie")
    assert "etude" in out


# --- the catalog's older failures table -----------------------------------------------------


def test_kb_upgrade_gives_an_older_catalog_the_signature_columns(
    tmp_path: Path, docs: Path
) -> None:
    path = tmp_path / "lib" / "catalog.sqlite"
    path.parent.mkdir()
    Catalog.open(path).close()
    # The table as schema version 2 had it, with a failure recorded by an older kb.
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TABLE failures; CREATE TABLE failures (path TEXT PRIMARY KEY, given TEXT NOT"
        " NULL, reason TEXT NOT NULL, at TEXT NOT NULL);"
        "UPDATE meta SET value = '2' WHERE key = 'schema_version';"
    )
    db.execute("INSERT INTO failures VALUES (?, ?, 'empty file', '2024-01-01T00:00:00+00:00')",
               (str(docs / "vide.md"), str(docs / "vide.md")))
    db.commit()
    db.close()
    with pytest.raises(SchemaOutdated, match="kb upgrade"):
        Catalog.open(path)
    assert migrations.upgrade(path).after == SCHEMA_VERSION
    catalog = Catalog.open(path)
    (old,) = failures.listing(catalog)
    catalog.close()
    assert (old.attempts, old.size, old.first_at) == (1, None, "2024-01-01T00:00:00+00:00")
    code, out, err = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert "vide.md" in err  # no signature: tried again, once
    code, out, err = kb(tmp_path, "ingest", "--workers", "1", str(docs))
    assert code == 0 and "2 failed before" in out


# --- GET /failures ---------------------------------------------------------------------------


@pytest.fixture
def api(tmp_path: Path, docs: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    library_dir = tmp_path / "lib"
    with Library.open(library_dir, Settings().vocabulary) as library:
        ingest(library, [docs], OPTIONS)
        tokens = {role: create_token(library.catalog, f"{role}-1", role)[1] for role in ROLES}
    with TestClient(create_app(Settings(library=library_dir))) as client:
        yield client, tokens


def test_get_failures_is_for_curators_and_admins(api: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = api
    assert client.get("/failures").status_code == 401
    bad = client.get("/failures", headers={"Authorization": "Bearer kb_nope"})
    assert bad.status_code == 401
    for role in ("network", "council"):
        refused = client.get("/failures", headers={"Authorization": f"Bearer {tokens[role]}"})
        assert refused.status_code == 403, role
        assert refused.json()["error"] == "forbidden" and "curator" in refused.json()["detail"]
    for role in ("curator", "admin"):
        answer = client.get("/failures", headers={"Authorization": f"Bearer {tokens[role]}"})
        assert answer.status_code == 200, role
        body = answer.json()
        assert body["total"] == 2
        listed = {Path(f["path"]).name: f for f in body["failures"]}
        assert listed["vide.md"]["reason"] == "empty file"
        assert listed["vide.md"]["attempts"] == 1
        assert listed["casse.pdf"]["absolute_path"].endswith("casse.pdf")


def test_a_failed_version_undone_is_forgotten(library: Library, docs: Path) -> None:
    """A file changed into something unreadable, then put back as it was (same size and
    mtime as the version in the library): its failure leaves the list."""
    etude = docs / "etude.txt"
    ingest(library, [docs], OPTIONS)
    kept = etude.stat()
    etude.write_bytes(b"\x00\x01\x02" * 10)
    assert "etude.txt" in given(ingest(library, [docs], OPTIONS).failed)
    etude.write_text(GOOD, encoding="utf-8")
    os.utime(etude, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    report = ingest(library, [docs], OPTIONS)
    assert report.unchanged == 1 and "etude.txt" not in given(report.failed_before)
    assert "etude.txt" not in [Path(f.given).name for f in failures.listing(library.catalog)]

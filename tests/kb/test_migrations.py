"""Catalog migrations: a library made by the kb of catalog schema 1 (tests/fixtures/
library-v1, a `kb backup` of it) is refused with "run `kb upgrade`", upgrades with a backup
first, and keeps its corrections, collections, audit trail and tokens; a catalog from a
newer kb is refused and left untouched; a failed migration changes nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import migrations
from kb.catalog import SCHEMA_VERSION, Catalog
from kb.cli import cli
from kb.migrations import MIGRATIONS, Migration, catalog_version
from kb.settings import DEFAULT_VOCABULARY
from kb.tokens import create_token, list_tokens

FIXTURE = Path(__file__).parents[1] / "fixtures" / "library-v1"
ETUDE = "fa8fe21669"  # the study the fixture's curator corrected


def kb(library: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--library", str(library), "--vocabulary", str(DEFAULT_VOCABULARY), *args]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output, result.exception)
    return result.exit_code, result.output


def rows(library: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(library / "catalog.sqlite")
    try:
        return {
            "corrections": db.execute("SELECT document_id, field, value FROM tags"
                                      " WHERE origin = 'curator' ORDER BY 1, 2, 3").fetchall(),
            "collections": db.execute("SELECT * FROM collections").fetchall(),
            "entries": db.execute("SELECT * FROM collection_entries").fetchall(),
            "audit": db.execute("SELECT * FROM audit ORDER BY id").fetchall(),
            "tokens": db.execute("SELECT id, name, role, token_hash, created_at, revoked_at"
                                 " FROM tokens ORDER BY id").fetchall(),
            "documents": db.execute("SELECT id, revision, state FROM documents").fetchall(),
        }
    finally:
        db.close()


@pytest.fixture
def old_library(tmp_path: Path) -> Path:
    """The schema-1 fixture, restored as a user would from its backup."""
    library = tmp_path / "library"
    code, out = kb(library, "restore", str(FIXTURE))
    assert code == 0, out
    assert "kb upgrade" in out  # the restore says what to do next
    assert catalog_version(library / "catalog.sqlite") == 1
    return library


def test_the_fixture_is_of_the_oldest_supported_schema() -> None:
    assert json.loads((FIXTURE / "manifest.json").read_text())["catalog_schema"] == 1
    assert migrations.OLDEST_SUPPORTED == 1 and SCHEMA_VERSION >= 2
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION))


def test_an_older_catalog_is_refused_with_run_kb_upgrade(old_library: Path) -> None:
    before = (old_library / "catalog.sqlite").read_bytes()
    for args in (("search", ""), ("stats",), ("log",)):
        code, out = kb(old_library, *args)
        assert code == 1 and "run `kb upgrade`" in out and "schema 1" in out, out
    assert (old_library / "catalog.sqlite").read_bytes() == before  # not touched


def test_kb_upgrade_backs_up_migrates_and_keeps_the_curators_work(
    old_library: Path, tmp_path: Path
) -> None:
    before = rows(old_library)
    assert before["corrections"] and before["entries"] and len(before["audit"]) >= 5
    code, out = kb(old_library, "upgrade", "--backup-to", str(tmp_path / "pre-upgrade"))
    assert code == 0, out
    assert f"migrated from schema 1 to {SCHEMA_VERSION}" in out
    assert catalog_version(old_library / "catalog.sqlite") == SCHEMA_VERSION
    after = rows(old_library)
    # Every row kept, tokens included; the index (of the old engine) was rebuilt, which
    # the audit trail records last.
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert [row[5] for row in after["audit"][len(before["audit"]):]] == ["reindex"]
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"}
    # The backup taken first is a schema-1 library, verified.
    manifest = json.loads((tmp_path / "pre-upgrade" / "manifest.json").read_text())
    assert manifest["catalog_schema"] == 1
    # The library works: the correction is searchable, the collection and the log are there.
    code, out = kb(old_library, "search", "", "--kind", "termes-de-reference", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [ETUDE]
    code, out = kb(old_library, "collection", "show", "pole-ess-lectures")
    assert "Synthèse p. 3" in out, out
    code, out = kb(old_library, "log", "--document", ETUDE)
    assert code == 0 and "kind" in out, out
    # What the migration was for: the revoked token's name can be given again.
    with Catalog.open(old_library / "catalog.sqlite") as catalog:
        create_token(catalog, "réseau-brest", "network")
        assert [t.active for t in list_tokens(catalog) if t.name == "réseau-brest"] == [
            False, True]
    code, out = kb(old_library, "upgrade")
    assert code == 0 and "nothing to do" in out


def columns(catalog_path: Path) -> dict[str, list[str]]:
    db = sqlite3.connect(catalog_path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(r[1] for r in db.execute(f"PRAGMA table_info({t})")) for t in tables}
    finally:
        db.close()


def test_an_upgraded_catalog_has_the_columns_of_a_new_one(
    old_library: Path, tmp_path: Path
) -> None:
    """Every change of `SCHEMA` shipped with its migration: after `kb upgrade` each table
    has the columns a freshly created catalog has (new tables come with the schema)."""
    code, out = kb(old_library, "upgrade", "--backup-to", str(tmp_path / "pre-upgrade"))
    assert code == 0, out
    with Catalog.open(old_library / "catalog.sqlite"):
        pass
    with Catalog.open(tmp_path / "new" / "catalog.sqlite"):
        pass
    assert columns(old_library / "catalog.sqlite") == columns(
        tmp_path / "new" / "catalog.sqlite")


def test_a_catalog_from_a_newer_kb_is_refused_and_untouched(tmp_path: Path) -> None:
    library = tmp_path / "library"
    kb(library, "stats")  # nothing there yet
    with Catalog.open(library / "catalog.sqlite") as catalog:
        catalog.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    before = (library / "catalog.sqlite").read_bytes()
    for args in (("stats",), ("upgrade",)):
        code, out = kb(library, *args)
        assert code == 1 and "newer kb" in out, out
    assert (library / "catalog.sqlite").read_bytes() == before
    assert not list(tmp_path.glob("library-before-*"))


def test_a_failing_migration_changes_nothing(
    old_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_then_fail(db: sqlite3.Connection) -> None:
        MIGRATIONS[0].apply(db)
        raise sqlite3.OperationalError("disk full (simulated)")

    monkeypatch.setattr(migrations, "MIGRATIONS", (Migration(1, half_then_fail),))
    before = rows(old_library)
    with pytest.raises(sqlite3.OperationalError):
        migrations.upgrade(old_library / "catalog.sqlite")
    assert catalog_version(old_library / "catalog.sqlite") == 1
    assert rows(old_library) == before
    db = sqlite3.connect(old_library / "catalog.sqlite")
    assert "tokens_v2" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    db.close()


def test_upgrade_refuses_while_a_command_writes(old_library: Path, tmp_path: Path) -> None:
    import fcntl

    with open(old_library / "write.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, out = kb(old_library, "upgrade", "--backup-to", str(tmp_path / "b"))
    assert code == 1 and "writing to this library" in out, out
    assert catalog_version(old_library / "catalog.sqlite") == 1
    shutil.rmtree(tmp_path / "b", ignore_errors=True)


WHOOSH_LIBRARY = Path(__file__).parents[1] / "fixtures" / "library-whoosh-v3"


def test_a_library_with_the_old_engines_index_upgrades_and_answers_the_same(
    tmp_path: Path,
) -> None:
    library = tmp_path / "library"
    shutil.copytree(WHOOSH_LIBRARY, library)
    code, out = kb(library, "search", "coopérative")
    assert code == 1 and "kb upgrade" in out, out

    code, out = kb(library, "upgrade", "--backup-to", str(tmp_path / "before"))
    assert code == 0, out
    assert "index rebuilt: 4 documents" in out, out
    assert (tmp_path / "before" / "manifest.json").exists()  # the verified backup first

    expected = json.loads((WHOOSH_LIBRARY / "expected.json").read_text())
    for query, (total, ids) in expected.items():
        code, out = kb(library, "search", query, "--json")
        assert code == 0, out
        found = json.loads(out)
        assert found["total"] == total, (query, found)
        assert sorted(h["id"] for h in found["hits"]) == sorted(ids), (query, found)
    # The curator's correction is kept, and found by its filter.
    code, out = kb(library, "search", "mission:diffusion", "--json")
    assert "2ad739d08d" in out

    code, out = kb(library, "upgrade")
    assert code == 0 and "nothing to do" in out, out

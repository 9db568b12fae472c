"""A full disk, a read-only library, leftovers of killed backups (issue 26, items 7 to 9).

The disk is really full and the library really read-only: a small tmpfs filled to the last
byte, a read-only bind mount. Both need root (CI runs as root); elsewhere those tests are
skipped and the mapping of errors to messages is still checked.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from api.app import create_app
from kb.cli import cli
from kb.errors import (
    AccessDenied,
    ReadOnlyLibrary,
    StorageFull,
    storage_error,
)
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token
from tests.e2e.test_crash import make_folder

pytestmark = pytest.mark.slow  # ingests in subprocesses on a disk that fills

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"


def kb(library: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--library", str(library), "--vocabulary", str(DEFAULT_VOCABULARY), *args]
    )


def ok(result: Result) -> str:
    assert result.exit_code == 0 and result.exception is None, (result.output,
                                                                 result.exception)
    return result.output


def one_line_error(result: Result, *words: str) -> str:
    """The command failed with exit 1 and one line (no traceback) holding `words`."""
    assert isinstance(result.exception, SystemExit), (result.output, result.exception)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def build(root: Path) -> tuple[Path, str]:
    """A small library (the API fixtures), and the id of its Pôle ESS study."""
    shutil.copytree(FIXTURES, root / "docs")
    library = root / "library"
    ok(kb(library, "ingest", "--workers", "1", str(root / "docs")))
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        etude = next(d.id for d in lib.catalog.documents()
                     for p in lib.catalog.paths_of(d.id) if p.path.endswith("etude-pole-ess.md"))
    return library, etude


def rows(library: Path) -> list[tuple[object, ...]]:
    """What a write changes: tags, audit, documents (read without writing)."""
    db = sqlite3.connect(f"file:{library / 'catalog.sqlite'}?mode=ro&immutable=1", uri=True)
    try:
        return [*db.execute("SELECT document_id, field, value, origin FROM tags ORDER BY 1,2,3,4"),
                *db.execute("SELECT id, action, target_id FROM audit ORDER BY id"),
                *db.execute("SELECT id, revision FROM documents ORDER BY id")]
    finally:
        db.close()


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (skipped where mounting is not allowed: not root, not Linux)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)):
        pytest.skip("mounting a tmpfs needs root on Linux (CI runs as root)")
    yield disk
    _umount(disk)


def fill(disk: Path) -> Path:
    """Fill `disk` to its last byte; the file that does it (delete it to free the disk)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for block in (1 << 16, 1):  # big blocks, then the last bytes one by one
            try:
                while True:
                    os.write(fd, b"\0" * block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


# --- 7. a full disk -------------------------------------------------------------------------


def test_full_disk_writes_fail_in_one_line_and_reads_keep_working(
    small_disk: Path, tmp_path: Path
) -> None:
    library, etude = build(small_disk)
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        token = create_token(lib.catalog, "admin-1", "admin")[1]
    (small_disk / "docs" / "nouveau.txt").write_text(
        "Diagnostic de l'économie sociale et solidaire du Finistère.\n")
    before = rows(library)
    filler = fill(small_disk)

    one_line_error(kb(library, "tag", "set", etude, "kind", "etude"),
                   "is full", "free some space", "nothing was half-written")
    one_line_error(kb(library, "ingest", "--workers", "1", str(small_disk / "docs")),
                   "is full", "free some space")
    one_line_error(kb(library, "backup", str(small_disk / "backup")),
                   "is full", str(small_disk / "backup"))
    assert rows(library) == before  # nothing half-written
    assert not [p.name for p in small_disk.iterdir() if "backup" in p.name]

    # Reading needs no space at all.
    assert "pôle ESS" in ok(kb(library, "search", "pôle"))
    assert "documents     5" in ok(kb(library, "stats"))
    assert etude in ok(kb(library, "show", etude))
    with TestClient(create_app(Settings(library=library))) as client:
        found = client.get("/api/v1/search", params={"q": "pôle"})
        assert found.status_code == 200 and found.json()["total"] >= 1
        refused = client.put(f"/api/v1/documents/{etude}/tags/family",
                             json={"values": ["cooperatives"]},
                             headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 507, refused.text
        assert refused.json()["error"] == "storage_full"
    # And a backup to another disk is the way out.
    assert "verified" in ok(kb(library, "backup", str(tmp_path / "elsewhere")))

    filler.unlink()  # the same write, with space: the disk was the only obstacle
    ok(kb(library, "tag", "set", etude, "kind", "etude"))
    assert rows(library) != before


def test_a_disk_that_fills_during_an_ingest(small_disk: Path, tmp_path: Path) -> None:
    """The disk fills while documents are being stored and indexed: one line, exit 1, no
    hang (the index feed once waited for ever on a commit refused for lack of space), and
    the next ingest, with space, completes the library."""
    make_folder(tmp_path / "notes", 600)
    library = small_disk / "library"
    command = [sys.executable, "-m", "kb", "--library", str(library), "--vocabulary",
               str(DEFAULT_VOCABULARY), "ingest", "--workers", "1", str(tmp_path / "notes")]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    failed = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
    assert failed.returncode == 1, (failed.stdout, failed.stderr)
    assert "Traceback" not in failed.stderr and "is full" in failed.stderr, failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr

    assert _mount("-o", "remount,size=64m", str(small_disk))
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    stats = json.loads(ok(kb(library, "stats", "--json")))
    assert stats["documents"] == stats["indexed"] == 600 and stats["out_of_index"] == 0


# --- 8. a read-only library -----------------------------------------------------------------


@pytest.fixture
def read_only_copy(tmp_path: Path) -> Iterator[tuple[Path, str, str]]:
    """A library seen through a read-only bind mount, its Pôle ESS study and an admin
    token (skipped where mounting is not allowed)."""
    library, etude = build(tmp_path)
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        token = create_token(lib.catalog, "admin-1", "admin")[1]
    view = tmp_path / "read-only"
    view.mkdir()
    if not _mount("--bind", str(library), str(view)):
        pytest.skip("a read-only bind mount needs root on Linux (CI runs as root)")
    try:
        if not _mount("-o", "remount,ro,bind", str(view)):
            pytest.skip("remounting read-only was refused")
        yield view, etude, token
    finally:
        _umount(view)


def test_a_read_only_library_is_searched_shown_and_served(
    read_only_copy: tuple[Path, str, str], tmp_path: Path
) -> None:
    view, etude, token = read_only_copy
    assert "pôle ESS" in ok(kb(view, "search", "pôle"))
    assert "documents     5" in ok(kb(view, "stats"))
    assert etude in ok(kb(view, "show", etude))
    assert "verified" in ok(kb(view, "backup", str(tmp_path / "copy")))

    one_line_error(kb(view, "tag", "set", etude, "kind", "etude"), "read-only", str(view))
    one_line_error(kb(view, "ingest", "--workers", "1", str(tmp_path / "docs")), "read-only")

    with TestClient(create_app(Settings(library=view))) as client:
        found = client.get("/api/v1/search", params={"q": "pôle"})
        assert found.status_code == 200 and found.json()["total"] >= 1
        assert client.get(f"/api/v1/documents/{etude}").status_code == 200
        changed = client.put(f"/api/v1/documents/{etude}/tags/family",
                             json={"values": ["cooperatives"]},
                             headers={"Authorization": f"Bearer {token}"})
        assert changed.status_code == 503, changed.text
        assert changed.json()["error"] == "read_only_library"
        assert "Retry-After" not in changed.headers
        french = client.post("/api/v1/collections", json={"name": "Lectures"},
                             headers={"Authorization": f"Bearer {token}",
                                      "Accept-Language": "fr"})
        assert french.status_code == 503 and "lecture seule" in french.json()["detail"]


def test_commands_that_only_read_open_the_library_read_only(tmp_path: Path) -> None:
    """Runs anywhere: a reading library refuses writes in one line, never half-writes."""
    library, etude = build(tmp_path)
    before = rows(library)
    with Library.open(library, DEFAULT_VOCABULARY, read_only=True) as lib:
        assert lib.read_only and lib.show(etude).document.id == etude
        with pytest.raises(ReadOnlyLibrary), lib.write_lock():
            pass
        with pytest.raises(ReadOnlyLibrary), lib.catalog.transaction():
            pass
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            lib.catalog.set_meta("touched", "yes")
    assert rows(library) == before


# --- the one place errors are translated -----------------------------------------------------


@pytest.mark.parametrize(("error", "expected", "words"), [
    (OSError(errno.ENOSPC, "No space left on device", "/lib/x"), StorageFull, "is full"),
    (OSError(errno.EDQUOT, "Disk quota exceeded", "/lib/x"), StorageFull, "quota"),
    (OSError(errno.EROFS, "Read-only file system", "/lib/x"), ReadOnlyLibrary, "read-only"),
    (PermissionError(errno.EACCES, "Permission denied", "/lib/x"), AccessDenied,
     "permission denied on /lib/x"),
    (sqlite3.OperationalError("database or disk is full"), StorageFull, "is full"),
    (sqlite3.OperationalError("attempt to write a readonly database"), ReadOnlyLibrary,
     "read-only"),
])
def test_storage_errors_become_one_kb_error(error: BaseException, expected: type,
                                            words: str) -> None:
    translated = storage_error(error, Path("/lib"))
    assert isinstance(translated, expected)
    assert words in str(translated) and "\n" not in str(translated)


def test_other_errors_are_left_alone() -> None:
    assert storage_error(FileNotFoundError(errno.ENOENT, "gone", "/x")) is None
    assert storage_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
    assert storage_error(ValueError("bug")) is None


# --- 9. leftovers of killed backups ----------------------------------------------------------


def test_backup_removes_leftovers_of_killed_backups_beside_it(tmp_path: Path) -> None:
    library, _ = build(tmp_path)
    backups = tmp_path / "backups"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid whose process is gone
    dead = backups / f".lundi.partial-{gone.pid}"
    live = backups / f".mardi.partial-{os.getppid()}"  # a backup still running
    others = [backups / ".notes.partial-abc", backups / f"lundi.partial-{gone.pid}"]
    for folder in (dead, live, *others):
        (folder / "index").mkdir(parents=True)
        (folder / "catalog.sqlite").write_bytes(b"half")
    output = ok(kb(library, "backup", str(backups / "mercredi")))
    assert not dead.exists()
    assert live.exists() and all(p.exists() for p in others)
    assert f"removed 1 leftover of killed backups beside {backups / 'mercredi'}: {dead.name}" \
        in output
    assert (backups / "mercredi" / "manifest.json").is_file()

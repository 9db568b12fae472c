"""The storage of the files that could not be read (`failures`): the only module that
writes SQL for that table. `kb.failures` says when a failure is remembered and forgotten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.catalog import Catalog


def upsert(catalog: Catalog, path: str, given: str, reason: str, at: str, size: int,
           mtime_ns: int, sidecar: str | None, content_hash: str | None) -> None:
    """Remember a failure at `path` (one attempt more if it was known)."""
    catalog.db.execute(
        "INSERT INTO failures (path, given, reason, at, first_at, attempts, size, mtime_ns,"
        " sidecar, content_hash) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)"
        " ON CONFLICT(path) DO UPDATE SET given = excluded.given, reason = excluded.reason,"
        " at = excluded.at, first_at = coalesce(failures.first_at, failures.at),"
        " attempts = failures.attempts + 1, size = excluded.size,"
        " mtime_ns = excluded.mtime_ns, sidecar = excluded.sidecar,"
        " content_hash = excluded.content_hash",
        (path, given, reason, at, at, size, mtime_ns, sidecar, content_hash),
    )


def delete(catalog: Catalog, paths: list[str]) -> None:
    catalog.db.executemany("DELETE FROM failures WHERE path = ?", [(p,) for p in paths])


def every(catalog: Catalog) -> list[dict[str, Any]]:
    """Every failure's row, by the name it was given."""
    return [dict(r) for r in catalog.db.execute("SELECT * FROM failures ORDER BY given, path")]


def summary(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(given, reason, at) of each failure, by the name it was given."""
    rows = catalog.db.execute("SELECT given, reason, at FROM failures ORDER BY given")
    return [(r["given"], r["reason"], r["at"]) for r in rows]


def count(catalog: Catalog) -> int:
    return int(catalog.db.execute("SELECT count(*) FROM failures").fetchone()[0])


def paths_under(catalog: Catalog, prefix: str) -> list[str]:
    """The paths of the failures that start with `prefix`."""
    return [r["path"] for r in catalog.db.execute(
        "SELECT path FROM failures WHERE substr(path, 1, ?) = ?", (len(prefix), prefix))]


def set_signature(catalog: Catalog, path: str, size: int, mtime_ns: int) -> None:
    """The size and mtime the failed file has now (its content is the same)."""
    catalog.db.execute("UPDATE failures SET size = ?, mtime_ns = ? WHERE path = ?",
                       (size, mtime_ns, path))

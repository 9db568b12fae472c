"""The storage of API tokens and of the web sessions signed in with them (`tokens`,
`web_sessions`): the only module that writes SQL for these tables. `kb.tokens` and
`kb.sessions` say what a token and a session are, and keep the secrets out of here: these
functions see hashes only.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.catalog import Catalog

# A token's row as `kb.tokens.Token` takes it.
TokenRow = tuple[str, str, str, str | None]  # name, role, created_at, revoked_at

# --- tokens --------------------------------------------------------------------------------


def insert_token(catalog: Catalog, name: str, role: str, token_hash: str, at: str) -> bool:
    """A new token; False (and nothing written) if an active token has that name."""
    try:
        catalog.db.execute(
            "INSERT INTO tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role, token_hash, at),
        )
    except sqlite3.IntegrityError:
        return False
    return True


def every_token(catalog: Catalog) -> list[TokenRow]:
    """Every token, active and revoked, oldest first."""
    rows = catalog.db.execute(
        "SELECT name, role, created_at, revoked_at FROM tokens ORDER BY id"
    ).fetchall()
    return [_token(r) for r in rows]


def active_hashes(catalog: Catalog, name: str) -> list[str]:
    """The hashes of the active tokens of that name."""
    return [r["token_hash"] for r in catalog.db.execute(
        "SELECT token_hash FROM tokens WHERE name = ? AND revoked_at IS NULL", (name,)
    ).fetchall()]


def revoke(catalog: Catalog, name: str, at: str) -> None:
    """Revoke the active tokens of that name."""
    catalog.db.execute(
        "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (at, name)
    )


def newest_named(catalog: Catalog, name: str) -> TokenRow | None:
    """The newest token of that name (older ones of the same name are revoked)."""
    row = catalog.db.execute(
        "SELECT name, role, created_at, revoked_at FROM tokens WHERE name = ?"
        " ORDER BY id DESC LIMIT 1",
        (name,),
    ).fetchone()
    return None if row is None else _token(row)


def active_by_hash(catalog: Catalog, token_hash: str) -> TokenRow | None:
    row = catalog.db.execute(
        "SELECT name, role, created_at, revoked_at FROM tokens"
        " WHERE token_hash = ? AND revoked_at IS NULL",
        (token_hash,),
    ).fetchone()
    return None if row is None else _token(row)


# --- web sessions --------------------------------------------------------------------------


def insert_session(catalog: Catalog, id_hash: str, csrf: str, token_hash: str, at: str,
                   expires_at: str) -> None:
    """A new session, once the expired ones are gone (in the caller's transaction)."""
    catalog.db.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (at,))
    catalog.db.execute(
        "INSERT INTO web_sessions (id_hash, csrf, token_hash, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (id_hash, csrf, token_hash, at, expires_at),
    )


def live_session(catalog: Catalog, id_hash: str, at: str) -> tuple[str, str, str] | None:
    """(csrf, token_hash, expires_at) of the session if it has not expired at `at`."""
    row = catalog.db.execute(
        "SELECT csrf, token_hash, expires_at FROM web_sessions WHERE id_hash = ?"
        " AND expires_at > ?",
        (id_hash, at),
    ).fetchone()
    return None if row is None else (row["csrf"], row["token_hash"], row["expires_at"])


def delete_session(catalog: Catalog, id_hash: str) -> None:
    catalog.db.execute("DELETE FROM web_sessions WHERE id_hash = ?", (id_hash,))


def delete_sessions_of_token(catalog: Catalog, token_hash: str) -> int:
    """How many sessions signed in with that token went."""
    cursor = catalog.db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (token_hash,))
    return cursor.rowcount


def _token(row: sqlite3.Row) -> TokenRow:
    return (row["name"], row["role"], row["created_at"], row["revoked_at"])

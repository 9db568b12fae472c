"""Web sessions kept in the catalog: signing out or revoking the token ends them at once.

A session is a random id handed to the browser (in a signed cookie, `api.web.session`) and a
row of `web_sessions`: the SHA-256 of that id (a copied catalog gives no usable cookie), the
session's CSRF value, the hash of the API token it signed in with, and when it expires.
Signing out deletes the row; revoking a token deletes the rows of its sessions; an expired
row is refused, and removed when the next session is made. Every server process of one
library reads the same table, so a session ended in one ends in all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kb.catalog import Catalog, now
from kb.catalog import tokens as store

MAX_ID = 100  # longer strings cannot be ours: refused before hashing


@dataclass(frozen=True)
class WebSession:
    """A signed-in session as the catalog knows it (never its id)."""

    csrf: str
    token_hash: str
    expires_at: str  # ISO 8601, UTC


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def create_session(catalog: Catalog, token_hash: str, lifetime: int) -> tuple[str, WebSession]:
    """A new session for the token whose secret hashes to `token_hash`, valid `lifetime`
    seconds; returns its id (for the cookie, shown this once) and the session."""
    session_id = secrets.token_urlsafe(32)
    stamp = now()
    expires = (datetime.now(UTC) + timedelta(seconds=lifetime)).isoformat(timespec="seconds")
    found = WebSession(csrf=secrets.token_urlsafe(24), token_hash=token_hash,
                       expires_at=expires)
    with catalog.transaction():
        store.insert_session(catalog, _key(session_id), found.csrf, token_hash, stamp, expires)
    return session_id, found


def get_session(catalog: Catalog, session_id: str) -> WebSession | None:
    """The session with this id if it exists and has not expired, else None."""
    if not session_id or len(session_id) > MAX_ID:
        return None
    row = store.live_session(catalog, _key(session_id), now())
    return None if row is None else WebSession(*row)


def end_session(catalog: Catalog, session_id: str) -> None:
    """Sign out: the session is gone for every server process (nothing if it was)."""
    if not session_id or len(session_id) > MAX_ID:
        return
    with catalog.transaction():
        store.delete_session(catalog, _key(session_id))


def end_sessions_of_token(catalog: Catalog, token_hash: str) -> int:
    """Remove every session signed in with this token (it was revoked); how many. Runs in
    the caller's transaction if there is one."""
    return store.delete_sessions_of_token(catalog, token_hash)

"""Who may come in: one library's API tokens (`kb.tokens`) and the web sessions signed in
with them (`kb.sessions`), for the command line, the API and the pages.

`Access` is the service `Library` composes for it (`Library.access`); the rules (roles,
hashing, expiry, revoking a token ending its sessions) are those of `kb.tokens` and
`kb.sessions`.
"""

from __future__ import annotations

from kb import sessions, tokens
from kb.catalog import Catalog
from kb.sessions import WebSession
from kb.tokens import Token


class Access:
    """The tokens and web sessions of one library's catalog."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    # --- tokens -------------------------------------------------------------------------

    def create_token(self, name: str, role: str) -> tuple[Token, str]:
        """A new token and its secret, shown this once (`kb.tokens.create_token`)."""
        return tokens.create_token(self._catalog, name, role)

    def tokens(self) -> list[Token]:
        """Every token, active and revoked, oldest first."""
        return tokens.list_tokens(self._catalog)

    def revoke_token(self, name: str) -> Token:
        """Revoke a token and end its web sessions; NotFound if no such name."""
        return tokens.revoke_token(self._catalog, name)

    def verify(self, secret: str) -> Token | None:
        """The active token whose secret this is, or None (unknown, revoked, malformed)."""
        return tokens.verify_token(self._catalog, secret)

    def token_by_hash(self, token_hash: str) -> Token | None:
        """The active token whose secret hashes to `token_hash`, or None."""
        return tokens.token_by_hash(self._catalog, token_hash)

    # --- web sessions -------------------------------------------------------------------

    def open_session(self, token_hash: str, lifetime: int) -> tuple[str, WebSession]:
        """A new session for a token, valid `lifetime` seconds: its id (shown this once)
        and the session."""
        return sessions.create_session(self._catalog, token_hash, lifetime)

    def session(self, session_id: str) -> WebSession | None:
        """The live session with this id, or None (unknown, expired, ended)."""
        return sessions.get_session(self._catalog, session_id)

    def end_session(self, session_id: str) -> None:
        """Sign out: the session is gone for every server process."""
        sessions.end_session(self._catalog, session_id)


__all__ = ["Access", "Token", "WebSession"]

"""Tokens and web sessions through the library (`kb.access`); their rules are tested in
tests/kb/test_tokens.py. A real catalog under tmp_path."""

from __future__ import annotations

from kb.library import Library
from kb.tokens import hash_secret


def test_revoking_a_token_through_the_library_ends_its_sessions(library: Library) -> None:
    token, secret = library.access.create_token("portail", "network")
    assert library.access.verify(secret) == token
    assert [t.name for t in library.access.tokens()] == ["portail"]
    session_id, opened = library.access.open_session(hash_secret(secret), 60)
    assert library.access.session(session_id) == opened
    library.access.revoke_token("portail")
    assert library.access.session(session_id) is None
    assert library.access.verify(secret) is None
    assert library.access.token_by_hash(hash_secret(secret)) is None

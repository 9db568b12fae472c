"""Sessions of the web pages end on the server (`api.web.session`): signing out and revoking
the token end every copy of the cookie, which holds only a session id the catalog keeps
hashed (the security probe of issue 26, tests/web/probe.py)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from api.app import create_app
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import create_token, hash_secret, revoke_token
from tests.web.probe import client
from tests.web.test_web_pages import TestClient, csrf_of, setup, sign_in

pytestmark = pytest.mark.slow  # the corpus ingested, probed end to end

__all__ = ["client", "setup"]  # the fixtures, from tests/web/probe.py and test_web_pages.py


def _opens_my_submissions(client: TestClient) -> bool:
    answer = client.get("/mes-depots", follow_redirects=False)
    assert answer.status_code in (200, 303)
    return answer.status_code == 200


def _fresh(setup: dict[str, Any], cookie: str) -> TestClient:
    other = TestClient(create_app(Settings(library=setup["library"])))
    other.cookies.set("kb_session", cookie)
    return other


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(
    client: TestClient, setup: dict[str, Any]
) -> None:
    sign_in(client, setup["tokens"]["network"])
    copied = client.cookies["kb_session"]
    with _fresh(setup, copied) as thief:
        assert _opens_my_submissions(thief)
        out = client.post("/deconnexion", data={"csrf": csrf_of(client.get("/").text)},
                          follow_redirects=False)
        assert out.status_code == 303
        assert not _opens_my_submissions(thief)
        assert "t-network" not in thief.get("/").text
        # Nor can it sign out again or post a form with the CSRF value it had seen.
        assert thief.post("/deconnexion", data={"csrf": "x"}).status_code == 403


def test_revoking_the_token_ends_its_sessions_in_the_catalog(
    client: TestClient, setup: dict[str, Any]
) -> None:
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        _token, secret = create_token(library.catalog, "probe-revoked", "network")
    sign_in(client, secret)
    copied = client.cookies["kb_session"]
    assert _opens_my_submissions(client)
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        count = library.catalog.db.execute(
            "SELECT count(*) FROM web_sessions WHERE token_hash = ?", (hash_secret(secret),)
        ).fetchone()[0]
        assert count == 1
        revoke_token(library.catalog, "probe-revoked")
        assert library.catalog.db.execute(
            "SELECT count(*) FROM web_sessions WHERE token_hash = ?", (hash_secret(secret),)
        ).fetchone()[0] == 0
    with _fresh(setup, copied) as thief:
        assert not _opens_my_submissions(thief)


def test_the_cookie_holds_only_a_session_id_the_catalog_keeps_hashed(
    client: TestClient, setup: dict[str, Any]
) -> None:
    sign_in(client, setup["tokens"]["curator"])
    payload = client.cookies["kb_session"].split(".")[0]
    padded = payload + "=" * (-len(payload) % 4)
    data = json.loads(base64.urlsafe_b64decode(padded))
    assert set(data) == {"s"}
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        rows = library.catalog.db.execute("SELECT * FROM web_sessions").fetchall()
        assert rows and all(data["s"] not in tuple(r) for r in rows)
        assert all(r["expires_at"] > r["created_at"] for r in rows)

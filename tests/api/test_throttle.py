"""Sign-in throttled per address (`api.throttle`): refused tokens on the pages and on the
API count alike, with a clear 429 (the security probe of issue 26, tests/web/probe.py)."""

from __future__ import annotations

from typing import Any

import pytest

from api.app import create_app
from api.errors import TooManyAttempts
from api.throttle import LIMIT, SignInLimiter
from kb.settings import Settings
from tests.web.probe import bearer, client
from tests.web.test_web_pages import TestClient, csrf_of, setup

pytestmark = pytest.mark.slow  # the corpus ingested, probed end to end

__all__ = ["client", "setup"]  # the fixtures, from tests/web/probe.py and test_web_pages.py


def test_sign_in_is_limited_per_address_with_a_clear_429(client: TestClient,
                                                         setup: dict[str, Any]) -> None:
    limit = LIMIT
    form = client.get("/connexion")
    csrf = csrf_of(form.text)
    for _ in range(limit):
        wrong = client.post("/connexion", data={"token": "kb_wrong", "csrf": csrf})
        assert wrong.status_code == 401
    # The next attempt is refused before the token is even looked at, right token or not.
    refused = client.post("/connexion", data={"token": setup["tokens"]["admin"],
                                              "csrf": csrf})
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text and "réessayez dans 10 minutes" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 600
    assert "t-admin" not in client.get("/").text
    # The API counts refused bearer tokens from that address the same way, in English JSON.
    api = client.get("/api/v1/search", params={"q": "ESS"},
                     headers={"Authorization": "Bearer kb_wrong"})
    assert api.status_code == 429
    assert api.json()["error"] == "too_many_attempts"
    assert "try again in" in api.json()["detail"]
    assert int(api.headers["retry-after"]) > 0
    # Answers without a token are never limited.
    assert client.get("/api/v1/search", params={"q": "ESS"}).status_code == 200
    assert client.get("/connexion").status_code == 200


def test_refused_bearer_tokens_on_the_api_are_limited_too(setup: dict[str, Any]) -> None:
    with TestClient(create_app(Settings(library=setup["library"]))) as api:
        for _ in range(LIMIT):
            assert api.get("/api/v1/collections",
                           headers={"Authorization": "Bearer kb_x"}).status_code == 401
        answer = api.get("/api/v1/collections", headers=bearer(setup, "curator"))
        assert answer.status_code == 429 and answer.headers["retry-after"]
        french = api.get("/api/v1/collections", headers={"Authorization": "Bearer kb_x",
                                                          "Accept-Language": "fr"})
        assert french.json()["detail"].startswith("trop de jetons refusés")
        # The answer is in the contract: every operation that reads a token lists it.
        operations = [op for methods in api.get("/openapi.json").json()["paths"].values()
                      for op in methods.values() if op.get("security")]  # fmt: skip
        assert operations and all("429" in op["responses"] for op in operations)
        assert answer.json()["error"] == "too_many_attempts"


def test_the_limiter_forgets_failures_after_its_window() -> None:
    now = [1000.0]
    limiter = SignInLimiter(limit=2, window=60, clock=lambda: now[0])
    limiter.failed("a")
    limiter.failed("a")
    with pytest.raises(TooManyAttempts) as refused:
        limiter.check("a")
    assert refused.value.retry_after == 60
    limiter.check("b")  # per address
    now[0] += 61
    limiter.check("a")

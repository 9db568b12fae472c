"""Who is calling (`api.auth`): a bearer token that is refused or revoked is a 401, never an
anonymous caller."""

from __future__ import annotations

import pytest

from tests.api.api_site import Site, assert_error, site

__all__ = ["site"]  # the fixture, from tests/api/api_site.py


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer kb_unknown", "kb_unknown", "Bearer x y"],
)
@pytest.mark.parametrize("url", ["/search?q=economie", "/documents/0123456789", "/vocabulary",
                                 "/health"])
def test_a_refused_token_is_401_never_anonymous(site: Site, header: str, url: str) -> None:
    response = site.client.get(url, headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(site: Site) -> None:
    response = site.client.get("/search", headers={"Authorization": f"Bearer {site.revoked}"})
    assert "revoked" in assert_error(response, 401, "unauthorized")["detail"]


def test_the_scheme_is_case_insensitive(site: Site) -> None:
    response = site.client.get("/search", params={"q": "zorglubien"},
                               headers={"Authorization": f"bearer {site.tokens['admin']}"})
    assert response.json()["total"] == 1

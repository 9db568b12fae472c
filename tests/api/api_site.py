"""The HTTP API through TestClient over a real library built from tests/fixtures/api/library,
for the tests of its routes (tests/api/routes/) and of the app (tests/api/test_api.py,
tests/api/test_auth.py).

Five documents: two public (a Markdown study, a two-page PDF), one for the network, one
internal, and one whose file is deleted before the app starts (state "missing"). Tokens of
every role are created in the catalog, as `kb token create` would. A test module takes the
`site` fixture by importing it (one site a module).
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tokens import ROLES, create_token, revoke_token

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns on import.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "library"
ORIGIN = "https://portail.ess-bretagne.example"
NAMES = {
    "etude": "etude-pole-ess.md",
    "rapport": "rapport-annuel.pdf",
    "reseau": "compte-rendu-reseau.txt",
    "interne": "note-budget.txt",
    "ancien": "ancien.txt",
}
NETWORK = {"etude", "rapport", "reseau"}
SEES: dict[str | None, set[str]] = {
    None: {"etude", "rapport"},
    "network": NETWORK,
    "curator": NETWORK,
    "council": NETWORK,
    "admin": NETWORK | {"interne"},
}
CALLERS = list(SEES)
EVERY_DOCUMENT_ROUTE = ("/documents/{id}", "/documents/{id}/text", "/documents/{id}/file",
                        "/documents/{id}/similar")


@dataclass
class Site:
    client: TestClient
    ids: dict[str, str]  # short name -> document id
    tokens: dict[str, str]  # role -> secret
    revoked: str
    docs: Path  # the ingested folder (a copy of the fixtures)
    root: Path  # everything under tmp for this module

    def auth(self, role: str | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, url: str, role: str | None = None, **kwargs: Any) -> Any:
        headers = {**self.auth(role), **kwargs.pop("headers", {})}
        return self.client.get(url, headers=headers, **kwargs)


def build_library(root: Path) -> tuple[Path, Path, dict[str, str]]:
    """Ingest a copy of the fixtures, then delete one file and ingest again (-> missing)."""
    docs = root / "docs"
    shutil.copytree(FIXTURES, docs)
    library_dir = root / "library"
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        report = ingest(library, [docs], IngestOptions(workers=1))
        assert report.added == len(NAMES), report
        by_name = {
            Path(p.path).name: doc.id
            for doc in library.catalog.documents()
            for p in library.catalog.paths_of(doc.id)
        }
        shutil.rmtree(docs / "gone")
        assert ingest(library, [docs], IngestOptions(workers=1)).missing == 1
    return docs, library_dir, {short: by_name[name] for short, name in NAMES.items()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("api")
    docs, library_dir, ids = build_library(root)
    with Library.open(library_dir, DEFAULT_VOCABULARY) as library:
        tokens = {role: create_token(library.catalog, f"{role}-test", role)[1] for role in ROLES}
        revoked = create_token(library.catalog, "former", "admin")[1]
        revoke_token(library.catalog, "former")
    # Many tests here send refused tokens from the one test client on purpose: the sign-in
    # limit (tested in tests/api/test_throttle.py) is set out of their way.
    app = create_app(Settings(library=library_dir, cors_origins=(ORIGIN,)), sign_in_limit=10**6)
    with TestClient(app) as client:
        yield Site(client, ids, tokens, revoked, docs, root)


def ids_of(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {hit["id"] for hit in response.json()["hits"]}


def names(site: Site, shorts: set[str]) -> set[str]:
    return {site.ids[s] for s in shorts}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert body["error"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body  # type: ignore[no-any-return]

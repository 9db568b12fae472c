"""What the modules of the security probe of issue 26 share: a client over the library of
tests/web/test_web_pages.py (the corpus ingested under tmp_path), bearer headers, uploads,
publishing, and a GET path for every route of the app.

The probe's parts: tests/api/test_security.py (files never active content, security
headers), tests/web/test_citation.py (JSON in pages), tests/web/test_session.py (sessions
that end), tests/api/test_throttle.py (sign-in throttling), tests/web/test_security_probe.py
(titles, side channels, the XSS corpus, the 404 rule)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from api.app import API_PREFIX, API_ROUTERS, create_app
from api.routes import oai
from api.web import PAGE_MODULES
from kb.actors import Actor
from kb.curation.corrections import set_tags
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from tests.web.test_web_pages import TestClient

CURATOR = Actor("probe-curator", "curator", "api")


@pytest.fixture
def client(setup: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(library=setup["library"]))) as c:
        yield c


def bearer(setup: dict[str, Any], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {setup['tokens'][role]}"}


def submit_file(client: TestClient, setup: dict[str, Any], content: bytes, name: str,
                title: str = "Une page", role: str = "network") -> dict[str, Any]:
    answer = client.post("/api/v1/documents", headers=bearer(setup, role),
                         files={"file": (name, content, "application/octet-stream")},
                         data={"title": title, "kind": "etude"})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def publish(setup: dict[str, Any], doc_id: str) -> None:
    with Library.open(setup["library"], DEFAULT_VOCABULARY) as library:
        set_tags(library, doc_id, "visibility", ["public"], CURATOR)


def route_paths(client: TestClient, setup: dict[str, Any]) -> list[str]:
    """A concrete GET path for every route and mount of the app (ids of real things)."""
    values = {"doc_id": setup["ids"]["public_pdf"], "fmt": "ris", "collection_id": "x",
              "submission_id": "1", "field": "family", "path": "kb.css", "name": "x"}
    paths = ["/static/kb.css", "/static/api-docs/swagger-ui.css"]  # the app's mounts
    routes = [("", r) for r in client.app.router.routes]  # type: ignore[attr-defined]
    for module in API_ROUTERS:
        routes += [(prefix, r) for r in module.router.routes for prefix in (API_PREFIX, "")]
    for module in (*PAGE_MODULES, oai):
        routes += [("", r) for r in module.router.routes]
    for prefix, route in routes:
        if "GET" in (getattr(route, "methods", None) or ()):
            path = prefix + route.path
            for name in re.findall(r"{(\w+)(?::\w+)?}", path):
                path = re.sub(r"{" + name + r"(?::\w+)?}", values.get(name, "x"), path)
            paths.append(path)
    return sorted(set(paths))

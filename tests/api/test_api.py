"""The HTTP app as a whole (`api`): it needs a library to start, and keeps the portal's
conventions on every route (caching, CORS, the error shape, body limits, the OpenAPI
document, concurrent requests). The routes have their tests in tests/api/routes/."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from api.app import create_app
from api.middleware import BodyLimit
from kb.settings import Settings
from kb.tokens import ROLES
from tests.api.api_site import ORIGIN, Site, TestClient, assert_error, site

__all__ = ["site"]  # the fixture, from tests/api/api_site.py


def test_the_app_refuses_to_start_without_a_library(tmp_path: Path) -> None:
    from kb.errors import NotFound

    with pytest.raises(NotFound), TestClient(create_app(Settings(library=tmp_path / "none"))):
        pass
    assert not (tmp_path / "none").exists()


def test_cache_control_is_public_for_anonymous_callers_only(site: Site) -> None:
    url = f"/documents/{site.ids['etude']}"
    anonymous = site.get(url)
    assert anonymous.headers["cache-control"].startswith("public")
    assert "authorization" in anonymous.headers["vary"].lower()
    for role in ROLES:
        private = site.get(url, role)
        assert private.headers["cache-control"] == "private, no-cache"
    assert site.get("/search", "network").headers["cache-control"] == "private, no-cache"
    not_found = site.get("/documents/0123456789")
    assert "cache-control" not in not_found.headers
    assert site.get(url, headers={"If-None-Match": anonymous.headers["etag"]}).headers[
        "cache-control"].startswith("public")


def test_cors_for_configured_origins(site: Site) -> None:
    preflight = site.client.options("/search", headers={
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, range",
    })
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    simple = site.get(f"/documents/{site.ids['etude']}", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert "etag" in simple.headers["access-control-expose-headers"].lower()
    error = site.get("/search", params={"size": 500}, headers={"Origin": ORIGIN})
    assert error.headers["access-control-allow-origin"] == ORIGIN
    other = site.get("/search", headers={"Origin": "https://ailleurs.example"})
    assert "access-control-allow-origin" not in other.headers
    refused = site.client.options("/search", headers={
        "Origin": "https://ailleurs.example", "Access-Control-Request-Method": "GET"})
    assert refused.status_code == 400


def test_unknown_routes_and_methods_use_the_error_shape(site: Site) -> None:
    assert_error(site.client.get("/nowhere"), 404, "not_found")
    assert_error(site.client.post("/search"), 405, "method_not_allowed")
    assert_error(site.client.delete(f"/documents/{site.ids['etude']}"), 405,
                 "method_not_allowed")


def test_a_large_body_is_413(site: Site) -> None:
    response = site.client.request("GET", "/search", content=b"x" * (2 * 1024 * 1024))
    assert_error(response, 413, "request_too_large")


def test_a_streamed_body_over_the_limit_is_413() -> None:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    app = Starlette(routes=[Route("/echo", echo, methods=["POST"])])
    from api.errors import install_error_handlers

    install_error_handlers(app)  # type: ignore[arg-type]
    limited = BodyLimit(app, max_body=100)

    def chunks(n: int) -> Iterator[bytes]:
        yield from (b"x" * 40 for _ in range(n))

    with TestClient(limited) as client:  # type: ignore[arg-type]
        assert client.post("/echo", content=chunks(2)).text == "80"
        assert_error(client.post("/echo", content=chunks(3)), 413, "request_too_large")


def test_openapi_and_docs(site: Site) -> None:
    schema = site.client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/search", "/documents/{doc_id}", "/documents/{doc_id}/text",
                 "/documents/{doc_id}/file", "/documents/{doc_id}/similar", "/vocabulary",
                 "/health"):
        assert "get" in paths[path], path
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    search = schema["components"]["schemas"]["SearchOut"]
    assert search["examples"][0]["hits"][0]["snippets"][0]["page"] == 12
    error = paths["/search"]["get"]["responses"]["422"]
    assert error["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "text/html" in site.client.get("/docs").headers["content-type"]


def test_requests_from_many_threads_at_once(site: Site) -> None:
    failures: list[str] = []
    urls = ["/search?q=economie", f"/documents/{site.ids['rapport']}", "/vocabulary",
            f"/documents/{site.ids['etude']}/text", "/health", "/search?q=chiffres&sort=date"]

    def worker(offset: int) -> None:
        for i in range(12):
            url = urls[(offset + i) % len(urls)]
            response = site.client.get(url, headers=site.auth("admin"))
            if response.status_code != 200:
                failures.append(f"{url}: {response.status_code}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

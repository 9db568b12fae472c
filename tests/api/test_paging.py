"""The `Link` headers of a page: the request's own URL with `page` and `size` replaced."""

from __future__ import annotations

import pytest
from fastapi import Request, Response
from starlette.datastructures import URL

from api import paging


def request_for(url: str) -> Request:
    parsed = URL(url)
    return Request({"type": "http", "method": "GET", "scheme": parsed.scheme,
                    "server": (parsed.hostname, parsed.port or 80), "path": parsed.path,
                    "query_string": parsed.query.encode("latin-1"), "headers": [],
                    "root_path": ""})  # fmt: skip


@pytest.mark.parametrize("url", [
    "http://testserver/api/v1/search?q=a+b&page=2&size=5&family=x&family=y",
    "http://testserver/api/v1/search?size=3&q=%C3%A9t%C3%A9+%22p%C3%B4le+ESS%22&year=",
    "http://testserver/api/v1/collections",
    "http://testserver:8000/search?page=9&q=coop%C3%A9rative",
])  # fmt: skip
def test_links_keep_every_other_parameter_as_starlette_would(url: str) -> None:
    request = request_for(url)
    response = Response()
    paging.add_headers(request, response, total=95, page=3, size=10)
    expected = ", ".join(
        f'<{request.url.include_query_params(page=n, size=10)}>; rel="{rel}"'
        for rel, n in (("first", 1), ("prev", 2), ("next", 4), ("last", 10))
    )
    assert response.headers["Link"] == expected
    assert response.headers["X-Total-Count"] == "95"

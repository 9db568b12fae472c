"""One way to page every list: `page` (1 first) and `size`, the total in the body and in
`X-Total-Count`, and RFC 8288 `Link` headers (first, prev, next, last) built from the
request's own URL, so that a client follows them without knowing our parameters."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Query, Request, Response

MAX_PAGE = 500  # the engine ranks page * size hits to show one page: keep that bounded
MAX_SIZE = 100

PageParam = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1 for the first page.",
                                 examples=[1])]
SizeParam = Annotated[int, Query(ge=1, le=MAX_SIZE, description="Items per page.",
                                 examples=[10])]

HEADERS: dict[str, Any] = {
    "X-Total-Count": {"description": "How many items the whole list holds.",
                      "schema": {"type": "integer"}},
    "Link": {"description": 'RFC 8288 links to the other pages: `<url>; rel="next"`, '
                            "prev, first, last.", "schema": {"type": "string"}},
}


def last_page(total: int, size: int) -> int:
    return max(1, -(-total // size))


def add_headers(request: Request, response: Response, *, total: int, page: int,
                size: int) -> None:
    """Set `X-Total-Count` and `Link` on `response` for page `page` of `size` items."""
    response.headers["X-Total-Count"] = str(total)
    last = min(last_page(total, size), MAX_PAGE)
    links = [("first", 1)]
    if page > 1:
        links.append(("prev", min(page - 1, last)))
    if page < last:
        links.append(("next", page + 1))
    links.append(("last", last))
    # The request's own URL with `page` and `size` replaced, moved last, as Starlette's
    # `URL.include_query_params` gives it, parsed once for the four links, not four times.
    url = str(request.url).partition("?")[0]
    kept = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True)
            if k not in ("page", "size")]  # fmt: skip
    response.headers["Link"] = ", ".join(
        f'<{url}?{urlencode([*kept, ("page", str(n)), ("size", str(size))])}>; rel="{rel}"'
        for rel, n in links
    )

"""The web interface: French pages for people, served by the API's own process.

Server-rendered Jinja2 templates over the library functions the API routes call, one
hand-written CSS file, no JavaScript needed, no asset from outside the server (the API's
/docs and /redoc included). Paths are the pages' own (`/`, `/notice/...`, `/dossiers`...),
never the API's.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web import (
    account_pages,
    api_docs,
    collection_pages,
    curation_pages,
    document_page,
    export_pages,
    search_page,
    submission_pages,
)
from api.web.common import HERE

PAGE_MODULES = (search_page, document_page, curation_pages, account_pages, collection_pages,
                export_pages, submission_pages, api_docs)
UPLOAD_PATH = submission_pages.UPLOAD_PATH  # the form that sends files: a larger body limit


def install(app: FastAPI, library_root: Path) -> None:
    """Add the pages, their static files and the offline /docs and /redoc to `app` (whose
    own `docs_url` and `redoc_url` must be None)."""
    app.state.web_library_root = Path(library_root)
    app.state.web_session_key = None
    for module in PAGE_MODULES:
        app.include_router(module.router)
    app.mount("/static/api-docs", StaticFiles(directory=api_docs.ASSETS), name="api-docs")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

"""`GET /health` (`api.routes.health`): the state of the catalog and the index, and the
503 of an outdated index."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from api.app import create_app
from kb.settings import Settings
from tests.api.api_site import CALLERS, SEES, Site, TestClient, assert_error, site

__all__ = ["site"]  # the fixture, from tests/api/api_site.py


@pytest.mark.parametrize("role", CALLERS)
def test_health(site: Site, role: str | None) -> None:
    response = site.get("/health", role)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert body["catalog"]["state"] == body["index"]["state"] == "ok"
    assert body["documents"] == len(SEES[role])
    last = body["last_ingest"]
    assert datetime.fromisoformat(last["finished_at"].replace("Z", "+00:00"))


def test_an_outdated_index_is_503_without_server_paths(site: Site, tmp_path: Path) -> None:
    library_dir = tmp_path / "library"
    shutil.copytree(site.root / "library", library_dir)
    (library_dir / "index" / "kb-index.json").write_text('{"schema_version": 0}')
    with TestClient(create_app(Settings(library=library_dir))) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "degraded"
        assert health.json()["index"]["state"] == "outdated"
        body = assert_error(client.get("/search", params={"q": "economie"}), 503,
                            "index_outdated")
        assert "kb reindex" in body["detail"]
        for text in (health.text, body["detail"]):
            assert str(tmp_path) not in text
        # What the catalog alone answers still works.
        assert client.get(f"/documents/{site.ids['etude']}").status_code == 200

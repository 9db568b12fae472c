"""`kb serve --processes N`: worker processes get the command's settings from the environment."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from api.app import app_from_environment
from kb.cli.admin import _environment
from kb.library import Library
from kb.settings import Settings

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns on import.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient


def test_the_environment_gives_back_the_commands_settings(tmp_path: Path) -> None:
    for origins in ((), ("https://portail.example", "http://localhost:3000")):
        settings = Settings(
            library=tmp_path / "library", vocabulary=tmp_path / "v.toml", cors_origins=origins
        )
        again = Settings.from_env(_environment(settings))
        assert (again.library, again.vocabulary, again.cors_origins) == (
            settings.library.resolve(), settings.vocabulary.resolve(), origins,
        )  # fmt: skip


def test_the_worker_factory_serves_the_library_named_by_the_environment(
    library: Library, monkeypatch: pytest.MonkeyPatch, vocabulary_path: Path
) -> None:
    library.sync_index()  # an empty library with its index
    monkeypatch.setenv("KB_LIBRARY", str(library.root))
    monkeypatch.setenv("KB_VOCABULARY", str(vocabulary_path))
    with TestClient(app_from_environment()) as client:
        response = client.get("/search", params={"q": "économie"})
    assert response.status_code == 200 and response.json()["total"] == 0

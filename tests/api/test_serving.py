"""`kb serve --processes N`: worker processes get the command's settings from the environment,
and answer keep-alive connections without Nagle's delay."""

from __future__ import annotations

import asyncio
import socket
import warnings
from pathlib import Path

import pytest

from api.app import app_from_environment
from api.serving import tcp_socket
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


def _nodelay_of_accepted(listener: socket.socket) -> int:
    """TCP_NODELAY of a connection asyncio accepts on `listener` (as uvicorn's workers do)."""
    found: list[int] = []

    async def main() -> None:
        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            found.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=listener)
        host, port = listener.getsockname()[:2]
        _, writer = await asyncio.open_connection(host, port)
        for _ in range(100):
            if found:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()

    listener.listen()
    asyncio.run(main())
    return found[0]


def test_worker_connections_are_sent_without_delay() -> None:
    # A socket made as uvicorn's workers=N makes it: asyncio leaves Nagle on (each answer
    # on a keep-alive connection then waits for the client's delayed ACK, ~40 ms).
    plain = socket.socket(socket.AF_INET)
    plain.bind(("127.0.0.1", 0))
    assert _nodelay_of_accepted(plain) == 0
    assert _nodelay_of_accepted(tcp_socket("127.0.0.1", 0)) != 0

"""Shared fixtures: a real library (SQLite catalog + tantivy index) under tmp_path."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture
def vocabulary_path() -> Path:
    return DEFAULT_VOCABULARY


@pytest.fixture
def library(tmp_path: Path, vocabulary_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "library", vocabulary_path)
    yield lib
    lib.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def stop(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """End a server the test started: SIGTERM, then SIGKILL if it is still there after
    `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Test files with slow tests first, each file's tests in their own order.

    `make test` hands whole files to its workers (pytest-xdist `--dist loadfile`) in this
    order (`--no-loadscope-reorder`): a long end-to-end file started last would leave one
    worker running it alone at the end while the others wait.
    """
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # a stable sort

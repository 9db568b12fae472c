"""Read-only copies of a library, published by its one writer for replicas to serve.

A publication folder holds whole copies of the library, each a `kb backup` made usable as
a library, and a pointer naming the current one:

    CURRENT                  the name of the current copy, one line
    copies/<name>/           catalog.sqlite, index/, files/, vocabulary.toml, manifest.json

`publish()` writes a new copy beside the others (a backup is written under a temporary
name and renamed once verified, so a copy is complete or absent), settles its index with
its catalog (documents the index received after the catalog was copied are removed from
the copy's index; documents of the catalog the index did not have yet are left for the
next copy, counted as waiting by /health: indexing them here would cost a publication
made during an ingest up to a whole index batch), then
replaces CURRENT through a rename: a reader sees the old name or the new one, never a
half-written file. Copies older than the `keep` newest are deleted; a replica moves to a
new copy within its poll interval, so `keep` >= 2 leaves it the time to switch.

Shipping to other machines is copying the folder with the pointer last (`rsync` of
copies/ then of CURRENT): a replica never reads a copy that is still arriving.
`Follower` is a replica's side: a thread that reads CURRENT every `interval` seconds and
hands each new copy to a callback (`api.replica` opens it and swaps it in).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from indexer.messages import _
from kb.backup import VOCABULARY_FILE, backup, settle_index
from kb.errors import NotFound
from kb.library import Library

log = logging.getLogger(__name__)

POINTER = "CURRENT"
COPIES = "copies"
KEEP = 3  # copies kept: the current one and two before it
POLL = 2.0  # seconds between two reads of the pointer by a replica


@dataclass(frozen=True)
class PublishReport:
    name: str
    path: Path
    documents: int
    waiting: int  # documents of the copy's catalog its index does not hold yet
    removed: tuple[str, ...]  # old copies deleted
    seconds: float


def publish(library: Path, vocabulary: Path, dest: Path, *, keep: int = KEEP) -> PublishReport:
    """Publish a copy of the library at `library` into the publication folder `dest`."""
    if keep < 1:
        raise ValueError("keep at least the copy being published")
    started = time.monotonic()
    dest = Path(dest)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    copy = dest / COPIES / name
    report = backup(Path(library), Path(vocabulary), copy)
    with Library.open(copy, copy / VOCABULARY_FILE, create=False) as published:
        settle_index(published)
        waiting = published.index_lag()
    _point_to(dest, name)
    removed = _prune(dest, keep)
    return PublishReport(name, copy, report.counts["documents"], waiting, removed,
                         time.monotonic() - started)  # fmt: skip


def current(dest: Path) -> Path | None:
    """The current copy of the publication folder `dest` (None: nothing published yet)."""
    try:
        name = (Path(dest) / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    copy = Path(dest) / COPIES / name
    return copy if name and copy.is_dir() else None


def require_current(dest: Path) -> Path:
    copy = current(dest)
    if copy is None:
        raise NotFound(_("{dest}: nothing published here yet; run `kb publish {dest}` on the "
                         "library's writer first", dest=dest))  # fmt: skip
    return copy


def _point_to(dest: Path, name: str) -> None:
    pointer = dest / POINTER
    tmp = dest / f".{POINTER}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, pointer)


def _prune(dest: Path, keep: int) -> tuple[str, ...]:
    """Delete all but the `keep` newest copies (names sort by time); never the current."""
    now = current(dest)
    names = sorted(p.name for p in (dest / COPIES).iterdir()
                   if p.is_dir() and not p.name.startswith("."))  # fmt: skip
    removed = []
    for name in names[:-keep]:
        if now is not None and name == now.name:
            continue
        shutil.rmtree(dest / COPIES / name, ignore_errors=True)
        removed.append(name)
    return tuple(removed)


class Follower:
    """A daemon thread calling `on_new(copy)` each time the pointer of `dest` names a copy
    other than the one given at start; `stop()` ends it. A callback that fails is logged
    and tried again at the next poll."""

    def __init__(self, dest: Path, serving: Path | None, on_new: Callable[[Path], None], *,
                 interval: float = POLL):  # fmt: skip
        self._dest = Path(dest)
        self._serving = serving
        self._on_new = on_new
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="replica-follower", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            copy = current(self._dest)
            if copy is None or copy == self._serving:
                continue
            try:
                self._on_new(copy)
            except Exception:
                log.exception("could not switch to the published copy %s", copy)
                continue
            log.info("now serving the published copy %s", copy.name)
            self._serving = copy


__all__ = ["COPIES", "KEEP", "POINTER", "POLL", "Follower", "PublishReport", "current",
           "publish", "require_current"]  # fmt: skip

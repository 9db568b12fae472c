"""`kb watch`: drop folders ingested as files arrive, change, move or disappear.

The file system's events come from watchdog (inotify on Linux; a polling observer for
network shares, where the server's changes raise no local event). They only say *which
watched folder* changed and *when*: the work is always `kb.ingest.ingest` of that whole
folder, incremental like any re-run (unchanged files cost a `stat`), so a watched folder
gets exactly what `kb ingest FOLDER` would give it: moves keep their document, deletions
mark documents missing, failed files are remembered, and the same defences apply.

Debounce: a folder is ingested once every path that changed in it has been quiet for
`debounce` seconds *and* has the same size and mtime as at its last event, so a file still
being copied (or written slowly in chunks) is waited for; a folder that never calms down
is ingested anyway after `max_wait` seconds, and the file still being written is ingested
again when it is complete. Restarts: the watcher first ingests every folder, which catches
up whatever changed while it was stopped. One writer: each ingest takes the library's write
lock; while another command holds it (`kb ingest`, `kb prune`), the folder waits and is
tried again `busy_retry` seconds later.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from indexer.messages import _
from kb.actors import Actor
from kb.errors import IndexBusy, KbError
from kb.ingest import IngestOptions, IngestReport, ingest
from kb.library import Library
from kb.scan import IGNORE_FILE

log = logging.getLogger(__name__)

# Events that say a file was only read (by us, hashing and extracting, among others).
_READ_ONLY_EVENTS = frozenset({EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE})


@dataclass(frozen=True)
class WatchOptions:
    debounce: float = 2.0  # seconds of quiet (and a stable size and mtime) per changed file
    max_wait: float = 300.0  # ingest a folder that keeps changing after this long anyway
    busy_retry: float = 5.0  # seconds before trying again when another command is writing
    poll: float | None = None  # scan every N seconds instead of OS events (network shares)


@dataclass(frozen=True)
class Cycle:
    """One ingest of watched folders: at start (catching up), or after changes."""

    folders: tuple[str, ...]
    cause: str  # "start" or "changes"
    report: IngestReport


class _Stopped(Exception):
    """The watcher was asked to stop in the middle of an ingest (which is safe to cut)."""


class Watcher:
    """Watch `folders` (a folder inside another one is watched with it) and ingest them
    into `library`.

    `run()` blocks until `stop()` (from a signal handler or another thread); each ingest is
    handed to `on_cycle`. An ingest under way when `stop()` comes ends at the next file
    (the next run completes what it left); a second `stop()` is not needed.
    """

    def __init__(
        self,
        library: Library,
        folders: Sequence[Path],
        options: IngestOptions,
        on_cycle: Callable[[Cycle], None],
        *,
        watch: WatchOptions | None = None,
        actor: Actor | None = None,
    ):
        self.library = library
        self.folders = _roots(folders)
        self.options = options
        self.watch = watch or WatchOptions()
        self.on_cycle = on_cycle
        self.actor = actor or Actor.local()
        self._changes = _Changes(self.folders, ignored=str(Path(library.root).resolve()))
        self._stop = threading.Event()
        self._busy = False

    def stop(self) -> None:
        self._stop.set()
        self._changes.wake()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Catch up, then follow the folders' changes until `stop()`."""
        observer = self._observer()
        # Watching starts before the catch-up, so a file dropped during it is not missed.
        try:
            observer.start()
        except OSError as exc:  # on Linux, most often: too many folders for inotify
            raise KbError(
                _("{folders}: cannot watch ({exc}); raise the system's "
                  "fs.inotify.max_user_watches, or use --poll",
                  folders=', '.join(self.folders), exc=exc)
            ) from exc
        try:
            self._ingest(self.folders, "start")
            while not self._stop.is_set():
                due, wait = self._changes.due(
                    time.monotonic(), self.watch.debounce, self.watch.max_wait
                )
                if due:
                    self._ingest(due, "changes")
                else:
                    self._changes.wait(wait)
        except _Stopped:
            log.info("stopped during an ingest; the next start completes it")
        finally:
            observer.stop()
            observer.join(timeout=10)

    def _observer(self) -> BaseObserver:
        observer: BaseObserver = (
            PollingObserver(timeout=self.watch.poll) if self.watch.poll else Observer()
        )
        handler = _Handler(self._changes)
        for folder in self.folders:
            observer.schedule(handler, folder, recursive=True)
        return observer

    def _ingest(self, folders: Sequence[str], cause: str) -> None:
        """One incremental ingest of `folders`; on IndexBusy they are tried again later."""
        if self._stop.is_set():
            return

        def progress(done: int, total: int, item: str) -> None:
            if self._stop.is_set():
                raise _Stopped

        try:
            report = ingest(
                self.library, [Path(f) for f in folders], self.options, progress,
                actor=self.actor,
            )
        except IndexBusy as exc:
            # Said once per busy spell: another writer may hold the library for an hour.
            level = logging.INFO if self._busy else logging.WARNING
            log.log(level, "%s; trying again every %g s", exc, self.watch.busy_retry)
            self._busy = True
            self._changes.retry(folders, time.monotonic() + self.watch.busy_retry)
            return
        self._busy = False
        self.on_cycle(Cycle(tuple(folders), cause, report))


class _Changes:
    """Paths that changed, per watched folder, as the observer's thread reports them."""

    def __init__(self, folders: Sequence[str], ignored: str):
        self._folders = folders
        self._ignored = ignored
        self._lock = threading.Lock()
        self._wake = threading.Event()
        # path -> (its folder, last event or check, first event, (size, mtime) or None)
        self._paths: dict[str, tuple[str, float, float, tuple[int, int] | None]] = {}
        self._retry: dict[str, float] = {}  # folder -> not before (another writer was busy)

    def add(self, path: str) -> None:
        folder = self._folder_of(path)
        if folder is None:
            return
        now = time.monotonic()
        with self._lock:
            first = self._paths[path][2] if path in self._paths else now
            self._paths[path] = (folder, now, first, _signature(path))
        self._wake.set()

    def retry(self, folders: Sequence[str], not_before: float) -> None:
        with self._lock:
            for folder in folders:
                self._retry[folder] = not_before
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    def wait(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def due(self, now: float, debounce: float, max_wait: float) -> tuple[list[str], float]:
        """The folders to ingest now (their changes taken), and else how long to wait."""
        with self._lock:
            settled: dict[str, bool] = {}
            wait = 60.0
            for path, (folder, last, first, seen) in list(self._paths.items()):
                quiet_for = now - last
                if quiet_for >= debounce:
                    current = _signature(path)
                    if current != seen:  # written to without an event (or between two)
                        self._paths[path] = (folder, now, first, current)
                        quiet_for = 0.0
                calm = quiet_for >= debounce or now - first >= max_wait
                settled[folder] = settled.get(folder, True) and calm
                if not calm:
                    wait = min(wait, debounce - quiet_for, max_wait - (now - first))
            for folder, not_before in list(self._retry.items()):
                if now >= not_before:
                    settled.setdefault(folder, True)
                    del self._retry[folder]
                else:
                    settled[folder] = False
                    wait = min(wait, not_before - now)
            due = [f for f in self._folders if settled.get(f)]
            for path in [p for p, entry in self._paths.items() if entry[0] in due]:
                del self._paths[path]
        return due, max(wait, 0.05)

    def _folder_of(self, path: str) -> str | None:
        if path == self._ignored or path.startswith(self._ignored + os.sep):
            return None  # the library itself, inside a watched folder
        for folder in self._folders:
            if path.startswith(folder + os.sep):
                relative = path[len(folder) + 1 :]
                if relative == IGNORE_FILE:
                    return folder
                # Hidden files and folders are not documents (kb.scan): editors' and
                # downloaders' temporary files live there until renamed into place.
                if any(part.startswith(".") for part in relative.split(os.sep)):
                    return None
                return folder
        return None


class _Handler(FileSystemEventHandler):
    def __init__(self, changes: _Changes):
        self._changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _READ_ONLY_EVENTS:
            return
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # an entry added or removed: that entry has its own event
        for path in (event.src_path, event.dest_path):
            if path:
                self._changes.add(os.fsdecode(path))


def _signature(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None  # gone: stable
    return info.st_size, info.st_mtime_ns


def _roots(folders: Sequence[Path]) -> tuple[str, ...]:
    """The folders as absolute real paths (as `kb.scan` names roots), each once, leaving
    out a folder inside another: its files are the other's, and one root each keeps
    their documents' files in one place."""
    roots = list(dict.fromkeys(str(Path(f).resolve()) for f in folders))
    return tuple(
        r for r in roots if not any(r.startswith(o.rstrip(os.sep) + os.sep) for o in roots)
    )

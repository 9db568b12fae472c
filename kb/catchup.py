"""Bringing the index up to the catalog in the background, for a long-running server.

An ingest killed between a catalog commit and its index commit leaves documents that
searches do not find; the next write catches up, but a server that only reads would
answer without them for ever. `IndexCatchUp` is a thread that checks at start and every
`interval` seconds, and syncs when the catalog is ahead. It takes the library's write lock
(without waiting), so it never competes with an ingest, a reindex or another server
process: whoever holds the lock brings the index up to date itself.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kb.errors import IndexBusy, KbError
from kb.library import Library
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)

INTERVAL = 30.0  # seconds between two checks


class IndexCatchUp:
    """A daemon thread with a library of its own (its own catalog connection and index).

    `start()` then `stop()`; `caught_up` is set each time a check finds (or leaves) the
    index up to date, `checked` once the first check is over (caught up, busy or failed).
    """

    def __init__(self, root: Path, vocabulary: Vocabulary, *, interval: float = INTERVAL):
        self._root = root
        self._vocabulary = vocabulary
        self._interval = interval
        self._stop = threading.Event()
        self.caught_up = threading.Event()
        self.checked = threading.Event()  # the first check is over, whatever it found
        self._thread = threading.Thread(target=self._run, name="index-catch-up", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to end and wait for it (a sync under way ends at its next
        commit; a daemon thread past `timeout` dies with the process, losing nothing that
        the catalog does not still say is waiting)."""
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        library: Library | None = None
        said = ""
        try:
            while not self._stop.is_set():
                try:
                    if library is None:
                        library = Library.open(self._root, self._vocabulary, create=False)
                    self._check(library)
                except KbError as exc:  # outdated index, library gone: /health says why
                    if str(exc) != said:  # once, not every interval
                        log.warning("index catch-up: %s", exc)
                        said = str(exc)
                except Exception:  # never kill the server over a background chore
                    log.exception("index catch-up failed; trying again later")
                self.checked.set()
                self._stop.wait(self._interval)
        finally:
            if library is not None:
                library.close()

    def _check(self, library: Library) -> None:
        lag = library.index_lag()
        if not lag:
            self.caught_up.set()
            return
        self.caught_up.clear()
        try:
            with library.write_lock():
                done = library.sync_index(merge=False)
        except IndexBusy:
            log.info("index catch-up: %d changes waiting, the library is busy; later", lag)
            return
        log.info("index catch-up: %d documents brought into the index", done)
        if not library.index_lag():
            self.caught_up.set()

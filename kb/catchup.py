"""The index follows the catalog in the background, for a long-running server.

In `kb serve` a curator's write commits to the catalog and answers at once: it does not
wait for the index writer, which an ingest may hold for a while. `IndexCatchUp` is the
server's one index writer: a thread that brings the index up to the catalog at start,
whenever a write wakes it (`wake()`), and every `interval` seconds (an ingest killed
between its catalog and index commits, another process's writes). It takes the engine's
writer without waiting: while another process writes (an ingest commits in batches and
lets the writer go between them) it tries again at the next tick, so a change is indexed
within about a second of the writer being free. `/health` says how many changes wait.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kb.errors import IndexBusy, KbError
from kb.library import Library
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two checks when nothing wakes the thread


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
        self._woken = threading.Event()
        self.caught_up = threading.Event()
        self.checked = threading.Event()  # the first check is over, whatever it found
        self._thread = threading.Thread(target=self._run, name="index-catch-up", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """A write changed the catalog: bring the index up to it now."""
        self._woken.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to end and wait for it (a sync under way ends at its next
        commit; a daemon thread past `timeout` dies with the process, losing nothing that
        the catalog does not still say is waiting)."""
        self._stop.set()
        self._woken.set()
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
                self._woken.wait(self._interval)
                self._woken.clear()
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
            done = library.sync_index(merge=False, lock_wait=0.0)
        except IndexBusy:
            log.debug("index catch-up: %d changes waiting, the index is busy; later", lag)
            return
        log.info("index catch-up: %d documents brought into the index", done)
        if not library.index_lag():
            self.caught_up.set()

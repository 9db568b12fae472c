"""One file to repaired text: the job each extraction worker runs.

`kb extract` calls the same function in-process, so what it prints is exactly what the
library indexes.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indexer.extract import ExtractorRegistry, default_registry
from indexer.extract.base import ExtractedDocument, Limits
from indexer.fingerprint import text_fingerprint
from indexer.prepare import PreparedText, prepare_sections
from indexer.repair import repair_document
from kb.autotag import AutoTagging, automatic_tags
from kb.errors import ExtractionFailed, KbError, UnsupportedFormat
from kb.mentions import Mention
from kb.stated_dates import choose_date
from kb.tags import Sourced
from kb.titles import choose_title
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractJob:
    path: str
    given: str
    repair: bool = True
    limits: Limits = field(default_factory=Limits)
    time_limit: float = 120.0
    # Also analyse the text for the index, and count the vocabulary's names in it for
    # automatic tagging (ingest does, in its workers; `kb extract` does not).
    prepare: bool = False


@dataclass(frozen=True)
class ExtractOutcome:
    document: ExtractedDocument | None
    repairs: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    unsupported: bool = False
    seconds: Mapping[str, float] = field(default_factory=dict)  # extraction, repair, analysis
    prepared: PreparedText | None = None  # the text analysed for the index, if asked
    # The vocabulary's names found in the title and text (`Vocabulary.find_mentions`), if
    # asked and the worker was given the vocabulary (`use_vocabulary`)
    mentions: tuple[Mention, ...] | None = None
    # `indexer.fingerprint.text_fingerprint` of the text, when `prepared` is (computed alongside).
    fingerprint: str | None = None
    # What the document says of itself, when `mentions` are there (`catalogue`).
    catalogued: Catalogued | None = None


@dataclass(frozen=True)
class Catalogued:
    """The title and date the document shows and the automatic tags its own title and text
    earn, worked out by the extraction worker (`kb.titles`, `kb.stated_dates`,
    `kb.autotag`): that was most of what the one storing process did for each file. The
    learned model's suggestions are added by the process that has the library, and a
    sidecar that gives the document another title has its tags worked out again there."""

    title: Sourced
    date: Sourced | None
    tagging: AutoTagging


_vocabulary: Vocabulary | None = None


def use_vocabulary(vocabulary: Vocabulary) -> None:
    """Give this (worker) process the vocabulary whose names `prepare` jobs count."""
    global _vocabulary
    _vocabulary = vocabulary


@cache
def _registry() -> ExtractorRegistry:
    # One registry per worker process, built on its first job.
    return default_registry()


def run_extraction(job: ExtractJob, registry: ExtractorRegistry | None = None) -> ExtractOutcome:
    """Extract and (unless job.repair is False) repair one file; never raises for bad input."""
    registry = registry or _registry()
    name = job.given
    t0 = time.perf_counter()
    try:
        with _time_limit(job.time_limit):
            document = registry.extract(Path(job.path), job.limits)
            t1 = time.perf_counter()
            repairs: Mapping[str, int] = {}
            if job.repair:
                repaired = repair_document(document)
                document, repairs = repaired.document, dict(repaired.changes)
            t2 = time.perf_counter()
    except UnsupportedFormat as exc:
        return ExtractOutcome(None, error=_reason(exc, name), unsupported=True)
    except KbError as exc:
        return ExtractOutcome(None, error=_reason(exc, name))
    except TimeoutError:
        return ExtractOutcome(None, error=f"extraction took longer than {job.time_limit:.0f} s")
    except MemoryError:
        return ExtractOutcome(None, error="extraction ran out of memory (file too complex)")
    except RecursionError:
        return ExtractOutcome(None, error="document nested too deeply to read")
    except Exception as exc:  # a bug or a parser crash on hostile input: report, go on
        log.warning("unexpected error extracting %s", name, exc_info=True)
        return ExtractOutcome(None, error=f"unexpected error: {type(exc).__name__}: {exc}")
    if not any(s.text.strip() for s in document.sections):
        return ExtractOutcome(None, error="no text found after repair")
    # Done here, in parallel, rather than in the one process that writes the catalog and
    # the index.
    prepared = prepare_sections(document.sections) if job.prepare else None
    fingerprint = text_fingerprint(s.text for s in document.sections) if job.prepare else None
    t3 = time.perf_counter()
    found = catalogued = None
    if job.prepare and _vocabulary is not None:
        found = find_mentions(_vocabulary, document)
        catalogued = catalogue(_vocabulary, document, job.given, found)
    seconds = {
        "extraction": t1 - t0,
        "repair": t2 - t1,
        "analysis": t3 - t2,
        "auto-tagging": time.perf_counter() - t3,
    }
    return ExtractOutcome(document, repairs, seconds=seconds, prepared=prepared, mentions=found,
                          fingerprint=fingerprint, catalogued=catalogued)  # fmt: skip


def find_mentions(vocabulary: Vocabulary, document: ExtractedDocument) -> tuple[Mention, ...]:
    """The vocabulary's names in the document's title (its own, else its first heading)
    and its sections, for automatic tagging (`kb.tags.auto_tags`)."""
    heading = next((s.heading for s in document.sections if s.heading), None)
    title = document.title or heading or ""
    return vocabulary.find_mentions(title, ((s.text, s.page) for s in document.sections))


def catalogue(
    vocabulary: Vocabulary,
    document: ExtractedDocument,
    given: str,
    found: Sequence[Mention] | None = None,
) -> Catalogued:
    """The document's title and date, and the automatic tags the rules give it under that
    title (`found`: the vocabulary's names in it, `find_mentions`, when known)."""
    title = choose_title(document, Path(given).name)
    date = choose_date(document, title.value, dt.datetime.now(dt.UTC))
    if found is None:
        found = find_mentions(vocabulary, document)
    tagging = automatic_tags(vocabulary, title.value, document.sections, document.media_type,
                             titled_mentions(vocabulary, title.value, found))  # fmt: skip
    return Catalogued(title, date, tagging)


def titled_mentions(
    vocabulary: Vocabulary, title: str, found: Sequence[Mention]
) -> list[Mention]:
    """The names of `title` with those the text holds: `found` has the names of the title
    the extractor read, which a sidecar or the title choice may replace."""
    return [*vocabulary.find_mentions(title, []), *(m for m in found if m.place != "title")]


def extract_for_display(path: Path, *, repair: bool = True) -> ExtractedDocument:
    """The text `kb extract` shows; raises ExtractionFailed/UnsupportedFormat."""
    outcome = run_extraction(ExtractJob(str(path), str(path), repair=repair), default_registry())
    if outcome.document is None:
        error = UnsupportedFormat if outcome.unsupported else ExtractionFailed
        raise error(outcome.error or f"{path}: extraction failed")
    return outcome.document


def _reason(exc: Exception, name: str) -> str:
    """The error's message without a leading file name (the report names the file)."""
    message = str(exc)
    for prefix in (name, Path(name).name):
        if message.startswith(prefix + ": "):
            return message[len(prefix) + 2 :]
    return message


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in Python code running past `seconds` (main thread only)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread: no alarm, the pool's backstop still holds
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

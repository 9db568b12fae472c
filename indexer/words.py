"""The library's surface words, for "did you mean" and `word~`: a SQLite file in the index.

Whoosh held these as a `spelling` field with one posting per word and document: as many
postings again as the text itself, which doubled the cost of every index commit
(benchmarks/README.md). Suggestions only need, per folded word, how many documents of
each visibility hold it. So `words.sqlite` keeps that count, plus each document's word
list so that a changed or deleted document can be taken back out. Rewriting a document
that is already there changes nothing: the index writer may replay a batch that a killed
run wrote here but never committed to the index.

Words within an edit distance: those sharing the first letter and a length within the
distance are read in one indexed range, and rapidfuzz measures them (C speed).
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.query import MAX_FUZZY_EXPANSIONS

FILE_NAME = "words.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS words (
    word TEXT NOT NULL,
    visibility TEXT NOT NULL,   -- the document's visibility values, sorted, comma-joined
    docs INTEGER NOT NULL,
    PRIMARY KEY (word, visibility)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    visibility TEXT NOT NULL,
    words BLOB NOT NULL          -- zlib of the sorted words, one per line
);
"""
_CHUNK = 500  # ids per SELECT ... IN (...)

# id -> (visibility key, words) to write, or None to delete
WordChanges = Mapping[str, tuple[str, frozenset[str]] | None]


def visibility_key(values: Iterable[str]) -> str:
    return ",".join(sorted(set(values)))


class WordStore:
    """Folded words -> documents holding them, per visibility; one connection per thread,
    each with a page cache of `cache_kib` KiB at most (None: SQLite's default, 2 MB)."""

    def __init__(self, path: Path, *, cache_kib: int | None = None):
        self.path = path
        self._cache_kib = cache_kib
        self._local = threading.local()
        with self._connection() as conn:
            conn.executescript(_SCHEMA)

    def copy_to(self, dest: Path) -> None:
        """A consistent copy of the store in `dest` (SQLite's online backup), one file."""
        target = sqlite3.connect(dest)
        try:
            source = sqlite3.connect(self.path, timeout=30)
            try:
                source.backup(target)
            finally:
                source.close()
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            if self._cache_kib is not None:
                conn.execute(f"PRAGMA cache_size=-{int(self._cache_kib)}")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # --- writing ----------------------------------------------------------------------

    def apply(self, changes: WordChanges) -> None:
        """Write documents' words (or remove documents), in one transaction; idempotent."""
        if not changes:
            return
        conn = self._connection()
        delta: dict[str, Counter[str]] = {}
        with conn:
            ids = list(changes)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                rows = conn.execute(
                    f"SELECT visibility, words FROM documents WHERE id IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                )
                for visibility, blob in rows:
                    delta.setdefault(visibility, Counter()).subtract(_decode(blob))
            conn.executemany(
                "DELETE FROM documents WHERE id = ?",
                ((i,) for i, change in changes.items() if change is None),
            )
            written = []
            for doc_id, change in changes.items():
                if change is not None:
                    visibility, words = change
                    delta.setdefault(visibility, Counter()).update(words)
                    written.append((doc_id, visibility, _encode(words)))
            conn.executemany(
                "INSERT OR REPLACE INTO documents (id, visibility, words) VALUES (?, ?, ?)",
                written,
            )
            counts = [
                (word, visibility, n)
                for visibility, counter in delta.items()
                for word, n in counter.items()
                if n
            ]
            conn.executemany(
                "INSERT INTO words (word, visibility, docs) VALUES (?, ?, ?) "
                "ON CONFLICT (word, visibility) DO UPDATE SET docs = docs + excluded.docs",
                counts,
            )
            conn.executemany(
                "DELETE FROM words WHERE word = ? AND visibility = ? AND docs <= 0",
                ((w, v) for w, v, n in counts if n < 0),
            )

    # --- reading ----------------------------------------------------------------------

    def documents_with(self, word: str, visibilities: frozenset[str] | None) -> int:
        """How many documents hold `word`, among those of `visibilities` (None: all)."""
        rows = self._connection().execute(
            "SELECT visibility, docs FROM words WHERE word = ?", (word,)
        )
        return sum(n for key, n in rows if _visible(key, visibilities))

    def within(self, word: str, distance: int, prefix: int = 1) -> set[str]:
        """Words within `distance` edits (adjacent transpositions counting one) of `word`
        that share its first `prefix` letters, in any visibility."""
        start = word[:prefix]
        rows = self._connection().execute(
            "SELECT DISTINCT word FROM words WHERE word >= ? AND word < ? "
            "AND length(word) BETWEEN ? AND ?",
            (start, start + "\U0010ffff", len(word) - distance, len(word) + distance),
        )
        candidates = [row[0] for row in rows]
        found = process.extract(word, candidates, scorer=OSA.distance,
                                score_cutoff=distance, limit=None)  # fmt: skip
        return {candidate for candidate, _distance, _index in found}

    def __len__(self) -> int:
        row = self._connection().execute("SELECT count(DISTINCT word) FROM words").fetchone()
        return int(row[0])


def fuzzy_expander(
    words: WordStore, visibilities: frozenset[str] | None
) -> Callable[[str, int], list[str]]:
    """`word~` expansion for one search: the library's words within the distance.

    A word counts only through documents the caller may see (`visibilities`; None: all),
    so a word of hidden documents never takes the place of a visible one among the
    MAX_FUZZY_EXPANSIONS kept; nearest first, then those in most documents.
    """

    def close_words(word: str, distance: int) -> list[str]:
        ranked = []
        # prefix=1: typos rarely touch the first letter, and it keeps the walk through the
        # word list short.
        for candidate in words.within(word, distance, prefix=1):
            count = words.documents_with(candidate, visibilities)
            if count:
                ranked.append((OSA.distance(word, candidate), -count, candidate))
        ranked.sort()
        return [candidate for _, _, candidate in ranked[:MAX_FUZZY_EXPANSIONS]]

    return close_words


def _visible(key: str, visibilities: frozenset[str] | None) -> bool:
    if visibilities is None:
        return True
    return any(value in visibilities for value in key.split(",") if value)


def _encode(words: Iterable[str]) -> bytes:
    return zlib.compress("\n".join(sorted(words)).encode("utf-8"), 1)


def _decode(blob: bytes) -> list[str]:
    text = zlib.decompress(blob).decode("utf-8")
    return text.split("\n") if text else []


__all__ = ["FILE_NAME", "WordChanges", "WordStore", "fuzzy_expander", "visibility_key"]

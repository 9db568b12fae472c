"""The benchmark's fixed query mix, and the same queries against a SQLite FTS5 baseline.

The mix is derived from the generated lexicon (words by Zipf rank), so it is the same for a
given size and seed, and every query finds documents: frequent, medium and rare words, two
and three words, phrases, tag filters, facets with snippets, page 5 of the results.
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.generate.lexicon import Lexicon
from indexer import fields
from indexer.text import fold

FACETS = fields.FACETS
PUBLIC = frozenset({"public"})


@dataclass(frozen=True)
class Query:
    kind: str  # the class it is reported under
    text: str
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    facets: bool = False
    page: int = 1
    size: int = 10

    def label(self) -> str:
        extra = [f"{k}={','.join(v)}" for k, v in self.filters.items()]
        if self.facets:
            extra.append("facets")
        if self.page != 1:
            extra.append(f"page {self.page}")
        return f"{self.text!r} {' '.join(extra)}".strip()

    def params(self) -> list[tuple[str, str]]:
        """The API's query string for this query."""
        params = [("q", self.text), ("facets", "true" if self.facets else "false")]
        params += [(name, value) for name, values in self.filters.items() for value in values]
        if self.page != 1:
            params.append(("page", str(self.page)))
        return params


def _content_words(lexicon: Lexicon, stop_words: Iterable[str]) -> list[tuple[int, str]]:
    """(rank, word) of the lexicon's words that are worth searching (no stop words)."""
    stops = {fold(w) for w in stop_words}
    return [
        (rank, w)
        for rank, w in enumerate(lexicon.words, 1)
        if len(w) >= 5 and w.isalpha() and w.islower() and fold(w) not in stops
    ]


def query_mix(lexicon: Lexicon, stop_words: Iterable[str]) -> list[Query]:
    """Twenty-eight queries in seven classes, from the lexicon's ranks."""
    content = _content_words(lexicon, stop_words)

    def around(rank: int, count: int) -> list[str]:
        picked = [w for r, w in content if r >= rank][:count]
        return picked

    frequent = around(20, 4)
    accented = [w for r, w in content if r >= 20 and fold(w) != w][:2]
    medium = around(400, 6)
    rare = around(12_000, 2)
    mix = [Query("1 word", w) for w in (*frequent[:2], medium[0], rare[0])]
    mix += [Query("1 word", fold(w)) for w in accented]  # typed without accents
    mix += [
        Query("2 words", f"{frequent[2]} {medium[1]}"),
        Query("2 words", f"{medium[2]} {medium[3]}"),
        Query("2 words", f"{frequent[3]} {rare[1]}"),
        Query("3 words", f"{frequent[0]} {medium[4]} {medium[5]}"),
        Query("3 words", f"{frequent[1]} {frequent[2]} {medium[1]}"),
        Query("3 words", f"{medium[0]} {medium[2]} {frequent[3]}"),
        Query("phrase", '"économie sociale et solidaire"'),
        Query("phrase", '"comité de pilotage"'),
        Query("phrase", '"développement local"'),
        Query("phrase", '"pôle ESS"'),
        Query("tag filters", frequent[0], {"family": ("cooperatives",)}),
        Query("tag filters", medium[1], {"territory": ("bretagne",)}),
        Query("tag filters", frequent[1], {"kind": ("etude",), "year": ("2008",)}),
        Query("tag filters", f"{medium[3]} {frequent[2]}", {"mission": ("diffusion",)}),
        Query("tag filters", "", {"territory": ("finistere",), "family": ("associations",)}),
        Query("facets+snippets", frequent[0], facets=True),
        Query("facets+snippets", f"{medium[0]} {medium[4]}", facets=True),
        Query("facets+snippets", '"économie sociale et solidaire"', facets=True),
        Query("facets+snippets", medium[5], {"territory": ("ille-et-vilaine",)}, facets=True),
        Query("page 5", frequent[1], page=5),
        Query("page 5", f"{frequent[2]} {medium[2]}", page=5),
        Query("page 5", '"comité de pilotage"', page=5),
    ]
    return mix


PHRASES = (
    '"économie sociale et solidaire"',
    '"comité de pilotage"',
    '"développement local"',
    '"pôle ESS"',
    '"conseil scientifique"',
    '"emploi associatif"',
)
FILTERS = (
    {"family": ("cooperatives",)},
    {"family": ("associations",)},
    {"territory": ("bretagne",)},
    {"territory": ("finistere",)},
    {"kind": ("etude",)},
    {"mission": ("diffusion",)},
    {"year": ("2008",)},
)


def varied_mix(lexicon: Lexicon, stop_words: Iterable[str], count: int) -> list[Query]:
    """`count` distinct queries of the same seven classes, words drawn by rank.

    More distinct queries than a cache of answers holds: cycling over them measures
    searches, not cache hits (the library keeps the last 512 answers per index commit).
    """
    import random

    content = [w for rank, w in _content_words(lexicon, stop_words) if rank <= 20_000]
    rng = random.Random(7)
    seen: set[str] = set()
    mix: list[Query] = []

    def word() -> str:
        # Ranks spread evenly on a log scale: frequent, medium and rare words alike.
        return content[min(len(content) - 1, int(math.exp(rng.uniform(0, math.log(5000)))))]

    kinds = ("1 word", "2 words", "3 words", "phrase", "tag filters", "facets+snippets",
             "page 5")  # fmt: skip
    attempts = 0
    while len(mix) < count:
        if attempts > 100 * count:
            raise ValueError(f"cannot draw {count} distinct queries from this lexicon")
        kind = kinds[attempts % len(kinds)]
        attempts += 1
        if kind == "1 word":
            q = Query(kind, word())
        elif kind == "2 words":
            q = Query(kind, f"{word()} {word()}")
        elif kind == "3 words":
            q = Query(kind, f"{word()} {word()} {word()}")
        elif kind == "phrase":
            # A phrase alone, with a filter, or with a word: as many variants as needed.
            text, filters = rng.choice(PHRASES), rng.choice(({}, *FILTERS))
            q = Query(kind, f"{text} {word()}" if rng.random() < 0.6 else text, filters)
        elif kind == "tag filters":
            q = Query(kind, word(), rng.choice(FILTERS))
        elif kind == "facets+snippets":
            q = Query(kind, f"{word()} {word()}" if rng.random() < 0.5 else word(), facets=True)
        else:
            q = Query(kind, word(), page=5)
        if q.label() not in seen:
            seen.add(q.label())
            mix.append(q)
    return mix


@dataclass(frozen=True)
class Timed:
    query: Query
    seconds: float
    total: int


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[index]


def summarise(timings: Sequence[Timed]) -> dict[str, Any]:
    """p50/p95/p99 in milliseconds, overall and per query class."""

    def stats(values: list[float]) -> dict[str, float]:
        return {
            "n": len(values),
            "p50_ms": round(percentile(values, 0.50) * 1000, 2),
            "p95_ms": round(percentile(values, 0.95) * 1000, 2),
            "p99_ms": round(percentile(values, 0.99) * 1000, 2),
            "max_ms": round(max(values) * 1000, 2),
        }

    classes: dict[str, list[float]] = {}
    for t in timings:
        classes.setdefault(t.query.kind, []).append(t.seconds)
    per_query: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    for t in timings:
        per_query.setdefault(t.query.label(), []).append(t.seconds)
        totals[t.query.label()] = t.total
    return {
        "all": stats([t.seconds for t in timings]),
        "classes": {k: stats(v) for k, v in classes.items()},
        "queries": {
            k: {"p50_ms": round(percentile(v, 0.5) * 1000, 2), "total": totals[k]}
            for k, v in per_query.items()
        },
    }


def run_mix(search: Any, mix: Sequence[Query], repeats: int) -> list[Timed]:
    """`search(query) -> total` over the mix: one warm-up pass, then `repeats` passes."""
    for q in mix:
        search(q)
    timings = []
    for _ in range(repeats):
        for q in mix:
            t0 = time.perf_counter()
            total = search(q)
            timings.append(Timed(q, time.perf_counter() - t0, total))
    return timings


# --- the SQLite FTS5 baseline -------------------------------------------------------------


def catalog_fingerprint(library: Any) -> str:
    """What an FTS5 copy is made from: each active document's id, content, revision and
    last change in the catalog of `library` (an open `kb.library.Library`)."""
    digest = hashlib.sha256()
    rows = library.catalog.db.execute(
        "SELECT id, content_hash, revision, updated_at FROM documents"
        " WHERE state = 'active' ORDER BY id"
    )
    for row in rows:
        digest.update("\t".join(map(str, row)).encode() + b"\n")
    return digest.hexdigest()


def kept_fts(library: Any, target: Path) -> dict[str, Any] | None:
    """The FTS5 database at `target` if an earlier `build_fts` made it from the same
    catalog (a `bench --reuse` run: rebuilding it takes minutes at 100,000 documents);
    None if there is none, or it is stale."""
    if not target.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as db:
            made_from = db.execute("SELECT fingerprint, documents FROM made_from").fetchone()
    except sqlite3.Error:  # none recorded (an older build), or not a database
        return None
    if made_from is None or made_from[0] != catalog_fingerprint(library):
        return None
    return {"seconds": 0.0, "bytes": target.stat().st_size, "documents": made_from[1],
            "reused": True}  # fmt: skip


def build_fts(library: Any, target: Path) -> dict[str, Any]:
    """An FTS5 index (unicode61, diacritics removed) of the catalog's texts and tags.

    `library` is an open `kb.library.Library`; the texts are exactly what its index holds
    (the repaired sections), the tags its effective controlled tags, territories with their
    ancestors, and the year. Returns the build time and the database size.
    """
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target, isolation_level=None)  # explicit transactions only
    db.executescript(
        """
        PRAGMA synchronous=OFF;
        CREATE VIRTUAL TABLE fts USING fts5(
            title, content, tokenize = "unicode61 remove_diacritics 2");
        CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL);
        CREATE TABLE tags (doc INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
        """
    )
    started = time.perf_counter()
    docs = library.catalog.documents(state="active")
    db.execute("BEGIN")
    for rowid, doc in enumerate(docs, 1):
        item = library.index_document(doc)
        db.execute("INSERT INTO docs VALUES (?, ?)", (rowid, doc.id))
        content = "\n\n".join(s.text for s in item.sections)
        db.execute("INSERT INTO fts (rowid, title, content) VALUES (?, ?, ?)",
                   (rowid, item.title, content))  # fmt: skip
        rows = [
            (rowid, f, v) for f, values in item.tags.items() for v in values if f != "territory"
        ]
        rows += [(rowid, "territory", v) for v in item.territory_path]
        if item.year:
            rows.append((rowid, "year", str(item.year)))
        db.executemany("INSERT INTO tags VALUES (?, ?, ?)", rows)
    db.execute("COMMIT")
    db.execute("CREATE INDEX tags_field_value ON tags (field, value, doc)")
    db.execute("CREATE INDEX tags_doc ON tags (doc, field)")
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    seconds = time.perf_counter() - started
    db.execute("CREATE TABLE made_from (fingerprint TEXT NOT NULL, documents INTEGER NOT NULL)")
    db.execute("INSERT INTO made_from VALUES (?, ?)", (catalog_fingerprint(library), len(docs)))
    db.close()
    return {"seconds": round(seconds, 2), "bytes": target.stat().st_size, "documents": len(docs)}


_FTS_WORD = re.compile(r"[^\W_]+")


def fts_match(text: str) -> str | None:
    """FTS5 MATCH syntax for our query text: quoted phrases kept, words OR-ed.

    OR, because the library matches any of the words (those with all of them rank first):
    both then count, filter and rank the same set of documents.
    """
    parts = []
    for phrase in re.findall(r'"([^"]+)"', text):
        parts.append('"' + " ".join(_FTS_WORD.findall(phrase)) + '"')
    rest = re.sub(r'"[^"]+"', " ", text)
    parts += [f'"{w}"' for w in _FTS_WORD.findall(rest)]
    return " OR ".join(parts) or None


class FtsSearcher:
    """The same request as `Library.search` (public documents, filters, total, one page with
    snippets, facets), answered by SQLite FTS5 ranked with bm25."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, check_same_thread=False)

    def close(self) -> None:
        self.db.close()

    def search(self, q: Query) -> int:
        match = fts_match(q.text)
        where, args = [], []
        if match:
            where.append("fts MATCH ?")
            args.append(match)
        filters = {"visibility": tuple(PUBLIC), **q.filters}
        for name, values in filters.items():
            marks = ",".join("?" * len(values))
            # "+": the filter must not drive the plan (a rowid lookup per document, each
            # re-running the MATCH, took seconds); FTS5 finds the matches, then they are kept.
            where.append(
                f"+fts.rowid IN (SELECT doc FROM tags WHERE field = ? AND value IN ({marks}))"
            )
            args += [name, *values]
        sql_where = " AND ".join(where) or "1"
        db = self.db
        total = db.execute(f"SELECT count(*) FROM fts WHERE {sql_where}", args).fetchone()[0]
        order = "ORDER BY rank" if match else "ORDER BY fts.rowid DESC"
        offset = (q.page - 1) * q.size
        # One snippet per hit (FTS5 has no "best three"); the library gives up to three.
        snippet = "snippet(fts, 1, '[', ']', '…', 24)" if match else "''"
        db.execute(
            f"SELECT fts.rowid, title, {snippet} FROM fts WHERE {sql_where} "
            f"{order} LIMIT ? OFFSET ?",
            [*args, q.size, offset],
        ).fetchall()
        if q.facets:
            db.execute(
                f"SELECT field, value, count(*) FROM tags WHERE doc IN "
                f"(SELECT fts.rowid FROM fts WHERE {sql_where}) AND field IN "
                f"({','.join('?' * len(FACETS))}) GROUP BY field, value",
                [*args, *FACETS],
            ).fetchall()
        return int(total)

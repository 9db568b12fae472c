"""Twin files: the same report saved twice in two formats (a `.docx` and its `.pdf`), two
documents in the catalog, shown as one document with its files.

Two documents are twins when their extracted text is the same once normalised (folded,
words only: `text_fingerprint`, stored at ingest in `documents.text_fingerprint`); names,
titles and formats do not count. A search shows one document of each group of twins, the
first the caller may see among those it finds (a PDF first, then the oldest), and leaves
the caller's other twins out of its hits, total and facets (a filter that finds the Word
file alone finds it); a document's page lists the twins the caller
may see, each file downloadable from there. A twin the caller may not see changes nothing
they can observe: it is neither shown, nor counted, nor used to hide another.

What the fingerprint cannot join: a PDF whose pages print running headers or page
numbers the Word file does not hold has another text, so stays a document of its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from indexer.text import fold
from kb.catalog import Catalog
from kb.tags import Tag, effective

# Fewer words than this: no fingerprint (an empty scan, a title page), never a twin.
MIN_WORDS = 30
_WORD = re.compile(r"\w+")
PREFERRED_MEDIA = "application/pdf"  # read in the browser: shown in its twins' place
_CHUNK = 500  # ids in one catalog query


def text_fingerprint(texts: Iterable[str]) -> str | None:
    """The fingerprint of a document's text (its sections' texts in order): equal for the
    same words in the same order whatever the case, accents, punctuation, line and page
    breaks; None for a text of fewer than MIN_WORDS words."""
    words = _WORD.findall(fold("\n".join(texts)))
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]


def twin_groups(catalog: Catalog) -> list[tuple[str, ...]]:
    """Each group of two or more active documents with the same text, its ids in the
    order of preference (a PDF first, then the oldest)."""
    # The inner query reads the partial index alone (no table row): states are checked
    # on the few rows it names.
    rows = catalog.db.execute(
        "SELECT id, text_fingerprint FROM documents WHERE text_fingerprint IN"
        " (SELECT text_fingerprint FROM documents WHERE text_fingerprint IS NOT NULL"
        "  GROUP BY text_fingerprint HAVING count(*) > 1) AND state = 'active'"
        " ORDER BY text_fingerprint, media_type != ?, added_at, id",
        (PREFERRED_MEDIA,),
    )
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row["text_fingerprint"], []).append(row["id"])
    return [tuple(ids) for ids in groups.values() if len(ids) > 1]


def _seen(catalog: Catalog, ids: Sequence[str], visibilities: frozenset[str] | None
          ) -> list[str]:
    """`ids` the caller may see, in their order (None: every one); their visibility tags
    read in a few queries, not one a document."""
    if visibilities is None:
        return list(ids)
    tags: dict[str, list[Tag]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for row in catalog.db.execute(
            "SELECT t.document_id, t.value, t.origin FROM documents d JOIN tags t"
            " ON t.document_id = d.id AND t.field = 'visibility' WHERE d.state = 'active'"
            f" AND d.id IN ({','.join('?' * len(chunk))})", chunk,
        ):
            tags.setdefault(row[0], []).append(Tag("visibility", row[1], row[2]))
    return [i for i in ids if i in tags and any(
        v in visibilities for v in effective(tags[i]).get("visibility", ()))]


def visible_twins(catalog: Catalog, groups: Sequence[Sequence[str]],
                  visibilities: frozenset[str] | None) -> tuple[tuple[str, ...], ...]:
    """The groups as a caller sees them: the twins they may see, in the order of
    preference; a group with fewer than two left is no group for them."""
    seen = set(_seen(catalog, [i for ids in groups for i in ids], visibilities))
    kept = (tuple(i for i in ids if i in seen) for ids in groups)
    return tuple(ids for ids in kept if len(ids) > 1)


def twins_of(catalog: Catalog, doc_id: str, visibilities: frozenset[str] | None
             ) -> list[str]:
    """The other documents with the text of `doc_id` that the caller may see, in the
    order of preference (none for a document without a fingerprint)."""
    row = catalog.db.execute(
        "SELECT text_fingerprint FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None or row["text_fingerprint"] is None:
        return []
    ids = [r["id"] for r in catalog.db.execute(
        "SELECT id FROM documents WHERE text_fingerprint = ? AND state = 'active'"
        " AND id != ? ORDER BY media_type != ?, added_at, id",
        (row["text_fingerprint"], doc_id, PREFERRED_MEDIA))]
    return _seen(catalog, ids, visibilities)


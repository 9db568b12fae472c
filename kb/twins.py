"""Twin files: the same report saved twice in two formats (a `.docx` and its `.pdf`), two
documents in the catalog, shown as one document with its files.

Two documents are twins when their extracted text is the same once normalised (folded,
words only: `indexer.fingerprint`, stored at ingest in `documents.text_fingerprint`);
names, titles and formats do not count. A search shows one document of each group of twins, the
first the caller may see among those it finds (a PDF first, then the oldest), and leaves
the caller's other twins out of its hits, total and facets (a filter that finds the Word
file alone finds it); a document's page lists the twins the caller
may see, each file downloadable from there. A twin the caller may not see changes nothing
they can observe: it is neither shown, nor counted, nor used to hide another.

What the fingerprint cannot join: a PDF whose pages print running headers or page
numbers the Word file does not hold has another text, so stays a document of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from kb.catalog import Catalog
from kb.tags import Tag, effective

PREFERRED_MEDIA = "application/pdf"  # read in the browser: shown in its twins' place
_CHUNK = 500  # ids in one catalog query


def twin_groups(catalog: Catalog) -> list[tuple[str, ...]]:
    """Each group of two or more active documents with the same text, its ids in the
    order of preference (a PDF first, then the oldest)."""
    groups: dict[str, list[str]] = {}
    for fingerprint, doc_id in catalog.twin_rows(PREFERRED_MEDIA):
        groups.setdefault(fingerprint, []).append(doc_id)
    return [tuple(ids) for ids in groups.values() if len(ids) > 1]


def _seen(catalog: Catalog, ids: Sequence[str], visibilities: frozenset[str] | None
          ) -> list[str]:
    """`ids` the caller may see, in their order (None: every one); their visibility tags
    read in a few queries, not one a document."""
    if visibilities is None:
        return list(ids)
    tags: dict[str, list[Tag]] = {}
    for start in range(0, len(ids), _CHUNK):
        tags.update(catalog.active_visibility(ids[start:start + _CHUNK]))
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
    return _seen(catalog, catalog.same_text(doc_id, PREFERRED_MEDIA), visibilities)


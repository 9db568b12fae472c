"""Which documents OAI-PMH exposes, their sets and datestamps, and their tombstones.

A document is harvestable when an anonymous visitor may see it (active, visibility
`public`) and, unless the policy says otherwise, it is validated. The `oai_records` table
keeps every document ever exposed with the time it (last) became harvestable, the sets it
was last in, and the time it stopped being harvestable: a document pruned, hidden or
un-validated stays there as a deleted record for good (`deletedRecord` = persistent).

The table is brought up to date by `refresh` before each protocol request: whatever
changed the catalog (an ingest, a prune, a correction, the workflow, another process),
a change of exposure is stamped no earlier than it happened and no later than the first
answer that could show it, so a harvester asking `from` its last response date never
misses it. A live record's datestamp is the later of the document's last change
(`documents.updated_at`: tags, content, state) and the time it last entered the table's
view (became harvestable, or changed sets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from indexer.fields import TABLE
from kb.catalog import Catalog
from kb.catalog import collections as collection_store
from kb.catalog import oai as oai_store
from kb.tags import Tag, effective
from kb.vocabulary import Vocabulary

PUBLIC = "public"
VALIDATED = "validated"
# Top-level sets: each value of these fields (and each public collection) is a set below.
# The collections, then the fields of `indexer.fields.TABLE` whose values are sets.
SET_FIELDS = ("collection", *(f.name for f in TABLE if f.oai_set))
_ELIGIBILITY_FIELDS = ("visibility", "status", *SET_FIELDS[1:])
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*")


@dataclass(frozen=True)
class Policy:
    """What the repository exposes: public documents, validated ones only by default."""

    validated_only: bool = True


@dataclass(frozen=True)
class RecordHeader:
    """One record as OAI-PMH lists it."""

    id: str
    datestamp: str  # UTC, "YYYY-MM-DDThh:mm:ssZ"
    deleted: bool
    sets: tuple[str, ...]  # setSpecs, most general first

    def in_set(self, spec: str) -> bool:
        return any(s == spec or s.startswith(spec + ":") for s in self.sets)


def utc(stamp: str) -> str:
    """A catalog time (ISO with offset) as an OAI-PMH UTC datestamp."""
    if len(stamp) == 25 and stamp.endswith("+00:00"):  # what `kb.catalog.now` writes
        return stamp[:19] + "Z"
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def territory_spec(vocabulary: Vocabulary, key: str) -> str:
    """`territory:france:bretagne:ille-et-vilaine`: the tree as OAI-PMH's set hierarchy, so
    a harvest of a territory includes everything below it."""
    path = [*reversed(vocabulary.ancestors("territory", key)), key]
    return ":".join(["territory", *path])


def sets_of(tags: Mapping[str, tuple[str, ...]], collections: Iterable[str],
            vocabulary: Vocabulary) -> tuple[str, ...]:
    """The most specific setSpecs a document with these effective tags is in."""
    specs = [f"collection:{c}" for c in collections]
    for name in SET_FIELDS[1:]:
        specs += [territory_spec(vocabulary, v) if name == "territory" else f"{name}:{v}"
                  for v in tags.get(name, ())]
    return tuple(s for s in dict.fromkeys(specs) if SET_SPEC.fullmatch(s))


def public_collections(catalog: Catalog) -> dict[str, str]:
    """Id -> name of the collections an anonymous visitor sees."""
    return collection_store.visible_names(catalog, PUBLIC)


def eligible(catalog: Catalog, vocabulary: Vocabulary, policy: Policy
             ) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Id -> (last change, sets) of every document the repository exposes now."""
    tags: dict[str, list[Tag]] = {}
    changed: dict[str, str] = {}
    for doc_id, tag, updated_at in catalog.active_tags_of(_ELIGIBILITY_FIELDS):
        tags.setdefault(doc_id, []).append(tag)
        changed[doc_id] = updated_at
    memberships = collection_store.memberships_by_visibility(catalog, PUBLIC)
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for doc_id, doc_tags in tags.items():
        values = effective(doc_tags)
        if PUBLIC not in values.get("visibility", ()):
            continue
        if policy.validated_only and VALIDATED not in values.get("status", ()):
            continue
        found[doc_id] = (changed[doc_id], sets_of(values, memberships.get(doc_id, ()),
                                                  vocabulary))
    return found


def refresh(catalog: Catalog, vocabulary: Vocabulary, policy: Policy) -> int:
    """Bring `oai_records` up to the catalog; returns how many records changed.

    Writes only when something changed (one transaction), so most requests only read.
    """
    now = catalog_now()
    current = eligible(catalog, vocabulary, policy)
    known = oai_store.known(catalog)
    upserts = [
        (doc_id, now, sets)
        for doc_id, (_, sets) in current.items()
        if doc_id not in known or known[doc_id][0] is not None or known[doc_id][1] != sets
    ]
    deletions = [
        (now, doc_id) for doc_id, (deleted_at, _) in known.items()
        if deleted_at is None and doc_id not in current
    ]
    if upserts or deletions:
        with catalog.transaction():
            oai_store.expose(catalog, upserts)
            oai_store.withdraw(catalog, deletions)
    return len(upserts) + len(deletions)


def catalog_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class HarvestCache:
    """The records as last computed, and the catalog's version then: a request that finds
    the catalog unchanged (no commit by anyone since) skips recomputing them."""

    version: tuple[int, int] | None = None
    records: list[RecordHeader] = field(default_factory=list)


def catalog_version(catalog: Catalog) -> tuple[int, int]:
    """Changes when any connection commits to the catalog: SQLite's data_version counts
    other connections' commits, total_changes this one's."""
    return catalog.data_version()


def current(catalog: Catalog, vocabulary: Vocabulary, policy: Policy,
            cache: HarvestCache | None = None) -> list[RecordHeader]:
    """`refresh`, then every record in (datestamp, id) order; with `cache`, both are
    skipped while the catalog has not changed since the last call."""
    if cache is not None and cache.version == catalog_version(catalog):
        return cache.records
    refresh(catalog, vocabulary, policy)
    found = headers(catalog)
    if cache is not None:
        cache.version, cache.records = catalog_version(catalog), found
    return found


def headers(catalog: Catalog) -> list[RecordHeader]:
    """Every record (live and deleted), in (datestamp, id) order."""
    found = []
    for doc_id, exposed_at, deleted_at, sets, updated_at in oai_store.every(catalog):
        if deleted_at is not None:
            stamp = utc(deleted_at)
        else:
            stamp = max(utc(exposed_at), utc(updated_at or exposed_at))
        found.append(RecordHeader(doc_id, stamp, deleted_at is not None, sets))
    found.sort(key=lambda h: (h.datestamp, h.id))
    return found


def header(found: list[RecordHeader], doc_id: str) -> RecordHeader | None:
    """One record by document id; None if the repository never exposed it."""
    return next((h for h in found if h.id == doc_id), None)


def earliest_datestamp(found: list[RecordHeader]) -> str:
    """The oldest datestamp any record has; now for an empty repository."""
    return found[0].datestamp if found else now_utc()

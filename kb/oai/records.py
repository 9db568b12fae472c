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

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from indexer.fields import TABLE
from kb.catalog import Catalog
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
    rows = catalog.db.execute(
        "SELECT id, name FROM collections WHERE visibility = ? ORDER BY id", (PUBLIC,)
    )
    return {r["id"]: r["name"] for r in rows}


def eligible(catalog: Catalog, vocabulary: Vocabulary, policy: Policy
             ) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Id -> (last change, sets) of every document the repository exposes now."""
    marks = ",".join("?" * len(_ELIGIBILITY_FIELDS))
    rows = catalog.db.execute(
        "SELECT t.document_id, t.field, t.value, t.origin, d.updated_at FROM tags t"
        " JOIN documents d ON d.id = t.document_id AND d.state = 'active'"
        f" WHERE t.field IN ({marks}) ORDER BY t.document_id, t.position",
        _ELIGIBILITY_FIELDS,
    )
    tags: dict[str, list[Tag]] = {}
    changed: dict[str, str] = {}
    for r in rows:
        tags.setdefault(r["document_id"], []).append(Tag(r["field"], r["value"], r["origin"]))
        changed[r["document_id"]] = r["updated_at"]
    memberships: dict[str, list[str]] = {}
    for r in catalog.db.execute(
        "SELECT e.document_id, e.collection_id FROM collection_entries e"
        " JOIN collections c ON c.id = e.collection_id WHERE c.visibility = ?"
        " ORDER BY e.collection_id", (PUBLIC,),
    ):
        memberships.setdefault(r["document_id"], []).append(r["collection_id"])
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
    known = {
        r["document_id"]: (r["deleted_at"], tuple(json.loads(r["sets"])))
        for r in catalog.db.execute("SELECT document_id, deleted_at, sets FROM oai_records")
    }
    upserts = [
        (doc_id, now, json.dumps(list(sets)))
        for doc_id, (_, sets) in current.items()
        if doc_id not in known or known[doc_id][0] is not None or known[doc_id][1] != sets
    ]
    deletions = [
        (now, doc_id) for doc_id, (deleted_at, _) in known.items()
        if deleted_at is None and doc_id not in current
    ]
    if upserts or deletions:
        with catalog.transaction():
            catalog.db.executemany(
                "INSERT INTO oai_records (document_id, exposed_at, deleted_at, sets)"
                " VALUES (?, ?, NULL, ?) ON CONFLICT(document_id) DO UPDATE SET"
                " exposed_at = excluded.exposed_at, deleted_at = NULL, sets = excluded.sets",
                upserts,
            )
            catalog.db.executemany(
                "UPDATE oai_records SET deleted_at = ? WHERE document_id = ?", deletions
            )
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
    other = int(catalog.db.execute("PRAGMA data_version").fetchone()[0])
    return other, catalog.db.total_changes


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
    rows = catalog.db.execute(
        "SELECT o.document_id, o.exposed_at, o.deleted_at, o.sets, d.updated_at"
        " FROM oai_records o LEFT JOIN documents d ON d.id = o.document_id"
    )
    found = []
    for r in rows:
        if r["deleted_at"] is not None:
            stamp = utc(r["deleted_at"])
        else:
            stamp = max(utc(r["exposed_at"]), utc(r["updated_at"] or r["exposed_at"]))
        found.append(RecordHeader(r["document_id"], stamp, r["deleted_at"] is not None,
                                  tuple(json.loads(r["sets"]))))
    found.sort(key=lambda h: (h.datestamp, h.id))
    return found


def header(found: list[RecordHeader], doc_id: str) -> RecordHeader | None:
    """One record by document id; None if the repository never exposed it."""
    return next((h for h in found if h.id == doc_id), None)


def earliest_datestamp(found: list[RecordHeader]) -> str:
    """The oldest datestamp any record has; now for an empty repository."""
    return found[0].datestamp if found else now_utc()

"""Repeated searches are answered from a cache that never serves a stale answer."""

from __future__ import annotations

from pathlib import Path

from indexer.lru import deep_size
from kb.actors import Actor
from kb.curation.collections import add_documents, create_collection
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.search import answer_bytes
from kb.tags import Tag
from tests.conftest import write

OPTIONS = IngestOptions(workers=1)


def test_same_search_twice_is_one_answer(library: Library, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", "La coopérative de Brest.\n")
    ingest(library, [tmp_path / "docs"], OPTIONS)
    first = library.search("coopérative")
    assert library.search("coopérative") is first
    assert library.search("coopérative", size=5) is not first


def test_a_new_commit_is_seen_at_once(library: Library, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", "La coopérative de Brest.\n")
    ingest(library, [tmp_path / "docs"], OPTIONS)
    assert library.search("coopérative").total == 1
    write(tmp_path / "docs" / "b.txt", "Une autre coopérative, à Quimper.\n")
    ingest(library, [tmp_path / "docs"], OPTIONS)
    assert library.search("coopérative").total == 2


def test_collection_members_changed_in_the_catalog_only(library: Library, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", "La coopérative de Brest.\n")
    write(tmp_path / "docs" / "b.txt", "Une autre coopérative, à Quimper.\n")
    ingest(library, [tmp_path / "docs"], OPTIONS)
    actor = Actor.local()
    collection = create_collection(library, actor, "Lectures")
    first, second = (h.id for h in library.search("coopérative").hits)
    add_documents(library, actor, collection.id, [first])
    assert [h.id for h in library.search("", {"collection": (collection.id,)}).hits] == [first]
    add_documents(library, actor, collection.id, [second])
    found = library.search("", {"collection": (collection.id,)})
    assert {h.id for h in found.hits} == {first, second}


def test_a_page_of_hits_costs_one_catalog_query(library: Library, tmp_path: Path) -> None:
    """Path, state and visibility of every hit on a page come from one catalog query, and
    a cached answer for a caller who may not see everything checks them again with one."""
    for n in range(6):
        write(tmp_path / "docs" / f"d{n}.txt", f"La coopérative numéro {n} de Brest.\n")
    ingest(library, [tmp_path / "docs"], OPTIONS)
    library.search("brest")  # the index opened, the filters' tables read
    statements: list[str] = []
    library.catalog.db.set_trace_callback(statements.append)
    try:
        found = library.search("coopérative", visibilities=frozenset({"public"}))
        assert len(found.hits) == 6 and all(h.path and h.state == "active" for h in found.hits)
        assert [s for s in statements if "FROM documents" in s] == statements
        assert len(statements) == 1
        statements.clear()
        assert library.search("coopérative", visibilities=frozenset({"public"})) is found
        assert len(statements) == 1
    finally:
        library.catalog.db.set_trace_callback(None)


def test_a_cached_answer_shows_a_visibility_changed_in_the_catalog_only(
    library: Library, tmp_path: Path
) -> None:
    """The index may lag the catalog by a commit: a cached page carries the catalog's word."""
    write(tmp_path / "docs" / "a.txt", "La coopérative de Brest.\n")
    ingest(library, [tmp_path / "docs"], OPTIONS)
    public = frozenset({"public"})
    (hit,) = library.search("coopérative", visibilities=public).hits
    assert hit.visibility == ("public",)
    with library.catalog.transaction():  # a curator's change, the index not told yet
        internal = Tag("visibility", "internal", "curator")
        library.catalog.replace_tags(hit.id, ["curator"], [internal])
    (again,) = library.search("coopérative", visibilities=public).hits
    assert again.visibility == ("internal",) and again.state == "active"


def test_an_answers_size_is_estimated_high_without_walking_it(
    library: Library, tmp_path: Path
) -> None:
    """The cache counts an answer's bytes from its strings and its objects' counts
    (`answer_bytes`), not by walking every object: never under the walk, nor far over."""
    long_title = "Étude " + "économie sociale et solidaire " * 12
    write(tmp_path / "docs" / "a.txt", f"{long_title}\n\n" + "La coopérative de Brest. " * 80)
    # Characters beyond the BMP: Python stores the whole string at 4 bytes a character.
    wide = "Marins 🌊 de Lorient 🐟 " * 20
    write(tmp_path / "docs" / "b.txt", f"{wide}\n\n" + f"La coopérative des {wide}.\n" * 30)
    for n in range(12):
        write(tmp_path / "docs" / f"c{n}.txt", f"# Chapitre {n}\n\nUne coopérative numéro {n}.\n")
    ingest(library, [tmp_path / "docs"], OPTIONS)
    for text, size, facets in [("coopérative", 10, False), ("coopérative", 50, True),
                               ("marins", 10, True), ("brest coopérative", 1, False)]:
        library.search(text, size=size, facets=facets, visibilities=frozenset({"public"}))
    answers = list(library.searches.cache._items.values())
    assert len(answers) == 4
    for answer in answers:
        walked = deep_size(answer)
        assert walked <= answer_bytes(answer) <= 1.3 * walked

"""Reading collections for the edges (`kb.collections`): what a viewer's scope sees of them.
A real catalog and index under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.actors import Actor
from kb.curation.collections import add_documents, create_collection
from kb.documents import DocumentRow
from kb.errors import NotFound
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from tests.conftest import write

CURATOR = Actor("c.martin", "curator", "api")


@pytest.fixture
def one_document(library: Library, tmp_path: Path) -> Iterator[tuple[Library, DocumentRow]]:
    write(tmp_path / "depot" / "etude.txt", "Étude de faisabilité d'un pôle ESS à Rennes.\n")
    ingest(library, [tmp_path / "depot"], IngestOptions(workers=1))
    (hit,) = library.search("").hits
    yield library, library.resolve_id(hit.id)


def test_collections_as_a_viewer_sees_them(one_document: tuple[Library, DocumentRow]) -> None:
    library, doc = one_document
    public = create_collection(library, CURATOR, "Lectures du pôle", visibility="public")
    internal = create_collection(library, CURATOR, "Dossier interne")
    for found in (public, internal):
        add_documents(library, CURATOR, found.id, [doc.id], note=f"note {found.id}")
    seen = library.collections.memberships(doc.id, frozenset({"public"}))
    assert [(c.id, e.position, e.note) for c, e in seen] == [
        (public.id, 1, f"note {public.id}")]
    assert {c.id for c, _e in library.collections.memberships(doc.id)} == {
        public.id, internal.id}
    library.collections.check_visible([public.id, "Lectures du pôle"], frozenset({"public"}))
    # Hidden or missing: the same error, the same words.
    with pytest.raises(NotFound) as hidden:
        library.collections.check_visible([public.id, internal.id], frozenset({"public"}))
    with pytest.raises(NotFound) as missing:
        library.collections.check_visible(["nulle-part"], frozenset({"public"}))
    assert str(hidden.value).replace(internal.id, "X") == str(missing.value).replace(
        "nulle-part", "X")
    # A document outside the scope is left out of what the viewer sees, and not counted.
    assert [e.document_id for e in library.collections.visible_entries(
        public.id, frozenset({"internal"}))] == []
    now = library.collections.get(public.id)
    assert now.size == 1 and library.collections.as_seen(now, None) == now
    assert library.collections.as_seen(now, frozenset({"internal"})).size == 0

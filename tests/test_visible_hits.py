"""The API's check of a page of hits against the catalog (the index may lag a visibility
change by one commit): one query for the page, the same answer as a check per hit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.auth import ANONYMOUS, Caller
from api.routes.search import still_visible, visible_hits
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from kb.tags import Tag

FIXTURES = Path(__file__).parent / "fixtures" / "search"
ADMIN = Caller(role="admin", token_name="admin", visibilities=None)


@pytest.fixture
def lagging(tmp_path: Path) -> Iterator[tuple[Library, list[str]]]:
    """A library whose catalog hid two public documents the index still shows as public:
    one made internal by a curator, one whose files are gone."""
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [FIXTURES], IngestOptions(workers=1))
        hits = library.search("", visibilities=frozenset({"public"}), size=50).hits
        assert len(hits) >= 3
        made_internal, gone = hits[0].id, hits[1].id
        with library.catalog.transaction():  # the catalog alone: the index is not told
            library.catalog.replace_tags(made_internal, ["curator"],
                                         [Tag("visibility", "internal", "curator")])  # fmt: skip
            library.catalog.set_state(gone, "missing")
        yield library, [made_internal, gone]


def test_one_query_keeps_what_a_check_per_hit_keeps(lagging: tuple[Library, list[str]]) -> None:
    library, hidden = lagging
    hits = library.search("", visibilities=frozenset({"public"}), size=50).hits
    assert {h.id for h in hits} >= set(hidden)  # the index still has them as public
    shown = visible_hits(library, ANONYMOUS, hits)
    assert [h.id for h in shown] == [h.id for h in hits if h.id not in hidden]
    assert shown == [h for h in hits if still_visible(library, ANONYMOUS, h.id)]
    assert visible_hits(library, ADMIN, hits) == list(hits)  # admins see every hit
    assert visible_hits(library, ANONYMOUS, ()) == []

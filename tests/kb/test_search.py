"""Search results on a real library: documents once, snippets with pages or headings,
pagination, sorting, lenient queries, a searcher that follows the index, the CLI.

The library is tests/fixtures/search/ (seven small documents with sidecars, one a 3-page
PDF), ingested once per module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchRequest
from indexer.text import fold
from kb.cli import cli
from kb.errors import InvalidQuery
from kb.ingest import IngestOptions, ingest
from kb.library import Library, SearchResults
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write

FIXTURES = Path(__file__).parents[1] / "fixtures" / "search"
OPTIONS = IngestOptions(workers=1)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("search") / "library"
    library = Library.open(root, DEFAULT_VOCABULARY)
    report = ingest(library, [FIXTURES], OPTIONS)
    assert report.failed == () and report.added == 7
    yield library
    library.close()


def names(results: SearchResults) -> list[str]:
    return [Path(h.path).name for h in results.hits if h.path]


def hit_named(results: SearchResults, name: str):  # type: ignore[no-untyped-def]
    (hit,) = [h for h in results.hits if h.path and Path(h.path).name == name]
    return hit


# --- results ---------------------------------------------------------------------------------


def test_a_document_counts_once_however_many_pages_match(lib: Library) -> None:
    # "page" is on each of the PDF's three pages.
    results = lib.search("page", size=50)
    assert names(results).count("rapport-activite.pdf") == 1
    assert results.total == len(results.hits) == len({h.id for h in results.hits})


def test_a_hit_has_title_kind_year_tags_and_score(lib: Library) -> None:
    hit = hit_named(lib.search("SCIC"), "pole-ess-rennes.md")
    assert hit.title == "Étude de faisabilité d'un pôle ESS sur le Pays de Rennes"
    assert hit.year == 2008
    assert hit.tags["kind"] == ("etude",)
    assert hit.tags["family"] == ("cooperatives", "associations")
    assert hit.score > 0


def test_snippets_give_the_page_of_a_pdf(lib: Library) -> None:
    (snippet,) = hit_named(lib.search("fondations"), "rapport-activite.pdf").snippets
    assert snippet.page == 3
    marked = [snippet.text[a:b] for a, b in snippet.highlights]
    assert [fold(m) for m in marked] == ["fondations"]
    (snippet,) = hit_named(lib.search("comité de pilotage"), "rapport-activite.pdf").snippets
    assert snippet.page == 2


def test_snippets_give_the_nearest_heading_without_pages(lib: Library) -> None:
    snippets = hit_named(lib.search("SCIC"), "pole-ess-rennes.md").snippets
    assert snippets and all(s.page is None for s in snippets)
    assert {s.heading for s in snippets} == {"Statut juridique"}


def test_at_most_three_snippets_in_reading_order(lib: Library) -> None:
    snippets = hit_named(lib.search("coopérative"), "pole-ess-rennes.md").snippets
    assert len(snippets) == 3
    order = ["Contexte", "Les attentes des structures", "Gouvernance", "Statut juridique"]
    headings = [s.heading for s in snippets]
    assert headings == sorted(headings, key=order.index)
    for snippet in snippets:
        assert snippet.highlights
        for a, b in snippet.highlights:
            assert fold(snippet.text[a:b]).startswith("cooperative")
    assert len(hit_named(lib.search("coopérative", snippets=1), "pole-ess-rennes.md").snippets) == 1


def test_a_title_only_match_has_no_snippet(lib: Library) -> None:
    # "activité" is in the PDF's title ("Rapport d'activité"), not in its pages.
    assert hit_named(lib.search("activité"), "rapport-activite.pdf").snippets == ()


def test_pages_cover_every_hit_once_in_order(lib: Library) -> None:
    everything = lib.search("économie sociale", size=100)
    assert everything.total >= 5
    paged: list[str] = []
    for page in range(1, everything.total // 2 + 2):
        results = lib.search("économie sociale", page=page, size=2)
        assert results.total == everything.total and results.page == page
        paged += [h.id for h in results.hits]
    assert paged == [h.id for h in everything.hits]
    assert lib.search("économie sociale", page=99, size=2).hits == ()


def test_relevance_order_has_descending_scores(lib: Library) -> None:
    scores = [h.score for h in lib.search("pôle coopérative gouvernance", size=50).hits]
    assert len(scores) >= 3 and scores == sorted(scores, reverse=True)


def test_sort_by_date_is_newest_first_and_undated_last(lib: Library) -> None:
    results = lib.search("économie OR gouvernance OR page", sort="date", size=50)
    years = [h.year for h in results.hits]
    assert years[-1] is None  # sans-date.md
    dated = [y for y in years if y is not None]
    assert dated == sorted(dated, reverse=True) and len(dated) >= 4
    assert names(results)[-1] == "sans-date.md"


def test_an_empty_query_lists_the_library_newest_first(lib: Library) -> None:
    results = lib.search("", size=50)
    assert results.total == 7
    assert [h.year for h in results.hits] == [2012, 2011, 2010, 2009, 2008, 2007, None]
    second = lib.search("", page=2, size=3)
    assert [h.year for h in second.hits] == [2009, 2008, 2007]


def test_an_unknown_sort_is_rejected_with_its_name(lib: Library) -> None:
    with pytest.raises(InvalidQuery, match="titre"):
        lib.search("pôle", sort="titre")


@pytest.mark.parametrize(
    "query",
    [
        '"pôle ESS',  # unbalanced quote
        "OR",  # lone operator
        "économie OR",
        "family:",  # field with no value
        "year:deux-mille",
        "((( pôle",
        ")) pôle",
        "-",
        "pôle " * 1200,  # longer than MAX_QUERY_LENGTH: its beginning searched
        "zzz~9",
        "a*",
        "\x00\x1b pôle",
        "le la les",
    ],
)
def test_malformed_queries_never_raise(lib: Library, query: str) -> None:
    results = lib.search(query, facets=True)
    assert results.total == len(results.hits) or results.total > len(results.hits)
    assert results.warnings  # each liberty taken is reported


def test_the_searcher_is_reused_then_follows_changes(library: Library, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "a.md", "# Note A\n\nLa recyclerie de Lorient emploie vingt salariés.\n")
    ingest(library, [docs], OPTIONS)
    index = library.index
    assert index.searcher() is index.searcher()  # no change: the same searcher
    assert library.search("recyclerie", facets=True).total == 1

    write(docs / "b.md", "# Note B\n\nUne autre recyclerie, à Brest.\n")
    write(docs / "a.md", "# Note A\n\nLa recyclerie de Lorient, nouvelle version.\n")
    ingest(library, [docs], OPTIONS)
    results = library.search("recyclerie", facets=True)
    # Updated, not duplicated: a searcher that missed the delete would count A twice.
    assert results.total == 2
    assert sum(results.facets["kind"].values()) <= 2
    assert library.search("salariés").total == 0
    assert library.search("nouvelle").total == 1

    (docs / "b.md").unlink()
    ingest(library, [docs], OPTIONS)  # b is now missing, hidden from search
    assert library.search("recyclerie", facets=True).total == 1


# --- command line --------------------------------------------------------------------------------


def kb(lib: Library, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--library", str(lib.root), *args])
    return result.exit_code, result.stdout


def test_cli_search_json_has_total_pages_facets_and_suggestion(lib: Library) -> None:
    code, out = kb(lib, "search", "", "--facets", "--sort", "date", "--size", "2",
                   "--page", "2", "--json")  # fmt: skip
    assert code == 0, out
    payload = json.loads(out)
    assert (payload["total"], payload["page"], payload["size"]) == (7, 2, 2)
    assert [h["year"] for h in payload["hits"]] == [2010, 2009]
    assert payload["facets"]["family"]["cooperatives"] == 3
    code, out = kb(lib, "search", "cooperatve", "--json")
    assert json.loads(out)["suggestion"] == "coopérative"
    assert "facets" not in json.loads(out)


def test_cli_search_prints_suggestion_facets_and_pages(lib: Library) -> None:
    code, out = kb(lib, "search", "mutuelle de santee", "--facets", "--size", "1")
    assert code == 0, out
    assert "Did you mean: mutuelle de santé" in out
    assert "page 1 of" in out
    assert "Famille" in out and "Mutuelles (2)" in out
    # Territories as a tree: the département under Bretagne, its pays under it.
    lines = out.splitlines()
    bretagne = next(i for i, line in enumerate(lines) if line.strip() == "Bretagne (2)")
    morbihan = next(i for i, line in enumerate(lines) if line.strip() == "Morbihan (1)")
    assert morbihan > bretagne
    assert len(lines[morbihan]) - len(lines[morbihan].lstrip()) > len(lines[bretagne]) - len(
        lines[bretagne].lstrip()
    )
    code, out = kb(lib, "search", "fondations")
    assert "p. 3: …" in out


def test_cli_rejects_an_unknown_sort(lib: Library) -> None:
    code, _ = kb(lib, "search", "pôle", "--sort", "titre")
    assert code == 2


def test_cli_similar(lib: Library) -> None:
    pole = hit_named(lib.search("SCIC"), "pole-ess-rennes.md")
    code, out = kb(lib, "similar", pole.id[:6], "--json")
    assert code == 0, out
    payload = json.loads(out)
    assert payload["like"] == pole.id
    assert Path(payload["hits"][0]["path"]).name == "pole-ess-rennes-v2.md"
    assert pole.id not in {h["id"] for h in payload["hits"]}
    code, out = kb(lib, "similar", pole.id, "--size", "1")
    assert code == 0 and "version 2" in out
    code, out = kb(lib, "similar", "ffffffffff")
    assert code == 1


def test_a_snippet_stays_on_its_page(tmp_path: Path) -> None:
    # Matches at the end of page 1 and the start of page 2, closer than one snippet's length.
    pages = (
        Section("Introduction générale du rapport. " * 5 + "La coopérative ferme la page.", 1),
        Section("Coopérative et mutuelle ouvrent la page deux. Suite du texte.", 2),
    )
    index = FullTextIndex.create(tmp_path / "index")
    try:
        with index.writer() as writer:
            writer.upsert(IndexDocument("d1", 1, "Rapport", pages, {"visibility": ("public",)}))
        (hit,) = index.search(SearchRequest("coopérative mutuelle")).hits
        for snippet in hit.snippets:
            page_text = pages[(snippet.page or 0) - 1].text
            assert snippet.text in " ".join(page_text.split()), snippet
        assert 2 in {s.page for s in hit.snippets}  # where both words are
    finally:
        index.close()

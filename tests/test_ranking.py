"""The bulk scorer (`indexer.ranking.Ranker`) against Whoosh itself, on a real index.

The index has three segments (commits without merging), deleted documents (replaced and
removed ones), terms in one document and in most: every shape of postings
`indexer.postings` reads from the whoosh3 codec (which inlines no postings by default:
the other matchers' path is checked on Whoosh's `ListMatcher`). For each query class the
search box produces, the Ranker must give Whoosh's match set, total and scores (to the last
bits: additions may come in another order), hence its ranking; and the Whoosh internals the
bulk reader relies on are pinned against Whoosh's public matcher interface.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher

from indexer.expand import expand
from indexer.extract.base import Section
from indexer.index import FullTextIndex, IndexDocument, SearchRequest
from indexer.lru import MemoryBudget
from indexer.postings import PostingCache, _blocks, _list_size
from indexer.ranking import Ranker, page_of, top
from indexer.snippets import squash
from tests.whoosh_oracle import score_all

_TEXT = (
    "économie sociale solidaire coopérative mutuelle association emploi territoire "
    "développement local comité pilotage insertion bénévoles salariés financement "
    "Bretagne Finistère projet réseau étude rapport"
)
WORDS = tuple(_TEXT.split(" "))
RARE = ("zygomatique", "quasiment", "xylophone")  # each in one document only
FAMILIES = ("cooperatives", "associations", "mutuelles")
TERRITORIES = ("finistere", "morbihan", "ille-et-vilaine")
VISIBILITY = ("public", "public", "public", "network", "internal")


def _document(number: int, rng: random.Random, revision: int = 1) -> IndexDocument:
    def text(count: int) -> str:
        words = [rng.choice(WORDS) for _ in range(count)]
        if rng.random() < 0.4:  # the phrases people search, at a random place
            at = rng.randrange(len(words) + 1)
            words[at:at] = rng.choice(
                (["économie", "sociale", "et", "solidaire"], ["comité", "de", "pilotage"])
            )
        return " ".join(words)

    pages = tuple(Section(text(rng.randint(5, 60)) + ".", page) for page in (1, 2))
    if number < len(RARE):
        pages = (Section(pages[0].text + " " + RARE[number], 1), *pages[1:])
    if number == 0:  # both words in one document, never side by side
        pages = (Section("quasiment " + pages[0].text, 1), *pages[1:])
    tags = {
        "family": (rng.choice(FAMILIES),),
        "territory": (rng.choice(TERRITORIES),),
        "visibility": (rng.choice(VISIBILITY),),
    }
    return IndexDocument(
        id=f"d{number:03d}",
        revision=revision,
        title=text(rng.randint(1, 5)),
        sections=pages,
        tags=tags,
        territory_path=tags["territory"],
        authors=("Réseau " + rng.choice(WORDS),) if rng.random() < 0.5 else (),
        summary=text(rng.randint(0, 12)),
        year=rng.choice((2005, 2008, 2012)),
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullTextIndex]:
    rng = random.Random(11)
    ix = FullTextIndex.create(tmp_path_factory.mktemp("ranking") / "index")
    numbers = list(range(150))
    for batch in (numbers[:60], numbers[60:110], numbers[110:]):
        with ix.writer(merge=False) as writer:
            for n in batch:
                writer.upsert(_document(n, rng))
    with ix.writer(merge=False) as writer:  # deletions in the older segments
        for n in range(5, 150, 7):
            writer.upsert(_document(n, rng, revision=2))
        for n in range(3, 150, 11):
            writer.delete(f"d{n:03d}")
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def view(index: FullTextIndex):  # type: ignore[no-untyped-def]
    return index._view()


def test_the_fixture_has_segments_and_deletions(view) -> None:  # type: ignore[no-untyped-def]
    reader = view.searcher.reader()
    leaves = reader.leaf_readers()
    assert len(leaves) >= 3
    assert any(leaf.has_deletions() for leaf, _ in leaves)
    kinds = set()
    for leaf, _ in leaves:
        for word in (b"econom", b"xylophon"):
            if ("content", word) in leaf:
                m = leaf.postings("content", word)
                kinds.add(type(m.child if isinstance(m, FilterMatcher) else m).__name__)
    assert kinds == {"W3LeafMatcher"}  # a single posting is written as a block too


def test_other_matchers_are_read_one_posting_at_a_time() -> None:
    m = ListMatcher([1, 4, 9], weights=[1.0, 3.0, 2.0], values=[b"a", b"b", b"c"])
    assert list(_blocks(m)) == [([1, 4, 9], [1.0, 3.0, 2.0])]
    m = ListMatcher([1, 4, 9], weights=[1.0, 3.0, 2.0], values=[b"a", b"b", b"c"])
    assert list(_blocks(m, values=True)) == [([1, 4, 9], [b"a", b"b", b"c"])]


# --- Whoosh behaviour the bulk reader relies on -----------------------------------------


def _whoosh_postings(reader, field: str, btext: bytes) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
    out = []
    for leaf, base in reader.leaf_readers():
        if (field, btext) not in leaf:
            continue
        m = leaf.postings(field, btext)
        while m.is_active():
            out.append((m.id() + base, m.weight()))
            m.next()
    return out


def test_segment_postings_wrap_the_codec_matcher_when_documents_are_deleted(view) -> None:  # type: ignore[no-untyped-def]
    reader = view.searcher.reader()
    for leaf, _ in reader.leaf_readers():
        m = leaf.postings("content", b"econom")
        raw = leaf._terms.matcher("content", b"econom", leaf.schema["content"].format)
        assert type(raw) is W3LeafMatcher  # what indexer.postings reads directly
        if leaf.has_deletions():
            assert isinstance(m, FilterMatcher) and isinstance(m.child, W3LeafMatcher)
            assert leaf.deleted_docs_set
        else:
            assert type(m) is W3LeafMatcher


def test_bulk_postings_equal_the_matchers_for_every_term(view) -> None:  # type: ignore[no-untyped-def]
    reader = view.searcher.reader()
    cache = PostingCache(view.searcher)
    checked = 0
    for field in ("title", "summary", "authors", "content", "family", "visibility"):
        for btext in set(reader.lexicon(field)):
            expected = _whoosh_postings(reader, field, btext)
            got = cache.postings(field, btext)
            assert list(zip(got.ids, got.weights, strict=True)) == expected, (field, btext)
            assert cache.docs(field, btext) == {d for d, _ in expected}
            checked += 1
    assert checked > 50
    assert len(cache.postings("content", b"absent").ids) == 0
    assert len(cache.postings("nofield", b"x").ids) == 0
    ranker = Ranker(cache, view.tags.all_docs)
    assert ranker.scores(wq.Term("nofield", "x"), None) == {}  # as Whoosh: no match
    assert ranker.docs(wq.Term("nofield", "x")) == frozenset()


def test_the_cache_keeps_to_its_budget_and_drops_the_least_recent_terms(view) -> None:  # type: ignore[no-untyped-def]
    reader = view.searcher.reader()
    budget = MemoryBudget(8_000)
    cache = PostingCache(view.searcher, budget)
    terms = sorted(set(reader.lexicon("content")))
    for btext in terms:
        cache.term_scores("content", btext, 1.0, None)
        cache.term_scores("content", btext, 2.0, None)
        held = [cache._terms.peek(k) for k in list(cache._terms._items)]
        norms = [cache._norms.peek(k) for k in list(cache._norms._items)]
        assert budget.held == sum(p.nbytes() for p in held if p) + sum(
            _list_size(n) for n in norms if n)
        assert budget.held <= 8_000
    assert ("content", terms[-1]) in cache._terms and ("content", terms[0]) not in cache._terms
    again = cache.term_scores("content", terms[0], 2.0, None)  # read again: same scores
    assert again == PostingCache(view.searcher).term_scores("content", terms[0], 2.0, None)
    cache.close()
    assert budget.held == 0 and len(budget) == 0


def test_positions_and_characters_equal_the_matchers_values(view) -> None:  # type: ignore[no-untyped-def]
    reader = view.searcher.reader()
    cache = PostingCache(view.searcher)
    every = sorted(reader.all_doc_ids())
    some = set(every[::3])
    for field, btext in (("content", b"econom"), ("content", b"zygomat"), ("title", b"comit")):
        fmt = reader.schema[field].format
        expected: dict[int, bytes] = {}
        for leaf, base in reader.leaf_readers():
            if (field, btext) in leaf:
                m = leaf.postings(field, btext)
                while m.is_active():
                    expected[m.id() + base] = m.value()
                    m.next()
        for _ in range(2):  # the second time from the cache of decoded blocks
            got = cache.positions(field, btext, some)
            assert got == {d: fmt.decode_positions(v) for d, v in expected.items() if d in some}
            if field == "content":
                chars = cache.characters(field, btext, some)
                assert chars == {
                    d: fmt.decode_characters(v) for d, v in expected.items() if d in some
                }
    assert cache._blocks._items  # blocks were kept


# --- scores and match sets ---------------------------------------------------------------


QUERIES = (
    "économie",
    "comité pilotage",
    "économie sociale solidaire emploi",
    '"économie sociale et solidaire"',
    '"comité de pilotage" Bretagne',
    '"pilotage comité"',  # words present, never in that order
    "+insertion emploi",
    "emploi -financement",
    "emploi NOT (réseau étude)",
    "emploi OR mutuelle",
    "emploi AND mutuelle",
    "mutuelle family:cooperatives",
    "territory:finistere",
    "year:2005..2008 emploi",
    "coopérat*",
    "solidair~",
    "title:rapport",
    "zygomatique",
    "quasiment OR xylophone",
    '"quasiment zygomatique"',
    '"zygomatique quasiment"',
    "-emploi",
    "emploi OR -mutuelle",
    "absentissime",
    "le la les",
    "",
)


def _parse(index: FullTextIndex, text: str) -> wq.Query:
    return index._parse(text, None, None).query


def _scopes(view) -> list[frozenset[int] | None]:  # type: ignore[no-untyped-def]
    every = view.tags.all_docs
    return [None, view.tags.docs("visibility", ["public"]), frozenset(sorted(every)[:7])]


def _assert_same(expected: dict[int, float], got: dict[int, float]) -> None:
    assert set(got) == set(expected)
    for d, s in expected.items():
        assert got[d] == pytest.approx(s, rel=1e-12, abs=1e-12), d


@pytest.mark.parametrize("text", QUERIES)
def test_scores_and_match_sets_equal_whooshs(index: FullTextIndex, view, text: str) -> None:  # type: ignore[no-untyped-def]
    query = _parse(index, text)
    ranker = Ranker(PostingCache(view.searcher), view.tags.all_docs)
    for scope in _scopes(view):
        expected = score_all(view.searcher, query, scope, view.tags.all_docs)
        got = ranker.scores(query, scope)
        _assert_same(expected, got)
        if query is not wq.NullQuery:
            docs = frozenset(view.searcher.docs_for_query(query))
            assert ranker.docs(query, scope) == (docs if scope is None else docs & scope)
        # The page: Whoosh's order (ties in index order), scores equal or near-equal.
        allowed = frozenset(got)
        if not isinstance(query, wq.Every):
            mine = page_of(got, allowed, 0, len(allowed))
            theirs = list(expected)
            for a, b in zip(mine, theirs, strict=True):
                assert a == b or abs(got[a] - expected[b]) < 1e-9


def test_a_non_empty_set_of_queries_really_matches(index: FullTextIndex, view) -> None:  # type: ignore[no-untyped-def]
    ranker = Ranker(PostingCache(view.searcher), view.tags.all_docs)
    phrase = ranker.scores(_parse(index, '"économie sociale et solidaire"'), None)
    assert 10 < len(phrase) < len(view.tags.all_docs)
    assert ranker.docs(_parse(index, '"comité de pilotage"')) < ranker.docs(
        _parse(index, "comité AND pilotage")
    )
    assert len(ranker.docs(_parse(index, "quasiment AND zygomatique"))) == 1
    assert ranker.scores(_parse(index, '"quasiment zygomatique"'), None) == {}


def test_tags_named_in_the_query_score_as_whoosh_scores_them(index: FullTextIndex, view) -> None:  # type: ignore[no-untyped-def]
    ranker = Ranker(PostingCache(view.searcher), view.tags.all_docs)

    def names(phrase: str) -> list[tuple[str, str]]:
        return [("family", "mutuelles")] if phrase.lower() == "mutuelle" else []

    for text in ("mutuelle emploi", "emploi AND mutuelle", "+emploi mutuelle -réseau"):
        parsed = index._parse(text, None, None)
        query = expand(parsed.query, parsed.runs, names, view.tags, None)
        assert "family" in str(query)
        _assert_same(
            score_all(view.searcher, query, None, view.tags.all_docs), ranker.scores(query, None)
        )


def test_boosted_compounds_score_as_whoosh_scores_them(view) -> None:  # type: ignore[no-untyped-def]
    ranker = Ranker(PostingCache(view.searcher), view.tags.all_docs)
    terms = [wq.Term("content", "emploi"), wq.Term("title", "rapport", boost=3.0)]
    for query in (
        wq.Or(terms, boost=2.5),
        wq.And(terms, boost=0.5),
        wq.Or([wq.Term("content", "emploi")], boost=7.0),  # Whoosh drops a lone child's boost
        wq.AndMaybe(wq.Term("content", "emploi"), wq.Term("family", "mutuelles")),
        wq.Phrase("content", ["comit", "pilotag"], boost=2.0),
        wq.Phrase("content", ["comit", "pilotag"], slop=3),
        wq.Every(),
    ):
        _assert_same(
            score_all(view.searcher, query, None, view.tags.all_docs), ranker.scores(query, None)
        )


# --- the search path ---------------------------------------------------------------------


def test_search_results_follow_a_new_index_generation(tmp_path: Path) -> None:
    rng = random.Random(5)
    ix = FullTextIndex.create(tmp_path / "index")
    try:
        with ix.writer() as writer:
            for n in range(20):
                writer.upsert(_document(n, rng))
        first = ix.search(SearchRequest('"économie sociale et solidaire"', size=50))
        ranker = ix._view().ranker
        assert ix._view().ranker is ranker  # kept while the index does not change
        with ix.writer() as writer:
            writer.upsert(
                IndexDocument(
                    "new", 1, "Économie sociale et solidaire", (Section("zébrure", 1),), {}
                )
            )
            writer.delete(first.hits[0].id)
        second = ix.search(SearchRequest('"économie sociale et solidaire"', size=50))
        assert ix._view().ranker is not ranker
        ids = {h.id for h in second.hits}
        assert "new" in ids and first.hits[0].id not in ids
        assert second.total == first.total  # one in, one out
        assert ix.search(SearchRequest("zébrure")).total == 1
    finally:
        ix.close()


def test_search_totals_and_facets_equal_whooshs_match_sets(index: FullTextIndex, view) -> None:  # type: ignore[no-untyped-def]
    for text in ("emploi mutuelle", '"comité de pilotage"', "coopérat*"):
        request = SearchRequest(
            text, filters={"family": ("cooperatives",)}, visibilities=frozenset({"public"}),
            facets=True,
        )  # fmt: skip
        page = index.search(request)
        visible = view.tags.docs("visibility", ["public"])
        matched = frozenset(view.searcher.docs_for_query(_parse(index, text))) & visible
        assert page.total == len(matched & view.tags.docs("family", ["cooperatives"]))
        assert sum(page.facets["family"].values()) == len(matched)


# --- snippets' whitespace ----------------------------------------------------------------


def _squash_reference(text: str, marks: tuple[tuple[int, int], ...]):  # type: ignore[no-untyped-def]
    out: list[str] = []
    mapping: list[int] = []
    previous_space = False
    for ch in text:
        mapping.append(len(out))
        if ch.isspace():
            if not previous_space and out:
                out.append(" ")
            previous_space = True
        else:
            out.append(ch)
            previous_space = False
    mapping.append(len(out))
    squashed = "".join(out).rstrip()
    return squashed, tuple((mapping[s], min(mapping[e], len(squashed))) for s, e in marks)


def test_squash_equals_the_character_by_character_definition() -> None:
    rng = random.Random(3)
    alphabet = ["a", "é", " ", "\n", "\t", "\u00a0", "\u2028", "\x1c"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        marks = tuple(
            tuple(sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))) for _ in range(3)
        )
        assert squash(text, marks) == _squash_reference(text, marks), (text, marks)  # type: ignore[arg-type]


def test_top_keeps_the_best_with_ties_in_index_order() -> None:
    rng = random.Random(8)
    for _ in range(300):
        scores = {d: float(rng.randint(0, 6)) for d in rng.sample(range(500), rng.randint(0, 80))}
        allowed = frozenset(d for d in scores if rng.random() < 0.8)
        count = rng.randint(0, 30)
        expected = sorted(allowed, key=lambda d: (-scores[d], d))[:count]
        assert top(scores, allowed, count) == expected


def test_kept_word_scores_give_the_same_scores_and_survive_changes_by_callers(
    index: FullTextIndex, view, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    # Every word's scores kept (the fixture's words are in fewer documents than the floor).
    monkeypatch.setattr("indexer.ranking.MIN_CACHED_WORD_DOCS", 1)
    kept = Ranker(PostingCache(view.searcher), view.tags.all_docs)
    for text in QUERIES:
        query = _parse(index, text)
        for scope in _scopes(view):
            expected = score_all(view.searcher, query, scope, view.tags.all_docs)
            for _ in range(3):  # computed, then kept, then kept after a caller's changes
                got = kept.scores(query, scope)
                _assert_same(expected, got)
                if got:  # a caller changes its answer in place (as proximity does)
                    kept.rescore(query, got, frozenset(got), text)
                    for d in got:
                        got[d] = -1.0
    assert kept._words, "no word's scores were kept"


def test_kept_word_scores_keep_to_the_memory_budget(
    index: FullTextIndex, view, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr("indexer.ranking.MIN_CACHED_WORD_DOCS", 1)
    budget = MemoryBudget(20_000)  # postings and kept words together
    kept = Ranker(PostingCache(view.searcher, budget), view.tags.all_docs)
    most = 0
    for text in QUERIES:
        query = _parse(index, text)
        _assert_same(score_all(view.searcher, query, None, view.tags.all_docs),
                     kept.scores(query, None))  # fmt: skip
        assert budget.held <= budget.max_bytes
        most = max(most, len(kept._words))
    assert most > 0, "no word's scores were kept"

"""One memory budget for a search process's caches: kept to, shared, and never changing
an answer; set by `kb serve --cache-mb` or KB_CACHE_MB."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.app import create_app
from indexer.index import DEFAULT_CACHE_MB
from indexer.lru import MB, LruCache, MemoryBudget, deep_size, docset_size
from indexer.postings import block_size
from kb.cli import cli
from kb.cli.admin import _environment
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from tests.conftest import write

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns on import.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

_TEXT = (
    "économie sociale solidaire coopérative mutuelle association emploi territoire "
    "développement local comité pilotage insertion bénévoles salariés financement Bretagne "
    "Finistère Morbihan projet réseau étude rapport diagnostic mission gouvernance SCIC "
    "capitalisation diffusion représentation amélioration structures accompagnement"
)
WORDS = tuple(_TEXT.split(" "))
QUERIES = (
    "économie", "coopérative emploi", '"économie sociale"', "comité pilotage financement",
    "développement local", "diagnostic", "scic gouvernance", "structures~", "réseau étude",
    '"comité de pilotage"', "bretagne -morbihan", "mutuelle OU association",
)


# --- the budget alone ---------------------------------------------------------------


def test_caches_sharing_a_budget_drop_the_least_recent_entry_of_any_of_them() -> None:
    budget = MemoryBudget(100)
    a: LruCache[str, str] = LruCache(budget=budget, sizeof=len)
    b: LruCache[str, str] = LruCache(budget=budget, sizeof=len)
    a.put("x", "x" * 40)
    b.put("y", "y" * 40)
    assert a.get("x")  # now x is more recent than y
    b.put("z", "z" * 40)  # 120 > 100: y goes, though x is in another cache
    assert "y" not in b and "x" in a and "z" in b and budget.held == 80
    a.put("big", "b" * 101)  # more than the whole budget: not kept, nothing dropped
    assert "big" not in a and budget.held == 80
    a.close()
    assert budget.held == 40 and len(budget) == 1
    a.put("x", "x")  # a closed cache keeps nothing
    assert "x" not in a and budget.held == 40


def test_a_count_limit_still_holds_and_without_a_budget_it_is_the_only_one() -> None:
    budget = MemoryBudget(MB)
    counted: LruCache[int, str] = LruCache(2, budget=budget, sizeof=len)
    plain: LruCache[int, str] = LruCache(2)
    for n in range(5):
        counted.put(n, "v" * 10)
        plain.put(n, "v" * 10)
    assert list(counted._items) == list(plain._items) == [3, 4]
    assert budget.held == 20
    nothing: LruCache[int, str] = LruCache(0)  # what the benchmark uses to disable a cache
    nothing.put(1, "a")
    assert nothing.get(1) is None


def test_sizes_count_what_values_hold() -> None:
    docs = frozenset(range(1000, 2000))
    assert docset_size(docs) > 1000 * 32
    nested = {"a": ["x" * 1000, ("y" * 500,)]}
    assert deep_size(nested) > 1500
    shared = "z" * 1000
    assert deep_size([shared, shared]) < 2000  # reached twice, counted once


# --- a real library -----------------------------------------------------------------


@pytest.fixture(scope="module")
def library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("budget")
    rng = random.Random(15)
    for n in range(60):
        pages = "\f".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 200))) + "."
            for _ in range(3)
        )
        phrase = " économie sociale et solidaire, comité de pilotage" if n % 3 == 0 else ""
        write(root / "docs" / f"note-{n:02}.txt", f"Note {n}{phrase}\n\n{pages}\n")
    with Library.open(root / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [root / "docs"], IngestOptions(workers=1))
    return root / "library"


def _answers(library: Library) -> list[tuple[object, ...]]:
    """Every query twice (the second time from what the caches kept, if anything),
    with facets, snippets, each sort: what the caller sees."""
    out = []
    for _ in range(2):
        for text in QUERIES:
            for sort in ("relevance", "date", "title"):
                found = library.search(text, facets=True, snippets=2, sort=sort,
                                       visibilities=frozenset({"public"}))  # fmt: skip
                out.append((text, sort, found.total, found.facets, found.suggestion,
                            [(h.id, h.score, h.snippets) for h in found.hits]))  # fmt: skip
                budget = library.budget
                assert budget.held <= budget.max_bytes
    return out


def test_a_small_budget_keeps_to_it_and_answers_the_same(library_path: Path) -> None:
    with Library.open(library_path, DEFAULT_VOCABULARY, cache_mb=1024) as big:
        expected = _answers(big)
        roomy = big.budget.held
    small_mb = roomy / 20 / MB  # a twentieth of what the searches kept with room to spare
    with Library.open(library_path, DEFAULT_VOCABULARY, cache_mb=small_mb) as small:
        assert small.budget.max_bytes < roomy
        got = _answers(small)
        # Still caching (the most recent entries: answers, postings...), within the budget.
        assert small.budget.max_bytes / 2 < small.budget.held <= small.budget.max_bytes
    assert got == expected
    assert any(total for _, _, total, *_ in expected)


def test_a_new_generation_gives_its_caches_back(library_path: Path, tmp_path: Path) -> None:
    with Library.open(library_path, DEFAULT_VOCABULARY, cache_mb=64) as library:
        _answers(library)
        before = library.index._view()
        held = library.budget.held
        assert len(before.ranker.cache._terms) > 0
        index = library.index
        with index.writer() as writer:
            writer.delete("no-such-document")  # a commit: a new generation
        library.search("économie", facets=True)
        assert library.index._view() is not before
        old = before.ranker.cache
        caches = (old._terms, old._norms, old._blocks, before.tags._fields, before._titles)
        assert held and all(len(c) == 0 for c in caches)
        assert not [k for k in library.budget._order if any(k[0] is c for c in caches)]


def test_the_default_budget_and_the_setting(library_path: Path) -> None:
    assert Settings().cache_mb == DEFAULT_CACHE_MB == 512
    with Library.open(library_path, DEFAULT_VOCABULARY) as library:
        assert library.budget.max_bytes == DEFAULT_CACHE_MB * MB
        assert library.index.budget is library.budget  # one budget: index and answers
    assert Settings.from_env({"KB_CACHE_MB": "48"}).cache_mb == 48
    assert Settings.from_env({"KB_CACHE_MB": "48"}, cache_mb=12).cache_mb == 12
    with pytest.raises(ValueError, match="KB_CACHE_MB"):
        Settings.from_env({"KB_CACHE_MB": "lots"})
    # `kb serve --processes N` hands the setting to its processes through the environment.
    assert _environment(Settings(cache_mb=32))["KB_CACHE_MB"] == "32"


def test_the_api_takes_its_budget_from_the_settings(library_path: Path) -> None:
    app = create_app(Settings(library=library_path, cache_mb=8))
    with TestClient(app) as client:
        assert client.get("/search", params={"q": "économie", "facets": "true"}).status_code == 200
        with app.state.gate.use() as library:
            assert library.budget.max_bytes == 8 * MB
            assert 0 < library.budget.held <= 8 * MB


def test_kb_refuses_a_bad_setting_in_one_line(library_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--library", str(library_path), "stats"],
                           env={"KB_CACHE_MB": "0"})  # fmt: skip
    assert result.exit_code == 1 and "KB_CACHE_MB" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    result = runner.invoke(cli, ["serve", "--cache-mb", "0"])
    assert result.exit_code == 2 and "--cache-mb" in result.output


def test_decoded_blocks_are_counted_as_deep_size_counts_them(library_path: Path) -> None:
    """`block_size` (C speed) against `deep_size` (an object at a time) on the blocks of
    values that real searches cached: within a tenth of each other."""
    with Library.open(library_path, DEFAULT_VOCABULARY, cache_mb=64) as library:
        _answers(library)
        blocks = list(library.index._view().ranker.cache._blocks._items.values())
    assert blocks
    for block in blocks:
        exact = deep_size(block)
        assert abs(block_size(block) - exact) <= exact / 10, (block_size(block), exact)

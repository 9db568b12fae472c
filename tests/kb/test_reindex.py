"""`kb reindex` on every core: the same index, hence the same searches, as in one process."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.catalog import DocumentRow
from kb.cli import cli
from kb.ingest import IngestOptions, ingest
from kb.library import Library
from kb.reindex import PARALLEL_FROM, in_order
from kb.settings import DEFAULT_VOCABULARY
from kb.workers import Failed
from tests.conftest import write
from tests.generated_docs import QUERIES, WORDS

pytestmark = pytest.mark.slow  # reindexes in worker processes

FILTERS: tuple[dict[str, tuple[str, ...]], ...] = ({}, {"territory": ("Finistère",)})


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reindex")
    rng = random.Random(3)
    for n in range(PARALLEL_FROM + 8):
        pages = "\f".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 150))) + "."
            for _ in range(2)
        )
        where = rng.choice(("Brest, Finistère", "Vannes, Morbihan", "Rennes"))
        write(root / "docs" / f"etude-{n:02}.txt", f"Étude {n} à {where}\n\n{pages}\n")
    with Library.open(root / "library", DEFAULT_VOCABULARY) as library:
        ingest(library, [root / "docs"], IngestOptions(workers=1))
    return root / "library"


def _searches(library: Library) -> list[tuple[object, ...]]:
    out = []
    for text in QUERIES:
        for filters in FILTERS:
            found = library.search(text, filters, facets=True, snippets=2, size=20)
            out.append((text, found.total, found.facets, found.suggestion,
                        [(h.id, h.score, h.snippets) for h in found.hits]))  # fmt: skip
    return out


def test_the_parallel_reindex_gives_the_same_searches(root: Path) -> None:
    with Library.open(root, DEFAULT_VOCABULARY) as library:
        steps: list[str] = []
        assert library.reindex(lambda d, t, item: steps.append(item), workers=1) == 40
        assert "(writing the index)" not in steps  # one process, as before
        one_process = _searches(library)
        segments = library.index.segments()
        steps.clear()
        assert library.reindex(lambda d, t, item: steps.append(item), workers=2) == 40
        assert steps[-1] == "(writing the index)"  # the pool's path
        assert library.index.segments() == segments
        assert library.index_lag() == 0
        assert _searches(library) == one_process
    assert any(total for _, total, *_ in one_process)


def test_kb_reindex_takes_workers(root: Path) -> None:
    result = CliRunner().invoke(cli, ["--library", str(root), "reindex", "--workers", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert "reindexed 40 documents (" in result.output


def _row(doc_id: str) -> DocumentRow:
    return DocumentRow(**{name: None for name in DocumentRow.__dataclass_fields__} | {"id": doc_id})


def test_results_come_back_in_the_catalog_order() -> None:
    docs = [_row(f"d{n}") for n in range(6)]
    finished = [(docs[n], f"analysed {n}") for n in (1, 0, 3, 2, 5)]
    finished.append((docs[4], Failed(docs[4], "took too long")))
    got = list(in_order(docs, iter(finished)))  # type: ignore[arg-type]
    assert got == ["analysed 0", "analysed 1", "analysed 2", "analysed 3", docs[4], "analysed 5"]


def test_one_lagging_far_behind_does_not_hold_the_others_back() -> None:
    docs = [_row(f"d{n}") for n in range(6)]
    finished = [(docs[n], f"analysed {n}") for n in (1, 2, 3, 4, 0, 5)]
    got = list(in_order(docs, iter(finished), limit=2))  # type: ignore[arg-type]
    assert got == ["analysed 1", "analysed 2", "analysed 3", "analysed 4", "analysed 0",
                   "analysed 5"]  # fmt: skip

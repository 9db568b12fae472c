"""The relevance benchmark: its metrics and its file (the run itself is
`scripts/relevance.py --check`, in `make test`)."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relevance", ROOT / "scripts" / "relevance.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["relevance"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


relevance = _load_script()


def test_ndcg_is_one_for_the_ideal_order_and_drops_otherwise() -> None:
    judged = {"a": 2, "b": 1}
    assert relevance.ndcg_at(["a", "b", "x"], judged) == pytest.approx(1.0)
    swapped = relevance.ndcg_at(["b", "a"], judged)
    late = relevance.ndcg_at(["x", "y", "a", "b"], judged)
    assert 0 < late < swapped < 1
    assert relevance.ndcg_at(["x", "y"], judged) == 0.0
    # gains 2^grade - 1 with a log2(rank + 1) discount
    expected = (1 / math.log2(2) + 3 / math.log2(3)) / (3 / math.log2(2) + 1 / math.log2(3))
    assert swapped == pytest.approx(expected)


def test_ndcg_stops_at_ten() -> None:
    judged = {"a": 2}
    assert relevance.ndcg_at([*"bcdefghijk", "a"], judged) == 0.0
    assert relevance.ndcg_at([*"bcdefghij", "a"], judged) > 0.0


def test_reciprocal_rank() -> None:
    assert relevance.reciprocal_rank(["x", "a"], {"a": 1}) == 0.5
    assert relevance.reciprocal_rank(["a"], {"a": 2}) == 1.0
    assert relevance.reciprocal_rank(["x"], {"a": 2}) == 0.0


def test_the_benchmark_covers_what_researchers_type() -> None:
    queries, floor = relevance.load()
    assert len(queries) >= 40
    assert len({(q.text, tuple(q.filters.items())) for q in queries}) == len(queries)
    categories = {q.category for q in queries}
    required = {"accents", "no accents", "singular/plural", "synonym", "typo", "phrase",
                "tag filter"}  # fmt: skip
    assert required <= categories
    assert any(q.text.startswith('"') for q in queries if q.category == "phrase")
    assert all(q.filters for q in queries if q.category == "tag filter")
    assert 0 < floor["ndcg_at_10"] <= 1 and 0 < floor["mrr"] <= 1


def test_every_judged_document_is_in_the_sample_library() -> None:
    queries, _ = relevance.load()
    corpus = {p.name for p in (ROOT / "corpus").iterdir()}
    for query in queries:
        assert set(query.relevant) <= corpus, query.text
        assert any(grade == 2 for grade in query.relevant.values()), query.text


def test_a_bad_judgment_is_reported_with_its_query(tmp_path: Path) -> None:
    bad = tmp_path / "queries.toml"
    bad.write_text('[[query]]\ntext = "pôle"\nrelevant = { "a.pdf" = 3 }\n', encoding="utf-8")
    with pytest.raises(ValueError, match="pôle"):
        relevance.load(bad)

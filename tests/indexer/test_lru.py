"""One memory budget for a search process's caches (`indexer.lru`: the library's answers,
the index's small per-commit tables): kept to and shared; set by `kb serve --cache-mb` or
KB_CACHE_MB."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.index import DEFAULT_CACHE_MB
from indexer.lru import MB, LruCache, MemoryBudget, deep_size, docset_size
from kb.cli import cli
from kb.cli.admin import _environment
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings

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


# --- the setting ----------------------------------------------------------------------


def test_the_default_budget_and_the_setting(tmp_path: Path) -> None:
    assert Settings().cache_mb == DEFAULT_CACHE_MB
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY) as library:
        assert library.budget.max_bytes == DEFAULT_CACHE_MB * MB
    with Library.open(tmp_path / "library", DEFAULT_VOCABULARY, cache_mb=3) as library:
        assert library.budget.max_bytes == 3 * MB
    assert Settings.from_env({"KB_CACHE_MB": "48"}).cache_mb == 48
    assert Settings.from_env({"KB_CACHE_MB": "48"}, cache_mb=12).cache_mb == 12
    with pytest.raises(ValueError, match="KB_CACHE_MB"):
        Settings.from_env({"KB_CACHE_MB": "lots"})
    # `kb serve --processes N` hands the setting to its processes through the environment.
    assert _environment(Settings(cache_mb=32))["KB_CACHE_MB"] == "32"


def test_kb_refuses_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--library", str(tmp_path / "library"), "stats"],
                           env={"KB_CACHE_MB": "0"})  # fmt: skip
    assert result.exit_code == 1 and "KB_CACHE_MB" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    result = runner.invoke(cli, ["serve", "--cache-mb", "0"])
    assert result.exit_code == 2 and "--cache-mb" in result.output

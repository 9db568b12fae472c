"""The tests mirror the code: the test module of a source module is found by its path.

`indexer/snippets.py` is tested in `tests/indexer/test_snippets.py`, `kb/ingest/plan.py` in
`tests/kb/ingest/test_plan.py`, a package's `__init__.py` in `test_<package>.py` of the
package's folder (`tests/indexer/repair/test_repair.py`), the pages of `api/web/` in
`tests/web/`. Tests of several modules at once keep a name of their own in the folder of
the code they exercise; tests of the whole system are in `tests/e2e/`.

Every source module with logic (a function or a method) should have its test module.
UNTESTED lists those that had none when the tests were moved (issue 28): the list may only
shrink, so a new module comes with its test module, and one that gets its own is struck off.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kb.settings import PROJECT_ROOT

TESTS = PROJECT_ROOT / "tests"
UNTESTED = TESTS / "untested_modules.txt"
PACKAGES = ("indexer", "kb", "api")


def has_logic(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
               for node in ast.walk(tree))


def mirror_of(source: Path) -> Path:
    """tests/<folder mirroring the source's>/test_<module>.py; api/web/ is tests/web/."""
    parts = list(source.relative_to(PROJECT_ROOT).parts)
    if parts[-1] == "__init__.py":
        name = parts[-2]
        parts = parts[:-1]
    else:
        name = parts[-1].removesuffix(".py")
        parts = parts[:-1]
    if parts[:2] == ["api", "web"]:
        parts = parts[1:]
    return TESTS.joinpath(*parts, f"test_{name}.py")


def modules_without_test() -> set[str]:
    return {
        source.relative_to(PROJECT_ROOT).as_posix()
        for package in PACKAGES
        for source in (PROJECT_ROOT / package).rglob("*.py")
        if has_logic(source) and not mirror_of(source).exists()
    }


def listed_untested() -> set[str]:
    lines = UNTESTED.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_the_test_module_of_a_source_module_is_named_for_it() -> None:
    assert mirror_of(PROJECT_ROOT / "indexer" / "snippets.py") \
        == TESTS / "indexer" / "test_snippets.py"
    assert mirror_of(PROJECT_ROOT / "indexer" / "repair" / "__init__.py") \
        == TESTS / "indexer" / "repair" / "test_repair.py"
    assert mirror_of(PROJECT_ROOT / "api" / "web" / "evidence_text.py") \
        == TESTS / "web" / "test_evidence_text.py"
    assert mirror_of(PROJECT_ROOT / "api" / "routes" / "search.py") \
        == TESTS / "api" / "routes" / "test_search.py"


def test_no_new_module_with_logic_lacks_its_test_module() -> None:
    new = sorted(modules_without_test() - listed_untested())
    where = [f"  {m}: {mirror_of(PROJECT_ROOT / m).relative_to(PROJECT_ROOT)}" for m in new]
    assert not new, "source modules with logic and no test module named for them:\n" \
        + "\n".join(where)


def test_the_list_of_untested_modules_only_shrinks() -> None:
    done = sorted(listed_untested() - modules_without_test())
    assert not done, (
        f"{UNTESTED.name} lists modules that now have their test module, or are gone: "
        "strike them off:\n" + "\n".join(f"  {m}" for m in done))

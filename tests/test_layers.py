"""The layers import downwards only: `indexer` (the ground floor) imports nothing from `kb` or
`api`, and `kb` nothing from `api` but in the CLI. Checked on the source's import statements."""

from __future__ import annotations

import ast
from pathlib import Path

from indexer import errors as indexer_errors
from indexer import fields
from kb import errors as kb_errors
from kb.settings import PROJECT_ROOT


def imports(path: Path, root: Path = PROJECT_ROOT) -> set[str]:
    """The modules `path` imports, absolute (relative imports are resolved to their package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                if node.module:
                    found.add(f"{base}.{node.module}")
                else:  # `from .. import fields`
                    found.update(f"{base}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module or "")
    return found


def upward(layer: str, above: tuple[str, ...], root: Path = PROJECT_ROOT) -> dict[str, set[str]]:
    """Module of `layer` -> what it imports from the layers `above`."""
    out: dict[str, set[str]] = {}
    for path in sorted((root / layer).rglob("*.py")):
        name = path.relative_to(root).as_posix()
        bad = {m for m in imports(path, root) if m.split(".")[0] in above}
        if bad:
            out[name] = bad
    return out


def test_indexer_imports_nothing_from_kb_or_api() -> None:
    assert upward("indexer", ("kb", "api")) == {}


def test_kb_imports_nothing_from_api_but_its_cli() -> None:
    """The CLI is an entry point: `kb serve` starts the API."""
    assert {m for m in upward("kb", ("api",)) if not m.startswith("kb/cli/")} == set()


def test_kb_ground_floor_imports_no_feature() -> None:
    """`Actor` and the audit trail live on kb's ground floor (`kb.actors`, `kb.audit`):
    ingest, sync and the library import them from there, never from a feature such as
    curation, so kb's arrows run down only (`__main__` is the command's entry point)."""
    ground = [p for p in sorted((PROJECT_ROOT / "kb").glob("*.py")) if p.name != "__main__.py"]
    assert ground, "kb's top-level modules"
    features = ("kb.curation", "kb.oai", "kb.cli")
    upwards = {p.name: {m for m in imports(p) if m.startswith(features)} for p in ground}
    assert {name: found for name, found in upwards.items() if found} == {}


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "indexer" / "extract" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text("import api.app\nfrom kb.errors import KbError\nfrom .. import fields\n"
                      "from .base import Section\n", encoding="utf-8")
    assert upward("indexer", ("kb", "api"), tmp_path) == {
        "indexer/extract/probe.py": {"api.app", "kb.errors"}}
    assert imports(module, tmp_path) >= {"indexer.fields", "indexer.extract.base"}


def test_kb_errors_are_the_indexer_errors() -> None:
    """One hierarchy: what the index raises is what the API maps to HTTP statuses."""
    assert kb_errors.InvalidQuery is indexer_errors.InvalidQuery
    assert issubclass(kb_errors.InvalidTag, indexer_errors.KbError)


def test_one_table_of_tag_fields() -> None:
    from api.routes import search
    from indexer import schema
    from kb import vocabulary

    assert vocabulary.CONTROLLED_FIELDS is fields.TAG_FIELDS
    assert set(schema.QUERY_FIELD_KINDS) >= {*fields.TAG_FIELDS, fields.TERRITORY_PATH}
    assert schema.FACET_FIELDS["territory"] == fields.TERRITORY_PATH
    assert search.FILTER_FIELDS is fields.FILTER_FIELDS
    assert all(fields.tag_field(fields.index_field(n)) == n for n in fields.TAG_FIELDS)

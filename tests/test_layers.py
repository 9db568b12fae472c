"""The layers import downwards only: `indexer` (the ground floor) imports nothing from `kb` or
`api`, and `kb` nothing from `api` but in the CLI. Checked on the source's import statements.

And the catalog's SQL lives in its repositories (`kb/catalog/`): no other module of `kb` or
`api` holds an SQL string or reaches for a catalog's connection (`.db`). Checked on the
source's string literals."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
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


# The modules that may hold SQL for the catalog, and why. `indexer/words.py` keeps the
# index's own word list in SQLite: it is the engine's file, not the catalog, and the
# indexer is not checked here.
SQL_OWNERS = {
    "kb/catalog/__init__.py": "the connection, its transactions, the schema's creation",
    "kb/catalog/schema.py": "the tables",
    "kb/catalog/documents.py": "documents, paths, sections",
    "kb/catalog/tags.py": "tags, tag_evidence, tag_suggestions",
    "kb/catalog/reports.py": "reads of documents, paths, tags for reports and hits",
    "kb/catalog/runs.py": "runs",
    "kb/catalog/failures.py": "failures",
    "kb/catalog/collections.py": "collections, collection_entries",
    "kb/catalog/submissions.py": "submissions",
    "kb/catalog/tokens.py": "tokens, web_sessions",
    "kb/catalog/audit.py": "audit",
    "kb/catalog/oai.py": "oai_records",
    "kb/migrations.py": "the schema's upgrade steps",
    "kb/backup.py": "the copy of the catalog (SQLite's backup API) and its check",
    "kb/readonly.py": "opening the catalog read-only",
}

# A statement, not an English sentence that starts with the same word ("Delete the ...").
_SQL = re.compile(
    r"""\s*(?:SELECT\s+(?:[\w*(]|DISTINCT) | INSERT\s+(?:OR\s+\w+\s+)?INTO\b
      | UPDATE\s+\w+\s+SET\b | DELETE\s+FROM\b | REPLACE\s+INTO\b
      | WITH\s+(?:RECURSIVE\s+)?\w+.*?\bAS\s*\( | PRAGMA\s+\w+
      | (?:CREATE|DROP)\s+(?:UNIQUE\s+|VIRTUAL\s+|TEMP\w*\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b
      | ALTER\s+TABLE\b | (?:BEGIN(?:\s+\w+)?|COMMIT|ROLLBACK|VACUUM)\s*$
      | (?:SAVEPOINT|RELEASE)\s+\w+ | ATTACH\s+DATABASE\b)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def storage_reach(path: Path) -> list[str]:
    """The SQL strings (their first line) and `.db` uses in `path`, each with its line;
    docstrings are prose and left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        text = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = None if id(node) in docstrings else node.value
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            text = first.value if isinstance(first, ast.Constant) else None
        if isinstance(text, str) and _SQL.match(text):
            found.append(f"{node.lineno}: {text.strip().splitlines()[0][:60]}")
        if isinstance(node, ast.Attribute) and node.attr in ("db", "_db"):
            found.append(f"{node.lineno}: .{node.attr}")
    return sorted(set(found))


def sql_outside_owners(root: Path = PROJECT_ROOT) -> dict[str, list[str]]:
    """Module of `kb` or `api` outside SQL_OWNERS -> what it holds of the catalog's storage."""
    out: dict[str, list[str]] = {}
    for layer in ("kb", "api"):
        for path in sorted((root / layer).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name not in SQL_OWNERS and (reach := storage_reach(path)):
                out[name] = reach
    return out


def test_only_the_repositories_hold_sql() -> None:
    assert sql_outside_owners() == {}


def test_every_sql_owner_exists() -> None:
    """A module taken off the list is taken out of it, not left there to excuse a new one."""
    assert [m for m in SQL_OWNERS if not (PROJECT_ROOT / m).is_file()] == []


def test_the_check_sees_sql_and_a_connection(tmp_path: Path) -> None:
    module = tmp_path / "api" / "routes" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        '"""Select the documents: prose, not SQL."""\n'
        "def f(library, marks):\n"
        '    """Delete from the list (a docstring)."""\n'
        '    library.catalog.count("select count(*) FROM documents")\n'
        '    library.catalog.db.execute(f"DELETE FROM tags WHERE id IN ({marks})")\n'
        '    label = "Update the collection"\n'
        "    return (\n"
        '        "\\n  INSERT OR IGNORE INTO tags VALUES (?)",\n'
        '        "WITH t AS (SELECT 1) SELECT * FROM t", "PRAGMA query_only=ON", label)\n',
        encoding="utf-8")
    assert sql_outside_owners(tmp_path) == {"api/routes/probe.py": [
        "4: select count(*) FROM documents", "5: .db", "5: DELETE FROM tags WHERE id IN (",
        "8: INSERT OR IGNORE INTO tags VALUES (?)", "9: PRAGMA query_only=ON",
        "9: WITH t AS (SELECT 1) SELECT * FROM t"]}


EDGES = ("kb/cli", "api")


def edge_modules(root: Path = PROJECT_ROOT) -> Iterator[tuple[str, Path, ast.Module]]:
    """(name, path, syntax tree) of each module of an edge: the CLI, the API and its pages."""
    for edge in EDGES:
        for path in sorted((root / edge).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            yield path.relative_to(root).as_posix(), path, tree


def repository_imports(root: Path = PROJECT_ROOT) -> dict[str, set[str]]:
    """Module of an edge (the CLI, the API and its pages) -> the repositories it imports
    (`kb.catalog.<module>`; `kb.catalog` itself names the Catalog and its row types)."""
    out: dict[str, set[str]] = {}
    for name, path, tree in edge_modules(root):
        found = {m for m in imports(path, root) if m.startswith("kb.catalog.")}
        found |= {  # `from kb.catalog import tokens`: a module, not a name
            f"kb.catalog.{alias.name}" for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "kb.catalog"
            for alias in node.names
            if (PROJECT_ROOT / "kb" / "catalog" / f"{alias.name}.py").is_file()
        }
        if found:
            out[name] = found
    return out


def test_edges_import_no_repository() -> None:
    """The edges go through the domain (kb.audit, kb.tokens, kb.curation...), which
    calls the repositories."""
    assert repository_imports() == {}


def test_the_check_sees_a_repository_import(tmp_path: Path) -> None:
    module = tmp_path / "kb" / "cli" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text("from kb.catalog import Catalog\nfrom kb.catalog import tokens\n"
                      "import kb.catalog.audit\n", encoding="utf-8")
    assert repository_imports(tmp_path) == {
        "kb/cli/probe.py": {"kb.catalog.tokens", "kb.catalog.audit"}}


def catalog_holds(root: Path = PROJECT_ROOT) -> dict[str, list[str]]:
    """Module of an edge -> where it holds the catalog itself, each with its line: an
    attribute `.catalog` read (`library.catalog`, passed on to a function or called), an
    import from `kb.catalog` or one of its modules (the Catalog, its row types, its
    repositories)."""
    def of_catalog(module: str | None) -> bool:
        return module == "kb.catalog" or (module or "").startswith("kb.catalog.")

    def holds(tree: ast.Module) -> set[str]:
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "catalog":
                found.add(f"{node.lineno}: .catalog")
            elif isinstance(node, ast.ImportFrom) and not node.level and (
                    of_catalog(node.module)
                    or (node.module == "kb" and any(a.name == "catalog" for a in node.names))):
                found.add(f"{node.lineno}: from {node.module} import "
                          + ", ".join(a.name for a in node.names))
            elif isinstance(node, ast.Import):
                found |= {f"{node.lineno}: import {a.name}" for a in node.names
                          if of_catalog(a.name)}
        return found

    return edge_holds(holds, root)


def edge_holds(
    holds: Callable[[ast.Module], set[str]], root: Path = PROJECT_ROOT
) -> dict[str, list[str]]:
    """Module of an edge -> what `holds` finds in it ("LINE: what"), in line order."""
    out: dict[str, list[str]] = {}
    for name, _path, tree in edge_modules(root):
        found = holds(tree)
        if found:
            out[name] = sorted(found, key=lambda line: int(line.split(":")[0]))
    return out


def test_edges_hold_no_catalog() -> None:
    """The CLI, the API and the pages call the library's services (`library.documents`,
    `library.collections`, `library.audit`, `library.access`, `library.failures`...), which
    return plain values; they never hand the catalog to a domain function nor import from
    `kb.catalog` (the value types they need come from the domain module that serves them)."""
    assert catalog_holds() == {}


def test_the_check_sees_an_edge_holding_the_catalog(tmp_path: Path) -> None:
    module = tmp_path / "kb" / "cli" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from kb.catalog import DocumentRow\nimport kb.catalog.audit\n"
        "from kb.catalogue import fine\nfrom kb import audit, catalog\n"
        "def f(library, audit):\n"
        "    return audit.entries(library.catalog), library.catalogue\n",
        encoding="utf-8")
    assert catalog_holds(tmp_path) == {"kb/cli/probe.py": [
        "1: from kb.catalog import DocumentRow", "2: import kb.catalog.audit",
        "4: from kb import audit, catalog", "6: .catalog"]}


ENGINE_MODULES = ("indexer.index", "indexer.writing", "indexer.searching", "indexer.view",
                  "indexer.hits", "indexer.conditions", "tantivy")


def index_holds(root: Path = PROJECT_ROOT) -> dict[str, list[str]]:
    """Module of an edge -> where it holds the full-text index itself, each with its line:
    an attribute `.index` read (`library.index.searcher()`; a call `.index(x)` of a list or
    a string is not one), an import of the index's modules or of the engine."""
    def holds(tree: ast.Module) -> set[str]:
        called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "index" and id(node) not in called:
                found.add(f"{node.lineno}: .index")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    ENGINE_MODULES):
                found.add(f"{node.lineno}: from {node.module}")
            elif isinstance(node, ast.Import):
                found |= {f"{node.lineno}: import {a.name}" for a in node.names
                          if a.name.startswith(ENGINE_MODULES)}
        return found

    return edge_holds(holds, root)


def test_edges_hold_no_index() -> None:
    """The edges reach the full-text index through the library (`library.search`,
    `library.open_searcher`, `library.index_segments`...), never the index object or the
    engine's modules: what the engine is stays inside `indexer/` and `kb`."""
    assert index_holds() == {}


def test_the_check_sees_an_edge_holding_the_index(tmp_path: Path) -> None:
    module = tmp_path / "api" / "routes" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from indexer.index import FullTextIndex\nimport tantivy\nfrom indexer import fields\n"
        "def f(library, names):\n"
        "    return library.index.searcher(), names.index('a')\n",
        encoding="utf-8")
    assert index_holds(tmp_path) == {"api/routes/probe.py": [
        "1: from indexer.index", "2: import tantivy", "5: .index"]}


def edge_reaches(root: Path = PROJECT_ROOT) -> dict[str, set[str]]:
    """Module of an edge -> what it reaches past the domain: a method called on a catalog
    (`library.catalog.tags(...)`), a private name imported from another module (`from
    api.routes.submissions import _read_form`), the index's analysis (`indexer.analysis`,
    `indexer.prepare`). Any other hold on the catalog is `catalog_holds`'s."""
    out: dict[str, set[str]] = {}
    for name, path, tree in edge_modules(root):
        found: set[str] = set()
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "catalog"):
                found.add(f"catalog.{node.attr}")
            elif isinstance(node, ast.ImportFrom):
                found |= {f"{node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and a.name != "_"}
        found |= {m for m in imports(path, root)
                  if m in ("indexer.analysis", "indexer.prepare")}
        if found:
            out[name] = found
    return out


def test_edges_reach_documents_through_the_domain() -> None:
    """The CLI, the API and the pages read a document through `Library.documents`
    (`kb.documents`), never by calling the catalog; nor do they borrow another module's
    private names or run the index's analysis themselves (`indexer.marks` does)."""
    assert edge_reaches() == {}


def test_the_check_sees_an_edge_reaching_past_the_domain(tmp_path: Path) -> None:
    module = tmp_path / "api" / "web" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from api.routes.submissions import _read_form\nfrom indexer.messages import _\n"
        "from indexer.analysis import analyze\n"
        "def page(library):\n    return library.catalog.tags('x'), f(library.catalog)\n",
        encoding="utf-8")
    assert edge_reaches(tmp_path) == {"api/web/probe.py": {
        "catalog.tags", "api.routes.submissions._read_form", "indexer.analysis"}}

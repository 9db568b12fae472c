"""One field table (`indexer.fields.TABLE`) drives every layer, and one `fold` serves them all:
"œ" and "oe" are one letter pair for the CLI's filters, the API's, the vocabulary and search."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.app import create_app
from api.filters import read_filters
from api.web import common, search_page, submission_pages
from indexer import fields
from indexer.text import fold
from kb.cli import cli
from kb.cli.exchange import export_command, submit_command
from kb.cli.search import search_command
from kb.curation import exports, submissions
from kb.curation.citations import Reference
from kb.oai import dublin_core, protocol, records
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT, Settings
from kb.vocabulary import FIELDS, MULTI_VALUED, Vocabulary
from tests.api.api_site import TestClient
from tests.conftest import write

FILTERS = {f.name for f in fields.TABLE if f.filter}


def options(command: object) -> set[str]:
    return {opt for p in command.params for opt in p.opts}


def test_the_table_is_what_every_layer_lists() -> None:
    assert tuple(f.name for f in fields.TABLE if f.controlled) + tuple(
        f.name for f in fields.TABLE if not f.controlled) == FIELDS
    assert {f.name for f in fields.TABLE if f.multi_valued} == MULTI_VALUED
    # CLI options and API parameters
    filter_options = {fields.field(n).cli_option for n in FILTERS}
    assert filter_options <= options(search_command) and filter_options <= options(export_command)
    assert {p.name for p in search_command.params} & set(fields.BY_NAME) == FILTERS
    assert set(read_filters.__signature__.parameters) == FILTERS  # type: ignore[attr-defined]
    # web filters, facets and labels
    assert set(search_page.FILTERS) == FILTERS | {"collection"}
    assert set(search_page.FACETS) == FILTERS
    assert {f.name for f in fields.TABLE if f.staff_only} == search_page.STAFF_FACETS
    assert {n: common.FIELD_LABELS[n] for n in fields.BY_NAME} == {
        f.name: f.label for f in fields.TABLE}
    # submissions: the form, `kb submit`, the API's metadata
    assert set(submissions.METADATA_FIELDS) == {f.name for f in fields.TABLE if f.submitted}
    assert set(submission_pages.FORM_TAGS) <= {p.name for p in submit_command.params}
    # exports, Dublin Core, OAI-PMH sets
    assert set(exports.CSV_TAG_FIELDS) == {f.name for f in fields.TABLE if f.controlled}
    assert set(exports.KEYWORD_FIELDS) == {f.name for f in fields.TABLE if f.keyword}
    assert {*dublin_core.SUBJECT_FIELDS, *dublin_core.COVERAGE_FIELDS} == {
        f.name for f in fields.TABLE if f.dublin_core in ("subject", "coverage")}
    assert set(records.SET_FIELDS) == {"collection", *(f.name for f in fields.TABLE
                                                         if f.oai_set)}
    assert {protocol.SET_NAMES[f.name] for f in fields.TABLE if f.oai_set} == {
        f.plural for f in fields.TABLE if f.oai_set}


def test_dublin_core_writes_each_field_where_the_table_says() -> None:
    labels = {f.name: (f"{f.label} 1",) for f in fields.TABLE if f.controlled}
    ref = Reference(id="d1", title="Au cœur du pôle", authors=("Le Goff, Anne",),
                    year=2008, date="2008-03", kind="etude", kind_label=labels["kind"][0],
                    media_type="text/plain", summary="Un résumé.", language="fr",
                    url="https://example.org/notice/d1", file_url="https://example.org/f",
                    tags={}, labels=labels, keywords=(), publisher=("CRES Bretagne",))
    written = {(e.tag.split("}")[1], e.text) for e in dublin_core.dublin_core(ref)}
    free = {"title": ref.title, "authors": ref.authors[0], "date": ref.date,
            "summary": ref.summary, "publisher": ref.publisher[0], "language": ref.language}
    for f in fields.TABLE:
        if f.dublin_core is not None:
            assert (f.dublin_core, free.get(f.name) or labels[f.name][0]) in written, f.name


def test_labels_are_written_one_way() -> None:
    """The French wording of the pages, the vocabulary's API answer and `kb search --facets`."""
    assert fields.label("family") == "Famille de l'ESS"
    assert fields.label("kind") == "Type de document"
    assert common.FIELD_LABELS["family"] == fields.label("family")


# A field added to the table, seen from a fresh interpreter: every layer offers it.
_NEW_FIELD = """
import sys, json, types
from pathlib import Path
source = Path("indexer/fields.py").read_text(encoding="utf-8")
new = ('    Field("theme", "Thème", "Thèmes", controlled=True, multi_valued=True, filter=True, '
       'keyword=True, dublin_core="subject", oai_set=True, submitted=True, example="emploi"),\\n')
source = source.replace('    Field("title",', new + '    Field("title",', 1)
module = types.ModuleType("indexer.fields")
module.__file__ = "indexer/fields.py"
sys.modules["indexer.fields"] = module
exec(compile(source, "indexer/fields.py", "exec"), module.__dict__)
import indexer
indexer.fields = module

from api.app import create_app
from api.web import common, search_page, submission_pages
from kb.cli.exchange import export_command
from kb.cli.search import search_command
from kb.curation import exports
from kb.oai import dublin_core, protocol
from kb.settings import Settings

app = create_app(Settings(library=Path(sys.argv[1])))
paths = app.openapi()["paths"]
print(json.dumps({
    "cli_search": sorted(o for p in search_command.params for o in p.opts),
    "cli_export": sorted(o for p in export_command.params for o in p.opts),
    "api_search": sorted(p["name"] for p in paths["/api/v1/search"]["get"]["parameters"]),
    "api_export": sorted(p["name"] for p in paths["/api/v1/search/export"]["get"]["parameters"]),
    "web_filters": list(search_page.FILTERS),
    "web_facets": list(search_page.FACETS),
    "web_label": common.FIELD_LABELS.get("theme"),
    "web_form": list(submission_pages.FORM_TAGS),
    "csv": list(exports.CSV_TAG_FIELDS),
    "keywords": list(exports.KEYWORD_FIELDS),
    "dublin_core": list(dublin_core.SUBJECT_FIELDS),
    "oai_sets": protocol.SET_NAMES,
}))
"""


@pytest.mark.slow  # a fresh interpreter
def test_a_field_declared_in_the_table_appears_everywhere(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _NEW_FIELD, str(tmp_path / "library")],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert "--theme" in seen["cli_search"] and "--theme" in seen["cli_export"]
    assert "theme" in seen["api_search"] and "theme" in seen["api_export"]
    assert "theme" in seen["web_filters"] and "theme" in seen["web_facets"]
    assert seen["web_label"] == "Thème" and "theme" in seen["web_form"]
    assert "theme" in seen["csv"] and "theme" in seen["keywords"]
    assert "theme" in seen["dublin_core"] and seen["oai_sets"]["theme"] == "Thèmes"


# --- one fold ----------------------------------------------------------------------------------


def test_fold_spells_out_ligatures_and_drops_accents_and_case() -> None:
    assert fold("L’Œuvre des Cœurs") == "l'oeuvre des coeurs"
    assert fold("ÆSOPE Écrit") == "aesope ecrit"


@pytest.fixture
def oeuvre_library(tmp_path: Path) -> Path:
    """A library with a mission term spelt with "œ" and one document tagged with it."""
    vocabulary = tmp_path / "vocabulary.toml"
    vocabulary.write_text(DEFAULT_VOCABULARY.read_text(encoding="utf-8")
                          + '\n[[mission]]\nkey = "mise-en-oeuvre"\nlabel = "Mise en œuvre"\n',
                          encoding="utf-8")
    docs = tmp_path / "docs"
    write(docs / "coeur.txt", "Le cœur du projet : la mise en œuvre du pôle ESS à Rennes.\n")
    write(docs / "coeur.txt.meta.toml", 'title = "Au cœur du pôle"\nmission = ["Mise en Œuvre"]\n')
    write(docs / "autre.txt", "Un diagnostic de l'économie sociale dans le Finistère.\n")
    result = CliRunner().invoke(cli, ["--library", str(tmp_path / "lib"), "--vocabulary",
                                      str(vocabulary), "ingest", "--workers", "1", str(docs)])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_oe_is_one_spelling_for_filters_vocabulary_and_search(oeuvre_library: Path) -> None:
    """A filter value, a term's label and a searched word: typed with or without the
    ligature, in any case, they find the same document (CLI, API and the search page)."""
    root = oeuvre_library
    vocabulary = Vocabulary.load(root / "vocabulary.toml")
    spellings = ("Mise en œuvre", "MISE EN ŒUVRE", "mise en oeuvre", "Mise en Oeuvre")
    for spelling in spellings:
        term = vocabulary.resolve("mission", spelling)
        assert term is not None and term.key == "mise-en-oeuvre", spelling

    def cli_total(*args: str) -> int:
        result = CliRunner().invoke(cli, ["--library", str(root / "lib"), "--vocabulary",
                                          str(root / "vocabulary.toml"), "search", "--json",
                                          *args])
        assert result.exit_code == 0, result.output
        return int(json.loads(result.stdout)["total"])

    settings = Settings(library=root / "lib", vocabulary=root / "vocabulary.toml")
    with TestClient(create_app(settings)) as client:

        def api_total(**params: str) -> int:
            answer = client.get("/api/v1/search", params=params)
            assert answer.status_code == 200, answer.text
            return int(answer.json()["total"])

        for spelling in spellings:
            assert cli_total("--mission", spelling) == 1, spelling
            assert api_total(mission=spelling) == 1, spelling
            page = client.get("/", params={"mission": spelling})
            assert page.status_code == 200 and "Au cœur du pôle" in page.text, spelling
            assert "Mission : Mise en œuvre" in page.text, spelling  # the filter's chip
        for word in ("cœur", "CŒUR", "coeur", "Coeur"):
            assert cli_total(word) == 1, word
            assert api_total(q=word) == 1, word
            assert api_total(q=f"title:{word}") == 1, word

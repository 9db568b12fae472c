"""Curation from the command line and the library: tag corrections, re-ingestion, retag,
the validation workflow, collections, the audit trail, concurrent edits, index repair.

Everything runs on a real library (catalog + index) under tmp_path, through `kb` itself
(click's runner) where a user would type it.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kb import audit
from kb.actors import Actor
from kb.cli import cli
from kb.curation import collections, corrections, workflow, writes
from kb.errors import Forbidden, PreconditionFailed
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.conftest import write

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

ETUDE = """# Étude de faisabilité d'un pôle ESS

L'économie sociale et solidaire du Pays de Rennes réunit cinquante structures.
La mutualité y est présente.
"""
NOTE = "# Note sur le Finistère\n\nDiagnostic de l'économie sociale dans le Finistère.\n"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    """A folder of two documents, a copy of the vocabulary, and where the library goes."""
    docs = tmp_path / "docs"
    write(docs / "etude.md", ETUDE)
    write(docs / "etude.md.meta.toml", 'kind = "etude"\nfamily = ["associations"]\n')
    write(docs / "note.md", NOTE)
    vocabulary = tmp_path / "vocabulary.toml"
    shutil.copy(DEFAULT_VOCABULARY, vocabulary)
    return {"docs": docs, "library": tmp_path / "lib", "vocabulary": vocabulary}


def kb(env: dict[str, Path], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["--library", str(env["library"]), "--vocabulary", str(env["vocabulary"]), *args]
    )
    return result.exit_code, result.stdout, result.stderr


def ingested(env: dict[str, Path]) -> dict[str, str]:
    """Ingest the folder; file name -> document id."""
    code, out, err = kb(env, "ingest", "--workers", "1", str(env["docs"]))
    assert code == 0, out + err
    with Library.open(env["library"], env["vocabulary"]) as library:
        return {
            Path(p.path).name: doc.id
            for doc in library.catalog.documents()
            for p in library.catalog.paths_of(doc.id)
        }


def shown(env: dict[str, Path], doc_id: str) -> dict[str, Any]:
    code, out, _ = kb(env, "show", doc_id, "--json")
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def found(env: dict[str, Path], *args: str) -> set[str]:
    code, out, err = kb(env, "search", *args, "--json")
    assert code == 0, out + err
    return {h["id"] for h in json.loads(out)["hits"]}


# --- tag corrections -------------------------------------------------------------------------


def test_a_curators_tag_wins_is_searchable_and_survives_reingestion(
    env: dict[str, Path],
) -> None:
    ids = ingested(env)
    etude = ids["etude.md"]
    assert shown(env, etude)["effective"]["family"] == ["associations"]  # from the sidecar
    code, out, err = kb(env, "tag", "set", etude[:6], "family", "Coopératives", "mutualité")
    assert code == 0, out + err
    assert "cooperatives" in out and "corrected" in out
    assert shown(env, etude)["effective"]["family"] == ["cooperatives", "mutuelles"]
    assert found(env, "", "--family", "cooperatives") == {etude}  # the index followed

    # The file and its sidecar change; the re-ingestion re-extracts, the correction stays.
    write(env["docs"] / "etude.md", ETUDE + "\nUne nouvelle version, avec l'URSCOP.\n")
    write(env["docs"] / "etude.md.meta.toml", 'kind = "etude"\nfamily = ["fondations"]\n')
    code, out, _ = kb(env, "ingest", "--workers", "1", str(env["docs"]))
    assert code == 0 and "updated 1" in out
    after = shown(env, etude)
    assert after["effective"]["family"] == ["cooperatives", "mutuelles"]
    assert {"field": "family", "value": "fondations", "origin": "sidecar"} in after["tags"]
    assert found(env, "nouvelle version", "--family", "cooperatives") == {etude}


def test_an_unknown_value_is_refused_with_the_closest_terms(env: dict[str, Path]) -> None:
    etude = ingested(env)["etude.md"]
    code, _, err = kb(env, "tag", "set", etude, "family", "cooperativ")
    assert code == 1
    assert "unknown family 'cooperativ'" in err and "closest: cooperatives" in err
    code, _, err = kb(env, "tag", "set", etude, "familly", "cooperatives")
    assert code == 1 and "unknown field 'familly'" in err and "family" in err
    code, _, err = kb(env, "tag", "set", etude, "kind", "etude", "note")
    assert code == 1 and "kind holds one value" in err
    code, _, err = kb(env, "tag", "set", etude, "status", "validated")
    assert code == 1 and "kb status" in err
    code, _, err = kb(env, "tag", "set", etude, "year", "20008")
    assert code == 1 and "invalid year" in err
    assert shown(env, etude)["revision"] == 1  # nothing was written


def test_add_remove_and_clear(env: dict[str, Path]) -> None:
    ids = ingested(env)
    etude, note = ids["etude.md"], ids["note.md"]
    assert shown(env, etude)["effective"]["territory"] == ["pays-de-rennes"]  # automatic
    code, out, err = kb(env, "tag", "add", etude, "territory", "Finistère")
    assert code == 0, err
    assert shown(env, etude)["effective"]["territory"] == ["pays-de-rennes", "finistere"]
    # Removing the automatic value keeps the other as a correction.
    assert kb(env, "tag", "remove", etude, "territory", "pays-de-rennes")[0] == 0
    assert shown(env, etude)["effective"]["territory"] == ["finistere"]
    assert found(env, "", "--territory", "pays-de-rennes") == set()
    # Removing the last value would bring the automatic one back: refused.
    code, _, err = kb(env, "tag", "remove", etude, "territory", "finistere")
    assert code == 1 and "set the right territory instead" in err
    code, _, err = kb(env, "tag", "remove", etude, "territory", "morbihan")
    assert code == 1 and "not among its values" in err
    code, _, err = kb(env, "tag", "add", note, "kind", "note")
    assert code == 1 and "holds one value" in err
    # Clearing the correction restores what automatic tagging said.
    assert kb(env, "tag", "clear", etude, "territory")[0] == 0
    assert shown(env, etude)["effective"]["territory"] == ["pays-de-rennes"]
    actions = [e.action for e in _log(env, etude)]
    assert actions == ["tag.clear", "tag.remove", "tag.add", "ingest.add"]


def test_retag_applies_a_new_synonym_without_touching_corrections(env: dict[str, Path]) -> None:
    ids = ingested(env)
    etude, note = ids["etude.md"], ids["note.md"]
    assert "mission" not in shown(env, note)["effective"]
    kb(env, "tag", "set", etude, "mission", "diffusion")
    code, out, err = kb(env, "vocabulary", "add-synonym", "mission", "capitalisation",
                        "diagnostic de l'économie")
    assert code == 0, out + err
    code, _, err = kb(env, "vocabulary", "add-synonym", "mission", "diffusion",
                      "diagnostic de l'économie")
    assert code == 1 and "already names the term 'capitalisation'" in err
    code, out, err = kb(env, "vocabulary", "add-term", "territory", "douarnenez",
                        "Douarnenez", "--parent", "pays-de-cornouaille", "--synonym", "Douarn")
    assert code == 0, out + err
    assert "[[territory]]" in env["vocabulary"].read_text(encoding="utf-8")
    code, out, err = kb(env, "retag")
    assert code == 0, err
    assert "1 changed" in out
    assert shown(env, note)["effective"]["mission"] == ["capitalisation"]
    assert found(env, "", "--mission", "capitalisation") == {note}
    assert shown(env, etude)["effective"]["mission"] == ["diffusion"]  # the correction stays
    assert [e.action for e in _log(env, note)] == ["tag.retag", "ingest.add"]
    assert found(env, "", "--territory", "douarnenez") == set()  # a new term, not in the texts
    # Where the title came from survives retag, which rewrites the automatic tags' evidence.
    title = next(t for t in shown(env, note)["tags"] if t["field"] == "title")
    assert (title["value"], title["source"]) == ("Note sur le Finistère", "first heading")


# --- the validation workflow ----------------------------------------------------------------


def test_status_goes_through_the_workflow_with_a_trace(env: dict[str, Path]) -> None:
    etude = ingested(env)["etude.md"]
    code, _, err = kb(env, "status", etude, "validated")
    assert code == 1
    assert "cannot go from draft to validated" in err and "only submitted" in err
    assert kb(env, "status", etude, "submitted")[0] == 0
    code, _, err = kb(env, "status", etude, "rejected")
    assert code == 1 and "needs a comment" in err
    code, out, err = kb(env, "status", etude, "rejeté", "-m", "Méthodologie à préciser")
    assert code == 0, err
    code, _, err = kb(env, "status", etude, "rejected", "-m", "encore")
    assert code == 1 and "already rejected" in err
    code, out, _ = kb(env, "status", etude, "--json")
    view = json.loads(out)
    assert view["status"] == "rejected" and view["allowed"] == ["draft", "submitted"]
    assert [(s["before"], s["after"], s["comment"]) for s in view["history"]] == [
        ("submitted", "rejected", "Méthodologie à préciser"),
        ("draft", "submitted", None),
    ]
    assert found(env, "", "--status", "rejected") == {etude}
    # Re-ingestion does not undo a decision.
    write(env["docs"] / "etude.md", ETUDE + "\nVersion 2.\n")
    kb(env, "ingest", "--workers", "1", str(env["docs"]))
    assert shown(env, etude)["effective"]["status"] == ["rejected"]


def test_roles_decide_who_makes_each_step(env: dict[str, Path]) -> None:
    etude = ingested(env)["etude.md"]
    curator = Actor("college", "curator", "api")
    council = Actor("conseil", "council", "api")
    with Library.open(env["library"], env["vocabulary"]) as library:
        workflow.change_status(library, etude, "submitted", curator)
        with pytest.raises(Forbidden, match="validating needs a token with the role council"):
            workflow.change_status(library, etude, "validated", curator)
        with pytest.raises(Forbidden):
            corrections.set_tags(library, etude, "kind", ["note"], council)
        with pytest.raises(Forbidden):
            corrections.set_tags(library, etude, "kind", ["note"], Actor("x", "network", "api"))
        view = workflow.change_status(library, etude, "validated", council, comment="ok")
        assert view.status == "validated"
        assert [s.actor for s in view.history] == ["conseil", "college"]


# --- collections -----------------------------------------------------------------------------


def test_collections_from_the_command_line(env: dict[str, Path]) -> None:
    ids = ingested(env)
    etude, note = ids["etude.md"], ids["note.md"]
    code, out, err = kb(env, "collection", "create", "Pôle ESS : lectures", "-d", "Du groupe")
    assert code == 0, err
    assert "id pole-ess-lectures" in out and "internal" in out
    kb(env, "collection", "create", "Vide")
    code, _, err = kb(env, "collection", "create", "Pôle ESS : lectures")
    assert code == 1 and "already named" in err
    assert kb(env, "collection", "add", "pole-ess-lectures", etude, note, "-n", "à lire")[0] == 0
    assert kb(env, "collection", "move", "pole-ess-lectures", note[:6], "1")[0] == 0
    assert kb(env, "collection", "note", "pole-ess-lectures", etude, "surtout p. 3")[0] == 0
    assert kb(env, "collection", "rename", "pole-ess-lectures", "Lectures du pôle")[0] == 0
    code, out, _ = kb(env, "collection", "show", "pole-ess-lectures", "--json")
    shown_collection = json.loads(out)
    assert shown_collection["name"] == "Lectures du pôle"
    assert [(e["document_id"], e["note"]) for e in shown_collection["entries"]] == [
        (note, "à lire"), (etude, "surtout p. 3")]
    # A document in several collections; search filters by collection.
    kb(env, "collection", "create", "Finistère", "--id", "finistere")
    kb(env, "collection", "add", "finistere", note)
    with Library.open(env["library"], env["vocabulary"]) as library:
        assert library.search("économie", {"collection": ("pole-ess-lectures",)}).total == 2
        assert library.search("", {"collection": ("finistere",)}).total == 1
        assert library.search("", {"collection": ("vide",)}).total == 0
        assert [c.id for c in collections.collections_of(library.catalog, note)] == [
            "finistere", "pole-ess-lectures"]
    code, out, _ = kb(env, "collection", "order", "pole-ess-lectures", etude, note)
    assert code == 0
    assert kb(env, "collection", "remove", "pole-ess-lectures", etude)[0] == 0
    code, out, _ = kb(env, "collection", "list")
    assert "pole-ess-lectures" in out and "(1 document," in out
    code, out, _ = kb(env, "collection", "delete", "vide")
    assert code == 0
    actions = [e.action for e in _log(env, None, collection="pole-ess-lectures")]
    assert actions == ["collection.remove", "collection.reorder", "collection.rename",
                       "collection.note", "collection.move", "collection.add",
                       "collection.add", "collection.create"]


# --- the audit trail -------------------------------------------------------------------------


def test_kb_log_shows_who_what_before_and_after(env: dict[str, Path]) -> None:
    ids = ingested(env)
    etude = ids["etude.md"]
    kb(env, "tag", "set", etude, "kind", "note")
    kb(env, "status", etude, "submitted")
    code, out, _ = kb(env, "log", "--document", etude[:6])
    assert code == 0
    lines = out.splitlines()
    assert "status.submitted" in lines[0] and "(cli)" in lines[0]
    assert '{ "status": "draft" } -> { "status": "submitted" }' in lines[1]
    assert "tag.set" in lines[2] and '"kind": [ "etude" ]' in lines[3] \
        and '"kind": [ "note" ]' in lines[3]
    code, out, _ = kb(env, "log", "--json", "--action", "tag")
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["tag.set"]
    assert entries[0]["before"] == {"kind": ["etude"]} and entries[0]["after"] == {
        "kind": ["note"]}
    assert entries[0]["via"] == "cli" and entries[0]["role"] == "admin" and entries[0]["actor"]
    assert kb(env, "log", "--document", ids["note.md"], "--action", "tag")[1] == \
        "no changes recorded\n"


def _log(env: dict[str, Path], doc_id: str | None, **filters: str) -> list[audit.AuditEntry]:
    with Library.open(env["library"], env["vocabulary"]) as library:
        return audit.entries(library.catalog, document=doc_id, **filters)


# --- safety of writes ------------------------------------------------------------------------


def test_two_curators_editing_at_once_one_is_refused_none_is_lost(env: dict[str, Path]) -> None:
    """Two connections, two threads, the same revision read: exactly one write wins, the
    other is refused; without a revision, both additions are kept."""
    etude = ingested(env)["etude.md"]
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def edit(name: str, family: str, expected: set[int] | None, op: Any) -> None:
        with Library.open(env["library"], env["vocabulary"]) as library:
            start.wait()
            try:
                op(library, etude, "family", [family], Actor(name, "curator", "api"),
                   expected=expected)
                outcomes[name] = "ok"
            except PreconditionFailed as exc:
                outcomes[name] = exc

    threads = [threading.Thread(target=edit, args=(n, f, {1}, corrections.set_tags))
               for n, f in (("alice", "cooperatives"), ("bob", "mutuelles"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, o in outcomes.items() if o == "ok"]
    assert len(winners) == 1, outcomes
    loser = next(n for n in outcomes if n not in winners)
    assert "changed since you read it" in str(outcomes[loser])
    view = shown(env, etude)
    assert view["revision"] == 2
    assert view["effective"]["family"] == [{"alice": "cooperatives", "bob": "mutuelles"}[
        winners[0]]]
    assert [e.actor for e in _log(env, etude, action="tag")] == winners

    threads = [threading.Thread(target=edit, args=(n, f, None, corrections.add_tags))
               for n, f in (("carol", "fondations"), ("dan", "associations"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes["carol"] == outcomes["dan"] == "ok"
    assert {"fondations", "associations"} <= set(shown(env, etude)["effective"]["family"])


def test_cli_expect_revision(env: dict[str, Path]) -> None:
    etude = ingested(env)["etude.md"]
    assert kb(env, "tag", "set", etude, "kind", "note", "--expect-revision", "1")[0] == 0
    code, _, err = kb(env, "tag", "set", etude, "kind", "etude", "--expect-revision", "1")
    assert code == 1 and "at revision 2, you sent 1" in err
    assert shown(env, etude)["effective"]["kind"] == ["note"]


def test_a_crash_between_catalog_and_index_is_repaired_on_the_next_write(
    env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    etude = ingested(env)["etude.md"]
    # The process dies right after the catalog commit, before the index follows.
    monkeypatch.setattr(writes, "follow_index", lambda library: False)
    assert kb(env, "tag", "set", etude, "family", "fondations")[0] == 0
    assert found(env, "", "--family", "fondations") == set()  # the index lags
    monkeypatch.undo()
    code, out, _ = kb(env, "stats", "--json")
    assert json.loads(out)["out_of_index"] == 1
    assert kb(env, "tag", "set", ingested(env)["note.md"], "kind", "note")[0] == 0
    assert found(env, "", "--family", "fondations") == {etude}

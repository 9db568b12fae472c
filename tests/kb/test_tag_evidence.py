"""Automatic tags only on evidence, the curators' rules for it, and the evidence kept.

Rules on a small vocabulary file written by each test; the library tests run `kb` itself
(click's runner) and the API (TestClient over create_app) on a real library under tmp_path.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api.app import create_app
from indexer.extract.base import Section
from kb.autotag import automatic_tags
from kb.cli import cli
from kb.errors import InvalidVocabulary
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.vocabulary import EvidenceRule, Vocabulary
from tests.conftest import write

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns on import.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

VOCABULARY = """
[[territory]]
key = "france"
label = "France"
synonyms = [{ name = "France", weak = true }, "niveau national"]

[[territory]]
key = "bretagne"
label = "Bretagne"
parent = "france"
synonyms = ["Bretagne", "Région Bretagne"]

[[territory]]
key = "saint-malo"
label = "Saint-Malo"
parent = "bretagne"
synonyms = ["Saint-Malo"]
min_mentions = 3

[[family]]
key = "cooperatives"
label = "Coopératives"
synonyms = ["SCOP", "société coopérative"]

[[kind]]
key = "etude"
label = "Étude"
synonyms = [{ name = "diagnostic", weak = true }, "étude de faisabilité"]
"""
FAR = "mot " * 1000  # past the first page


def vocab(tmp_path: Path, extra: str = "") -> Vocabulary:
    return Vocabulary.load(write(tmp_path / "vocabulary.toml", extra + VOCABULARY))


def tagged(v: Vocabulary, text: str, title: str = "") -> dict[str, list[str]]:
    tags = automatic_tags(v, title, [Section(text)], "text/plain").tags
    out: dict[str, list[str]] = {}
    for tag in tags:
        out.setdefault(tag.field, []).append(tag.value)
    return out


def test_names_inside_longer_names_urls_and_addresses_are_not_mentions(tmp_path: Path) -> None:
    v = vocab(tmp_path)
    for text in (
        "Grande-Bretagne",
        "jean@resel.enst-bretagne.fr",
        "voir https://www.bretagne.fr/ess",
        "www.bretagne.bzh",
        "Saint-Malo-de-Phily",
        "bretagne.fr",
        "/usr/share/bretagne/",
    ):
        assert v.find_mentions("", [(text, None)]) == (), text
    found = v.find_mentions("", [("La Bretagne, la SCOP-SA (Saint-Malo).", 3)])
    assert [(m.key, m.words, m.page) for m in found] == [
        ("bretagne", "Bretagne", 3), ("cooperatives", "SCOP", 3), ("saint-malo", "Saint-Malo", 3)
    ]  # fmt: skip


def test_words_are_kept_as_written_even_where_folding_changes_the_length(
    tmp_path: Path,
) -> None:
    v = vocab(tmp_path)
    text = "Cœur, œuvre, ﬁn : la Région Bretagne et la société coopérative."
    assert [m.words for m in v.find_mentions("", [(text, None)])] == [
        "Région Bretagne", "société coopérative"
    ]  # fmt: skip


def test_a_term_needs_the_title_the_first_page_or_several_mentions(tmp_path: Path) -> None:
    v = vocab(tmp_path)
    assert tagged(v, FAR + "la Bretagne.") == {}  # once, far in: not enough
    assert tagged(v, FAR + "la Bretagne, la Région Bretagne.") == {"territory": ["bretagne"]}
    assert tagged(v, "la Bretagne. " + FAR) == {"territory": ["bretagne"]}  # its head
    # Once further down the first page: in passing (a suggestion), twice: about it.
    lower = "mot " * 150
    assert tagged(v, lower + "la Bretagne. " + FAR) == {}
    assert tagged(v, lower + "la Bretagne, la Région Bretagne. " + FAR) == {
        "territory": ["bretagne"]
    }  # fmt: skip
    assert tagged(v, FAR + "rien", title="L'ESS en Bretagne") == {"territory": ["bretagne"]}
    # A term's own rule: Saint-Malo needs three mentions past the first page.
    assert tagged(v, FAR + "Saint-Malo, Saint-Malo.") == {}
    assert tagged(v, FAR + "Saint-Malo, Saint-Malo, Saint-Malo.") == {"territory": ["saint-malo"]}


def test_weak_names_only_add_to_other_evidence(tmp_path: Path) -> None:
    v = vocab(tmp_path)
    noise = "O'Reilly France. " + "messages de diagnostic. " * 4
    assert tagged(v, noise) == {}  # on the first page, but weak
    assert tagged(v, FAR + noise * 2) == {}  # many, but below weak_min_mentions (10)
    assert tagged(v, FAR + "O'Reilly France. " * 10) == {"territory": ["france"]}
    # ... in a short text: ten in a long one are in passing (under 2 a thousand words).
    assert tagged(v, FAR * 10 + "O'Reilly France. " * 10) == {}
    # A kind's name in the body is no evidence at all (the kind is the document's form).
    assert tagged(v, FAR + "Bretagne, Bretagne, diagnostic. " * 10) == {"territory": ["bretagne"]}
    assert tagged(v, FAR + "France, au niveau national.") == {"territory": ["france"]}
    # A weak name in the title: enough where the document names the domain, not alone.
    assert tagged(v, "rien", title="Outils de diagnostic réseau") == {}
    assert tagged(v, "rien", title="Diagnostic de l'ESS à Saint-Malo") == {
        "territory": ["saint-malo"], "kind": ["etude"]
    }  # fmt: skip
    assert tagged(v, "Région Bretagne. " + FAR, title="Diagnostic de l'ESS")["kind"] == ["etude"]


def test_curators_tune_the_evidence_per_field_and_by_default(tmp_path: Path) -> None:
    v = vocab(tmp_path, "[evidence]\nmin_mentions = 3\n[evidence.family]\nmin_mentions = 1\n")
    assert v.evidence_rule("territory", "bretagne") == EvidenceRule(3, 10)
    assert v.evidence_rule("family", "cooperatives") == EvidenceRule(1, 10)
    assert v.evidence_rule("territory", "saint-malo") == EvidenceRule(3, 10)
    assert tagged(v, FAR + "la Bretagne, la Région Bretagne.") == {}
    assert tagged(v, FAR + "une SCOP") == {"family": ["cooperatives"]}
    assert vocab(tmp_path / "d").evidence_rule("kind", "etude") == EvidenceRule()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[evidence]\nmin_mention = 2\n", "unknown setting 'min_mention'"),
        ("[evidence]\nmin_mentions = 0\n", "min_mentions must be a whole number"),
        ("[evidence.territory]\nweak = 2\n", "[evidence.territory]: unknown setting 'weak'"),
        ("[evidence]\nmin_mentions = true\n", "min_mentions must be a whole number"),
        ("[evidence.family]\ntitle_subject = 1\n", "title_subject must be true or false"),
        ("[evidence]\nweak_density = 0\n", "weak_density must be a whole number"),
        ('[[kind]]\nkey = "cr"\nlabel = "CR"\nsigns = ["bureau"]\n',
         "signs is not a setting of [[kind]] entries"),
        ('[[family]]\nkey = "a"\nlabel = "A"\nsigns = "bureau"\n',
         "signs must be a list of words"),
    ],
)
def test_bad_evidence_settings_name_the_place(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(InvalidVocabulary, match=message.replace("[", r"\[").replace("]", r"\]")):
        vocab(tmp_path, extra)


def test_curators_set_a_terms_density_and_its_own_documents_words(tmp_path: Path) -> None:
    v = vocab(tmp_path, """
[[family]]
key = "associations"
label = "Associations"
synonyms = [{ name = "association", weak = true }]
weak_min_mentions = 3
weak_density = 20
signs = ["assemblée générale", "cotisation", "bureau"]
min_signs = 3
""")  # fmt: skip
    assert v.evidence_rule("family", "associations") == EvidenceRule(2, 3, weak_density=20)
    # Three weak names a hundred words: dense enough for this term; in a page of 1,000
    # words they are not.
    assert tagged(v, "mot " * 100 + "l'association " * 3) == {"family": ["associations"]}
    assert tagged(v, FAR + "l'association " * 3) == {}
    # Its own documents' words, three different ones (a feminine or plural ending is the
    # same word): "association" in the head then counts as in the title.
    assert v.own_documents("l'Assemblée générale, le bureau, les cotisations") == {
        ("family", "associations")
    }  # fmt: skip
    assert v.own_documents("le bureau, les bureaux, la cotisation, les cotisations") == set()
    head = "Association des amis du lavoir\n"
    assert tagged(v, head + "le bureau, les cotisations. " + FAR) == {}
    assert tagged(v, head + "le bureau, les cotisations, l'assemblée générale. " + FAR) == {
        "family": ["associations"]
    }  # fmt: skip


def test_a_bad_synonym_table_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "v.toml",
        '[[territory]]\nkey = "x"\nlabel = "X"\nsynonyms = [{ nom = "X", weak = true }]\n',
    )
    with pytest.raises(InvalidVocabulary, match=r"entry 1 \('x'\): a synonym table must be"):
        Vocabulary.load(path)


# --- in a library ----------------------------------------------------------------------------

OFF_TOPIC = (
    """GZIP(1)                  Manuel de l'utilisateur Linux                  GZIP(1)

Traduction : O'Reilly France, relue par jean@resel.enst-bretagne.fr.
Voir https://www.bretagne.fr/doc et la Grande-Bretagne.
"""
    + "\n".join(
        f"Option {n} : afficher des messages de diagnostic sur la sortie d'erreur."
        for n in range(9)
    )
    + "\n"
    + "Texte de la page de manuel. " * 200
    + "\nVoir aussi Saint-Malo-de-Phily.\n"
)

ON_TOPIC = (
    """# L'économie sociale et solidaire en Finistère

Une étude du pôle ESS du Pays de Morlaix.
"""
    + "Texte de l'étude sur les structures. " * 150
    + """
Les coopératives d'activités et d'emploi du Finistère. Le comité de pilotage s'est réuni.
"""
)


def kb(env: dict[str, Path], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--library", str(env["library"]), "--vocabulary", str(env["vocabulary"]), *args]
    )
    return result.exit_code, result.stdout + result.stderr


def show(env: dict[str, Path], doc_id: str) -> dict[str, Any]:
    code, out = kb(env, "show", doc_id, "--json")
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    docs = tmp_path / "docs"
    write(docs / "gzip.1.txt", OFF_TOPIC)
    write(docs / "finistere.md", ON_TOPIC)
    vocabulary = tmp_path / "vocabulary.toml"
    shutil.copy(DEFAULT_VOCABULARY, vocabulary)
    env = {"docs": docs, "library": tmp_path / "lib", "vocabulary": vocabulary}
    code, out = kb(env, "ingest", "--workers", "1", str(docs))
    assert code == 0, out
    return env


def _ids(env: dict[str, Path]) -> dict[str, str]:
    code, out = kb(env, "search", "", "--json", "--size", "10")
    assert code == 0, out
    hits = json.loads(out)["hits"]
    return {Path(h["path"]).name: h["id"] for h in hits}


def _auto(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(t["field"], t["value"]): t.get("evidence") for t in doc["tags"]
            if t["origin"] == "auto"}  # fmt: skip


def test_an_off_topic_document_gets_no_automatic_tag_and_an_on_topic_one_keeps_its_evidence(
    env: dict[str, Path],
) -> None:
    ids = _ids(env)
    assert _auto(show(env, ids["gzip.1.txt"])) == {}
    auto = _auto(show(env, ids["finistere.md"]))
    assert auto[("territory", "finistere")] == {
        "reason": "title", "mentions": 3, "words": ["Finistère"], "pages": []
    }  # fmt: skip
    assert auto[("territory", "pays-de-morlaix")]["reason"] == "first page"
    # Named once, far in: "coopératives d'activités et d'emploi" and "comité de pilotage"
    # (the sample vocabulary asks two mentions, or one of an instance beside another).
    assert ("instance", "comite-de-pilotage") not in auto
    assert ("family", "cooperatives") not in auto
    code, out = kb(env, "show", ids["finistere.md"])
    assert code == 0
    assert 'title · 3 mentions: "Finistère"' in out
    assert 'first page · 1 mention: "Pays de Morlaix"' in out


def test_the_api_document_route_gives_the_evidence(env: dict[str, Path]) -> None:
    ids = _ids(env)
    settings = Settings(library=env["library"], vocabulary=env["vocabulary"])
    with TestClient(create_app(settings)) as client:
        body = client.get(f"/documents/{ids['finistere.md']}").json()
    by_tag = {(t["field"], t["value"], t["origin"]): t for t in body["tag_origins"]}
    finistere = by_tag[("territory", "finistere", "auto")]
    assert finistere["evidence"] == {
        "reason": "title", "mentions": 3, "words": ["Finistère"], "pages": []
    }  # fmt: skip
    # Sidecars and curators give no evidence; a derived title says where it was read.
    assert all(t["evidence"] is None for t in body["tag_origins"]
               if t["origin"] in ("sidecar", "curator"))  # fmt: skip
    title = next(t for t in body["tag_origins"] if t["field"] == "title")
    assert title["origin"] == "derived" and title["evidence"]["reason"]


def test_retag_applies_new_rules_from_the_stored_text(env: dict[str, Path]) -> None:
    ids = _ids(env)
    doc = ids["finistere.md"]
    assert ("instance", "comite-de-pilotage") not in _auto(show(env, doc))
    # The curators now take one mention of an instance as enough.
    text = env["vocabulary"].read_text(encoding="utf-8")
    rule = "[evidence.instance]\nmin_mentions = "
    assert rule + "2" in text
    text = text.replace(rule + "2", rule + "1")
    env["vocabulary"].write_text(text, encoding="utf-8")
    code, out = kb(env, "retag")
    assert code == 0 and "1 changed" in out, out
    auto = _auto(show(env, doc))
    assert ("instance", "comite-de-pilotage") in auto
    assert ("territory", "finistere") in auto


def test_adding_a_synonym_keeps_the_weak_ones_weak(env: dict[str, Path]) -> None:
    before = Vocabulary.load(env["vocabulary"]).get("territory", "france")
    code, out = kb(env, "vocabulary", "add-synonym", "territory", "france", "Hexagone")
    assert code == 0, out
    v = Vocabulary.load(env["vocabulary"])
    france = v.get("territory", "france")
    assert france is not None and "Hexagone" in france.synonyms
    assert before is not None and "niveau national" in before.weak
    assert france.weak == before.weak


INSTANCES = """
[evidence.instance]
min_mentions = 2
beside_min_mentions = 1

[[instance]]
key = "comite-de-pilotage"
label = "Comité de pilotage"
synonyms = ["comité de pilotage", "COPIL"]

[[instance]]
key = "conseil-scientifique"
label = "Conseil scientifique"
synonyms = ["conseil scientifique"]
"""


def test_a_body_named_once_tags_beside_another_body_and_is_a_suggestion_alone(
    tmp_path: Path,
) -> None:
    v = vocab(tmp_path, INSTANCES)
    # A project's steering committee, named once in a course: any project's, not the
    # observatory's body; it is offered to the curators instead.
    alone = FAR + "Monika a participé à deux réunions du comité de pilotage du schéma."
    assert tagged(v, alone) == {}
    suggestions = automatic_tags(v, "", [Section(alone)], "text/plain").suggestions
    assert [(s.field, s.value) for s in suggestions] == [("instance", "comite-de-pilotage")]
    # The observatory's bodies named together: its governance, once each is enough.
    both = FAR + "Le comité de pilotage a retenu la méthode que le conseil scientifique a validée."
    assert tagged(v, both) == {"instance": ["comite-de-pilotage", "conseil-scientifique"]}
    assert v.evidence_rule("instance", "comite-de-pilotage") == EvidenceRule(2, 10, 1)
    with pytest.raises(InvalidVocabulary, match="beside_min_mentions"):
        vocab(tmp_path / "bad", INSTANCES.replace("mentions = 1", "mentions = 0"))

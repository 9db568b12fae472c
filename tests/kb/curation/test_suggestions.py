"""Suggested tags: what a document names but does not settle. Offered to curators with
their evidence, never used by filters or facets, accepted or dismissed from the CLI, the
API and the document page, each decision in the audit trail.

One real library under tmp_path (`kb ingest` of small text files), the `kb` command
through click's runner, the API and pages through TestClient over create_app.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api.app import create_app
from kb.cli import cli
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY, Settings
from kb.tags import MAX_SUGGESTIONS, weigh_mentions
from kb.tokens import create_token
from kb.vocabulary import Vocabulary
from tests.conftest import write
from tests.web.test_web_pages import csrf_of, revision_of, sign_in

# End-to-end: real libraries ingested through `kb` (make check leaves them to make test).
pytestmark = pytest.mark.slow

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

FAR = "Les structures de l'économie sociale emploient des salariés. " * 60  # past page 1
# About the Pays de Brest; Lorient and Quimper are named once, far in: evidence, not enough.
STUDY = (
    "# Diagnostic de l'ESS du Pays de Brest\n\nLes SCOP du Pays de Brest et l'URSCOP.\n\n"
    + FAR
    + "\n\nUn partenaire de Lorient a participé ; une réunion s'est tenue à Quimper.\n"
)
VOCAB = Vocabulary.load(DEFAULT_VOCABULARY)


def test_a_name_found_below_the_rule_is_a_suggestion_not_a_tag() -> None:
    chosen, suggested = weigh_mentions(VOCAB.find_mentions("", [(STUDY, None)]), VOCAB)
    tagged = {(e.field, e.value) for e in chosen}
    assert ("territory", "pays-de-brest") in tagged
    assert {(e.field, e.value, e.reason) for e in suggested} >= {
        ("territory", "lorient", "1 mention"), ("territory", "quimper", "1 mention")
    }  # fmt: skip
    assert not tagged & {(e.field, e.value) for e in suggested}
    # Weak names alone are no evidence to offer ("France" is weak).
    _, weak = weigh_mentions(VOCAB.find_mentions("", [(FAR + "en France.", None)]), VOCAB)
    assert [e.value for e in weak if e.field == "territory"] == []


def test_a_document_naming_many_places_once_gets_a_few_suggestions() -> None:
    towns = ["Lorient", "Quimper", "Vannes", "Rennes", "Brest", "Saint-Malo", "Lannion"]
    text = FAR + " ".join(f"Une antenne à {t}." for t in towns)
    _, suggested = weigh_mentions(VOCAB.find_mentions("", [(text, None)]), VOCAB)
    assert len([e for e in suggested if e.field == "territory"]) == MAX_SUGGESTIONS


@dataclass
class Env:
    root: Path
    library: list[str]
    doc_id: str
    runner: CliRunner

    def kb(self, *args: str) -> Any:
        result = self.runner.invoke(cli, [*self.library, *args])
        assert result.exit_code == 0, result.output
        return result

    def kb_json(self, *args: str) -> Any:
        return json.loads(self.kb(*args, "--json").stdout)


@pytest.fixture
def env(tmp_path: Path) -> Env:
    docs = tmp_path / "docs"
    write(docs / "diagnostic-brest.md", STUDY)
    runner = CliRunner()
    library = ["--library", str(tmp_path / "lib")]
    assert runner.invoke(cli, [*library, "ingest", "--workers", "1", str(docs)]).exit_code == 0
    found = json.loads(runner.invoke(cli, [*library, "search", "Brest", "--json"]).stdout)
    return Env(tmp_path, library, found["hits"][0]["id"], runner)


def offered(env: Env) -> set[str]:
    return {s["value"] for s in env.kb_json("show", env.doc_id)["suggestions"]}


def test_suggestions_are_shown_with_their_evidence_and_never_filter(env: Env) -> None:
    shown = env.kb_json("show", env.doc_id)
    lorient = next(s for s in shown["suggestions"] if s["value"] == "lorient")
    assert lorient == {"field": "territory", "value": "lorient", "reason": "1 mention",
                       "mentions": 1, "words": ["Lorient"], "pages": []}  # fmt: skip
    assert "lorient" not in shown["effective"].get("territory", [])
    text = env.kb("show", env.doc_id).stdout
    assert "Suggested" in text and '1 mention: "Lorient"' in text
    filtered = env.kb_json("search", "ESS", "--territory", "lorient")
    assert filtered["total"] == 0
    facets = env.kb_json("search", "ESS", "--facets")["facets"]
    assert "lorient" not in json.dumps(facets)


def test_accept_and_dismiss_from_the_command_line_with_the_audit_trail(env: Env) -> None:
    assert offered(env) >= {"lorient", "quimper"}
    env.kb("tag", "accept", env.doc_id[:6], "territory", "lorient")
    env.kb("tag", "dismiss", env.doc_id[:6], "territory", "quimper")
    shown = env.kb_json("show", env.doc_id)
    assert "lorient" in shown["effective"]["territory"]
    assert {"field": "territory", "value": "lorient", "origin": "curator"} in [
        {k: t[k] for k in ("field", "value", "origin")} for t in shown["tags"]
    ]
    assert not offered(env) & {"lorient", "quimper"}
    assert env.kb_json("search", "ESS", "--territory", "lorient")["total"] == 1
    actions = [e["action"] for e in env.kb_json("log", "--document", env.doc_id)]
    assert actions[:2] == ["tag.suggestion.dismiss", "tag.suggestion.accept"]
    # Neither comes back: not from `kb retag`, not from a new ingest of the file.
    env.kb("retag")
    write(env.root / "docs" / "diagnostic-brest.md", STUDY + "\nMise à jour.\n")
    env.kb("ingest", str(env.root / "docs"))
    assert not offered(env) & {"lorient", "quimper"}
    refused = env.runner.invoke(cli, [*env.library, "tag", "dismiss", env.doc_id, "territory",
                                      "quimper"])  # fmt: skip
    assert refused.exit_code != 0 and "no open suggestion territory 'quimper'" in refused.output


@pytest.fixture
def site(env: Env) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with Library.open(env.root / "lib", DEFAULT_VOCABULARY) as library:
        tokens = {r: create_token(library.catalog, f"{r}-1", r)[1]
                  for r in ("curator", "network", "admin")}  # fmt: skip
    app = create_app(Settings(library=env.root / "lib"))
    with TestClient(app) as client:
        yield client, tokens


def test_the_api_lists_accepts_and_dismisses_for_curators_only(
    env: Env, site: tuple[TestClient, dict[str, str]]
) -> None:
    client, tokens = site
    url = f"/api/v1/documents/{env.doc_id}/suggestions"

    def auth(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    assert client.get(url).status_code == 401
    assert client.get(url, headers=auth("network")).status_code == 403
    listed = client.get(url, headers=auth("curator"))
    assert listed.status_code == 200
    assert {s["value"] for s in listed.json()["suggestions"]} >= {"lorient", "quimper"}
    across = client.get("/api/v1/suggestions", headers=auth("curator")).json()["suggestions"]
    assert {(s["document_id"], s["value"]) for s in across} >= {(env.doc_id, "lorient")}
    body = {"field": "territory", "value": "lorient"}
    stale = client.post(
        f"{url}/accept", json=body, headers={**auth("curator"), "If-Match": '"r99"'}
    )
    assert stale.status_code == 412
    accepted = client.post(f"{url}/accept", json=body, headers=auth("curator"))
    assert accepted.status_code == 200 and "lorient" in accepted.json()["tags"]["territory"]
    assert accepted.headers["ETag"] == f'"r{accepted.json()["revision"]}"'
    again = client.post(f"{url}/accept", json=body, headers=auth("curator"))
    assert again.status_code == 404
    dismissed = client.post(f"{url}/dismiss", json={"field": "territory", "value": "quimper"},
                            headers=auth("curator"))  # fmt: skip
    assert dismissed.status_code == 200
    assert "quimper" not in dismissed.json()["tags"].get("territory", [])
    left = client.get(url, headers=auth("curator")).json()["suggestions"]
    assert not {s["value"] for s in left} & {"lorient", "quimper"}


def test_the_document_page_offers_them_to_curators_only(
    env: Env, site: tuple[TestClient, dict[str, str]]
) -> None:
    client, tokens = site
    notice = f"/notice/{env.doc_id}"
    assert "Étiquettes suggérées" not in client.get(notice).text  # anonymous
    sign_in(client, tokens["curator"])
    html = client.get(notice).text
    assert "Étiquettes suggérées" in html and "1 mention : « Lorient »" in html
    form = {"csrf": csrf_of(html), "revision": revision_of(html), "field": "territory",
            "value": "lorient", "decision": "accepter"}  # fmt: skip
    done = client.post(f"{notice}/suggestions", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("?ok=suggestion")
    html = client.get(done.headers["location"]).text
    assert "suggérée est enregistrée." in html
    assert "1 mention : « Lorient »" not in html
    form = {**form, "csrf": csrf_of(html), "revision": revision_of(html), "value": "quimper",
            "decision": "ecarter"}  # fmt: skip
    assert (
        client.post(f"{notice}/suggestions", data=form, follow_redirects=False).status_code == 303
    )
    without_csrf = {**form, "csrf": "", "value": "lorient"}
    assert client.post(f"{notice}/suggestions", data=without_csrf).status_code == 403


# --- where each tag came from, on the page and in the API ------------------------------------


def test_the_page_and_the_api_say_where_title_and_each_tag_came_from(
    env: Env, site: tuple[TestClient, dict[str, str]]
) -> None:
    client, _tokens = site
    out = client.get(f"/api/v1/documents/{env.doc_id}").json()
    by_field = {t["field"]: t for t in out["tag_origins"] if t["origin"] != "curator"}
    assert by_field["title"]["evidence"]["reason"] == "first heading"
    brest = next(t for t in out["tag_origins"] if t["value"] == "pays-de-brest")
    assert brest["evidence"]["reason"] == "title"
    html = client.get(f"/notice/{env.doc_id}").text
    origins = html[html.index('class="origins"') :]
    assert "premier titre du document" in origins  # the title's source, in French
    assert "dans le titre · " in origins and "« Pays de Brest »" in origins

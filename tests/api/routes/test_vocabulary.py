"""`GET /vocabulary` (`api.routes.vocabulary`): the tree of terms with French labels, and
counts of what the caller sees."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.api_site import CALLERS, SEES, Site, site

__all__ = ["site"]  # the fixture, from tests/api/api_site.py


def _terms(body: dict[str, Any], field: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            found[node["key"]] = node
            walk(node["children"])

    walk(next(f for f in body["fields"] if f["name"] == field)["terms"])
    return found


def test_vocabulary_is_a_tree_with_french_labels(site: Site) -> None:
    body = site.get("/vocabulary").json()
    fields = {f["name"]: f for f in body["fields"]}
    assert {"family", "territory", "mission", "kind", "instance", "status"} <= set(fields)
    assert fields["territory"]["label"] == "Territoire"
    top = fields["territory"]["terms"]
    assert [t["key"] for t in top] == ["france"]
    bretagne = next(t for t in top[0]["children"] if t["key"] == "bretagne")
    ille = next(t for t in bretagne["children"] if t["key"] == "ille-et-vilaine")
    assert ille["label"] == "Ille-et-Vilaine"
    assert "pays-de-rennes" in {t["key"] for t in ille["children"]}
    assert _terms(body, "territory")["finistere"]["label"] == "Finistère"


@pytest.mark.parametrize("role", CALLERS)
def test_vocabulary_counts_what_the_caller_sees(site: Site, role: str | None) -> None:
    body = site.get("/vocabulary", role).json()
    seen = SEES[role]
    assert body["documents"] == len(seen)
    family = _terms(body, "family")
    assert family["fondations"]["count"] == (1 if "interne" in seen else 0)
    assert family["associations"]["count"] == len(seen & {"etude", "reseau"})
    territory = _terms(body, "territory")
    assert territory["bretagne"]["count"] == len(seen)  # every document is in Bretagne
    assert territory["ille-et-vilaine"]["count"] == 1  # through Pays de Rennes
    assert _terms(body, "visibility")["internal"]["count"] == (1 if "interne" in seen else 0)


def test_vocabulary_has_an_etag(site: Site) -> None:
    etag = site.get("/vocabulary").headers["etag"]
    assert site.get("/vocabulary", headers={"If-None-Match": etag}).status_code == 304
    assert site.get("/vocabulary", "admin").headers["etag"] != etag  # other counts

"""The web layer's own small functions: the French reference, meta tags, highlighting."""

from __future__ import annotations

import json
from datetime import date

from api.web.citation import iso690, json_ld, meta_tags
from api.web.common import highlight
from indexer.marks import marks, searched
from kb.curation.citations import Reference


def ref(**changes: object) -> Reference:
    values: dict[str, object] = {
        "id": "abc123", "title": "Étude </script> d'un pôle ESS", "authors": ("Le Goff, Anne",
        "Collège coopératif de Bretagne"), "year": 2008, "date": "2008-06-15", "kind": "etude",
        "kind_label": "Étude", "media_type": "application/pdf", "summary": None,
        "language": "fr", "url": "http://x/notice/abc123", "file_url": "http://x/f",
        "tags": {}, "labels": {}, "keywords": ("Coopératives",),
    }
    values.update(changes)
    return Reference(**values)  # type: ignore[arg-type]


def test_iso690_in_french() -> None:
    text = str(iso690(ref(), date(2026, 12, 2)))
    assert text.startswith(
        "LE GOFF, Anne; COLLÈGE COOPÉRATIF DE BRETAGNE. <i>Étude &lt;/script&gt;")
    assert "[étude]. 2008. Disponible à l'adresse : http://x/notice/abc123" in text
    assert text.endswith("(consulté le 2 décembre 2026).")
    assert "[s. d.]" in str(iso690(ref(year=None, date=None), date(2026, 1, 1)))


def test_meta_tags_name_the_institution_and_the_pdf() -> None:
    tags = meta_tags(ref(), "internal", "http://x/f")
    assert ("citation_author", "Le Goff, Anne") in tags
    assert ("citation_publication_date", "2008/06/15") in tags
    assert ("citation_technical_report_institution", "Collège coopératif de Bretagne") in tags
    assert ("citation_pdf_url", "http://x/f") in tags
    assert ("citation_language", "fr") in tags
    only_people = meta_tags(ref(authors=("Le Goff, Anne",)), "external", None)
    assert not any(n.endswith("institution") for n, _ in only_people)


def test_json_ld_cannot_close_its_script_element() -> None:
    text = str(json_ld(ref(), "internal", "http://x/f"))
    assert "</script>" not in text
    data = json.loads(text)
    assert data["name"] == "Étude </script> d'un pôle ESS"
    assert data["author"][0] == {"@type": "Person", "name": "Le Goff, Anne"}
    assert data["datePublished"] == "2008-06-15"


def test_searched_words_are_found_without_accents_and_in_plural() -> None:
    text = "L'économie des coopératives et la Coopération"
    found = [text[a:b] for a, b in marks(text, searched("economie cooperative"))]
    # Coopération has the same French stem, so the index matches it too.
    assert found == ["économie", "coopératives", "Coopération"]
    assert marks(text, searched("budget")) == []
    assert [text[a:b] for a, b in marks(text, searched("coopérat*"))] == [
        "coopératives", "Coopération"]
    # Excluded words, operators and field clauses are not looked for.
    assert marks(text, searched('-economie kind:etude OU "coopératives"')) == [(15, 27), (34, 45)]
    assert marks(text, searched("")) == []


def test_highlight_escapes_the_text() -> None:
    assert str(highlight("a <b> c", [(3, 4)])) == "a &lt;<mark>b</mark>&gt; c"

"""The pieces of `make eval` that need no download: reference text, recall, known items."""

from __future__ import annotations

from pathlib import Path

from benchmarks.eval.known_items import pick
from benchmarks.eval.reference import html_visible_text, token_recall, token_recall_seen


def test_visible_text_joins_inline_elements_and_skips_hidden_ones(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>T</title><style>x{}</style></head><body>"
        "<div id='main'><p>~B<em>typeDép</em> et <b>la suite</b></p>"
        "<div style='display:none'>caché</div><ul class='docnav'><li>Précédent</li></ul>"
        "<div class='sidebar'><p>Encadré</p></div></div><div id='footer'>Pied</div>"
        "</body></html>",
        "utf-8",
    )
    text = html_visible_text(page)
    assert "~BtypeDép et la suite" in text
    assert "caché" not in text and "x{}" not in text and "Encadré" in text
    only_main = html_visible_text(page, main_id="main", skip_class="docnav")
    assert "Pied" not in only_main and "Précédent" not in only_main


def test_token_recall_counts_occurrences() -> None:
    assert token_recall("la référence", "La référence, la référence") == (0.5, 2, 4)
    assert token_recall("", "") == (1.0, 0, 0)


def test_recall_on_seen_words_leaves_out_what_the_witness_misses_too() -> None:
    reference = "Tableau 1.1 les paquets, les paquets"
    poppler = "1.1 les paquets les"  # no caption "Tableau", one "paquets"
    assert token_recall_seen("1.1 les paquets", reference, poppler) == (4, 5)
    assert token_recall_seen(reference, reference, poppler) == (5, 5)
    assert token_recall_seen("", reference, "") == (0, 0)


def test_known_items_have_one_right_document() -> None:
    shared = "Le comité de pilotage se réunit chaque trimestre à Rennes pour suivre les études."
    references = [
        f"{shared} Les coopératives agricoles du Finistère exportent vers l’Angleterre.",
        f"{shared} Une mutuelle de santé ouvre trois centres dentaires dans le Morbihan.",
    ]
    items = pick(references, {})
    assert {item.kind for item in items} == {"sentence", "phrase"}
    for item in items:
        assert item.text in references[item.target]
        assert item.text not in shared  # the shared sentence is in both: never a known item
    assert pick(references, {}) == items  # seeded: the same every time

"""HTML: every visible word of the content is kept; furniture is decided by structure."""

from __future__ import annotations

from pathlib import Path

from indexer.extract.html import HtmlExtractor
from indexer.extract.registry import DEFAULT_LIMITS


def _text(tmp_path: Path, body: str) -> str:
    page = tmp_path / "page.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>",
                    "utf-8")  # fmt: skip
    doc = HtmlExtractor().extract(page, DEFAULT_LIMITS)
    return "\n".join(section.text for section in doc.sections)


def test_docbook_boxes_notes_captions_and_definitions_are_content(tmp_path) -> None:
    text = _text(
        tmp_path,
        '<div class="section"><div class="para">Le paragraphe.</div>'
        '<div class="sidebar"><div class="title">CULTURE</div>'
        '<div class="para">Un encadré entier de texte.</div></div>'
        '<div class="note">Une note.</div><div class="warning">Un avertissement.</div>'
        '<div class="figure"><p class="caption">Une légende de figure.</p></div>'
        "<dl><dt>terme</dt><dd>sa définition</dd></dl>"
        "<table><tr><td>une cellule</td></tr></table></div>",
    )
    for words in ("Un encadré entier de texte.", "CULTURE", "Une note.", "Un avertissement.",
                  "Une légende de figure.", "terme", "sa définition", "une cellule"):  # fmt: skip
        assert words in text


def test_site_furniture_at_page_level_is_left_out(tmp_path) -> None:
    text = _text(
        tmp_path,
        "<header>BANDEAU du site</header><nav>MENU principal</nav>"
        "<aside>COLONNE du site</aside><div role='navigation'>LIENS</div>"
        "<article><header>Titre de l'article</header><p>Le texte.</p>"
        "<aside>Encadré de l'article</aside></article><footer>PIED de page</footer>",
    )
    assert "Titre de l'article" in text and "Encadré de l'article" in text
    for furniture in ("BANDEAU", "MENU", "COLONNE", "LIENS", "PIED"):
        assert furniture not in text


def test_a_navigation_class_alone_does_not_make_furniture(tmp_path) -> None:
    text = _text(
        tmp_path,
        '<ul class="docnav"><li><a href="a.html">Précédent</a></li>'
        '<li><a href="b.html">Suivant</a></li></ul>'
        '<div class="navheader"><table><tr><td><a href="p.html">Préc.</a></td>'
        '<td>Chapitre 2</td><td><a href="s.html">Suiv.</a></td></tr></table></div>'
        '<div class="menu">Le menu du restaurant solidaire propose trois plats, '
        'voir <a href="m.html">la carte</a>.</div>',
    )
    assert "Précédent" not in text and "Suivant" not in text  # a link list: navigation
    assert "Préc." not in text and "Chapitre 2" not in text  # DocBook's navigation header
    assert "Le menu du restaurant solidaire propose trois plats" in text  # prose: content


def test_hidden_elements_are_left_out(tmp_path) -> None:
    text = _text(
        tmp_path,
        "<p>Visible.</p><div hidden>CACHE1</div><div aria-hidden='true'>CACHE2</div>"
        "<div style='display: none'>CACHE3</div>",
    )
    assert "Visible." in text
    assert "CACHE" not in text

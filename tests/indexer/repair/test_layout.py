"""Layout repairs: line breaks, controls, spaces, Unicode forms, hyphens and blank lines."""

from __future__ import annotations

import pytest

from indexer.repair import repair_text
from indexer.repair.layout import (
    collapse_blank_lines,
    collapse_spaces,
    expand_ligatures,
    fix_hyphenation,
    fold_fullwidth,
    normalize_newlines,
    normalize_nfc,
    remove_controls,
    remove_soft_hyphens,
)


def hyphenate(text: str) -> str:
    return fix_hyphenation(text)[0]


@pytest.mark.parametrize(
    ("broken", "joined"),
    [
        ("l’écono-\nmie sociale", "l’économie sociale"),
        ("Ille-et-\nVilaine", "Ille-et-Vilaine"),  # a capital after the break
        ("Saint-\nBrieuc", "Saint-Brieuc"),
        ("Côtes-\nd’Armor", "Côtes-d’Armor"),  # an elision after the break
        ("peut-\nêtre", "peut-être"),
        ("celui-\nci", "celui-ci"),
        ("après-\nmidi", "après-midi"),
        ("a-t-\nil", "a-t-il"),
        ("l’au-\ntomne", "l’automne"),
        ("c’est-à-\ndire", "c’est-à-dire"),  # a short part inside a compound
        ("la co-construc-\ntion", "la co-construction"),
        ("un écono-\n  mie", "un économie"),  # indentation of the next line goes
        ("a-\nb-\nc", "abc"),
    ],
)
def test_words_broken_at_line_ends(broken: str, joined: str) -> None:
    assert hyphenate(broken) == joined


def test_the_document_vocabulary_decides_first() -> None:
    assert fix_hyphenation("les mots-\nclés", lambda: {"mots-clés"}) == ("les mots-clés", 1, 0)
    assert fix_hyphenation("la peut-\nêtre", lambda: {"peutêtre"}) == ("la peutêtre", 1, 0)
    # Without a vocabulary, the text's own words are used.
    assert hyphenate("les mots-clés et les mots-\nclés") == "les mots-clés et les mots-clés"


@pytest.mark.parametrize(
    "text",
    [
        "écono-\n\nmie",  # a paragraph break is not a line end
        "2007-\n2008",
        "une liste -\n- suite",
        "fin -\nsuite",
        "- premier\n- second",
        "mot-",
    ],
)
def test_what_is_not_a_broken_word(text: str) -> None:
    assert fix_hyphenation(text) == (text, 0, 0)


def test_soft_hyphens() -> None:
    assert remove_soft_hyphens("écono\u00admie\n") == ("économie\n", 1)
    # At a line end the soft hyphen waits for the join, which drops it.
    assert remove_soft_hyphens("écono\u00ad\nmie") == ("écono\u00ad\nmie", 0)
    assert fix_hyphenation("écono\u00ad\nmie sociale") == ("économie sociale", 0, 1)
    assert repair_text("l’écono\u00ad\nmie et la soli\u00addarité\u00ad") == (
        "l’économie et la solidarité",
        {"soft_hyphens": 3},
    )


def test_ligatures_and_full_width_forms() -> None:
    assert expand_ligatures("ﬁnancement, ﬂux, eﬀet, eﬃcace, aﬄux") == (
        "financement, flux, effet, efficace, afflux",
        5,
    )
    assert fold_fullwidth("ＥＳＳ ２００８") == ("ESS ２００８".replace("２００８", "2008"), 7)


@pytest.mark.parametrize(
    "text",
    [
        "« Bonjour\u00a0» ; c’est l’été\u202f!",  # French typography's no-break spaces
        "25 m², le 1ᵉʳ mai, le XIXᵉ siècle, n° 5, nº 5, ½ journée",  # superscripts that matter
        "l’œuvre, Œuvres, cœur",  # œ has no compatibility form
        "et ainsi de suite…",  # not "..."
        "CO₂, H₂O, ™",
    ],
)
def test_nfkc_is_not_applied_where_it_would_change_french(text: str) -> None:
    assert repair_text(text) == (text, {})


def test_nfc_composes_decomposed_accents() -> None:
    assert normalize_nfc("e\u0301conomie") == ("économie", 1)
    assert normalize_nfc("économie") == ("économie", 0)


def test_line_breaks_and_controls() -> None:
    assert normalize_newlines("a\r\nb\rc\fd\u2028e") == ("a\nb\nc\nd\ne", 4)
    assert remove_controls("a\x00b\x07c\ufeffd\u200be\tf\ng") == ("abcde\tf\ng", 4)


def test_spaces() -> None:
    assert collapse_spaces("un  pôle \t ESS  \nsuite \t") == ("un pôle ESS\nsuite", 4)
    assert collapse_spaces("    code indenté\n\tliste") == ("    code indenté\n\tliste", 0)
    assert collapse_spaces("mot\tmot") == ("mot\tmot", 0)


def test_blank_lines() -> None:
    assert collapse_blank_lines("\n\na\n\n\n\nb\n\n\n") == ("a\n\nb\n", 4)
    assert collapse_blank_lines("a\n\nb\n") == ("a\n\nb\n", 0)


@pytest.mark.parametrize(
    "text",
    [
        "Écrire à contact@cres-\nbretagne.fr pour la note.",
        "Voir https://www.ess-\nbretagne.org/page pour le détail.",
        "le site www.cres-\nbretagne.org aussi",
        "jean.du-\npont@exemple.fr",
    ],
)
def test_hyphenation_leaves_email_addresses_and_urls_alone(text: str) -> None:
    assert fix_hyphenation(text)[0] == text
    # A word broken beside an address is still joined.
    joined = fix_hyphenation(f"le rapport écono-\nmique\n{text}")[0]
    assert joined == f"le rapport économique\n{text}"

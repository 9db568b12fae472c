"""The repair stage as the ingest code uses it: repair_document, repair_text, the changes."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from indexer.extract.base import ExtractedDocument, Section
from indexer.repair import REPAIR_NAMES, RepairedDocument, repair_document, repair_text

DAMAGED_SLIDE = "la 3Łme rØunion d\ufffdØtape doit Œtre prØparØe"


def paged(*pages: str, title: str | None = None) -> ExtractedDocument:
    return ExtractedDocument(
        media_type="application/pdf",
        sections=tuple(Section(text, page=number) for number, text in enumerate(pages, 1)),
        title=title,
    )


def test_the_domain_example_reads_as_written() -> None:
    text, changes = repair_text(DAMAGED_SLIDE)
    assert text == "la 3ème réunion d’étape doit être préparée"
    assert changes == {"standard_encoding": 7}


def test_old_deck_replacement_characters_read_in_intact_text() -> None:
    """Issue 26: in a deck whose letters survived, the bullets glued to their word, a dash's
    shadow copy and an ellipsis no longer leave U+FFFD in the text."""
    slide = ("\ufffdContenu de l\ufffdétude\n\ufffdFinancement du pôle\n"
             "Méthodologie\ufffd – prochaines étapes\n(économie, sport, culture\ufffd)")
    text, changes = repair_text(slide)
    assert text == ("• Contenu de l’étude\n• Financement du pôle\n"
                    "Méthodologie – prochaines étapes\n(économie, sport, culture…)")
    assert changes == {"replacement_characters": 5}


def test_clean_text_has_no_changes() -> None:
    text = "L’économie sociale et solidaire, « mise en œuvre » des Œuvres : 12 % en 2008."
    assert repair_text(text) == (text, {})


def test_changes_name_only_repairs_that_changed_something() -> None:
    _, changes = repair_text("Calendrier du projetCalendrier du projet\nﬁnancement  solidaire")
    assert changes == {"doubled_text": 1, "ligatures": 1, "whitespace": 1}
    assert set(changes) <= set(REPAIR_NAMES)
    assert all(count > 0 for count in changes.values())


def test_repair_document_repairs_text_title_and_headings() -> None:
    doc = ExtractedDocument(
        media_type="text/html",
        sections=(
            Section("Le budget de l’Øtude.", heading="2.2. Le budget Le budget"),
            Section("Le rØsultat.", heading="2.2. Le budget Le budget"),
            Section("Sans titre."),
        ),
        title="MØthodologie du pôle",
        authors=("CRES Bretagne",),
        language="fr",
    )
    result = repair_document(doc)
    assert isinstance(result, RepairedDocument)
    repaired = result.document
    assert repaired.title == "Méthodologie du pôle"
    assert [s.text for s in repaired.sections] == [
        "Le budget de l’étude.",
        "Le résultat.",
        "Sans titre.",
    ]
    assert [s.heading for s in repaired.sections] == ["2.2. Le budget", "2.2. Le budget", None]
    assert repaired.authors == doc.authors and repaired.language == "fr"
    assert result.changes == {"doubled_text": 1, "standard_encoding": 3}
    assert doc.title == "MØthodologie du pôle"  # the input is left as it was


def test_evidence_is_taken_from_the_whole_document() -> None:
    # "Øtape" alone is no proof (Ø begins Danish words), but the other page is damaged.
    doc = paged("Øtape 1", "la rØunion du comitØ")
    assert [s.text for s in repair_document(doc).document.sections] == [
        "étape 1",
        "la réunion du comité",
    ]
    assert repair_text("Øtape 1") == ("Øtape 1", {})


BODIES = [
    "Le comité de pilotage fixe les priorités.",
    "Le conseil scientifique valide les méthodes.",
    "La cellule d’animation coordonne le réseau.",
    "Les personnes ressources collectent les documents.",
    "Le portail diffuse les études validées.",
]


def test_paged_documents_lose_headers_footers_and_page_numbers() -> None:
    pages = [
        f"Observatoire de l’ESS – étude 2008\n{body}\nCRES Bretagne\n{number}"
        for number, body in enumerate(BODIES, 1)
    ]
    result = repair_document(paged(*pages))
    texts = [s.text for s in result.document.sections]
    # The running header and footer stay once, on the first page, so their text stays findable.
    assert texts[0] == f"Observatoire de l’ESS – étude 2008\n{BODIES[0]}\nCRES Bretagne"
    assert texts[1:] == BODIES[1:]
    assert [s.page for s in result.document.sections] == [1, 2, 3, 4, 5]
    assert result.changes == {"running_headers": 8, "page_numbers": 5}


def test_sections_without_pages_keep_their_repeated_lines() -> None:
    sections = tuple(Section(f"Observatoire de l’ESS\nTexte {n}.\n{n}") for n in range(1, 6))
    doc = ExtractedDocument(media_type="text/html", sections=sections)
    result = repair_document(doc)
    assert result.document == doc
    assert result.changes == {}


def test_a_word_broken_across_lines_is_joined_using_the_document_vocabulary() -> None:
    # "mots-clés" is written whole on another page: the hyphen of "mots-\nclés" is kept.
    doc = paged("les mots-\nclés du vocabulaire", "des mots-clés et de l’écono-\nmie")
    texts = [s.text for s in repair_document(doc).document.sections]
    assert texts == ["les mots-clés du vocabulaire", "des mots-clés et de l’économie"]


def test_a_document_without_sections_is_fine() -> None:
    doc = ExtractedDocument(media_type="text/plain", sections=())
    assert repair_document(doc) == RepairedDocument(doc, {})


# --- properties ------------------------------------------------------------------------

WORDS = [
    "économie", "sociale", "solidaire", "pôle", "réunion", "étape", "préparée", "être",
    "évaluation", "coopératives", "associations", "mutuelles", "fondations", "territoire",
    "Bretagne", "Rennes", "Ille-et-Vilaine", "Côtes-d’Armor", "Finistère", "Morbihan",
    "l’observatoire", "d’étude", "qu’il", "aujourd’hui", "peut-être", "c’est-à-dire", "œuvre",
    "cœur", "sœur", "vœux", "Œuvres", "mise", "en", "de", "la", "le", "les", "des", "du", "au",
    "à", "où", "très", "plus", "nous", "vous", "ils", "ont", "été", "déjà", "là", "garçon",
    "français", "naïf", "Noël", "août", "coût", "sûr", "dû", "île", "maïs", "ambiguë", "Cité",
    "Élus", "États", "Ça", "À", "ÉCONOMIE", "SOCIALE", "SCIC", "CRES", "ESS", "INSEE", "URSSAF",
    "2008", "2007-2008", "12", "45", "%", "15", "000", "€", "1er", "2e", "XIXe", "m²", "n°",
    "3,5",
]  # fmt: skip
LEGIT_REPEATS = ["nous nous", "vous vous", "très très", "de de", "bonbon", "couscous",
                 "de\nde", "– –"]  # fmt: skip
HEADINGS = [
    "1. Contexte de l’étude",
    "2.2. Le budget",
    "Calendrier du projet",
    "Les cinq missions du pôle",
    "ANNEXE : SIGLES",
    "III. Gouvernance",
]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS + LEGIT_REPEATS), min_size=1, max_size=14))
    if draw(st.booleans()):
        quoted = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))
        words.append("«\u00a0" + " ".join(quoted) + "\u00a0»")
    text = " ".join(words)
    end = draw(st.sampled_from([".", " ;", "\u00a0:", "\u00a0!", " ?", "…"]))
    return text[0].upper() + text[1:] + end


@st.composite
def clean_french(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["paragraph", "list", "heading"]))
        if kind == "heading":
            blocks.append(draw(st.sampled_from(HEADINGS)))
        elif kind == "list":
            marker = draw(st.sampled_from(["-", "•", "1)", "a."]))
            items = draw(st.lists(sentences(), min_size=1, max_size=4))
            blocks.append("\n".join(f"{marker} {item}" for item in items))
        else:
            lines = draw(st.lists(sentences(), min_size=1, max_size=4))
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Whole documents are slow to generate: fewer of them.
DOCUMENTS = settings(PROPERTY, max_examples=50)


@PROPERTY
@given(clean_french())
def test_clean_french_comes_out_unchanged(text: str) -> None:
    assert repair_text(text) == (text, {})


def _edge_key(line: str) -> str:
    return "".join("#" if c.isdigit() else c for c in line.casefold())


@DOCUMENTS
@given(st.lists(clean_french(), min_size=1, max_size=4))
def test_clean_paged_documents_come_out_unchanged(pages: list[str]) -> None:
    # A line at the edge of several pages may be a running header: those pages are not
    # "clean" in the sense of this property.
    for edge in (0, -1):
        keys = [_edge_key(page.split("\n")[edge]) for page in pages]
        assume(len(set(keys)) == len(keys))
    doc = paged(*pages, title=pages[0].split("\n")[0])
    assert repair_document(doc) == RepairedDocument(doc, {})


# The characters the repairs look at, so that random text meets them often.
DAMAGE_ALPHABET = "aeéèêrtuiàçoœŒØŁºøß˙¨˚´`^ˆ¸ı\ufffd ÃÂ©ª‰€’'-–()\n\t\xad\xa0ﬁABCÉ12.«»"


@st.composite
def damaged_text(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        run = draw(st.text(alphabet=DAMAGE_ALPHABET, max_size=15))
        other = draw(st.text(alphabet=DAMAGE_ALPHABET, max_size=15))
        # Shadowed runs: several in a row on a line, and on both sides of a line break.
        shapes = [run, run + run, f"{run} {run}", f"1. {run} {run}", f"{run}-\n{run}",
                  f"{run} {run}{other}{other}", f"{other}{run}{run}\n{run}"]  # fmt: skip
        parts.append(draw(st.sampled_from(shapes)))
    return draw(st.sampled_from(["", "\n", " ", "-\n"])).join(parts)


@PROPERTY
@given(st.one_of(st.text(), damaged_text()))
@example("aŁŁŁŁŁ")  # each repaired è used to unlock only the next Ł, one round at a time
@example("ŁŁŁŁŁa")
@example("Bilan du comité de du comité de pilotagepilotage")
@example("3 axes3 axes de travail retenus\nde travail retenus\ncomme priorités comme priorités")
@example("Phase 1 Phase 1 \ufffd\ufffd mars 2009mars 2009")
@example("La r´ef´erence de la cha^ıne `a la page")
@example("\ufffdContenu\nMéthodologie\ufffd – prochaines (culture\ufffd)")
@example("Phase 1 Phase 1\ufffd – mars 2009mars 2009")
def test_repair_is_idempotent(text: str) -> None:
    once, _ = repair_text(text)
    assert repair_text(once) == (once, {})


@DOCUMENTS
@given(st.lists(damaged_text(), min_size=1, max_size=6))
def test_document_repair_is_idempotent(pages: list[str]) -> None:
    once = repair_document(paged(*pages, title=pages[0])).document
    assert repair_document(once) == RepairedDocument(once, {})


@PROPERTY
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    # Lone surrogates included: a decoder with errors="surrogateescape" upstream makes them.
    repaired, changes = repair_text(text)
    assert isinstance(repaired, str)
    assert all(name in REPAIR_NAMES and count > 0 for name, count in changes.items())


def test_repair_document_keeps_every_other_field() -> None:
    doc = dataclasses.replace(
        paged("Texte."), keywords=("ESS",), warnings=("tronqué",), properties={"k": "v"}
    )
    assert repair_document(doc).document == doc

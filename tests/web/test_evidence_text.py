"""Every reason the tagging code writes reads in French on the document page."""

from __future__ import annotations

import pytest

from api.web.evidence_text import evidence_fr, reason_fr
from kb.tags import TagEvidence


@pytest.mark.parametrize(
    ("reason", "french"),
    [
        ("title", "dans le titre"),
        ("first page", "en première page"),
        ("cover", "en couverture"),
        ("slides", "diapositives"),
        ("slides: 18 of 20 pages", "diapositives : 18 pages sur 20"),
        ("parts: 4 lines", "parties du document : 4 lignes"),
        ("model 0.82", "modèle appris des curateurs, confiance 0,82"),
        ("largest type on page 1", "plus gros caractères de la page 1"),
        ("stated on page 3", "écrite page 3"),
        ("stated in the title", "écrite dans le titre"),
        ("file name", "nom du fichier"),
        ("<h1> of the page", "titre <h1> de la page"),
        ("file metadata, on page 1", "métadonnées du fichier, confirmées en page 1"),
    ],
)
def test_reasons_read_in_french(reason: str, french: str) -> None:
    assert reason_fr(reason) == french


def test_evidence_lines() -> None:
    assert evidence_fr(
        TagEvidence("t", "v", "first page", 2, ("Lorient", "Lorient Agglo"), (1, 3))
    ) == ("en première page · 2 mentions : « Lorient », « Lorient Agglo » · p. 1, 3")
    assert evidence_fr(TagEvidence("t", "v", "3 mentions", 3, ("Brest",), ())) == (
        "3 mentions : « Brest »"
    )
    assert evidence_fr(
        TagEvidence("date", "2013", "stated on page 1", 0, ("14 mars 2013",), ())
    ) == ("écrite page 1 : « 14 mars 2013 »")
    assert reason_fr("something new") == "something new"

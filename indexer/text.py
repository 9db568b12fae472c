"""Small text helpers shared by the analysis, the vocabulary and tagging."""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not decompose but a French reader types without the ligature.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower-case, accent-free form for comparing words: "L’Œuvre" -> "l'oeuvre".

    Keeps length-changing ligature expansion (œ -> oe); never raises.
    """
    text = text.translate(_LIGATURES).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()

"""`fold`: the one way the project compares words, whatever the layer.

The index's analysis, query field names and tag values, the vocabulary's lookups (so the
CLI's and the API's filters), sorting titles, citation keys and collection keys all fold
with it: "Œuvre", "oeuvre" and "ŒUVRE" are one word everywhere. The few that must differ
say why where they are (`kb.mentions.plain_text` keeps case for acronyms).
"""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not decompose but a French reader types without the ligature.
LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}
_LIGATURES = str.maketrans(LIGATURES)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower-case, accent-free form for comparing words: "L’Œuvre" -> "l'oeuvre".

    Ligatures are spelt out (œ -> oe, æ -> ae: the length may change), accents and other
    combining marks dropped, compatibility characters decomposed (ﬁ -> fi), curly
    apostrophes made straight, case folded. Never raises.
    """
    text = text.translate(_LIGATURES).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()

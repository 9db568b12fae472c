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
# Ligatures spelt out and curly apostrophes made straight, in one pass.
_SPELT = str.maketrans({**LIGATURES, "’": "'", "‘": "'", "ʼ": "'", "`": "'"})


MAX_REMEMBERED_CODES = 65_536


class _CombiningMarks(dict[int, int | None]):
    """A `str.translate` table that drops combining marks: each code point is looked up in
    `unicodedata` once, then remembered. Ingest folds every line of every document (kinds,
    ground words, titles): a Python loop over the characters was most of that time."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < MAX_REMEMBERED_CODES:  # a hostile text may hold every code point
            self[code] = kept
        return kept


_COMBINING_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Lower-case, accent-free form for comparing words: "L’Œuvre" -> "l'oeuvre".

    Ligatures are spelt out (œ -> oe, æ -> ae: the length may change), accents and other
    combining marks dropped, compatibility characters decomposed (ﬁ -> fi), curly
    apostrophes made straight, case folded. Never raises.
    """
    text = text.translate(_SPELT)
    if text.isascii():  # nothing to decompose nor drop
        return text.casefold()
    return unicodedata.normalize("NFKD", text).translate(_COMBINING_MARKS).casefold()

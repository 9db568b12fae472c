"""When a name found in a text is not evidence of its term.

A place name is a place only where the text uses it as one. These rules, checked on the
text as written (case and punctuation kept), drop a mention:

- a proper name written all in lower case: "les vannes de l'écluse" is not Vannes (but
  "les pays de Saint-Malo" is the Pays de Saint-Malo);
- a place inside the name of something else, the name going on with a capitalised word
  ("Brest Design", "Finistère Express"), outside a line written all in capitals;
- a place in a postal address: after a postcode ("56002 Vannes"), before "cedex";
- any name inside the expansion of an acronym: "Fonds pour le développement de la vie
  associative (FDVA)", "FDVA (Fonds pour le développement de la vie associative)" name a
  fund, not associations.
"""

from __future__ import annotations

import re

# What the rules look at around a name, in characters.
REACH = 80

_POSTCODE_BEFORE = re.compile(r"(?:^|\D)\d{5}[ \t\u00a0]+$")
_CEDEX_AFTER = re.compile(r"^[ \t\u00a0,]*cedex\b", re.IGNORECASE)
# The name goes on: one space, then a capitalised word, other than the words that make a
# place's own institution or part ("Brest Métropole", "Bretagne Sud").
_PLACE_WORDS = ("Métropole", "Agglomération", "Agglo", "Communauté", "Ville", "Cedex", "Sud",
                "Nord", "Est", "Ouest", "Centre")  # fmt: skip
_NAME_GOES_ON = re.compile(rf"^ (?!(?:{'|'.join(_PLACE_WORDS)})\b)[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+\b")
_ACRONYM = r"[A-Z][A-Z0-9&-]{1,12}s?"
_ACRONYM_AFTER = re.compile(rf"^[^.;:!?()\n]{{0,{REACH}}}\(\s*{_ACRONYM}\s*\)")
_ACRONYM_BEFORE = re.compile(rf"\b{_ACRONYM}\s*\([^()\n]{{0,{REACH}}}$")


def is_evidence(text: str, start: int, end: int, *, place: bool, proper: bool) -> bool:
    """Whether text[start:end], a name found there, counts as evidence of its term.

    `place`: the term is a territory; `proper`: the name is a proper name (written with a
    capital in the vocabulary)."""
    if _in_acronym_expansion(text, start, end):
        return False
    if not place:
        return True
    if proper and not any(c.isupper() for c in text[start:end]):
        return False
    before, after = text[max(0, start - REACH) : start], text[end : end + REACH]
    if _POSTCODE_BEFORE.search(before) or _CEDEX_AFTER.match(after):
        return False
    return not (_NAME_GOES_ON.match(after) and not _in_capitals(text, start, end))


def _in_acronym_expansion(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - REACH) : start]
    after = text[end : end + REACH]
    if _ACRONYM_BEFORE.search(before) and ")" in after.split("\n", 1)[0]:
        return True
    return bool(_ACRONYM_AFTER.match(after))


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the line holding the name is written in capitals (a title, a heading)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)

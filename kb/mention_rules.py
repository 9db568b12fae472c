"""When a name found in a text is not evidence of its term.

A place name is a place only where the text uses it as one. These rules, checked on the
text as written (case and punctuation kept), drop a mention:

- a proper name written all in lower case: "les vannes de l'écluse" is not Vannes (but
  "les pays de Saint-Malo" is the Pays de Saint-Malo);
- a place inside the name of something else, the name going on with a capitalised word
  ("Brest Design", "Finistère Express") or coming after one in the middle of a phrase
  ("Extinction Rebellion Dinan", "Work In France"), outside a line written all in capitals;
  only a proper name is such a piece ("la consultation nationale France Relance" is
  national);
- a place in a postal address: after a postcode ("56002 Vannes"), before "cedex";
- a place that is a list's item on its own ("- Lanvallay (2014)"): a list of places among
  many names none of them in particular;
- any name inside the expansion of an acronym: "Fonds pour le développement de la vie
  associative (FDVA)", "FDVA (Fonds pour le développement de la vie associative)" name a
  fund, not associations; but a name that opens the expansion says what the body is:
  "Association genevoise des amis du Salève (AGAS)" is an association;
- a family, mission or body named inside the name of a public body, as the domain it is in
  charge of: "la Direction de la jeunesse, de l'éducation populaire et de la vie
  associative", "le ministère de l'Éducation nationale et de la Vie associative" name an
  administration, not associations. (A place in a public body's name is the body's
  territory, and counts: "Conseil départemental du Finistère".)
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
# Or a capitalised word comes before it, itself after a word of the same phrase (not a
# sentence's or a line's first word: "En Bretagne, …"), other than a place's own words
# ("Saint Malo", "Conseil Départemental Finistère").
_PLACE_BEFORE = (*_PLACE_WORDS, "Pays", "Région", "Département", "Conseil", "Départemental",
                 "Régional", "Général", "Saint", "Sainte", "St", "Ste", "Grand", "Bassin",
                 "Haute", "Basse", "Île", "Iles", "Îles")  # fmt: skip
_NAME_BEFORE = re.compile(
    rf"[\w'’][ \t]+(?!(?:{'|'.join(_PLACE_BEFORE)})[ \t]+$)[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]*[ \t]+$"
)
_BULLET = re.compile(r"[ \t]*(?:[-*•–·▪]|\d{1,2}[.)])[ \t]+")
_ITEM_REST = re.compile(r"[ \t]*(?:\([^()\n]{0,40}\))?[ \t.,;]*")
_ACRONYM = r"[A-Z][A-Z0-9&]{1,12}"
_ACRONYM_AFTER = re.compile(rf"^([^.;:!?()\n]{{0,{REACH}}})\(\s*({_ACRONYM})s?\s*\)")
_ACRONYM_BEFORE = re.compile(rf"\b({_ACRONYM})s?\s*\(([^()\n]{{0,{REACH}}})$")
_WORD = re.compile(r"[^\W\d_]+")
# A public body's name: its head noun, an adjective, then "de la X", ", de l'Y", "et des Z"
# complements, each a word and perhaps its adjective, over line breaks (a PDF wraps names),
# the name sought being the last complement's object or the head's adjective.
_BODIES = (r"(?:[Mm]inist[eè]re|[Ss]ecr[ée]tariat|[Hh]aut[- ][Cc]ommissariat|Direction"
           r"|Sous-direction|D[ée]l[ée]gation|Agence|[Pp]r[ée]fecture|Inspection)")  # fmt: skip
_APOSTROPHE = "'’ʼ"
_OF = rf"(?:de|du|des|d[{_APOSTROPHE}]|à|au|aux|pour|en charge de|chargée? de)"
_THE = rf"(?:la\s+|le\s+|les\s+|l[{_APOSTROPHE}])?"
_NAME_WORD = rf"[^\W\d_][\w{_APOSTROPHE}-]*"
_COMPLEMENT = rf"\s*,?\s*(?:et\s+)?{_OF}\s*{_THE}{_NAME_WORD}(?:[ \t]+[a-zà-ÿ-]+)?"
_IN_A_BODY = re.compile(
    rf"\b{_BODIES}(?:[ \t]+[a-zà-ÿ-]+)?(?:{_COMPLEMENT})*"
    rf"(?:\s*,?\s*(?:et\s+)?{_OF}\s*{_THE}|[ \t]+)$"
)
# Words an acronym skips: "Fonds pour le développement de la vie associative" is FDVA.
_SMALL_WORDS = frozenset(
    ["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "par",
     "pour", "sur", "un", "une"]
)  # fmt: skip


def is_evidence(text: str, start: int, end: int, *, place: bool, proper: bool) -> bool:
    """Whether text[start:end], a name found there, counts as evidence of its term.

    `place`: the term is a territory; `proper`: the name is a proper name (written with a
    capital in the vocabulary)."""
    if _in_acronym_expansion(text, start, end):
        return False
    if not place:
        return not _in_a_public_bodys_name(text, start)
    if proper and not any(c.isupper() for c in text[start:end]):
        return False
    before, after = text[max(0, start - REACH) : start], text[end : end + REACH]
    if _POSTCODE_BEFORE.search(before) or _CEDEX_AFTER.match(after):
        return False
    if _a_list_item_of_its_own(text, start, end):
        return False
    # Only a proper name may be a piece of another name: "consultation nationale France
    # Relance" is national.
    named = proper and (_NAME_GOES_ON.match(after) or _NAME_BEFORE.search(before))
    return not (named and not _in_capitals(text, start, end))


def _in_acronym_expansion(text: str, start: int, end: int) -> bool:
    """Whether the name stands in words that an acronym next to them abbreviates:
    "vie associative" in "Fonds pour le développement de la vie associative (FDVA)" or in
    "FDVA (Fonds pour le développement de la vie associative)"; not "Saint-Malo" in
    "la SCOP-SA (Saint-Malo)", whose initials are not the acronym's, nor "Association" in
    "Association genevoise des amis du Salève (AGAS)", which opens the expansion: the name
    says what the body is."""
    before = text[max(0, start - REACH) : start]
    after = text[end : end + REACH]
    opened = _ACRONYM_BEFORE.search(before)
    if opened and ")" in after.split("\n", 1)[0]:
        inside = opened.group(2) + text[start:end] + after.split(")", 1)[0]
        following = _words(after.split(")", 1)[0])
        if _abbreviates(opened.group(1), inside) and (_words(opened.group(2)) or not following):
            return True
    closed = _ACRONYM_AFTER.match(after)
    if closed:
        clause = re.split(r"[.;:!?()\n]", before)[-1] + text[start:end] + closed.group(1)
        # The name opens the words abbreviated, which go on after it: it is what the body
        # is ("Association" in "Association genevoise des amis du Salève (AGAS)"); the whole
        # expansion is the acronym said in full, counted once, as the acronym.
        rest = _words(closed.group(1))
        opens = bool(rest) and len(_words(text[start:end])) + len(rest) >= len(
            [c for c in closed.group(2) if c.isalpha()]
        )
        return _abbreviates(closed.group(2), clause) and not opens
    return False


def _words(text: str) -> list[str]:
    """The words an acronym abbreviates: small words skipped."""
    return [w for w in _WORD.findall(text) if w.lower() not in _SMALL_WORDS]


def _in_a_public_bodys_name(text: str, start: int) -> bool:
    """Whether the name at `start` ends a public body's name: "Direction de la jeunesse, de
    l'éducation populaire et de la ..."; not in "la Direction a décidé de soutenir la ..."."""
    before = text[max(0, start - 2 * REACH) : start]
    before = re.split(r"[.;:!?()«»\[\]]|\n[ \t]*\n", before)[-1]
    return _IN_A_BODY.search(before) is not None


def _abbreviates(acronym: str, words: str) -> bool:
    """Whether the acronym's letters are the initials of the last words, small words
    skipped."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    initials = [w[0].lower() for w in _WORD.findall(words) if w.lower() not in _SMALL_WORDS]
    if len(letters) < 2 or len(initials) < 2:
        return False
    tail = initials[-len(letters) :]
    # Or it spells a few words whole, as "Crédit coopératif (CRECOOP)": its first and
    # last initials agree.
    return tail == letters or (tail[0] == letters[0] and tail[-1] == letters[-1])


def _a_list_item_of_its_own(text: str, start: int, end: int) -> bool:
    """Whether the name is all of a bulleted line but a date or a note in brackets."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end : line_end if line_end >= 0 else len(text)]
    return _BULLET.fullmatch(before) is not None and _ITEM_REST.fullmatch(after) is not None


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the line holding the name is written in capitals (a title, a heading)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)

"""StandardEncoding mojibake: Windows-encoded fonts read through Adobe's StandardEncoding.

Old PowerPoint decks exported to PDF embed fonts whose codes are Windows-1252 but which
declare no encoding, so readers fall back to StandardEncoding: the byte of `é` (0xE9) is the
glyph `Oslash` there, so "réunion" extracts as "rØunion". Codes StandardEncoding leaves
undefined come out as their Latin-1 letter (`à`, `â`, `ô`, `ç`, `î` survive), and the
Windows-only punctuation (0x80-0x9F: `’ – — … • œ €`) as U+FFFD.

The table is derived from the two encodings (pypdf's StandardEncoding table and Python's
cp1252 codec), never typed by hand. Repair is decided from evidence:

- per document (or per text): only text holding at least one glyph no real language writes,
  an upper-case `Ø Ł Œ` glued to a lower-case letter ("rØunion", "MØthodologie"), is
  treated as damaged at all;
- per line (a run of text in one font): a line that also holds a letter the damage destroys
  (`é è ê ù û ë` or a capital it replaces) was set in an intact font, so only its
  unambiguous glyphs are repaired;
- per glyph: the neighbours must fit the letter it stands for, so `Œuvres`, `mise en œuvre`,
  `nº 5`, `Ørsted` and `Straße` in an intact line stay as they are.

U+FFFD is resolved in damaged text as part of this repair, and in any other text by
`fix_replacements` (from its place only): `’` between letters (`œ` where the word is one of the
few French words written with it), `•` at the start of a line (a space added when it is
glued to the word, unless a U+FFFD closing the word later makes it an opening quote), `–`
between spaces or digits, `€` after an amount, `…` between a word and a closing bracket
(unless a quote was opened before it); a U+FFFD glued to a word and followed by a spaced
dash is that dash's shadow copy and goes. Any other U+FFFD is left for a reader to see.
"""

from __future__ import annotations

import re

# pypdf ships the StandardEncoding table (with the Latin-1 fallback for undefined codes that
# readers apply); the module is private, so tests/indexer/repair/test_mojibake.py pins the glyphs
# we rely on and fails loudly if a pypdf release moves or changes it.
from pypdf._codecs import _std_encoding

NAME = "standard_encoding"
REPLACEMENTS = "replacement_characters"
REPLACEMENT = "\ufffd"

# The letters French writes that Windows-1252 can encode.
_FRENCH_LOWER = "àâäçéèêëîïôöùûüÿæœ"
FRENCH_LETTERS = _FRENCH_LOWER + _FRENCH_LOWER.upper().replace("Ÿ", "") + "Ÿ"


def damaged_form(char: str) -> str:
    """What a reader shows for `char` typed in a Windows font read as StandardEncoding.

    Characters outside Windows-1252 are returned unchanged.
    """
    try:
        code = char.encode("cp1252")
    except UnicodeEncodeError:
        return char
    if len(code) != 1:
        return char
    glyph = _std_encoding[code[0]]
    # 0x80-0x9F are undefined in StandardEncoding and C1 controls in Latin-1: readers emit
    # U+FFFD for them.
    if "\x80" <= glyph <= "\x9f":
        return REPLACEMENT
    return glyph


def _derive_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for letter in FRENCH_LETTERS:
        glyph = damaged_form(letter)
        if glyph in (letter, REPLACEMENT):
            continue
        if glyph in table:  # two letters with one glyph could not be told apart
            raise RuntimeError(f"StandardEncoding glyph {glyph!r} stands for two letters")
        table[glyph] = letter
    return table


# Damaged glyph -> the French letter it stands for, e.g. Ø -> é, Ł -> è, Œ -> ê, ˙ -> Ç.
TABLE: dict[str, str] = _derive_table()
# Letters the damage never lets through: seeing one proves the line's font was intact.
_INTACT_LETTERS = frozenset(TABLE.values())
# Upper-case glyphs standing for lower-case letters (Ø Ł Œ): the strongest evidence.
_CASE_BREAKERS = "".join(g for g, c in TABLE.items() if g.isupper() and c.islower())

_GLYPHS_RE = re.compile("[" + re.escape("".join(TABLE)) + "]")
_INTACT_RE = re.compile("[" + "".join(sorted(_INTACT_LETTERS)) + "]")
_CASE_BREAKERS_RE = re.compile("[" + _CASE_BREAKERS + "]")

# A word may begin with é anywhere, with è only in "ère(s)" / "ès", with ê only in "être";
# a word-initial glyph followed by anything else is a real letter (Œuvres, Œil, Łódź).
_WORD_START_NEXT = {"é": None, "è": frozenset("rs"), "ê": frozenset("t")}
_VOWELS = frozenset("aeiouyAEIOUY")
# Words French writes with œ: U+FFFD between these letters is œ, not an apostrophe.
_OE_STEMS = (
    "cœur", "écœur", "contrecœur", "rancœur", "chœur", "sœur", "vœu", "nœud", "œuvr",
    "manœuvr", "désœuvr", "œil", "œuf", "bœuf", "mœurs", "fœtus", "œcum", "œnolog",
    "œsophag", "œdème", "œstr",
)  # fmt: skip
_MAX_WORD = 40  # longest word looked at around a U+FFFD
_MAX_AMOUNT = 16
_GROUP_SPACES = " \t\u00a0\u202f"  # between thousands, and before a currency sign


def is_damaged(text: str) -> bool:
    """Whether `text` shows StandardEncoding damage (see the module docstring).

    The evidence is a capital glyph glued to a lower-case letter: after one ("rØunion",
    "prØparØe") or between a capital and a lower-case one ("MØthodologie"). Real Ø, Ł, Œ
    begin words or stand among capitals.
    """
    for match in _CASE_BREAKERS_RE.finditer(text):
        i = match.start()
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if _is_strong(prev, nxt):
            return True
    return False


def fix_standard_encoding(text: str, damaged: bool) -> tuple[str, int]:
    """Repair StandardEncoding mojibake in `text`; returns the text and the changes made.

    `damaged` is the per-document decision (`is_damaged` over all of a document's text);
    when False the text is returned unchanged.
    """
    if not damaged:
        return text, 0
    count = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not _GLYPHS_RE.search(line) and REPLACEMENT not in line:
            continue
        intact_font = _INTACT_RE.search(line) is not None
        fixed, changed = _fix_glyphs(line, strong_only=intact_font)
        fixed, replaced = _fix_replacements(fixed)
        if changed or replaced:
            lines[index] = fixed
            count += changed + replaced
    return ("\n".join(lines), count) if count else (text, 0)


def fix_replacements(text: str) -> tuple[str, int]:
    """U+FFFD read from its place, in any text: returns the text and the characters resolved.

    A U+FFFD is a character some reader could not decode; in the documents of the archive
    it stands for the Windows punctuation a StandardEncoding read loses even where letters
    survive: `’` between letters, `•` at the start of a line, `–` between spaces or digits,
    `€` after an amount (see `fix_standard_encoding`). Others are left for a reader to see.
    """
    if REPLACEMENT not in text:
        return text, 0
    count = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        fixed, replaced = _fix_replacements(line)
        if replaced:
            lines[index] = fixed
            count += replaced
    return ("\n".join(lines), count) if count else (text, 0)


def _fix_glyphs(line: str, strong_only: bool) -> tuple[str, int]:
    """Repair the glyphs of one line, until a pass changes nothing.

    A repaired letter is evidence for its neighbour ("aŁŁ": once the first Ł reads è, the
    second follows a lower-case letter), so each pass reads the letters it has already
    repaired, and passes alternate direction: a run of glyphs is settled in one or two
    passes, and repairing the result again changes nothing (repair is idempotent).
    """
    total = 0
    forward = True
    while True:
        line, changed = _fix_glyphs_once(line, strong_only, forward)
        if not changed:
            return line, total
        total += changed
        forward = not forward


def _fix_glyphs_once(line: str, strong_only: bool, forward: bool) -> tuple[str, int]:
    patches: dict[int, str] = {}
    matches = list(_GLYPHS_RE.finditer(line))
    for match in matches if forward else reversed(matches):
        i = match.start()
        glyph = match.group()
        prev = patches.get(i - 1) or (line[i - 1] if i > 0 else " ")
        nxt = patches.get(i + 1) or (line[i + 1] if i + 1 < len(line) else " ")
        letter = TABLE[glyph]
        if strong_only:
            ok = glyph in _CASE_BREAKERS and _is_strong(prev, nxt)
        else:
            ok = _fits(glyph, letter, prev, nxt, line[i - 2] if i > 1 else " ")
        if ok:
            patches[i] = letter
    return _patched(line, patches), len(patches)


def _patched(line: str, patches: dict[int, str]) -> str:
    """`line` with the characters at the given positions replaced (a list of a huge line's
    characters would take gigabytes)."""
    if not patches:
        return line
    pieces: list[str] = []
    position = 0
    for i in sorted(patches):
        pieces.append(line[position:i])
        pieces.append(patches[i])
        position = i + 1
    pieces.append(line[position:])
    return "".join(pieces)


def _is_strong(prev: str, nxt: str) -> bool:
    return prev.isalpha() and (prev.islower() or nxt.islower())


def _fits(glyph: str, letter: str, prev: str, nxt: str, before_prev: str) -> bool:
    """Whether the neighbours of `glyph` fit the letter it would stand for."""
    if glyph in _CASE_BREAKERS:  # Ø Ł Œ for é è ê
        if prev.isalpha():
            return prev.islower() or nxt.islower()
        if prev.isdigit():  # "3Łme", "1Łre"
            return nxt.islower()
        allowed = _WORD_START_NEXT.get(letter)
        return nxt.islower() and nxt.isalpha() and (allowed is None or nxt in allowed)
    if letter.isupper():  # spacing accents (˙ ¨ ˚ ´ ...) for capitals (Ç È Ê Â ...)
        if not prev.isalpha():
            return nxt.isalpha()
        return prev.isupper() and (nxt.isupper() or not nxt.isalpha())
    if letter == "ë":  # º: "Noºl", "Israºl", but "nº 5", "1º"
        return prev in _VOWELS and not nxt.isdigit()
    if letter == "ù":  # ø: French writes ù only in "où"
        return prev in "oO" and not before_prev.isalpha() and not nxt.isalpha()
    # ß for û: "sßr", "Sßr", "coßt", "dß"
    return prev.isalpha() and (prev.islower() or nxt.islower())


def _fix_replacements(line: str) -> tuple[str, int]:
    if REPLACEMENT not in line:
        return line, 0
    view = _View(line)
    i = -1
    while (i := line.find(REPLACEMENT, i + 1)) != -1:
        choice = _resolve_replacement(view, i)
        if choice is not None:
            view.patches[i] = choice
    return _patched(line, view.patches), len(view.patches)


class _View:
    """A line seen with the replacements decided so far (so "l��uvre" reads as l’ then œ)."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.patches: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.line)

    def at(self, i: int, default: str = "\n") -> str:
        if 0 <= i < len(self.line):
            return self.patches.get(i, self.line[i])
        return default

    def span(self, start: int, end: int) -> str:
        return "".join(self.at(j) for j in range(max(0, start), min(len(self.line), end)))


def _resolve_replacement(view: _View, i: int) -> str | None:
    """The Windows punctuation a U+FFFD at `i` stood for, or None when unclear."""
    prev, nxt = view.at(i - 1), view.at(i + 1)
    if prev.isalpha() or nxt.isalpha():
        oe = _oe_letter(view, i)
        if oe is not None:
            return oe
    if prev.isalpha() and (nxt.isalpha() or nxt == REPLACEMENT):
        return "’"  # "d’étape"; "l��uvre": the next one may be œ
    if prev.isdigit() and nxt.isdigit():
        return "–"  # "2007–2008"
    if _starts_line(view, i):
        if nxt in " \t":
            return "•"
        if nxt.isalnum() and not _closing_after(view, i):
            return "• "  # "�Contenu": the tab after the bullet was lost; "�Bonjour�" is quoted
    if prev not in " \t" and nxt in " \t" and _dash_follows(view, i):
        return ""  # the shadow copy of a dash drawn twice: "Méthodologie� – prochaines"
    amount = _amount_before(view, i)
    if amount and nxt in " \t\n.,;:)/":
        after = view.span(i + 1, i + 4).lstrip(" \t")
        if not after[:1].isdigit() and (not after[:1].isalpha() or _is_money(amount)):
            return "€"  # "15 000 €", "50 €.", but "10 – 20" and "version 4 – juin"
    if prev.isalpha() and nxt in ")]" and not _opening_before(view, i):
        return "…"  # "(économie, culture…)"; "(�Bonjour�)" is quoted
    if prev in " \t" and nxt in " \t":
        return "–"
    return None


def _dash_follows(view: _View, i: int) -> bool:
    """Whether the first character after the blanks following `i` is a spaced en or em dash."""
    j = i + 1
    while view.at(j) in " \t":
        j += 1
    return view.at(j) in "–—" and view.at(j + 1) in " \t\n"


def _closing_after(view: _View, i: int) -> bool:
    """Whether a later U+FFFD of the line could close a quote opened at `i`: one glued to
    the end of a word or number ("�Bonjour�", "�Bilan 2008� :")."""
    j = i
    while (j := view.line.find(REPLACEMENT, j + 1)) != -1:
        if view.at(j - 1) not in " \t" and not view.at(j + 1).isalnum():
            return True
    return False


def _opening_before(view: _View, i: int) -> bool:
    """Whether an earlier U+FFFD of the line, still unresolved, could open a quote that `i`
    closes: one glued to the start of a word after a blank or a bracket."""
    j = i
    while (j := view.line.rfind(REPLACEMENT, 0, j)) != -1:
        if view.at(j) == REPLACEMENT and not view.at(j - 1).isalnum() and view.at(j + 1).isalnum():
            return True
    return False


def _starts_line(view: _View, i: int) -> bool:
    j = i - 1
    while j >= 0 and view.at(j) in " \t":
        j -= 1
    return j < 0


def _amount_before(view: _View, i: int) -> str:
    """The number just before `i` (one space allowed, thousands grouped by spaces), or ""."""
    j = i - 1
    if view.at(j) in _GROUP_SPACES:
        j -= 1
    end = j + 1
    while j >= 0 and end - j <= _MAX_AMOUNT:
        char = view.at(j)
        grouping = char in _GROUP_SPACES and view.at(j - 1).isdigit()
        if not (char.isdigit() or grouping):
            break
        j -= 1
    return view.span(j + 1, end).strip()


def _is_money(amount: str) -> bool:
    """Whether a number reads as a sum rather than a year or a small count."""
    digits = "".join(c for c in amount if c.isdigit())
    if len(digits) != len(amount):  # "15 000"
        return True
    year = len(digits) == 4 and digits[:2] in ("19", "20")
    return len(digits) >= 3 and not year


def _oe_letter(view: _View, i: int) -> str | None:
    """œ or Œ if the word around `i` is a French word written with œ there, else None."""
    start = i
    while start > 0 and i - start < _MAX_WORD and view.at(start - 1).isalpha():
        start -= 1
    end = i + 1
    while end < len(view) and end - i < _MAX_WORD and view.at(end).isalpha():
        end += 1
    before, after = view.span(start, i), view.span(i + 1, end)
    word = (before + "œ" + after).lower()
    for stem in _OE_STEMS:
        if word.startswith(stem) and stem.index("œ") == i - start:
            return "Œ" if (before + after).isupper() else "œ"
    return None

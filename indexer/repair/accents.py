"""Spacing accents composed into their letter: "r´ef´erence" -> "référence".

TeX with old Type 1 fonts (Computer Modern, as Texinfo and many LaTeX manuals use) draws an
accented letter as two glyphs, the letter and a spacing accent placed over it, and PDF
readers give both: "Ex´ecution", "mati`ere", "cha^ıne" or "chaˆıne" (with a dotless ı),
"fran¸cais", "na¨ıf"; typewriter fonts put the accent after the letter: "unite´",
"franc¸ais". Half the accented words of such a document are unsearchable until
the accent is composed into the letter that follows it ("´ e" with a space between, as
some readers give it, too).

Evidence is taken per document, because the same characters have honest uses: "´" typed
as an apostrophe ("l´entreprise", "d´une"), "`" and "^" in code ("c4^a", "`a`"). A
document is repaired only if it holds at least `_MIN_EVIDENCE` spacing accents that no
apostrophe or code explains: an acute after a letter that is not an elided word ("r´ep",
"cr´ee", "it´e "), another non-ASCII accent glued to a letter (ˆ ¨ ¸ ˜ ˇ), a grave or
circumflex inside a word ("mati`ere", "Ao^ut"). Then every spacing accent
followed by a letter that composes with it is composed, "`" and "^" included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NAME = "spacing_accents"

# Spacing accent -> the combining mark it stands for.
_COMBINING = {
    "´": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "ˆ": "\u0302",
    "¨": "\u0308",
    "¸": "\u0327",
    "˜": "\u0303",
    "ˇ": "\u030c",
    "˚": "\u030a",
    "˘": "\u0306",
    "˝": "\u030b",
}
_DOTLESS = {"ı": "i", "ȷ": "j"}
_NON_ASCII = "´ˆ¨¸˜ˇ˚˘˝"
_MIN_EVIDENCE = 2
_ACCENTS_RE = re.compile(f"[{re.escape(''.join(_COMBINING))}]")
# Letters of Latin-1 only: "´p" is not "ṕ", nor "r´" "ŕ", in a French document.
_MAX_COMPOSED = 0xFF
# Evidence: an acute after a letter that no elided word ends with (l' d' j' m' n' s' t' c'
# qu'), glued to the next letter or one space before it, or ending a word ("it´e "); a
# non-ASCII accent other than the acute, glued; "`" or "^" inside a word ("mati`ere").
_EVIDENCE_RE = re.compile(
    r"(?:(?<=[^\W\d_])(?<![ldjmnstcLDJMNSTC])(?<!qu)(?<!Qu)´ ?[^\W\d_])"
    r"|(?:(?<=[^\W\d_])´[eE](?![^\W\d_]))"
    r"|(?:[ˆ¨¸˜ˇ˚][^\W\d_])"
    r"|(?:(?<=[^\W\d_])[`^][aeiouıAEIOU](?=[^\W\d_]))"
)


def is_damaged(texts: Iterable[str]) -> bool:
    """Whether the texts (of one document) show spacing accents drawn apart from letters."""
    found = 0
    for text in texts:
        if not any(accent in text for accent in _COMBINING):
            continue
        # Every evidence starts at an accent: look only there (code has many "^" and "`").
        for match in _ACCENTS_RE.finditer(text):
            i = match.start()
            if _EVIDENCE_RE.match(text, i, i + 3) is not None:
                found += 1
                if found >= _MIN_EVIDENCE:
                    return True
    return False


def compose_accents(text: str, damaged: bool) -> tuple[str, int]:
    """Compose spacing accents into the letters after them, if `damaged`; returns the text
    and the number of letters composed. Never raises."""
    if not damaged or not any(accent in text for accent in _COMBINING):
        return text, 0
    chars = list(text)
    count = 0
    for match in _ACCENTS_RE.finditer(text):
        i = match.start()
        if chars[i] != text[i]:  # already consumed by the accent before it
            continue
        target = _target(chars, i)
        if target is not None:
            j, composed = target
            chars[j] = composed
            chars[i] = ""
            if j == i + 2:  # "´ e": the space goes too
                chars[i + 1] = ""
            count += 1
    return ("".join(chars), count) if count else (text, 0)


def _target(chars: list[str], i: int) -> tuple[int, str] | None:
    """Where the accent at `i` goes and the letter it makes, or None.

    In order: the letter after it ("´e"); the letter before it at a word's end, or a c
    before a cedilla ("unite´", "franc¸ais"); the letter after one space ("´ e", for the
    non-ASCII accents only).
    """
    accent = chars[i]
    after = chars[i + 1] if i + 1 < len(chars) else ""
    before = chars[i - 1] if i > 0 else ""
    if after.isalpha():
        composed = _compose(after, accent)
        if composed is not None:
            return i + 1, composed
    if before.isalpha() and (not after.isalpha() or (accent == "¸" and before in "cC")):
        composed = _compose(before, accent)
        if composed is not None:
            return i - 1, composed
    if after == " " and accent in _NON_ASCII and i + 2 < len(chars) and chars[i + 2].isalpha():
        composed = _compose(chars[i + 2], accent)
        if composed is not None:
            return i + 2, composed
    return None


def _compose(letter: str, accent: str) -> str | None:
    composed = unicodedata.normalize("NFC", _DOTLESS.get(letter, letter) + _COMBINING[accent])
    if len(composed) != 1 or ord(composed) > _MAX_COMPOSED:
        return None
    return composed

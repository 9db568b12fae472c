"""UTF-8 read as Latin-1 or Windows-1252 ("Ã©" for "é"), once or several times over.

The decoding is ftfy's `fix_encoding` (only its encoding steps: none of ftfy's other fixes,
which would uncurl quotes, NFKC ligatures or drop characters of clean text). It also turns
C1 control characters into the Windows-1252 punctuation they were (a PDF reader handing
"\\x92" for ’).

ftfy runs word by word, on the words that hold a character pair UTF-8 mojibake is made of
(with the space after a final `Ã`/`Â`, which was the 0xA0 byte of `à` or of a no-break
space): a damaged word is fixed even among intact ones, a clean text costs one regex scan,
and repeated words are decoded once.
"""

from __future__ import annotations

import functools
import re

import ftfy

NAME = "utf8_as_latin1"


def _continuation_chars() -> str:
    # How UTF-8 continuation bytes (0x80-0xBF) look when read as Latin-1 or Windows-1252.
    latin1 = "".join(chr(byte) for byte in range(0x80, 0xC0))
    cp1252 = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
    return "".join(sorted(set(latin1 + cp1252)))


# A UTF-8 continuation byte read as Latin-1/Windows-1252 right after a lead byte (0xC2-0xF4)
# read the same way, or a C1 control. The rarer continuation comes first in the pattern so
# the regex engine skips ahead on it: the scan of clean French text stays fast.
_SUSPECT_RE = re.compile(
    "[" + re.escape(_continuation_chars()) + "](?:(?<=[\x80-\x9f])|(?<=[\xc2-\xf4].))"
)
# "Ã " and "Â ": à and the no-break space, whose 0xA0 byte became a space.
_SPACED_LEADS = ("Ã ", "Â ")
_MAX_WORD = 100  # a longer "word" is cut: the scans around a suspect pair stay bounded


def _suspect(text: str) -> bool:
    return _SUSPECT_RE.search(text) is not None or any(s in text for s in _SPACED_LEADS)


def fix_utf8_as_latin1(text: str) -> tuple[str, int]:
    """Decode UTF-8 mojibake back to the text; returns the text and the words fixed."""
    if not _suspect(text):
        return text, 0
    spans = _suspect_words(text)
    pieces: list[str] = []
    position = count = 0
    for start, end in spans:
        word = text[start:end]
        fixed = _fix_word(word)
        if fixed != word:
            pieces.append(text[position:start])
            pieces.append(fixed)
            position = end
            count += 1
    if not count:
        return text, 0
    pieces.append(text[position:])
    return "".join(pieces), count


def _suspect_words(text: str) -> list[tuple[int, int]]:
    """Spans of the words holding a suspect pair, with the space after a final Ã or Â."""
    positions: list[int] = [match.start() for match in _SUSPECT_RE.finditer(text)]
    spaced = [i for lead in _SPACED_LEADS for i in _find_all(text, lead)]
    if spaced:
        positions = sorted(set(positions).union(spaced))
    spans: list[tuple[int, int]] = []
    last_end = 0
    size = len(text)
    for position in positions:
        if position < last_end:
            continue
        low = max(last_end, position - _MAX_WORD)
        start = max(text.rfind(" ", low, position), text.rfind("\n", low, position), low - 1) + 1
        high = min(size, position + _MAX_WORD)
        end = text.find(" ", position, high)
        newline = text.find("\n", position, end if end != -1 else high)
        if newline != -1:
            end = newline
        elif end == -1:
            end = high
        if end < size and text[end] == " " and text[end - 1] in "ÃÂ":
            end += 1  # the 0xA0 byte of à or of a no-break space read as this space
        spans.append((start, end))
        last_end = end
    return spans


def _find_all(text: str, needle: str) -> list[int]:
    found: list[int] = []
    position = text.find(needle)
    while position != -1:
        found.append(position)
        position = text.find(needle, position + 1)
    return found


@functools.lru_cache(maxsize=65_536)
def _fix_word(word: str) -> str:
    # The same damaged words come back all through a document ("rÃ©union", "lâ€™"), and
    # ftfy takes tens of microseconds per word: the cache keeps big texts linear and fast.
    return ftfy.fix_encoding(word)

"""Layout and character-level repairs: line breaks, controls, spaces, Unicode forms, hyphens.

Each function returns the repaired text and the number of changes it made. All regexes
start on a literal or a one-character class and never backtrack over a long run, so the
cost stays linear in the text (a 50 MB line is fine).

Unicode normalisation choice: NFC everywhere (decomposed accents from some PDFs and Mac
files), but NFKC only on Latin ligatures (U+FB00-FB06, `ﬁ` -> `fi`) and full-width ASCII
(U+FF01-FF5E). Full NFKC would also rewrite characters French typography means: no-break
and narrow no-break spaces before `; : ! ?` and inside `« »`, superscripts (`m²`, `1ᵉʳ`,
`XIXᵉ`), `nº`, `½` and the ellipsis `…`. `« » ’ œ` have no compatibility form and are safe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Set

WHITESPACE = "whitespace"
CONTROLS = "control_characters"
SOFT_HYPHENS = "soft_hyphens"
NORMALIZATION = "unicode_normalization"
LIGATURES = "ligatures"
COMPATIBILITY = "compatibility_characters"
HYPHENATION = "hyphenation"

SOFT_HYPHEN = "\u00ad"

# Line breaks other than \n that str.splitlines would honour: form feed (a page break in
# plain text), vertical tab (a manual line break in Word), the Unicode separators; and CR.
_NEWLINES_RE = re.compile("[\v\f\x1c-\x1e\u2028\u2029]")
# C0 controls but tab and newline; BOM and zero-width space inside text. C1 controls are
# left to the encoding repair, which reads them as the Windows-1252 characters they were.
_CONTROLS_RE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f\ufeff\u200b]")
_SOFT_HYPHEN_RE = re.compile(f"{SOFT_HYPHEN}(?![ \t]*\n)")
# Runs of two or more, and single ones before a line break: the patterns start on a space or
# tab, so the scan skips ahead in C and no run is ever scanned twice.
_SPACE_RUN_RE = re.compile(r"[ \t](?:[ \t]+|(?=\n))")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
# Every character the character-level repairs below act on, to skip them all in one scan of
# a clean text.
_RARE_RE = re.compile(
    "[\r\v\f\x1c-\x1e\u2028\u2029\x00-\x08\x0e-\x1b\x1f\x7f\ufeff\u200b\u00ad"
    "\ufb00-\ufb06\uff01-\uff5e]"
)
_LIGATURES_RE = re.compile("[\ufb00-\ufb06]")
_FULLWIDTH_RE = re.compile("[\uff01-\uff5e]")
_LINE_END_HYPHEN_RE = re.compile(f"[-{SOFT_HYPHEN}][ \t]*\n[ \t]*")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# When neither spelling occurs elsewhere in the document, these keep the hyphen of a word
# broken at a line end: the second part of "peut-être", "dit-il", "a-t-il", "est-ce",
# "celui-ci", "elle-même", "au-dessus", "allons-y", and the first part of compounds that
# hardly begin an unhyphenated word ("après-midi", "demi-journée", "non-lucratif"). Short
# or ambiguous ones are left out: "au-\ntomne", "mi-\nnistre", "ex-\nemple", "porte-\nfeuille".
_KEEP_TAILS = frozenset(
    {
        "être", "ci", "là", "il", "ils", "elle", "elles", "on", "je", "tu", "nous", "vous",
        "même", "mêmes", "t", "ce", "y", "dessus", "dessous", "delà", "dedans", "dehors",
        "devant", "derrière", "à",
    }
)  # fmt: skip
_KEEP_HEADS = frozenset(
    {
        "peut", "celui", "celle", "ceux", "celles", "vis", "est", "demi", "semi", "non",
        "quasi", "vice", "grand", "grande", "grands", "arrière", "avant", "après", "chef",
        "chefs",
    }
)  # fmt: skip
# An elided article after the break ("Côtes-\nd’Armor") belongs to a compound.
_APOSTROPHES = frozenset("’'")
_WORD_SCAN = 64  # longest word part looked at around a line-end hyphen
_ADDRESS_SCAN = 200  # longest e-mail address or URL part looked at around a line end
# An e-mail address (user@domain.tld) or a URL (scheme://, www.) in a run without spaces.
_ADDRESS_RE = re.compile(
    r"[\w.+-]@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}|[A-Za-z][\w+.-]*://|\bwww\.", re.I
)


def has_rare_characters(text: str) -> bool:
    """Whether `text` holds a character that a line-break, control, soft-hyphen, ligature or
    full-width repair would change; when not, those repairs can be skipped."""
    return _RARE_RE.search(text) is not None


def normalize_newlines(text: str) -> tuple[str, int]:
    """CR LF, CR, form feeds and Unicode separators become \\n."""
    count = 0
    if "\r" in text:
        count = text.count("\r")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, others = _NEWLINES_RE.subn("\n", text)
    return text, count + others


def remove_controls(text: str) -> tuple[str, int]:
    """Drop C0 control characters (but tab and newline), stray BOMs and zero-width spaces."""
    return _CONTROLS_RE.subn("", text)


def remove_soft_hyphens(text: str) -> tuple[str, int]:
    """Drop soft hyphens inside lines; those at a line end are left to `fix_hyphenation`."""
    if SOFT_HYPHEN not in text:
        return text, 0
    return _SOFT_HYPHEN_RE.subn("", text)


def remove_all_soft_hyphens(text: str) -> tuple[str, int]:
    """Drop every soft hyphen (once line-end ones have joined their words)."""
    if SOFT_HYPHEN not in text:
        return text, 0
    return text.replace(SOFT_HYPHEN, ""), text.count(SOFT_HYPHEN)


def collapse_spaces(text: str) -> tuple[str, int]:
    """Runs of spaces and tabs inside a line become one space; trailing ones go.

    Leading indentation is kept (it means something in Markdown and plain text); a single
    tab between words is kept too.
    """
    if "  " not in text and "\t" not in text and " \n" not in text and not text.endswith(" "):
        return text, 0
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        start, end = match.span()
        if end == len(text) or text[end] == "\n":
            replacement = ""
        elif start == 0 or text[start - 1] == "\n":
            return match.group()
        else:
            replacement = " " if end - start > 1 else match.group()
        if replacement != match.group():
            count += 1
        return replacement

    text = _SPACE_RUN_RE.sub(replace, text)
    if text.endswith((" ", "\t")):  # a single one at the very end
        text = text.rstrip(" \t")
        count += 1
    return text, count


def collapse_blank_lines(text: str) -> tuple[str, int]:
    """At most one blank line in a row; none at the start or the end of the text.

    A single final line break (as text files end) is kept.
    """
    text, count = _BLANK_LINES_RE.subn("\n\n", text)
    if text.startswith("\n"):
        text = text.lstrip("\n")
        count += 1
    if text.endswith("\n\n"):
        text = text.rstrip("\n") + "\n"
        count += 1
    return text, count


def normalize_nfc(text: str) -> tuple[str, int]:
    """Compose decomposed characters (NFC); counts the combining marks absorbed (at least 1)."""
    if unicodedata.is_normalized("NFC", text):
        return text, 0
    fixed = unicodedata.normalize("NFC", text)
    return fixed, max(1, len(text) - len(fixed))


def expand_ligatures(text: str) -> tuple[str, int]:
    """Latin typographic ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) become their letters."""
    return _LIGATURES_RE.subn(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def fold_fullwidth(text: str) -> tuple[str, int]:
    """Full-width ASCII forms (from East Asian fonts) become ASCII."""
    return _FULLWIDTH_RE.subn(lambda m: chr(ord(m.group()) - 0xFEE0), text)


def fix_hyphenation(
    text: str, vocabulary: Callable[[], Set[str]] | None = None
) -> tuple[str, int, int]:
    """Join words broken at a line end; returns text, hyphenations fixed, soft hyphens fixed.

    "écono-\\nmie" -> "économie"; the hyphen stays where it is part of the word:
    "Ille-et-\\nVilaine" -> "Ille-et-Vilaine", "peut-\\nêtre" -> "peut-être". `vocabulary`
    gives the lower-cased words (hyphenated ones whole) of the document; a capital or an
    elision after the break keeps the hyphen, then a spelling seen in the document decides,
    then the lists above, then the hyphen is dropped. Only a single line
    break is joined, never a paragraph break, and only between two letters. An e-mail
    address or a URL broken at a line end is left as it is: its hyphen may be its own
    ("contact@cres-\nbretagne.fr"), and no dictionary decides that.
    """
    if "\n" not in text or _LINE_END_HYPHEN_RE.search(text) is None:
        return text, 0, 0
    words: Set[str] | None = None
    pieces: list[str] = []
    last = 0
    hyphenations = soft = 0
    for match in _LINE_END_HYPHEN_RE.finditer(text):
        start, end = match.span()
        if start < last or start == 0 or end >= len(text):
            continue
        if not (text[start - 1].isalpha() and text[end].isalpha()):
            continue
        if _in_address(text, start, end):
            continue
        head = _word_before(text, start)
        tail = _word_after(text, end)
        if text[start] == SOFT_HYPHEN:
            joint = ""
            soft += 1
        else:
            if words is None:
                words = vocabulary() if vocabulary is not None else words_of(text)
            elided = text[end + len(tail) : end + len(tail) + 1] in _APOSTROPHES
            joint = "-" if elided or _keeps_hyphen(head, tail, words) else ""
            hyphenations += 1
        pieces.append(text[last:start])
        pieces.append(joint)
        last = end
    if not pieces:
        return text, 0, 0
    pieces.append(text[last:])
    return "".join(pieces), hyphenations, soft


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether the break at text[start:end] is inside an e-mail address or a URL."""
    before = text[max(0, start - _ADDRESS_SCAN) : start].rsplit(None, 1)[-1:]
    after = text[end : end + _ADDRESS_SCAN].split(None, 1)[:1]
    run = (before[0] if before else "") + "-" + (after[0] if after else "")
    return _ADDRESS_RE.search(run) is not None


def words_of(text: str) -> set[str]:
    """The lower-cased words of `text`, hyphenated compounds whole ("peut-être")."""
    return {match.group().lower() for match in _WORD_RE.finditer(text)}


def _word_before(text: str, end: int) -> str:
    start = end
    limit = max(0, end - _WORD_SCAN)
    while start > limit and (text[start - 1].isalpha() or text[start - 1] == "-"):
        start -= 1
    return text[start:end].lstrip("-")


def _word_after(text: str, start: int) -> str:
    end = start
    limit = min(len(text), start + _WORD_SCAN)
    while end < limit and text[end].isalpha():
        end += 1
    return text[start:end]


def _keeps_hyphen(head: str, tail: str, words: Set[str]) -> bool:
    if tail[:1].isupper():  # "Saint-\nMalo", "Ille-et-\nVilaine"
        return True
    head, tail = head.lower(), tail.lower()
    if head + tail in words:
        return False
    if f"{head}-{tail}" in words:
        return True
    last_part = head.rsplit("-", 1)[-1]
    # Inside a compound a short part is a word of its own ("rez-de-\nchaussée",
    # "c’est-à-\ndire"); a long one is more likely a word broken in two ("co-construc-\ntion").
    if "-" in head and len(last_part) <= 3:
        return True
    return last_part in _KEEP_HEADS or tail in _KEEP_TAILS

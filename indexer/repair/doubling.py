"""Doubled text from shadowed or outlined titles, which PDF readers extract twice.

The shapes, each recognised from evidence that real repetition does not leave:

- a whole line (after an optional list number) that is one run twice: glued,
  "Calendrier du projetCalendrier du projet", or with a space, "2.2. Le budget Le budget";
- a run glued to its own copy inside a short line, "Partie 2 : Le budgetLe budget";
- every glyph of a line drawn twice (fake bold): "22..  MMéétthhooddee";
- runs of several words drawn twice anywhere in a short line, several in a row, with or
  without spaces between the copies: "Bilan du comité de du comité de pilotagepilotage",
  "Phase 1 Phase 1 �� mars 2009mars 2009"; once a line has shown such a run, a single
  word glued to itself ("pilotagepilotage") and a doubled dash ("– –", "��") in it are
  copies too;
- a run drawn on both sides of a line break: the next line is exactly the words that end
  this one ("3 axes de travail retenus" then "de travail retenus").

What keeps real repetition ("nous nous", "de de" in a quote or across a line, "très très",
"couscous", "Bora-Bora") untouched: the copy must be identical, case included; a glued
junction must be one no word has (a lower-case letter followed by a capital, e.g.
"projetCalendrier") or join runs of several words; a run repeated after a space must be a
phrase (two words or more, one of at least four letters) or fill the whole line as a
capitalised word, and must not end a sentence ("Le budget. Le budget." is kept); a single
word is never taken for a copy on its own, only beside a doubled phrase of the same line.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Set

NAME = "doubled_text"

_MAX_RUN = 200  # longest run looked for glued to its copy inside a line
# Runs glued to their copy are looked for in lines up to this long: titles, not paragraphs
# that a reader left on one line.
_MAX_TITLE_LINE = 300
_MAX_PASSES = 8  # a run drawn 2**8 times is not text any more
_MIN_WORD = 5  # a single glued word must be at least this long ("BudgetBudget")
_SENTENCE_END = ".!?…:;,"
_PREFIX_RE = re.compile(
    r"[ \t]*(?:\d{1,3}(?:\.\d{1,3}){0,4}[.)]?|[A-Za-z][.)]|[IVXLC]{1,6}[.)]|[-–•*▪►])[ \t]+"
)
_LOWER = "a-zß-öø-ÿœ"
_UPPER = "A-ZÀ-ÖØ-ÞŒ"
# Where a copy may start glued to what precedes it: a capital after a lower-case letter,
# a digit or a closing mark, or a digit after a lower-case letter. (The look-behinds come
# after the capital or digit so that the regex engine skips ahead to those in C.)
_JUNCTION_RE = re.compile(f"[{_UPPER}0-9](?:(?<=[{_LOWER}0-9.)][{_UPPER}])|(?<=[{_LOWER}][0-9]))")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[^\W_]+")
# A run starting after a space (or at the line start), of 4 to 150 characters and not
# ending inside a compound or an elision, followed by its copy (glued or after a space);
# never across a tab, which separates table cells that may well say the same thing.
_REPEAT_RE = re.compile(r"(?<!\S)([^\W_][^\n\t]{2,148}?[^\n\t\-’'])( ?)\1")
# A word of 5 letters or more glued to itself; a dash or U+FFFD doubled between spaces.
_GLUED_WORD_RE = re.compile(r"(?<![^\W_])([^\W\d_]{5,40})\1(?![^\W_])")
_DASHES = "–—-"
_DOUBLED_DASH_RE = re.compile(r"(?<= )([–—\ufffd-])( ?)\1(?= )")


def fix_doubling(text: str, clean: Set[str] = frozenset()) -> tuple[str, int]:
    """Remove the second copy of doubled runs; returns the text and the copies removed.

    Lines in `clean` are known to hold no doubled run (they came out of this function
    before): they are not looked at again.
    """
    lines = text.split("\n")
    count = 0
    # One scan of the whole text spares the per-line look for glued runs in most texts.
    glued = _JUNCTION_RE.search(text) is not None
    runs = _lines_with_runs(text, lines)
    doubled: set[int] = set()
    for index, line in enumerate(lines):
        if line in clean:
            continue
        fixed, removed = _fix_line(line, glued, index in runs)
        if removed:
            lines[index] = fixed
            count += removed
            doubled.add(index)
    if doubled and len(lines) > 1:
        count += _fix_across_lines(lines, doubled)
    return ("\n".join(lines), count) if count else (text, 0)


def _lines_with_runs(text: str, lines: list[str]) -> set[int]:
    """Indexes of the lines where `_undouble_runs` may find something: one scan of the
    whole text by the regular expressions, rather than one per line."""
    found: set[int] = set()
    if " " not in text:
        return found
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    for pattern in (_REPEAT_RE, _GLUED_WORD_RE, _DOUBLED_DASH_RE):
        for match in pattern.finditer(text):
            found.add(bisect.bisect_right(starts, match.start()) - 1)
    return found


def _fix_line(line: str, glued: bool, runs: bool) -> tuple[str, int]:
    count = 0
    for _ in range(_MAX_PASSES):
        fixed = _undouble_letters(line)
        removed = 1 if fixed is not None else 0
        if fixed is None:
            fixed = _undouble_whole(line)
            removed = 1 if fixed is not None else 0
        if fixed is None:
            fixed, removed = _undouble_glued_runs(line) if glued else (line, 0)
        if not removed and (runs or count):
            fixed, removed = _undouble_runs(line, evidence=count > 0)
        if not removed:
            break
        line = fixed
        count += removed
    return line, count


def _undouble_runs(line: str, evidence: bool) -> tuple[str, int]:
    """Runs followed by their own copy anywhere in a short line, on the line's evidence.

    Candidates: a phrase (several words) followed by its copy, glued or after a space; a
    word of five letters or more glued to itself; a dash or U+FFFD doubled between spaces.
    They are copies if a phrase is glued to its copy (no word does that), or if the line
    has two candidates or more (doubled dashes not counted: "– –" is typed too), or other
    doubled runs already (`evidence`): one phrase said twice in a row ("économie sociale
    économie sociale") is not evidence enough.
    """
    if len(line) > _MAX_TITLE_LINE or " " not in line:
        return line, 0
    cuts: list[tuple[int, int]] = []  # (end of the first copy, end of the second)
    strong = False
    telling = 0  # candidates that tell of shadowing: all but real dashes doubled
    search = 0
    while search < len(line):
        found = _candidate(line, search)
        if found is None:
            break
        start, middle, end, glued_phrase = found
        cuts.append((middle, end))
        strong = strong or glued_phrase
        telling += line[start] not in _DASHES
        search = end
    if not cuts or not (strong or evidence or telling >= 2):
        return line, 0
    pieces: list[str] = []
    position = 0
    for middle, end in cuts:
        pieces.append(line[position:middle])
        position = end
    pieces.append(line[position:])
    return "".join(pieces), len(cuts)


def _candidate(line: str, search: int) -> tuple[int, int, int, bool] | None:
    """The first doubled run at or after `search`: (start, end of the first copy, end of
    the second, whether it is a phrase glued to its copy), or None."""
    best: tuple[int, int, int, bool] | None = None
    for pattern in (_REPEAT_RE, _GLUED_WORD_RE, _DOUBLED_DASH_RE):
        position = search
        while (match := pattern.search(line, position)) is not None:
            if best is not None and match.start() >= best[0]:
                break
            copy, end = match.group(1), match.end()
            middle = match.start() + len(copy)
            if pattern is not _REPEAT_RE:
                best = (match.start(), middle, end, False)
                break
            spaced = bool(match.group(2)) or copy[-1].isspace()
            if _phrase_copy_ok(copy, spaced) and (
                end == len(line) or not line[end].isalnum() or not copy[-1].isalnum()
            ):
                best = (match.start(), middle, end, not spaced)
                break
            position = match.start() + 1
    return best


def _phrase_copy_ok(copy: str, spaced: bool) -> bool:
    # Words as written, between spaces: "l’observatoire" is one word, not two.
    if len(copy.split()) < 2:
        return False
    if not any(len(w) >= 4 and not w.isdigit() for w in _WORD_RE.findall(copy)):
        return False
    # "Le budget. Le budget.": a sentence said twice, unless glued to its copy.
    return not (spaced and copy.rstrip()[-1] in _SENTENCE_END)


def _fix_across_lines(lines: list[str], doubled: set[int]) -> int:
    """Drop (in place) a line that repeats, word for word, the run of several words ending
    the line before it ("3 axes3 axes de travail retenus" then "de travail retenus"), when
    that line had doubled runs itself (its index is in `doubled`)."""
    dropped: set[int] = set()
    for index in sorted(doubled):
        following = index + 1
        while following < len(lines) and _continues(lines[index], lines[following].strip()):
            dropped.add(following)
            following += 1
    if dropped:
        lines[:] = [line for index, line in enumerate(lines) if index not in dropped]
    return len(dropped)


def _continues(line: str, following: str) -> bool:
    """Whether `following` is the copy of the run of several words that ends `line`."""
    return (
        bool(following)
        and len(line) <= _MAX_TITLE_LINE
        and len(line) > len(following)
        and line.endswith(following)
        and line[-len(following) - 1] in " \t"
        and _phrase_copy_ok(following, spaced=True)
    )


def _undouble_letters(line: str) -> str | None:
    """ "MMéétthhooddee ddee" -> "Méthode de", when every glyph of the line is doubled."""
    first_letter = _LETTER_RE.search(line)
    if len(line) < 8 or first_letter is None:
        return None
    if line[first_letter.start() + 1 : first_letter.start() + 2] != first_letter.group():
        return None
    tokens = line.split(" ")
    longest = 0
    for token in tokens:
        if len(token) % 2 or token[0::2] != token[1::2]:
            return None
        longest = max(longest, len(token))
    if longest < 6:
        return None
    return " ".join(token[0::2] for token in tokens)


def _undouble_whole(line: str) -> str | None:
    starts = [len(line) - len(line.lstrip(" \t"))]
    prefix = _PREFIX_RE.match(line)
    if prefix is not None:
        starts.append(prefix.end())
    for start in starts:
        body = _single_copy(line[start:])
        if body is not None:
            return line[:start] + body
    return None


def _single_copy(body: str) -> str | None:
    half, odd = divmod(len(body), 2)
    if half < 2:
        return None
    if not odd:
        copy = body[:half]
        if body[half:] == copy and _glued_copy_ok(copy):
            return copy
        return None
    copy = body[:half]
    if body[half] == " " and body[half + 1 :] == copy and _spaced_copy_ok(copy):
        return copy
    return None


def _glued_copy_ok(copy: str) -> bool:
    if copy[0].isspace() or copy[-1].isspace() or not any(c.isalpha() for c in copy):
        return False
    if " " in copy:
        return True
    junction_breaks_case = copy[-1].islower() and copy[0].isupper()
    return len(copy) >= _MIN_WORD and (junction_breaks_case or copy.isupper())


def _spaced_copy_ok(copy: str) -> bool:
    if copy[0].isspace() or copy[-1] in _SENTENCE_END or not any(c.isalpha() for c in copy):
        return False
    if len(copy.split()) >= 2:
        return True
    return copy[0].isupper() and len(copy) >= 4


def _undouble_glued_runs(line: str) -> tuple[str, int]:
    if len(line) > _MAX_TITLE_LINE:
        return line, 0
    cuts: list[tuple[int, int]] = []
    last_end = 0
    for match in _JUNCTION_RE.finditer(line):
        i = match.start()
        if i < last_end:
            continue
        size = _glued_copy_size(line, i)
        if size:
            cuts.append((i, i + size))
            last_end = i + size
    if not cuts:
        return line, 0
    pieces: list[str] = []
    position = 0
    for start, end in cuts:
        pieces.append(line[position:start])
        position = end
    pieces.append(line[position:])
    return "".join(pieces), len(cuts)


def _glued_copy_size(line: str, i: int) -> int:
    """Length of a run ending at `i` that `line` repeats from `i`, or 0."""
    first = line[i]
    lowest = max(0, i - _MAX_RUN)
    # Candidate starts of the first copy: the same character at a line or word start.
    starts = [0] if lowest == 0 and line[0] == first else []
    j = line.find(" " + first, lowest, i)
    while j != -1:
        starts.append(j + 1)
        j = line.find(" " + first, j + 1, i)
    for j in reversed(starts):
        size = i - j
        end = i + size
        if size == 0 or (end < len(line) and line[end].isalnum()):
            continue
        copy = line[j:i]
        if line.startswith(copy, i) and _glued_copy_ok(copy):
            return size
    return 0

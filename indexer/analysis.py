"""The French analysis of the full-text index, ours rather than the engine's.

tokenizer -> elision -> lower-case + accent folding -> stop words -> Snowball French stems.

"L’Économie" and "economies" both give the term "econom"; "cœur" and "coeur" give "coeur";
"aujourd’hui" stays one word. Accents are folded *before* stemming: stem-then-fold gives a
different term for about 30% of accented words typed without accents (données -> don,
donnees -> donne), fold-then-stem for none (docs/dependency-facts.md).

The index is given these terms ready made (`indexer.prepare`), so the engine's own
analysers never decide what a word is: tantivy's chain (lower-case, ASCII folding, stop
words, Snowball) gives other terms for elided and hyphenated words ("aujourd'hui", "l'"),
and ours is pinned over a word list (tests/indexer/test_analysis.py). Changing anything here
changes the terms of every document: bump `indexer.schema.SCHEMA_VERSION` so that
libraries are rebuilt (`kb upgrade`).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import Stemmer

from indexer.text import fold

# A word: letters or digits, possibly with combining accents (text in NFD form, as some
# PDFs and macOS files give it), and apostrophes between letters so that "aujourd’hui"
# stays whole and "l’économie" reaches the elision filter in one piece. No underscore.
_LETTERS = r"[^\W_](?:[^\W_]+|[\u0300-\u036f]+)*"
# An acronym written with dots ("S.C.I.C.", "U.R.S.C.O.P"): one word, the acronym without
# its dots (`fold_token`), so that it is found as "SCIC" is; single letters are stop words.
_DOTTED = r"(?<![^\W_])[^\W\d_](?:\.[^\W\d_])+\.?(?![^\W_])"
WORD_PATTERN = rf"{_DOTTED}|{_LETTERS}(?:['’‘ʼ]{_LETTERS})*"

# Elided articles, pronouns and conjunctions, as folded prefixes without the apostrophe.
ELISIONS = frozenset(
    {
        "l", "d", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "s", "n", "m", "t", "c", "j",
        "presqu", "quelqu",
    }
)  # fmt: skip
_APOSTROPHES = "'’‘ʼ"

# Snowball's French stop list (as Whoosh shipped it).
_SNOWBALL_STOP_WORDS = (
    "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai", "auraient", "aurais",
    "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux", "avaient",
    "avais", "avait", "avec", "avez", "aviez", "avions", "avons", "ayant", "ayante",
    "ayantes", "ayants", "ayez", "ayons", "c", "ce", "ces", "d", "dans", "de", "des", "du",
    "elle", "en", "es", "est", "et", "eu", "eue", "eues", "eurent", "eus", "eusse",
    "eussent", "eusses", "eussiez", "eussions", "eut", "eux", "eûmes", "eût", "eûtes",
    "furent", "fus", "fusse", "fussent", "fusses", "fussiez", "fussions", "fut", "fûmes",
    "fût", "fûtes", "il", "j", "je", "l", "la", "le", "leur", "lui", "m", "ma", "mais",
    "me", "mes", "moi", "mon", "même", "n", "ne", "nos", "notre", "nous", "on", "ont", "ou",
    "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "sera", "serai", "seraient",
    "serais", "serait", "seras", "serez", "seriez", "serions", "serons", "seront", "ses",
    "soient", "sois", "soit", "sommes", "son", "sont", "soyez", "soyons", "suis", "sur",
    "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y",
    "à", "étaient", "étais", "était", "étant", "étante", "étantes", "étants", "étiez",
    "étions", "été", "étée", "étées", "étés", "êtes",
)  # fmt: skip

# Added to Snowball's French list (which lacks the plural article and the elided forms left
# when an apostrophe is missing or spaced). Deliberately small: words such as "non", "sans",
# "plus", "pays" or "pôle" carry meaning in ESS documents and stay searchable.
_EXTRA_STOP_WORDS = (
    "les", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu",
    "ils", "elles", "cet", "cette", "ceux", "celle", "celles", "celui", "dont", "où", "leurs",
    "ni",
)  # fmt: skip
_SINGLE_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")

#: Folded French stop words: Snowball's list (folded: "été" -> "ete") plus the additions
#: above and the single letters (single digits stay: "5 missions").
FRENCH_STOP_WORDS: frozenset[str] = frozenset(
    fold(word) for word in (*_SNOWBALL_STOP_WORDS, *_EXTRA_STOP_WORDS, *_SINGLE_LETTERS)
)

# Longer tokens are dropped: no French word comes close, and a 50 MB text without spaces
# must not become one giant term.
MAX_TOKEN_LENGTH = 64
_CACHE_SIZE = 100_000  # distinct words; about 15 MB per cache when full
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # PyStemmer objects are not thread-safe: one per thread (the API serves from threads).
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("french")
    return stemmer


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _fold_word(word: str) -> str:
    # Unicode decomposition costs more than stemming: one lookup per known word instead.
    return fold(word)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def stem(word: str) -> str:
    """Snowball French stem of a folded word (PyStemmer, C); cached, thread-safe."""
    return _stemmer().stemWord(word)


def elision_cut(word: str, elisions: frozenset[str] = ELISIONS) -> int:
    """How many characters of elided prefixes ("l’", "QU'", repeated) start `word`."""
    cut = 0
    while True:
        apostrophe = _first_apostrophe(word, cut)
        if apostrophe < 0 or word[cut:apostrophe].lower() not in elisions:
            return cut
        cut = apostrophe + 1


def _first_apostrophe(text: str, start: int) -> int:
    found = [i for i in (text.find(a, start) for a in _APOSTROPHES) if i >= 0]
    return min(found) if found else -1


def fold_token(text: str) -> str:
    """A word lower-cased and folded (`indexer.text.fold`), cached for non-ASCII words; the dots
    of a dotted acronym left out ("S.C.I.C." -> "scic")."""
    if "." in text:
        text = text.replace(".", "")
    return text.lower() if text.isascii() else _fold_word(text)


@dataclass(frozen=True)
class Token:
    """A kept word of a text: its term (stem, or folded surface word) and where it is."""

    text: str
    start: int
    end: int


_WORD_RE = re.compile(WORD_PATTERN)


def tokens(text: str, *, stems: bool = True) -> Iterator[Token]:
    """The kept words of `text` in order: elided prefixes cut (offsets past them), folded,
    stop words and over-long tokens dropped; stems unless `stems` is False."""
    for match in _WORD_RE.finditer(text):
        written = match.group()
        cut = elision_cut(written)
        surface = fold_token(written[cut:])
        if not surface or len(surface) > MAX_TOKEN_LENGTH or surface in FRENCH_STOP_WORDS:
            continue
        yield Token(stem(surface) if stems else surface, match.start() + cut, match.end())


def analyze(text: str) -> list[str]:
    """The terms of `text`, in order (stop words removed)."""
    return [t.text for t in tokens(text)]


def surface_words(text: str) -> list[str]:
    """The folded, unstemmed kept words of `text`, in order."""
    return [t.text for t in tokens(text, stems=False)]


__all__ = [
    "ELISIONS",
    "FRENCH_STOP_WORDS",
    "MAX_TOKEN_LENGTH",
    "WORD_PATTERN",
    "Token",
    "analyze",
    "elision_cut",
    "fold_token",
    "stem",
    "surface_words",
    "tokens",
]

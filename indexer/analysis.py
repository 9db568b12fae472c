"""The French analysis chain of the full-text index.

tokenizer -> elision -> lower-case + accent folding -> stop words -> Snowball French stems.

"L’Économie" and "economies" both give the term "econom"; "cœur" and "coeur" give "coeur";
"aujourd’hui" stays one word. Accents are folded *before* stemming: stem-then-fold gives a
different term for about 30% of accented words typed without accents (données -> don,
donnees -> donne), fold-then-stem for none (docs/dependency-facts.md).

Whoosh pickles the analyzer into the index, so every piece of the chain is a module-level
class of this module (or of Whoosh) whose state is plain data. Renaming or moving a class
here breaks every existing index: bump `indexer.schema.SCHEMA_VERSION` instead. The stop
list and elision prefixes are stored in the filter instances, so an index keeps analysing
queries exactly as it analysed its documents even after this module's lists change.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator

import Stemmer
from whoosh.analysis import Analyzer, Filter, RegexTokenizer, Token
from whoosh.lang import stopwords_for_language

from indexer.text import fold

# A word: letters or digits, possibly with combining accents (text in NFD form, as some
# PDFs and macOS files give it), and apostrophes between letters so that "aujourd’hui"
# stays whole and "l’économie" reaches the elision filter in one piece. No underscore.
_LETTERS = r"[^\W_](?:[^\W_]+|[\u0300-\u036f]+)*"
WORD_PATTERN = rf"{_LETTERS}(?:['’‘ʼ]{_LETTERS})*"

# Elided articles, pronouns and conjunctions, as folded prefixes without the apostrophe.
ELISIONS = frozenset(
    {
        "l", "d", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "s", "n", "m", "t", "c", "j",
        "presqu", "quelqu",
    }
)  # fmt: skip
_APOSTROPHES = "'’‘ʼ"

# Added to Whoosh's French list (which lacks the plural article and the elided forms left
# when an apostrophe is missing or spaced). Deliberately small: words such as "non", "sans",
# "plus", "pays" or "pôle" carry meaning in ESS documents and stay searchable.
_EXTRA_STOP_WORDS = (
    "les", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu",
    "ils", "elles", "cet", "cette", "ceux", "celle", "celles", "celui", "dont", "où", "leurs",
    "ni",
)  # fmt: skip
_SINGLE_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")

#: Folded French stop words: Whoosh's list (folded: "été" -> "ete") plus the additions
#: above and the single letters (single digits stay: "5 missions").
FRENCH_STOP_WORDS: frozenset[str] = frozenset(
    fold(word) for word in (*stopwords_for_language("fr"), *_EXTRA_STOP_WORDS, *_SINGLE_LETTERS)
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


class ElisionFilter(Filter):
    """Strips elided prefixes ("l’", "QU'", "jusqu’") and moves `startchar` past them.

    Case-insensitive, with any apostrophe (’ ' ‘ ʼ); repeated ("qu’aujourd’hui" ->
    "aujourd’hui"). A word whose first part is not an elision ("aujourd’hui",
    "prud’hommes") is left whole.
    """

    def __init__(self, elisions: Iterable[str] = ELISIONS):
        self.elisions = frozenset(elisions)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        elisions = self.elisions
        for t in tokens:
            text = t.text
            if "'" in text or "’" in text or "‘" in text or "ʼ" in text:
                cut = elision_cut(text, elisions)
                if cut:
                    t.text = text[cut:]
                    if t.chars:
                        t.startchar += cut
            yield t


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


class FoldFilter(Filter):
    """Lower-cases and folds accents, ligatures and apostrophes (`kb.text.fold`).

    ASCII tokens only need lower-casing, the common case, so they skip the Unicode work.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = fold_token(t.text)
            yield t


def fold_token(text: str) -> str:
    """A word lower-cased and folded (`kb.text.fold`), cached for non-ASCII words."""
    return text.lower() if text.isascii() else _fold_word(text)


class FrenchStopFilter(Filter):
    """Removes folded stop words and over-long tokens, renumbering positions like Whoosh.

    Same protocol as `whoosh.analysis.StopFilter`: positions of kept tokens are renumbered
    (a phrase "économie de la santé" matches "économie santé"), and with
    `removestops=False` (the highlighter) stop words pass through marked `stopped`.
    """

    def __init__(
        self, stoplist: Iterable[str] = FRENCH_STOP_WORDS, maxsize: int = MAX_TOKEN_LENGTH
    ):
        self.stops = frozenset(stoplist)
        self.maxsize = maxsize

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = self.stops
        maxsize = self.maxsize
        pos = None
        for t in tokens:
            text = t.text
            if text and len(text) <= maxsize and text not in stops:
                if t.positions:
                    if pos is None:
                        pos = t.pos
                    else:
                        pos += 1
                        t.pos = pos
                t.stopped = False
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


class FrenchStemFilter(Filter):
    """Replaces each (folded, non-stopped) token by its Snowball French stem."""

    # Whoosh skips morphological filters when it wants surface words (spelling fields).
    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def french_analyzer() -> Analyzer:
    """The analyzer of every French text field; equal instances for equal configuration."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | ElisionFilter()
        | FoldFilter()
        | FrenchStopFilter()
        | FrenchStemFilter()
    )


@functools.cache
def _default_analyzer() -> Analyzer:
    return french_analyzer()


def analyze(text: str) -> list[str]:
    """The terms `french_analyzer()` gives for `text`, in order (stop words removed)."""
    return [t.text for t in _default_analyzer()(text)]


__all__ = [
    "ELISIONS",
    "FRENCH_STOP_WORDS",
    "MAX_TOKEN_LENGTH",
    "WORD_PATTERN",
    "ElisionFilter",
    "FoldFilter",
    "FrenchStemFilter",
    "FrenchStopFilter",
    "analyze",
    "elision_cut",
    "fold_token",
    "french_analyzer",
    "stem",
]

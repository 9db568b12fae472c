"""The synthetic library's words: the sample library's own, most frequent first, then
generated French-looking ones, drawn along a Zipf-like distribution; and the lexicon each
generating process draws from."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SEED = 2008  # every draw (words, documents, texts) starts from it

ZIPF_S = 1.05
LEXICON_SIZE = 60_000  # generated words, after the corpus's own
_PREFIXES = ("", "", "", "", "re", "dé", "pré", "co", "inter", "sur", "sous", "trans", "auto",
             "contre", "mé", "pro", "ré", "in", "dis", "ex")  # fmt: skip
_ONSETS = ("b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pl",
           "br", "gr", "fr", "qu", "cl", "pr", "j", "")  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "é", "è", "ê", "ou", "ai", "au", "eu", "oi", "an", "en",
           "on", "in", "â", "ô", "î", "û")  # fmt: skip
_SUFFIXES = ("tion", "tions", "ment", "ments", "ité", "ités", "eur", "eurs", "euse", "ique",
             "iques", "isme", "iste", "able", "ible", "age", "ance", "ence", "ée", "ées", "é",
             "és", "er", "ère", "ières", "al", "aux", "elle", "ette", "oir", "ois", "aire",
             "ure", "esse", "if", "ive", "ifs", "ives", "ant", "ante", "ants", "ement",
             "œuvre", "çon", "eau", "eaux")  # fmt: skip
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def corpus_words() -> list[str]:
    """Words of the sample library's texts, most frequent first (ties alphabetical).

    Read through the project's own extraction, so every format of corpus/ contributes.
    """
    from indexer.extract import default_registry  # the project, not a dependency

    registry = default_registry()
    counts: Counter[str] = Counter()
    for path in sorted(CORPUS.iterdir()):
        if path.name.endswith(".toml") or path.name.startswith(".") or path.name == "README.md":
            continue
        try:
            text = registry.extract(path).text
        except Exception:  # a sample file we cannot read only shrinks the word list
            continue
        for word in WORD_RE.findall(text):
            if len(word) > 1 or word in ("à", "a", "y"):
                counts[word.lower() if not word.isupper() else word] += 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def generated_lexicon(count: int, exclude: set[str], seed: int = SEED) -> list[str]:
    """`count` distinct French-looking words (prefix + syllables + suffix), not in `exclude`."""
    rng = random.Random(f"lexicon:{seed}")
    words: list[str] = []
    seen = set(exclude)
    while len(words) < count:
        syllables = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.choice((1, 1, 2, 2, 3)))
        )
        word = rng.choice(_PREFIXES) + syllables + rng.choice(_SUFFIXES)
        if 3 <= len(word) <= 18 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Lexicon:
    """Words by rank and the cumulative Zipf weights to draw them."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def build(cls, seed: int = SEED) -> Lexicon:
        base = corpus_words()
        words = base + generated_lexicon(LEXICON_SIZE, set(base), seed)
        weights = [1.0 / (rank**ZIPF_S) for rank in range(1, len(words) + 1)]
        return cls(tuple(words), tuple(itertools.accumulate(weights)))

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        words = path.read_text(encoding="utf-8").split("\n")
        weights = [1.0 / (rank**ZIPF_S) for rank in range(1, len(words) + 1)]
        return cls(tuple(words), tuple(itertools.accumulate(weights)))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def rank(self, word: str) -> int:
        return self.words.index(word) + 1

    def share(self, rank: int) -> float:
        """Expected share of drawn words that are the word of this rank."""
        previous = self.cumulative[rank - 2] if rank > 1 else 0.0
        return (self.cumulative[rank - 1] - previous) / self.cumulative[-1]


_lexicon: Lexicon | None = None  # per generating process

_current: Lexicon | None = None  # the lexicon this generating process draws from


def use(lexicon: Lexicon) -> None:
    """Draw this process's words from `lexicon` (each process of the pool calls it first)."""
    global _current
    _current = lexicon


def in_use() -> Lexicon | None:
    return _current


def drawn() -> Lexicon:
    """The lexicon in use; `use` must have been called in this process."""
    assert _current is not None, "call use(lexicon) in each process first"
    return _current

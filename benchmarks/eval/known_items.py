"""Known-item queries picked automatically from the reference texts.

Two kinds, as a reader pastes them: a whole sentence (8 to 30 words), and a phrase of 5 to
8 consecutive words. A query is kept only if its set of words occurs in no other document
(words compared case- and accent-folded), so exactly one document is the right answer.
The choice is seeded: the same documents give the same queries.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from indexer.text import fold

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ])")
_WORD = re.compile(r"[^\W_]+")
# Sentences of running French text: letters, digits and ordinary punctuation only.
_PLAIN = re.compile(r"^[\w\s'’,;:.!?()«»\-–—/%]+$")


@dataclass(frozen=True)
class KnownItem:
    kind: str  # "sentence" or "phrase"
    text: str
    target: int  # index of the document it must find


def pick(
    references: Sequence[str], per_document: Mapping[int, int], seed: int = 11
) -> list[KnownItem]:
    """Up to `per_document[i]` queries of each kind for document i (default 2)."""
    postings: dict[str, set[int]] = {}
    for index, text in enumerate(references):
        for word in {fold(w.lower()) for w in _WORD.findall(text)}:
            postings.setdefault(word, set()).add(index)
    rng = random.Random(seed)
    items: list[KnownItem] = []
    for index, text in enumerate(references):
        wanted = per_document.get(index, 2)
        sentences = [" ".join(s.split()) for s in _SENTENCE_END.split(text)]
        sentences = [s for s in sentences if 8 <= len(s.split()) <= 30 and _PLAIN.match(s)]
        rng.shuffle(sentences)

        def unique(words: list[str], index: int = index) -> bool:
            folded = {fold(w.lower()) for w in words}
            docs = set.intersection(*(postings.get(w, set()) for w in folded))
            return docs == {index}

        chosen = [s for s in sentences if unique(_WORD.findall(s))][:wanted]
        items += [KnownItem("sentence", s, index) for s in chosen]
        phrases: list[str] = []
        for sentence in sentences:
            words = sentence.split()
            size = rng.randint(5, 8)
            if len(words) < size:
                continue
            start = rng.randrange(len(words) - size + 1)
            phrase = " ".join(words[start : start + size]).strip(",;:.!?()«»")
            found = _WORD.findall(phrase)
            if len(found) >= 5 and unique(found) and phrase not in chosen:
                phrases.append(phrase)
            if len(phrases) >= wanted:
                break
        items += [KnownItem("phrase", p, index) for p in phrases]
    return items

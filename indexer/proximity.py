"""Proximity: the document that holds the query's words together ranks first in its tier.

BM25 scores each word on its own: for a pasted phrase of six words, every document holding
the six words somewhere is in the top tier, and one that mentions them often, scattered,
outranks the one that holds the phrase. `rescore` re-ranks the best `MAX_CANDIDATES` of the
top tier by how much of the query they hold as a run: the longest chain of the query's
words found in the query's order, each within `SLOP` positions of the previous one (stop
words do not count: the index leaves them out of the positions). A document holding the
whole phrase gets `proximity` 1, one holding no two of the words side by side 0, and its
relevance within the tier becomes BM25 × (1 + PROXIMITY_GAIN × proximity).

The candidates far longer than the average lose weight (`length_factor`), and for a
pasted sentence the best few are checked for it as typed, stop words included (`rescore`).
Only the content field is read (the titles are short: their words are near anyway), and
only the candidates' blocks of positions; the other documents keep their scores, and the
tiers never change: totals, facets and the order of the tiers are those of the plain scores.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from itertools import compress, repeat
from operator import le

from whoosh import query as wq

from indexer.postings import PostingCache
from indexer.query import TIER_SCALE, AllWordsFirst, tier_relevance

FIELD = "content"
MAX_CANDIDATES = 50  # the best of the top tier that are re-ranked
SLOP = 3  # a word may follow the previous one up to this many indexed words later
PROXIMITY_GAIN = 2.0  # the whole phrase triples a document's relevance within its tier
LONG_DOCUMENT = 16.0  # times the average length: longer is penalised (`length_factor`)
LITERAL_MIN_WORDS = 4  # a pasted sentence, stop words included
LITERAL_CANDIDATES = 10  # the best after proximity whose stored text is read
LITERAL_PROXIMITY = 3.0  # the sentence as typed counts far more than its words in a row


def query_words(query: wq.Query, field: str = FIELD) -> list[str] | None:
    """The indexed words of the query's soft clauses in `field`, in the order typed, when
    the query ranks by tiers (`AllWordsFirst`, maybe under conditions or exclusions, which
    keep its scores); None otherwise, or when fewer than two words are left."""
    node = query
    while isinstance(node, wq.Require | wq.AndNot):
        node = node.a
    if type(node) is not AllWordsFirst:
        return None
    words: list[str] = []
    for clause in node.subqueries:
        words.extend(_field_words(clause, field))
    return words if len(words) >= 2 else None


def _field_words(clause: wq.Query, field: str) -> list[str]:
    if isinstance(clause, wq.Term):
        return [clause.text] if clause.fieldname == field and isinstance(clause.text, str) else []
    if isinstance(clause, wq.Phrase):
        return list(clause.words) if clause.fieldname == field else []
    if type(clause) is wq.Or:
        for sub in clause.subqueries:
            found = _field_words(sub, field)
            if found:
                return found
    return []


def best_chain(words: Sequence[str], positions: Mapping[str, Sequence[int]]) -> float:
    """The best chain of `words` found in order, each at most SLOP positions after the
    previous one: each link counts 1 / its gap (1 for words side by side), so the exact
    phrase of n words counts n - 1; 0 when no two of them are near.

    Set intersections do the scanning (in C): a long document holds common words at
    thousands of positions."""
    best = 0.0
    previous: Sequence[int] = ()  # positions of the previous word
    chains: dict[int, float] = {}  # position of the previous word -> chain ending there
    for word in words:
        here = positions.get(word, ())
        current: dict[int, float] = {}
        if previous and here:
            found = set(here)
            for gap in range(1, SLOP + 1):
                link = 1.0 / gap
                for p in found.intersection(map(gap.__add__, previous)):
                    chain = chains.get(p - gap, 0.0) + link
                    if chain > current.get(p, 0.0):
                        current[p] = chain
            if current:
                best = max(best, max(current.values()))
        previous, chains = here, current
    return best


def proximity(words: Sequence[str], positions: Mapping[str, Sequence[int]]) -> float:
    """0 (no two of the words near each other) to 1 (all of them as a phrase)."""
    if len(words) < 2:
        return 0.0
    return best_chain(words, positions) / (len(words) - 1)


def length_factor(relative_length: float) -> float:
    """What a document's relevance is multiplied by for its length (in average lengths):
    1 up to LONG_DOCUMENT, then LONG_DOCUMENT / length.

    BM25 divides a word's frequency by the length, so a very long document scores by its
    words' densities: a dump of hundreds of pages holds every word at about the library's
    average density, near BM25's ceiling, and would rank near the top for any query. Far
    beyond the average length a document is such a collection rather than a text on one
    subject: it counts as if its matches were shared among that many documents."""
    if relative_length <= LONG_DOCUMENT:
        return 1.0
    return LONG_DOCUMENT / relative_length


def rescore(
    query: wq.Query,
    scores: dict[int, float],
    cache: PostingCache,
    text: str = "",
    among: Collection[int] | None = None,
    shown: int | None = None,
) -> dict[int, float]:
    """`scores` (from `Ranker.scores`) with the best of the top tier re-ranked by proximity;
    the same dictionary, changed in place. Only documents of `among` (None: all scored)
    are re-ranked: those a page can show. Unchanged for a query that does not rank by
    tiers or has fewer than two words in the content field.

    `text`, the query as typed: when it is plain words (no syntax) and at least
    LITERAL_MIN_WORDS of them, the best LITERAL_CANDIDATES after proximity are also
    checked for the words as typed, stop words included, one after the other in their
    stored text (accents and case aside): a document that holds the pasted sentence itself
    counts LITERAL_PROXIMITY.

    `shown`: how many of the best the caller shows (None: every candidate's score is
    exact). Candidates that proximity cannot lift among them are not read
    (`_within_reach`): the same documents are shown, in the same order."""
    words = query_words(query)
    if not words or not scores or FIELD not in cache.schema or cache.bm25f is None:
        return scores
    candidates = frozenset(_best_of_top_tier(scores, among))
    if not candidates:
        return scores
    lengths = cache.relative_lengths(FIELD)
    base = {d: tier_parts(scores[d]) for d in candidates}
    literal = _literal_pattern(text)
    if shown is not None and literal is None:  # (a pasted sentence can gain more)
        candidates = _within_reach(candidates, base, lengths, shown, scores)
    by_doc: dict[int, dict[str, list[int]]] = {d: {} for d in candidates}
    for word in dict.fromkeys(words):
        btext = cache.to_bytes(FIELD, word)
        if btext is None:
            continue
        for d, found in cache.positions(FIELD, btext, candidates).items():
            by_doc[d][word] = found
    close = {d: proximity(words, by_doc[d]) for d in candidates}

    def update(d: int) -> None:
        factor = (1.0 + PROXIMITY_GAIN * close[d]) * length_factor(lengths[d])
        scores[d] = _tier_score(base[d], factor)

    for d in candidates:
        update(d)
    if literal is not None:
        best = sorted(candidates, key=lambda d: (-scores[d], d))[:LITERAL_CANDIDATES]
        for d in best:
            if lengths[d] <= LONG_DOCUMENT and _holds(cache, d, literal):
                close[d] = LITERAL_PROXIMITY
                update(d)
    return scores


def _within_reach(
    candidates: frozenset[int],
    base: Mapping[int, tuple[int, float]],
    lengths: Sequence[float],
    shown: int,
    scores: dict[int, float],
) -> frozenset[int]:
    """Those of `candidates` (one tier) that proximity could lift among the `shown` best.

    A candidate's relevance ends between `low` (no two words close: times its length
    factor) and `low` * (1 + PROXIMITY_GAIN). One whose highest is below the `shown`-th
    best of the lowest cannot be shown whatever its positions say: it takes its lowest
    score, which keeps it below those shown, and its positions are not read (they are the
    dear part of a distinct search)."""
    if len(candidates) <= shown:
        return candidates
    low = {d: base[d][1] * length_factor(lengths[d]) for d in candidates}
    cut = heapq.nlargest(shown, low.values())[-1] * (1.0 - 1e-9)  # (rounding aside)
    reach = 1.0 + PROXIMITY_GAIN
    kept = []
    for d in candidates:
        if low[d] * reach >= cut:
            kept.append(d)
        else:
            scores[d] = _tier_score(base[d], length_factor(lengths[d]))
    return frozenset(kept)


def _tier_score(parts: tuple[int, float], factor: float) -> float:
    """A tier score from its (tier, BM25 sum) with the sum multiplied by `factor`."""
    count, relevance = parts
    return count + tier_relevance(relevance * factor)


def _best_of_top_tier(scores: Mapping[int, float], among: Collection[int] | None) -> list[int]:
    """The MAX_CANDIDATES best documents (score, then index order) of the top tier among
    `among` (None: all scored). Tier scores are a count plus a fraction below 1, so the top
    tier is every score from int(best) up: the values are compared at C speed (`map`,
    `heapq`), and only the few documents at or above the cut are looked at one by one."""
    shown = scores.keys() if among is None else scores.keys() & among
    if not shown:
        return []
    docs = list(shown)
    values = list(map(scores.__getitem__, docs))
    tier = int(max(values))
    cut = float(tier)
    if len(values) > MAX_CANDIDATES:
        cut = max(cut, heapq.nlargest(MAX_CANDIDATES, values)[-1])
    at_cut = compress(docs, map(le, repeat(cut), values))
    in_tier = [d for d in at_cut if int(scores[d]) == tier]
    if len(in_tier) > MAX_CANDIDATES:
        in_tier.sort(key=lambda d: (-scores[d], d))
        in_tier = in_tier[:MAX_CANDIDATES]
    return in_tier


_SYNTAX = re.compile(r"[\"«»“”„:*~()|&+]|(?:^|\s)-|\b(?:OR|OU|AND|ET|NOT)\b")
_MARKS = re.compile("[\u0300-\u036f]+")


def _plain(text: str) -> str:
    """Accents and case aside, at C speed (the stored text of a document can be long)."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()


def _literal_pattern(text: str) -> re.Pattern[str] | None:
    """The typed words one after the other, any punctuation or spaces between them; None
    for a query with syntax or fewer than LITERAL_MIN_WORDS words."""
    if not text or _SYNTAX.search(text):
        return None
    tokens = re.findall(r"\w+", _plain(text))
    if len(tokens) < LITERAL_MIN_WORDS:
        return None
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, tokens)) + r"(?!\w)")


def _holds(cache: PostingCache, docnum: int, pattern: re.Pattern[str]) -> bool:
    stored = cache.searcher.stored_fields(docnum).get(FIELD) or ""
    return pattern.search(_plain(stored)) is not None


def tier_parts(score: float) -> tuple[int, float]:
    """(tier, BM25 sum) of an `AllWordsFirst` score (the inverse of `tier_relevance`)."""
    count = int(score)
    fraction = min(score - count, 1.0 - 1e-12)
    return count, TIER_SCALE * fraction / (1.0 - fraction)


__all__ = ["best_chain", "length_factor", "proximity", "query_words", "rescore", "tier_parts"]

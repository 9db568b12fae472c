"""Automatic tagging of one document: tags where the evidence is strong, the kind from
what the document is, and suggestions for curators where the evidence is real but weak.

The rules: `kb.tags.weigh_mentions` for the fields a text names (family, territory,
mission, instance), `kb.kinds` for the kind. Ingest and `kb retag` both come here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexer.extract.base import Section
from indexer.text import fold
from kb.kinds import kind_evidence
from kb.mentions import Mention
from kb.tags import Tag, TagEvidence, weigh_mentions
from kb.vocabulary import Vocabulary

if TYPE_CHECKING:  # the model's module needs the library's, which ingest imports later
    from kb.learning import TagModel


# Where a document shows what it belongs to: its title and start.
GROUND_CHARS = 5_000
GROUND_SECTIONS = 5
# Where its own documents' words are looked for (`Vocabulary.own_documents`): minutes,
# statutes and reports say them throughout, and a long text is not read whole for them.
OWN_CHARS = 30_000


@dataclass(frozen=True)
class AutoTagging:
    tags: list[Tag]  # origin "auto"
    evidence: list[TagEvidence]  # why each tag was set, in the same order
    suggestions: list[TagEvidence]  # for curators to accept or dismiss (`kb.suggestions`)


def automatic_tags(
    vocab: Vocabulary,
    title: str,
    sections: Sequence[Section],
    media_type: str,
    mentions: Iterable[Mention] | None = None,
    model: TagModel | None = None,
) -> AutoTagging:
    """`mentions`: the vocabulary's names in the title and sections, when an extraction
    worker found them already. A document off the observatory's ground gets no kind: one
    that names no term by a name that is not weak, and none of the vocabulary's ground
    words (association, collectivité...) in its title and start. `model`: the library's classifier
    (`kb.learning`), whose predictions join the suggestions."""
    if mentions is None:
        mentions = vocab.find_mentions(title, ((s.text, s.page) for s in sections))
    named = [m for m in mentions if m.field != "kind"]
    words = sum(len(s.text.split()) for s in sections)
    on_ground = _on_ground(vocab, title, sections)
    own = vocab.own_documents(_start(title, sections, OWN_CHARS))
    chosen, suggested = weigh_mentions(named, vocab, words, on_ground, own)
    chosen, suggested = _area_over_its_town(vocab, chosen, suggested)
    if any(not m.weak for m in named) or on_ground:
        kind = kind_evidence(vocab, title, sections, media_type)
        if kind is not None:
            chosen.append(kind)
    tagging = AutoTagging([Tag(e.field, e.value, "auto") for e in chosen], chosen, suggested)
    return with_model_suggestions(tagging, model, title, sections)


def with_model_suggestions(
    tagging: AutoTagging, model: TagModel | None, title: str, sections: Sequence[Section]
) -> AutoTagging:
    """The tagging with the library's classifier's suggestions added, those the rules did
    not already tag or suggest. Apart from `automatic_tags` because ingest's workers apply
    the rules and the one process that has the library the model."""
    if model is None:
        return tagging
    known = {(e.field, e.value) for e in (*tagging.evidence, *tagging.suggestions)}
    more = [e for e in model.suggest(title, sections) if (e.field, e.value) not in known]
    return AutoTagging(tagging.tags, tagging.evidence, [*tagging.suggestions, *more])


def _area_over_its_town(
    vocab: Vocabulary, chosen: list[TagEvidence], suggested: list[TagEvidence]
) -> tuple[list[TagEvidence], list[TagEvidence]]:
    """A town whose own pays is tagged too, by a name that holds the town's ("Dinan
    Agglomération", "pays de Dinan" beside "Dinan"), is the area's namesake said in short:
    the document is about the area, as a curator catalogues an agglomeration
    (docs/cataloguing.md), and the town becomes a suggestion. A town beside a pays of
    another name ("Quimper" beside "Pays de Cornouaille") stays: the most precise place."""
    areas = {e.value: e for e in chosen if e.field == "territory"}
    kept, demoted = [], []
    for evidence in chosen:
        term = vocab.get("territory", evidence.value) if evidence.field == "territory" else None
        area = areas.get(term.parent) if term is not None and term.parent else None
        if term is not None and area is not None and _holds(area.words, term.label):
            demoted.append(evidence)
        else:
            kept.append(evidence)
    return kept, demoted + suggested


def _holds(words: Iterable[str], name: str) -> bool:
    return any(f" {_plain(name)} " in f" {_plain(w)} " for w in words)


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def _on_ground(vocab: Vocabulary, title: str, sections: Sequence[Section]) -> bool:
    return vocab.on_ground(_start(title, sections[:GROUND_SECTIONS], GROUND_CHARS))


def _start(title: str, sections: Sequence[Section], limit: int) -> str:
    """The title and the sections' text, cut at `limit` characters (a book is not read
    whole for what its first pages say)."""
    parts, size = [title], len(title)
    for section in sections:
        if size >= limit:
            break
        parts.append(section.text)
        size += len(section.text) + 1
    return "\n".join(parts)[:limit]


def worth_offering(
    suggestions: Iterable[TagEvidence], effective: Mapping[str, Sequence[str]]
) -> list[TagEvidence]:
    """The suggestions whose value the document does not have already (a sidecar or a
    curator may have set it)."""
    return [s for s in suggestions if s.value not in effective.get(s.field, ())]

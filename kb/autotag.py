"""Automatic tagging of one document: tags where the evidence is strong, the kind from
what the document is, and suggestions for curators where the evidence is real but weak.

The rules: `kb.tags.weigh_mentions` for the fields a text names (family, territory,
mission, instance), `kb.kinds` for the kind. Ingest and `kb retag` both come here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexer.extract.base import Section
from kb.kinds import kind_evidence
from kb.mentions import Mention
from kb.tags import Tag, TagEvidence, weigh_mentions
from kb.vocabulary import Vocabulary

if TYPE_CHECKING:  # the model's module needs the library's, which ingest imports later
    from kb.learning import TagModel


# Where a document shows what it belongs to: its title and start.
GROUND_CHARS = 5_000
GROUND_SECTIONS = 5


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
    chosen, suggested = weigh_mentions(named, vocab, words)
    if any(not m.weak for m in named) or _on_ground(vocab, title, sections):
        kind = kind_evidence(vocab, title, sections, media_type)
        if kind is not None:
            chosen.append(kind)
    if model is not None:
        known = {(e.field, e.value) for e in (*chosen, *suggested)}
        suggested += [e for e in model.suggest(title, sections) if (e.field, e.value) not in known]
    return AutoTagging([Tag(e.field, e.value, "auto") for e in chosen], chosen, suggested)


def _on_ground(vocab: Vocabulary, title: str, sections: Sequence[Section]) -> bool:
    start = title + "\n" + "\n".join(s.text for s in sections[:GROUND_SECTIONS])
    return vocab.on_ground(start[:GROUND_CHARS])


def worth_offering(
    suggestions: Iterable[TagEvidence], effective: Mapping[str, Sequence[str]]
) -> list[TagEvidence]:
    """The suggestions whose value the document does not have already (a sidecar or a
    curator may have set it)."""
    return [s for s in suggestions if s.value not in effective.get(s.field, ())]

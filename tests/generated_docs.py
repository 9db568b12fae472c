"""Generated documents and queries over a small French vocabulary, shared by the tests that
need many documents of a known shape (merges, parallel reindex)."""

from __future__ import annotations

import random

from indexer.extract.base import Section
from indexer.index import IndexDocument

_TEXT = (
    "économie sociale solidaire coopérative mutuelle association emploi territoire "
    "développement local comité pilotage insertion bénévoles salariés financement "
    "Bretagne Finistère projet réseau étude rapport"
)
WORDS = tuple(_TEXT.split(" "))
RARE = ("zygomatique", "quasiment", "xylophone")  # each in one document only
FAMILIES = ("cooperatives", "associations", "mutuelles")
TERRITORIES = ("finistere", "morbihan", "ille-et-vilaine")
VISIBILITY = ("public", "public", "public", "network", "internal")


QUERIES = (
    "économie", "coopérative emploi", '"économie sociale"', "comité pilotage financement",
    "développement local", "diagnostic", "scic gouvernance", "structures~", "réseau étude",
    '"comité de pilotage"', "bretagne -morbihan", "mutuelle OU association",
)


def generated_document(number: int, rng: random.Random, revision: int = 1) -> IndexDocument:
    def text(count: int) -> str:
        words = [rng.choice(WORDS) for _ in range(count)]
        if rng.random() < 0.4:  # the phrases people search, at a random place
            at = rng.randrange(len(words) + 1)
            words[at:at] = rng.choice(
                (["économie", "sociale", "et", "solidaire"], ["comité", "de", "pilotage"])
            )
        return " ".join(words)

    pages = tuple(Section(text(rng.randint(5, 60)) + ".", page) for page in (1, 2))
    if number < len(RARE):
        pages = (Section(pages[0].text + " " + RARE[number], 1), *pages[1:])
    if number == 0:  # both words in one document, never side by side
        pages = (Section("quasiment " + pages[0].text, 1), *pages[1:])
    tags = {
        "family": (rng.choice(FAMILIES),),
        "territory": (rng.choice(TERRITORIES),),
        "visibility": (rng.choice(VISIBILITY),),
    }
    return IndexDocument(
        id=f"d{number:03d}",
        revision=revision,
        title=text(rng.randint(1, 5)),
        sections=pages,
        tags=tags,
        territory_path=tags["territory"],
        authors=("Réseau " + rng.choice(WORDS),) if rng.random() < 0.5 else (),
        summary=text(rng.randint(0, 12)),
        year=rng.choice((2005, 2008, 2012)),
    )

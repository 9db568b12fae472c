"""One synthetic document, from its number alone: its format, name, title, size, damage and
sidecar (`Spec`), and its text page by page (`pages_of`)."""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generate.lexicon import CORPUS, SEED, drawn

VOCABULARY = CORPUS / "vocabulary.toml"
# Share of documents per format (the rest is TXT).
FORMATS = (("pdf", 0.50), ("docx", 0.20), ("html", 0.15), ("txt", 0.15))
WORDS_PER_PAGE_EQUIVALENT = 300  # how pages are counted for formats without pages
# Phrases the benchmark's phrase queries look for; each text holds some of them.
PHRASES = (
    "économie sociale et solidaire",
    "pôle ESS",
    "société coopérative d'intérêt collectif",
    "comité de pilotage",
    "emploi associatif",
    "conseil scientifique",
    "développement local",
    "études de faisabilité",
)


@dataclass(frozen=True)
class Terms:
    """Keys and text names of the vocabulary's terms, per field."""

    keys: dict[str, tuple[str, ...]]
    names: tuple[str, ...]  # labels and synonyms that tag a text when found in it

    @classmethod
    def load(cls, path: Path = VOCABULARY) -> Terms:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in ("evidence", "ground"):  # the rules of automatic tagging, not fields
            data.pop(table, None)
        keys = {name: tuple(t["key"] for t in terms) for name, terms in data.items()}
        names = [
            s["name"] if isinstance(s, dict) else s  # a weak synonym: { name = ..., weak = true }
            for name in ("family", "territory")
            for t in data.get(name, ())
            for s in t.get("synonyms", ())
        ]
        return cls(keys, tuple(names))


@dataclass(frozen=True)
class Spec:
    """What one generated document is, from its number alone."""

    number: int
    format: str
    name: str  # relative path under library/
    title: str
    year: int
    pages: int  # PDF pages; for other formats, page-equivalents of WORDS_PER_PAGE_EQUIVALENT
    words_per_page: int
    damaged: bool  # PDF with StandardEncoding mojibake and doubled titles
    furniture: bool  # PDF with running headers and page numbers
    encoding: str  # for TXT and HTML
    sidecar: dict[str, object] = field(default_factory=dict)


def spec(number: int, terms: Terms, seed: int = SEED) -> Spec:
    rng = random.Random(f"doc:{seed}:{number}")
    draw = rng.random()
    fmt = "txt"
    for name, share in FORMATS:
        if draw < share:
            fmt = name
            break
        draw -= share
    if fmt == "pdf":
        # Slide decks (few words a page) and reports (dense pages); 5 to 40 pages, mean ~15.
        pages = 5 + int(35 * rng.betavariate(1.2, 3.0))
        words_per_page = rng.randint(60, 140) if rng.random() < 0.3 else rng.randint(250, 420)
    else:
        pages = {"docx": 1 + int(14 * rng.betavariate(1.5, 3.0))}.get(fmt, rng.randint(1, 6))
        words_per_page = WORDS_PER_PAGE_EQUIVALENT
    year = rng.randint(2000, 2015)
    kind = rng.choice(terms.keys["kind"])
    title_words = [w for w in drawn().draw(rng, 12) if len(w) > 3][:5]
    title = f"{kind.replace('-', ' ').capitalize()} : {' '.join(title_words)} ({year})"
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(" ".join(title_words[:3]).lower())).strip("-")
    name = f"{year}/{number:06d}-{slug or 'document'}.{fmt}"
    sidecar: dict[str, object] = {}
    if rng.random() < 0.7:
        sidecar = {
            "title": title,
            "authors": [rng.choice(("CRES Bretagne", "Collège coopératif de Bretagne",
                                    "Observatoire régional de l'ESS"))],  # fmt: skip
            "year": year,
            "kind": kind,
            "family": rng.sample(terms.keys["family"], rng.randint(1, 2)),
            "territory": rng.sample(terms.keys["territory"], rng.randint(1, 2)),
            "mission": rng.sample(terms.keys["mission"], rng.randint(1, 2)),
            "instance": [rng.choice(terms.keys["instance"])],
            "status": rng.choice(("draft", "validated", "validated", "submitted")),
            "visibility": rng.choices(("public", "network", "internal"), (80, 15, 5))[0],
            "source": rng.choice(terms.keys["source"]),
            "language": "fr",
        }
    return Spec(
        number=number,
        format=fmt,
        name=name,
        title=title,
        year=year,
        pages=pages,
        words_per_page=words_per_page,
        damaged=fmt == "pdf" and rng.random() < 0.10,
        furniture=fmt == "pdf" and rng.random() < 0.5,
        encoding="cp1252" if fmt in ("txt", "html") and rng.random() < 0.2 else "utf-8",
        sidecar=sidecar,
    )


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@dataclass
class Page:
    heading: str
    paragraphs: list[str]


def pages_of(spec_: Spec, terms: Terms, variant: int = 0) -> list[Page]:
    """The text of a document, page by page (headings and paragraphs)."""
    rng = random.Random(f"text:{spec_.number}:{variant}")
    lexicon = drawn()
    pages = []
    for number in range(spec_.pages):
        budget = max(20, int(spec_.words_per_page * rng.uniform(0.8, 1.2)))
        heading = " ".join(w for w in lexicon.draw(rng, 4) if len(w) > 2).capitalize()
        paragraphs: list[str] = []
        while budget > 0:
            sentences = []
            for _ in range(rng.randint(2, 6)):
                length = min(budget, rng.randint(8, 24))
                if length <= 0:
                    break
                words = lexicon.draw(rng, length)
                if rng.random() < 0.25:
                    words.insert(rng.randrange(len(words) + 1), rng.choice(PHRASES))
                if rng.random() < 0.04:
                    words.insert(rng.randrange(len(words) + 1), rng.choice(terms.names))
                budget -= length
                sentence = " ".join(words)
                sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            paragraphs.append(" ".join(sentences))
        if number == 0 and variant:
            paragraphs.insert(0, f"Version {variant} révisée du document.")
        pages.append(Page(heading, paragraphs))
    return pages

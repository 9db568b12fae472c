"""The sample documents: one source file each under corpus/texts/, its properties in TOML
between two `+++` lines, then its text in markup (`sample_corpus.markup`)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sample_corpus import CORPUS


@dataclass(frozen=True)
class Doc:
    """One sample document: its file, its properties, its tags and its text (markup)."""

    name: str
    fmt: str  # pdf, deck (a slide deck exported to PDF), docx, odt, html, txt, md
    title: str
    authors: tuple[str, ...]
    date: dt.date
    tags: dict[str, str | list[str]]
    summary: str
    text: str
    sidecar: bool = True
    year_only: bool = False  # the sidecar gives `year` instead of `date`
    keywords: tuple[str, ...] = ()
    encoding: str = "utf-8"
    header: str = ""  # DOCX running header
    footer: str = ""  # DOCX running footer


COPIED = "organisation-observatoire.txt"
COPIED_SIDECAR = """\
title = "Organisation de l'observatoire régional de l'ESS : les instances de gestion et d'animation"
authors = ["CRES Bretagne", "Collège coopératif de Bretagne"]
year = 2006
kind = "document-de-travail"
family = ["associations", "mutuelles", "cooperatives", "fondations"]
territory = ["bretagne"]
mission = ["capitalisation", "diffusion"]
instance = ["comite-de-pilotage", "conseil-scientifique", "cellule-de-coordination"]
status = "draft"
visibility = "public"
source = "internal"
language = "fr"
summary = "Composition et missions du comité de pilotage, du conseil scientifique et de la cellule \
de coordination et d'animation de l'observatoire ; document de travail encore incomplet."
"""

# One file a document: its properties in TOML between two `+++` lines, then its markup.
TEXTS = CORPUS / "texts"


def load_docs(folder: Path = TEXTS) -> tuple[Doc, ...]:
    """The sample documents of `folder` (``<document file name>.md``), by file name."""
    docs = []
    for path in sorted(folder.glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        head, sep, text = raw.removeprefix("+++\n").partition("\n+++\n")
        if not raw.startswith("+++\n") or not sep:
            raise SystemExit(f"{path}: no properties between two +++ lines at the top")
        props = tomllib.loads(head)
        for name in ("authors", "keywords"):
            if name in props:
                props[name] = tuple(props[name])
        docs.append(Doc(name=path.name.removesuffix(".md"), text="\n" + text, **props))
    return tuple(docs)

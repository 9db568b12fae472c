"""Why a tag is there, in French, for the document page: the evidence of an automatic tag
(`kb.tags.TagEvidence`, reasons written in English for the command line) and where a title
or a date was read."""

from __future__ import annotations

import re

from kb.tags import TagEvidence

# Reasons as `kb.tags`, `kb.kinds`, `kb.learning`, `kb.titles` and `kb.stated_dates` write
# them; a number in them is kept ("stated on page 3", "parts: 4 lines", "model 0.82").
_REASONS = (
    (r"title", "dans le titre"),
    (r"first page", "en première page"),
    (r"cover", "en couverture"),
    (r"slides", "diapositives"),
    (r"slides: (\d+) of (\d+) pages", r"diapositives : \1 pages sur \2"),
    (r"parts: (\d+) lines", r"parties du document : \1 lignes"),
    (r"model (\d)\.(\d+)", r"modèle appris des curateurs, confiance \1,\2"),
    (r"(\d+) mentions?", r"\1 mention(s)"),
    (r"largest type on page 1", "plus gros caractères de la page 1"),
    (r"Title style", "style Titre du document"),
    (r"Heading 1 style", "style Titre 1 du document"),
    (r"<h1> of the page", "titre <h1> de la page"),
    (r"<title> of the page", "titre <title> de la page"),
    (r"first heading(?: of the document)?", "premier titre du document"),
    (r"first line of the text", "première ligne du texte"),
    (r"file metadata", "métadonnées du fichier"),
    (r"file metadata, on page 1", "métadonnées du fichier, confirmées en page 1"),
    (r"front matter title", "titre de l'en-tête de la page (front matter)"),
    (r"file name", "nom du fichier"),
    (r"file properties", "propriétés du fichier"),
    (r"stated in the title", "écrite dans le titre"),
    (r"year in the title", "année du titre"),
    (r"stated on page (\d+)", r"écrite page \1"),
    (r"stated at the start of the text", "écrite au début du texte"),
)
_COMPILED = [(re.compile(rf"^{pattern}$"), french) for pattern, french in _REASONS]


def reason_fr(reason: str) -> str:
    """The reason in French; as written when it is not one we know."""
    for pattern, french in _COMPILED:
        if pattern.match(reason):
            return pattern.sub(french, reason)
    return reason


def evidence_fr(found: TagEvidence) -> str:
    """'en première page · 2 mentions : « Lorient », « Lorient Agglomération » · p. 3',
    'diapositives', 'écrite page 1 : « 14 mars 2013 »'."""
    reason = reason_fr(found.reason)
    quotes = ", ".join(f"« {w} »" for w in found.words)
    pages = f" · p. {', '.join(map(str, found.pages))}" if found.pages else ""
    if found.mentions and not found.reason.split()[-1].startswith("mention"):
        count = f"{found.mentions} mention{'s' if found.mentions > 1 else ''}"
        reason = f"{reason} · {count}"
    elif found.mentions:
        reason = f"{found.mentions} mention{'s' if found.mentions > 1 else ''}"
    return f"{reason}{' : ' + quotes if quotes else ''}{pages}"

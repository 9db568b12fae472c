"""Measure pypdf against pypdfium2 on PDF text: speed and fidelity to a known text.

    .venv/bin/python scripts/measure_pdf.py [--pages 40] [--repeat 3] [EXTRA.pdf ...]

Generates French PDFs whose text is known, with real embedded fonts: a DOCX converted by
LibreOffice (`soffice`) and the same text typeset by pdfLaTeX (`pdflatex`, T1 + lmodern,
justified and hyphenated), each only if the tool is on PATH. Extra PDFs given on the command
line (real documents) are measured for speed and for run-together words, without a
reference text.

Fidelity, per backend, after the same normalisation of both sides (NFKC for ligatures,
line-end hyphens joined, tokens = runs of letters/digits):
  recall       share of the reference words found in the extracted text (multiset)
  run-together extracted tokens absent from the reference that are two or more reference
               words glued together ("économiesociale"): the symptom of lost word spaces
  accents      share of the reference's accented words found
Speed: pages per second, median of --repeat runs over every page.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pypdf
import pypdfium2 as pdfium

_WORDS = (
    "économie sociale solidaire coopératives mutuelles associations fondations territoire "
    "développement amélioration représentation capitalisation diffusion étude faisabilité "
    "pôle réunion étape préparée être comité pilotage conseil scientifique qualité "
    "méthodologie Bretagne Finistère Morbihan œuvre cœur intérêt collectif société emploi "
    "région structures accompagnement financement gouvernance entrepreneuriat ressources "
    "besoins émergents innovantes expérimentation évaluation prévisionnel efficace réflexion "
    "officielle affluence fichier difficultés bénévoles salariés élus collectivités "
    "diagnostic préconisations synthèse ateliers échanges démarche mutualisation "
    "à de la les des et pour avec dans sur une un du en par au aux qui que se leur ses "
    "plus entre cette ces ont été sont est"
)
VOCABULARY = tuple(_WORDS.split())


def reference_text(pages: int, seed: int = 2008) -> list[str]:
    """Paragraphs of French-looking prose, about 330 words per page."""
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(pages * 3):
        sentences = []
        for _ in range(rng.randint(4, 7)):
            words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 22))]
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraphs.append(" ".join(sentences))
    return paragraphs


def make_libreoffice_pdf(paragraphs: list[str], tmp: Path) -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    import docx

    document = docx.Document()
    document.add_heading("Étude de faisabilité", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    source = tmp / "libreoffice.docx"
    document.save(str(source))
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(source)],
        check=True,
        capture_output=True,
        env={"HOME": str(tmp), "PATH": "/usr/bin:/bin"},
    )
    return tmp / "libreoffice.pdf"


def make_latex_pdf(paragraphs: list[str], tmp: Path) -> Path | None:
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        return None
    body = "\n\n".join(paragraphs)
    source = (
        "\\documentclass[11pt]{article}\n\\usepackage[T1]{fontenc}\n"
        "\\usepackage[utf8]{inputenc}\n\\usepackage[french]{babel}\n\\usepackage{lmodern}\n"
        "\\begin{document}\n\\section*{Étude de faisabilité}\n" + body + "\n\\end{document}\n"
    )
    (tmp / "latex.tex").write_text(source, encoding="utf-8")
    subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "latex.tex"],
        cwd=tmp,
        check=True,
        capture_output=True,
    )
    return tmp / "latex.pdf"


def pypdf_pages(path: Path) -> list[str]:
    reader = pypdf.PdfReader(path)
    return [page.extract_text() or "" for page in reader.pages]


def pdfium_pages(path: Path, bounded: bool = False) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    texts = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_bounded() if bounded else textpage.get_text_range()
            texts.append(text.replace("\ufffe", "-\n"))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return texts


BACKENDS: dict[str, Callable[[Path], list[str]]] = {
    "pypdf": pypdf_pages,
    "pdfium text_range": pdfium_pages,
    "pdfium bounded": lambda path: pdfium_pages(path, bounded=True),
}


def tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.findall(r"\w+", text)


def run_together(found: list[str], vocabulary: set[str]) -> int:
    """Tokens not in the vocabulary that split into two or more vocabulary words."""
    lowered = {w.lower() for w in vocabulary}

    def splits(token: str) -> bool:
        if not token:
            return True
        return any(
            token[:cut] in lowered and splits(token[cut:]) for cut in range(1, len(token) + 1)
        )

    glued = 0
    for token in found:
        low = token.lower()
        if low not in lowered and len(low) > 3 and splits(low):
            glued += 1
    return glued


def measure(path: Path, reference: list[str] | None, repeat: int) -> None:
    pages = len(pdfium.PdfDocument(str(path)))
    print(f"\n## {path.name} ({pages} pages)\n")
    print("| backend | pages/s | words | recall | run-together | accents |")
    print("|---|---:|---:|---:|---:|---:|")
    expected = tokens("\n".join(reference)) if reference else []
    vocabulary = set(expected) if reference else set()
    accented = [w for w in expected if any(ord(c) > 127 for c in w)]
    for name, backend in BACKENDS.items():
        durations = []
        texts: list[str] = []
        for _ in range(repeat):
            start = time.perf_counter()
            texts = backend(path)
            durations.append(time.perf_counter() - start)
        speed = pages / statistics.median(durations)
        found = tokens("\n".join(texts))
        if reference:
            have = Counter(found)
            recall = sum(min(n, have[w]) for w, n in Counter(expected).items()) / len(expected)
            accents = sum(min(n, have[w]) for w, n in Counter(accented).items()) / max(
                len(accented), 1
            )
            glued = run_together(found, vocabulary)
            print(
                f"| {name} | {speed:,.0f} | {len(found):,} | {recall:.3f} | {glued:,} "
                f"| {accents:.3f} |"
            )
        else:
            long_tokens = sum(1 for t in found if len(t) > 25)
            print(
                f"| {name} | {speed:,.0f} | {len(found):,} | - | {long_tokens:,} (>25 chars) | - |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=40, help="pages of generated text")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("extra", nargs="*", type=Path, help="real PDFs to measure as well")
    args = parser.parse_args()
    paragraphs = reference_text(args.pages)
    print(
        f"pypdf {pypdf.__version__}, pypdfium2 {pdfium.version.PYPDFIUM_INFO}, "
        f"PDFium {pdfium.version.PDFIUM_INFO}"
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        generated = [make(paragraphs, tmp) for make in (make_libreoffice_pdf, make_latex_pdf)]
        if not any(generated):
            print("neither soffice nor pdflatex found: no generated PDFs", file=sys.stderr)
        for path in generated:
            if path is not None:
                measure(path, ["Étude de faisabilité", *paragraphs], args.repeat)
        for path in args.extra:
            measure(path, None, args.repeat)


if __name__ == "__main__":
    main()

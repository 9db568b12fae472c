"""Generate the sample library under corpus/ and check it against corpus/vocabulary.toml.

Usage (from the repository root)::

    .venv/bin/pip install reportlab      # for this script only
    .venv/bin/python scripts/make_corpus.py          # write every document, then check
    .venv/bin/python scripts/make_corpus.py --check  # check only, write nothing (no reportlab)

The documents live in ``corpus/texts/<file name>.md`` (which ``corpus/.kbignore`` keeps out
of the library): their properties and tags in TOML between two ``+++`` lines, then the
text in a small markup:
``# `` title, ``## ``/``### `` headings, ``- `` list items, ``| a | b |`` table rows (the
first row is the header), ``===`` a page break (a new slide for a deck), ``[text](url)`` a
link; a line that starts with two spaces continues the line above. Each document is
rendered to its format (PDF, DOCX, ODT, HTML, TXT, Markdown) and, unless it is one of the
few meant to carry only their own properties, gets a ``<file>.meta.toml`` sidecar.
``organisation-observatoire.txt`` is a real observatory document copied as it is; this
script writes only its sidecar.

reportlab is NOT a runtime dependency of the project: it is needed only here, to draw the
PDFs (with DejaVu Sans, a TrueType font that has every French glyph, so the PDFs have a
real text layer with correct accents). The check step extracts every PDF with pypdfium2
and pypdf and compares the words, in order, with the source text. Output is reproducible:
fixed dates inside the files and in the zip entries.

The work is done by the package `scripts/sample_corpus/` (markup, one renderer a format,
sidecars, checks); this script writes the files and runs the checks.

Exit status: 0 when every check passes, 1 otherwise (the failures are printed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository root is not installed as a package

from sample_corpus import CORPUS  # noqa: E402  (after the root is on the path: the package
from sample_corpus.checks import check_all  # noqa: E402  imports indexer)
from sample_corpus.documents import COPIED, COPIED_SIDECAR, Doc, load_docs  # noqa: E402
from sample_corpus.render_docx import render_docx  # noqa: E402
from sample_corpus.render_html import render_html  # noqa: E402
from sample_corpus.render_odt import render_odt  # noqa: E402
from sample_corpus.render_pdf import render_pdf  # noqa: E402
from sample_corpus.render_text import render_md, render_txt  # noqa: E402
from sample_corpus.sidecars import sidecar_text  # noqa: E402

RENDERERS: dict[str, Callable[[Doc, Path], None]] = {
    "pdf": render_pdf, "deck": render_pdf, "docx": render_docx, "odt": render_odt,
    "html": render_html, "txt": render_txt, "md": render_md,
}


def generate(docs: Sequence[Doc]) -> None:
    for doc in docs:
        path = CORPUS / doc.name
        RENDERERS[doc.fmt](doc, path)
        sidecar = path.with_name(path.name + ".meta.toml")
        if doc.sidecar:
            sidecar.write_text(sidecar_text(doc), encoding="utf-8")
        elif sidecar.exists():
            sidecar.unlink()
    (CORPUS / f"{COPIED}.meta.toml").write_text(COPIED_SIDECAR, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check only, write nothing")
    args = parser.parse_args(argv)
    docs = load_docs()
    if not args.check:
        generate(docs)
    report = check_all(docs)
    for note in report.notes:
        print(f"note: {note}")
    for error in report.errors:
        print(f"ERROR: {error}")
    print(f"{len(docs)} documents, {len(report.errors)} errors")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())

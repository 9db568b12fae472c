"""Measure the native RTF reader (striprtf) against the LibreOffice conversion (RTF -> PDF
-> our PDF reader): speed and fidelity to a known French text.

    .venv/bin/python scripts/measure_rtf.py [--repeat 3] [EXTRA.rtf ...]

Test files, made here: RTF written by LibreOffice from DOCX files of 8, 120 and 1,200
paragraphs (Writer's RTF: \\uN escapes, font tables, styles), and a Word-style RTF written by
hand (\\ansicpg1252, \\'e9 escapes, \\par, \\page). Needs `soffice` on PATH.

Fidelity, on whitespace-normalised text:
  chars     similarity of the extracted text to the reference (difflib ratio, 1 = identical)
  accents   share of the reference's accented words found
  paras     share of the reference paragraphs found whole on one line (a PDF breaks
            paragraphs into lines: the conversion scores 0 there, the index does not care)
Speed: milliseconds per file, median of --repeat runs.
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.extract.base import Limits  # noqa: E402
from indexer.extract.convert import convert, find_soffice  # noqa: E402
from indexer.extract.legacy import LibreOfficeExtractor  # noqa: E402
from indexer.extract.pdf import PdfExtractor  # noqa: E402
from indexer.extract.rtf import RtfExtractor  # noqa: E402
from indexer.extract.sniff import RTF  # noqa: E402

PARAGRAPHS = (
    "L’économie sociale et solidaire représente une part croissante de l’emploi en Bretagne.",
    "Les coopératives, les mutuelles et les associations œuvrent au cœur du territoire : "
    "45 000 € de budget.",
    "Le comité de pilotage s’est réuni à Rennes ; la 3ème réunion d’étape doit être préparée.",
    "Élaboration du cadre de référence stratégique – priorités, missions, gouvernance.",
)
_ACCENTED = re.compile(r"\w*[^\W\d_a-zA-Z]\w*")


def reference(count: int) -> list[str]:
    return [f"{i + 1}. {PARAGRAPHS[i % len(PARAGRAPHS)]}" for i in range(count)]


def _rtf_escape(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if code < 128:
            out.append(char)
        else:
            try:
                out.append(f"\\'{char.encode('cp1252')[0]:02x}")
            except UnicodeEncodeError:
                out.append(f"\\u{code}?")
    return "".join(out)


def word_style_rtf(paragraphs: list[str]) -> str:
    """RTF as Word 97 writes it: code page 1252, \\'xx escapes, \\par, a \\page break."""
    body = []
    for i, para in enumerate(paragraphs):
        body.append(r"\pard\plain\f0\fs24 " + _rtf_escape(para) + r"\par")
        if i == len(paragraphs) // 2:
            body.append(r"\page")
    return (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}}"
        r"{\info{\title Note de synth\'e8se}{\author CRES Bretagne}}"
        + "\n".join(body)
        + "}"
    )


def make_files(folder: Path, soffice: str) -> dict[Path, list[str]]:
    import docx

    files: dict[Path, list[str]] = {}
    for name, count in (("court", 8), ("moyen", 120), ("long", 1200)):
        paragraphs = reference(count)
        document = docx.Document()
        for para in paragraphs:
            document.add_paragraph(para)
        source = folder / f"{name}.docx"
        document.save(str(source))
        work = folder / name
        work.mkdir()
        files[convert(soffice, source, "rtf", work, 300, shown=source)] = paragraphs
    word = folder / "word97.rtf"
    paragraphs = reference(40)
    word.write_text(word_style_rtf(paragraphs), encoding="ascii")
    files[word] = paragraphs
    return files


def fidelity(text: str, paragraphs: list[str]) -> tuple[float, float, float]:
    ref = " ".join(" ".join(paragraphs).split())
    got = " ".join(text.split())
    chars = difflib.SequenceMatcher(None, ref, got, autojunk=False).ratio()
    accented = [w for p in paragraphs for w in _ACCENTED.findall(p)]
    got_words = set(re.findall(r"\w+", got))
    accents = sum(w in got_words for w in accented) / max(len(accented), 1)
    lines = {" ".join(line.split()) for line in text.splitlines()}
    paras = sum(p in lines for p in paragraphs) / len(paragraphs)
    return chars, accents, paras


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("extra", nargs="*", type=Path)
    args = parser.parse_args()
    soffice = find_soffice()
    if soffice is None:
        print("soffice not found (apt-get install libreoffice-writer-nogui)", file=sys.stderr)
        return 1
    readers = {
        "striprtf": RtfExtractor(),
        "libreoffice": LibreOfficeExtractor(RTF, soffice, PdfExtractor()),
    }
    with tempfile.TemporaryDirectory() as folder:
        files = make_files(Path(folder), soffice)
        files.update({path: [] for path in args.extra})
        print(f"{'file':<14}{'reader':<13}{'ms/file':>9}{'chars':>8}{'accents':>9}{'paras':>7}")
        for path, paragraphs in files.items():
            for name, reader in readers.items():
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    document = reader.extract(path, Limits())
                    times.append(time.perf_counter() - t0)
                ms = statistics.median(times) * 1000
                if paragraphs:
                    chars, accents, paras = fidelity(document.text, paragraphs)
                    scores = f"{chars:>8.3f}{accents:>9.3f}{paras:>7.2f}"
                else:
                    scores = f"{'-':>8}{'-':>9}{'-':>7}"
                print(f"{path.name:<14}{name:<13}{ms:>9.1f}{scores}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

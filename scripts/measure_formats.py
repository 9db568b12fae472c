"""Extraction speed per format (pages, slides or sheets per second) and OCR accuracy on a
rendered page of known French text.

    .venv/bin/python scripts/measure_formats.py [--pages 30] [--repeat 3]

Makes its own files in a temporary folder: PPTX and XLSX written by python-pptx and
openpyxl, a DOCX by python-docx; with LibreOffice (`soffice`) also the PDF, ODP, ODS and
the legacy .doc, .ppt, .xls, .rtf converted from them; with Tesseract, a scanned PDF and a
PNG made from the PDF's pages rendered by pypdfium2 at 300 dpi (the PDF's own text is the
reference). Each file is extracted by the default registry, as `kb ingest` does (without
repair); the figure is the median of --repeat runs. A spreadsheet's "pages" are its sheets;
its rows per second are given too.

OCR accuracy, after whitespace is normalised on both sides:
  characters  1 - character error rate (Levenshtein distance / reference length)
  words       1 - word error rate (the same distance over words)
  folded      the same two with ’ and ' made one (Tesseract reads ’ as '; the index folds
              both alike, so this is what search sees)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.extract import Limits, Tools, default_registry  # noqa: E402
from indexer.extract.convert import convert  # noqa: E402
from indexer.repair.fidelity import levenshtein  # noqa: E402

SENTENCES = (
    "L’économie sociale et solidaire représente une part croissante de l’emploi en Bretagne.",
    "Les coopératives, les mutuelles et les associations œuvrent au cœur du territoire.",
    "Le comité de pilotage s’est réuni à Rennes ; la réunion d’étape doit être préparée.",
    "L’étude de faisabilité du pôle ESS a croisé les regards de cinquante structures.",
    "Cinq missions : amélioration, développement, capitalisation, diffusion, représentation.",
)


def paragraph(i: int) -> str:
    return " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(4))


def make_files(folder: Path, pages: int, tools: Tools) -> dict[str, tuple[Path, int, int]]:
    """name -> (file, units, rows): units are pages, slides or sheets."""
    import docx
    import openpyxl
    from docx.enum.text import WD_BREAK
    from pptx import Presentation

    files: dict[str, tuple[Path, int, int]] = {}
    document = docx.Document()
    for i in range(pages):
        for k in range(6):
            document.add_paragraph(paragraph(i + k))
        if i < pages - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    source_docx = folder / "texte.docx"
    document.save(str(source_docx))
    deck = Presentation()
    for i in range(pages):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Diapositive {i + 1} : le pôle ESS"
        slide.placeholders[1].text = "\n".join(SENTENCES)
        slide.notes_slide.notes_text_frame.text = paragraph(i)
    pptx = folder / "diaporama.pptx"
    deck.save(str(pptx))
    files["pptx"] = (pptx, pages, 0)
    book = openpyxl.Workbook()
    rows = 200
    sheets = max(pages // 5, 2)
    for s in range(sheets):
        sheet = book.active if s == 0 else book.create_sheet()
        sheet.title = f"Feuille {s + 1}"
        for r in range(rows):
            sheet.append([f"Structure {r}", "coopérative", r * 12.5, 0.25, "Finistère"])
    xlsx = folder / "tableau.xlsx"
    book.save(xlsx)
    files["xlsx"] = (xlsx, sheets, sheets * rows)
    if tools.soffice is None:
        return files

    def to(source: Path, target: str) -> Path:
        work = folder / f"{source.stem}-{target}"
        work.mkdir()
        return convert(tools.soffice, source, target, work, 600, shown=source)

    files["pdf (text)"] = (to(source_docx, "pdf"), pages, 0)
    files["odp"] = (to(pptx, "odp"), pages, 0)
    files["ods"] = (to(xlsx, "ods"), sheets, sheets * rows)
    files["rtf (striprtf)"] = (to(source_docx, "rtf"), pages, 0)
    files["doc (LibreOffice)"] = (to(source_docx, "doc"), pages, 0)
    files["ppt (LibreOffice)"] = (to(pptx, "ppt"), pages, 0)
    files["xls (LibreOffice)"] = (to(xlsx, "xls"), sheets, sheets * rows)
    return files


def make_scans(folder: Path, pdf: Path, count: int) -> tuple[Path, Path, list[str]]:
    """An image-only PDF of the first `count` pages of `pdf` rendered at 300 dpi, a PNG of
    its first page, and the text layer of those pages (the reference)."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(pdf))
    images, truth = [], []
    for index in range(count):
        page = source[index]
        textpage = page.get_textpage()
        truth.append(textpage.get_text_range())
        images.append(page.render(scale=300 / 72, grayscale=True).to_pil())
    scan_pdf = folder / "scan.pdf"
    images[0].save(scan_pdf, save_all=True, append_images=images[1:], resolution=300)
    png = folder / "scan.png"
    images[0].save(png)
    return scan_pdf, png, truth


def accuracy(truth: str, text: str) -> tuple[float, float]:
    ref, got = " ".join(truth.split()), " ".join(text.split())
    chars = 1 - levenshtein(ref, got) / max(len(ref), 1)
    vocabulary: dict[str, str] = {}
    ref_words = "".join(vocabulary.setdefault(w, chr(0xE000 + len(vocabulary)))
                        for w in ref.split())
    got_words = "".join(vocabulary.setdefault(w, chr(0xE000 + len(vocabulary)))
                        for w in got.split())
    words = 1 - levenshtein(ref_words, got_words) / max(len(ref_words), 1)
    return chars, words


def timed(registry, path: Path, repeat: int):
    times, document = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        document = registry.extract(path, Limits(max_ocr_seconds=600))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=3)
    args = parser.parse_args()
    tools = Tools.find()
    registry = default_registry(tools)
    print(f"LibreOffice: {tools.soffice or 'not found'}; "
          f"Tesseract: {tools.tesseract or 'not found'}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder, args.pages, tools)
        print(f"{'format':<20}{'units':>6}{'seconds':>9}{'units/s':>9}{'rows/s':>9}")
        for name, (path, units, rows) in files.items():
            seconds, _ = timed(registry, path, args.repeat)
            per_row = f"{rows / seconds:>9.0f}" if rows else f"{'':>9}"
            print(f"{name:<20}{units:>6}{seconds:>9.3f}{units / seconds:>9.1f}{per_row}")
        if tools.tesseract is None or "pdf (text)" not in files:
            print("OCR: not measured (needs tesseract and soffice)")
            return 0
        scan_pdf, png, truth = make_scans(folder, files["pdf (text)"][0], args.ocr_pages)
        seconds, document = timed(registry, scan_pdf, 1)
        print(f"{'pdf (scanned, OCR)':<20}{args.ocr_pages:>6}{seconds:>9.3f}"
              f"{args.ocr_pages / seconds:>9.2f}")
        seconds, image = timed(registry, png, 1)
        print(f"{'png (OCR)':<20}{1:>6}{seconds:>9.3f}{1 / seconds:>9.2f}")
        pages = {s.page: s.text for s in document.sections}
        print("\nOCR accuracy, PDF pages rendered at 300 dpi (reference: their text layer)")
        print(f"{'page':<6}{'characters':>11}{'words':>8}{'f.chars':>8}{'f.words':>8}"
              f"{'mean conf.':>12}")
        rows = [(str(n), ref, pages.get(n, "")) for n, ref in enumerate(truth, start=1)]
        rows.append(("all", "\n".join(truth), "\n".join(r[2] for r in rows)))
        for name, reference, text in rows:
            chars, words = accuracy(reference, text)
            f_chars, f_words = accuracy(reference.replace("’", "'"), text.replace("’", "'"))
            conf = document.properties.get("ocr_confidence", "-") if name == "all" else ""
            print(f"{name:<6}{chars:>11.3f}{words:>8.3f}{f_chars:>8.3f}{f_words:>8.3f}{conf:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

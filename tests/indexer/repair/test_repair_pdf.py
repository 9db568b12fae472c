"""End to end: a PDF whose font is Windows-encoded but read as StandardEncoding.

The PDF is written by hand: a Type 1 font without /Encoding is read through Adobe's
StandardEncoding, and the text is Windows-1252 bytes, as in the old decks of DOMAIN.md.
What the project's PDF extractor gets out of it is then repaired.
"""

from __future__ import annotations

from pathlib import Path

from indexer.extract.registry import default_registry
from indexer.repair import repair_document

PAGES = [
    [
        "Étude du pôle ESS – Pays de Rennes",
        "la 3ème réunion d’étape doit être préparée",
        "• le budget de 15 000 € et la mise en œuvre",
        "1",
    ],
    ["Étude du pôle ESS – Pays de Rennes", "Où en est le comité ? Sûr, Noël.", "2"],
    ["Étude du pôle ESS – Pays de Rennes", "Ça va, l’économie sociale avance.", "3"],
    ["Étude du pôle ESS – Pays de Rennes", "FRANÇAIS : la fête est prête.", "4"],
]


def write_pdf(path: Path, pages: list[list[str]]) -> None:
    objects: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b""]
    kids = []
    for lines in pages:
        shown = b"".join(
            b"(" + line.encode("cp1252").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*\n"
            for line in lines
        )
        content = b"BT /F1 12 Tf 50 750 Td 16 TL\n" + shown + b"ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    references = b" ".join(b"%d 0 R" % kid for kid in kids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (references, len(kids))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    path.write_bytes(bytes(out))


def test_a_standard_encoding_pdf_reads_as_written(tmp_path: Path) -> None:
    path = tmp_path / "diaporama.pdf"
    write_pdf(path, PAGES)
    raw = default_registry().extract(path)
    assert "rØunion" in raw.text  # the damage this test is about did happen
    result = repair_document(raw)
    texts = [section.text for section in result.document.sections]
    # pdfium drops the en dash (0x96) of this font altogether: nothing is left to repair.
    assert texts == [
        "Étude du pôle ESS Pays de Rennes\n"
        "la 3ème réunion d’étape doit être préparée\n"
        "• le budget de 15 000 € et la mise en œuvre",
        "Où en est le comité ? Sûr, Noël.",
        "Ça va, l’économie sociale avance.",
        "FRANÇAIS : la fête est prête.",
    ]
    assert result.changes["standard_encoding"] >= 15
    assert result.changes["running_headers"] == 3
    assert result.changes["page_numbers"] == 4

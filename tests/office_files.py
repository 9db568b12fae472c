"""Small real office files written by the tests: PPTX and XLSX by their libraries, ODP and
ODS as zip + XML, the way LibreOffice stores them (mimetype member first, uncompressed)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

SLIDE_ONE_TITLE = "Le pôle ESS du Pays de Rennes"
SLIDE_ONE_BODY = "Cinq missions : amélioration et développement des structures"
SLIDE_ONE_NOTES = "Note de l’orateur : citer l’étude de faisabilité de 2008"
SLIDE_TWO_TITLE = "Budget prévisionnel du pôle"
SLIDE_TWO_CELL = "Animation territoriale"
SHEET_ONE = "Emploi 2008"
SHEET_CELL = "Salariés des coopératives finistériennes"

_ODF_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2"'
)
ODT_MIME = "application/vnd.oasis.opendocument.text"
ODP_MIME = "application/vnd.oasis.opendocument.presentation"
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def write_pptx(path: Path) -> Path:
    """Two slides: a title and body with speaker notes, then a title and a table."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    one = deck.slides.add_slide(deck.slide_layouts[1])
    one.shapes.title.text = SLIDE_ONE_TITLE
    one.placeholders[1].text = SLIDE_ONE_BODY
    one.notes_slide.notes_text_frame.text = SLIDE_ONE_NOTES
    two = deck.slides.add_slide(deck.slide_layouts[5])
    two.shapes.title.text = SLIDE_TWO_TITLE
    table = two.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (row, col), text in {
        (0, 0): "Poste", (0, 1): "Montant", (1, 0): SLIDE_TWO_CELL, (1, 1): "45 000 €",
    }.items():
        table.cell(row, col).text = text
    deck.core_properties.title = "Présentation du pôle ESS"
    deck.core_properties.author = "CRES Bretagne"
    deck.save(str(path))
    return path


def write_xlsx(path: Path) -> Path:
    """Two sheets: a table of figures with number formats, then notes with a date."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_ONE
    sheet.append(["Indicateur", "Valeur", "Part"])
    sheet.append([SHEET_CELL, 45000, 0.125])
    sheet["B2"].number_format = "#,##0"
    sheet["C2"].number_format = "0.0%"
    notes = book.create_sheet("Notes")
    notes["A1"] = "Source : INSEE, traitement de l’observatoire"
    notes["B2"] = 3.5
    notes["C3"] = dt.date(2008, 2, 12)
    book.properties.title = "Chiffres de l’emploi"
    book.properties.creator = "Observatoire régional de l’ESS"
    book.save(path)
    return path


def write_odf(path: Path, mime: str, body: str, *, meta: str = "") -> Path:
    """An OpenDocument zip whose office:body holds `body` (and meta.xml if `meta`)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NS}>'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mime)  # stored, first
        archive.writestr("META-INF/manifest.xml", _ODF_MANIFEST.format(mime=mime),
                         zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        if meta:
            archive.writestr(
                "meta.xml",
                f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ODF_NS}>'
                f"<office:meta>{meta}</office:meta></office:document-meta>",
                zipfile.ZIP_DEFLATED,
            )
    return path


def write_odp(path: Path) -> Path:
    """Two slides like write_pptx's, with notes and a page-number field left out."""
    body = (
        "<office:presentation>"
        '<draw:page draw:name="page1">'
        f'<draw:frame presentation:class="title"><draw:text-box><text:p>{SLIDE_ONE_TITLE}'
        "</text:p></draw:text-box></draw:frame>"
        f'<draw:frame presentation:class="outline"><draw:text-box><text:list><text:list-item>'
        f"<text:p>{SLIDE_ONE_BODY}</text:p></text:list-item></text:list></draw:text-box>"
        "</draw:frame>"
        '<draw:frame presentation:class="page-number"><draw:text-box><text:p>&lt;number&gt;'
        "</text:p></draw:text-box></draw:frame>"
        "<presentation:notes><draw:page-thumbnail/>"
        f'<draw:frame presentation:class="notes"><draw:text-box><text:p>{SLIDE_ONE_NOTES}'
        "</text:p></draw:text-box></draw:frame></presentation:notes>"
        "</draw:page>"
        '<draw:page draw:name="page2">'
        f'<draw:frame presentation:class="title"><draw:text-box><text:p>{SLIDE_TWO_TITLE}'
        "</text:p></draw:text-box></draw:frame>"
        "<draw:frame><table:table><table:table-row>"
        "<table:table-cell><text:p>Poste</text:p></table:table-cell>"
        "<table:table-cell><text:p>Montant</text:p></table:table-cell></table:table-row>"
        f"<table:table-row><table:table-cell><text:p>{SLIDE_TWO_CELL}</text:p>"
        "</table:table-cell><table:table-cell><text:p>45 000 €</text:p></table:table-cell>"
        "</table:table-row></table:table></draw:frame>"
        "</draw:page></office:presentation>"
    )
    meta = "<dc:title>Présentation du pôle ESS</dc:title>"
    return write_odf(path, ODP_MIME, body, meta=meta)


def write_ods(path: Path) -> Path:
    """Two sheets; cells carry their displayed text, runs of empty cells are repeated."""
    body = (
        "<office:spreadsheet>"
        f'<table:table table:name="{SHEET_ONE}">'
        "<table:table-row><table:table-cell><text:p>Indicateur</text:p></table:table-cell>"
        "<table:table-cell><text:p>Valeur</text:p></table:table-cell></table:table-row>"
        f"<table:table-row><table:table-cell><text:p>{SHEET_CELL}</text:p></table:table-cell>"
        '<table:table-cell table:number-columns-repeated="16000"/>'
        '<table:table-cell office:value-type="float" office:value="45000">'
        "<text:p>45 000</text:p></table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/>'
        "</table:table-row>"
        "</table:table>"
        '<table:table table:name="Notes"><table:table-row><table:table-cell>'
        "<text:p>Source : INSEE</text:p></table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet>"
    )
    return write_odf(path, ODS_MIME, body)


DOC_PAGE_ONE = "Compte rendu de la réunion du comité de pilotage du 12 février 2008"
DOC_PAGE_TWO = "La prochaine réunion d’étape aura lieu à Brest au printemps"
SCAN_TEXT = "les cinq missions du pôle"  # in the scanned page (see write_scans)
SCAN_LINES = (
    "Compte rendu de la réunion du comité de pilotage du 12 février 2008.",
    "Les coopératives, les mutuelles et les associations du Pays de Rennes ont validé",
    "les cinq missions du pôle : amélioration, développement, capitalisation,",
    "diffusion et représentation de l’économie sociale et solidaire.",
)


def write_docx(path: Path) -> Path:
    """Two pages of French text (a page break between them)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph(DOC_PAGE_ONE + ".")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph(DOC_PAGE_TWO + ".")
    document.core_properties.title = "Compte rendu du comité de pilotage"
    document.save(str(path))
    return path


def legacy(soffice: str, source: Path, target: str, folder: Path) -> Path:
    """`source` converted by LibreOffice to `target` ('doc', 'ppt', 'xls', 'rtf'), in `folder`."""
    from indexer.extract.convert import convert

    work = folder / f"work-{source.stem}-{target}"
    work.mkdir(parents=True)
    converted = convert(soffice, source, target, work, 120, shown=source)
    final = folder / f"{source.stem}.{target}"
    converted.replace(final)
    return final


def scan_image(width_px: int = 1240, height_px: int = 1754):
    """A 150 dpi A4 'scan' (Pillow, gray) of SCAN_LINES drawn in DejaVu Sans 28 px."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (width_px, height_px), 255)
    draw = ImageDraw.Draw(image)
    font = _font(28)
    y = 150
    for line in SCAN_LINES:
        draw.text((100, y), line, fill=0, font=font)
        y += 50
    return image


def _font(size: int):
    from PIL import ImageFont

    for candidate in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ):
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def write_scans(folder: Path) -> dict[str, Path]:
    """scan.png, scan.tif (two pages) and an image-only scan.pdf of the same page."""
    image = scan_image()
    png = folder / "scan.png"
    image.save(png)
    tif = folder / "scan.tif"
    image.save(tif, save_all=True, append_images=[image], compression="tiff_deflate")
    pdf = folder / "scan.pdf"
    image.save(pdf, resolution=150)
    return {"png": png, "tif": tif, "pdf": pdf}


def write_pdf(path: Path, pages: list[tuple[tuple[str, ...], object | None]]) -> Path:
    """A PDF written by hand: per page, lines of Helvetica text (WinAnsi, from the top; a
    single line is stamped at the foot, like a scanner's page number) over an optional gray
    Pillow image: one at least 595 px wide covers the whole A4 page (a scan), a smaller one
    is drawn at its size in points at the top left (a logo)."""
    import zlib

    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                            b"/Encoding /WinAnsiEncoding >>"]
    kids: list[int] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(head: bytes, data: bytes) -> bytes:
        return head[:-2] + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    for lines, image in pages:
        content = b""
        resources = b"/Font << /F1 3 0 R >>"
        if image is not None:
            gray = image.convert("L")  # type: ignore[attr-defined]
            data = zlib.compress(gray.tobytes())
            number = add(stream(
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode >>" % gray.size, data))
            resources += b" /XObject << /Im1 %d 0 R >>" % number
            width, height = gray.size
            if width >= 595:
                content += b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"
            else:
                content += b"q %d 0 0 %d 20 %d cm /Im1 Do Q\n" % (width, height, 822 - height)
        if len(lines) == 1:
            content += b"BT /F1 10 Tf 290 20 Td " + literal(lines[0]) + b" Tj ET\n"
        elif lines:
            content += b"BT /F1 12 Tf 16 TL 72 770 Td "
            content += b"".join(literal(line) + b" Tj T* " for line in lines) + b"ET\n"
        contents = add(stream(b"<< >>", content))
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
                        + resources + b" >> /Contents %d 0 R >>" % contents))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                  + b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                           xref)
    path.write_bytes(bytes(out))
    return path


def write_pdf_typeset(
    path: Path, lines: list[tuple[float, str]], info: dict[str, str] | None = None,
    *, scaled: bool = False,
) -> Path:
    """A one-page PDF of Helvetica lines, each in its own size (points), from the top, with
    an optional document information dictionary (Title, Producer, CreationDate, ...).
    `scaled`: every font at size 1, the size given by the text matrix, as some producers
    write it."""
    def literal(text: str) -> bytes:
        raw = text.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    content = b""
    y = 780
    for size, text in lines:
        if scaled:
            content += b"BT /F1 1 Tf %d 0 0 %d 72 %d Tm " % (size, size, y)
        else:
            content += b"BT /F1 %d Tf 72 %d Td " % (size, y)
        content += literal(text) + b" Tj ET\n"
        y -= int(size * 1.6)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R"
        b" >> >> /Contents 5 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if info:
        objects.append(b"<< " + b" ".join(b"/" + key.encode() + b" " + literal(value)
                                          for key, value in info.items()) + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % len(objects)
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path

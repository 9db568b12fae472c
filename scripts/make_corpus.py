"""Generate the sample library under corpus/ and check it against corpus/vocabulary.toml.

Usage (from the repository root)::

    .venv/bin/pip install reportlab      # for this script only
    .venv/bin/python scripts/make_corpus.py          # write every document, then check
    .venv/bin/python scripts/make_corpus.py --check  # check only, write nothing (no reportlab)

The document texts live in this file (the ``DOCS`` table at the end), in a small markup:
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

Exit status: 0 when every check passes, 1 otherwise (the failures are printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import re
import sys
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
VOCABULARY = CORPUS / "vocabulary.toml"
sys.path.insert(0, str(ROOT))

from indexer.fields import MULTI_VALUED_TAGS, TAG_FIELDS  # noqa: E402  (the repository root
from indexer.text import fold  # noqa: E402  is not installed as a package)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
MAX_CORPUS_BYTES = 3 * 1024 * 1024
LIST_FIELDS = MULTI_VALUED_TAGS
SCALAR_FIELDS = tuple(name for name in TAG_FIELDS if name not in LIST_FIELDS)
SIDECAR_FIELDS = {"title", "authors", "date", "year", "summary", *LIST_FIELDS, *SCALAR_FIELDS}
VOCABULARY_FIELDS = TAG_FIELDS
# The order of the tags in a sidecar.
SIDECAR_TAGS = ("kind", *LIST_FIELDS, *(name for name in SCALAR_FIELDS if name != "kind"))
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
# Glyphs that only appear in damaged text: the repair stage must find nothing to do here.
DAMAGE_RE = re.compile("[\ufffd\u00d8\u0141\ufb00-\ufb06]|\u00c3[\u0080-\u00bf]|\u00e2\u20ac")


# --- The documents --------------------------------------------------------------------------


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


# --- Markup ---------------------------------------------------------------------------------

Block = tuple[str, object]


def parse(markup: str) -> list[Block]:
    """Blocks of a markup text: (kind, value) with kind in h1 h2 h3 p ul table break."""
    lines: list[str] = []
    for raw in markup.strip("\n").splitlines():
        if raw.startswith("  ") and lines and lines[-1]:
            lines[-1] += " " + raw.strip()
        else:
            lines.append(raw.rstrip())
    groups: list[list[str]] = [[]]
    for line in lines:
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    blocks: list[Block] = []
    for group in filter(None, groups):
        first = group[0]
        if first == "===":
            blocks.append(("break", None))
        elif first.startswith("#"):
            level, _, text = first.partition(" ")
            blocks.append((f"h{len(level)}", text))
            if len(group) > 1:
                raise ValueError(f"heading followed by text without a blank line: {first!r}")
        elif first.startswith("- "):
            if not all(line.startswith("- ") for line in group):
                raise ValueError(f"list mixed with other lines: {first!r}")
            blocks.append(("ul", [line[2:] for line in group]))
        elif first.startswith("|"):
            rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in group]
            if len({len(row) for row in rows}) != 1:
                raise ValueError(f"table rows of different lengths: {first!r}")
            blocks.append(("table", rows))
        else:
            blocks.append(("p", " ".join(group)))
    return blocks


def plain(text: str) -> str:
    """Inline markup removed: a link becomes its text."""
    return LINK_RE.sub(r"\1", text)


def block_texts(blocks: Iterable[Block]) -> list[str]:
    """The text of every block, in reading order, as an extractor should find it."""
    out: list[str] = []
    for kind, value in blocks:
        if kind == "ul":
            out.extend(plain(item) for item in value)  # type: ignore[union-attr]
        elif kind == "table":
            out.extend(plain(cell) for row in value for cell in row)  # type: ignore[union-attr]
        elif kind != "break":
            out.append(plain(value))  # type: ignore[arg-type]
    return out


def words(text: str) -> list[str]:
    return text.split()


# --- PDF (reportlab) ------------------------------------------------------------------------


def _font_path(name: str) -> Path:
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    raise SystemExit(f"font {name} not found in {FONT_DIRS}: apt-get install fonts-dejavu-core")


def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont("DejaVuSans", _font_path("DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", _font_path("DejaVuSans-Bold.ttf")))
    addMapping("DejaVuSans", 0, 0, "DejaVuSans")
    addMapping("DejaVuSans", 1, 0, "DejaVuSans-Bold")
    addMapping("DejaVuSans", 0, 1, "DejaVuSans")
    addMapping("DejaVuSans", 1, 1, "DejaVuSans-Bold")


def _rl_inline(text: str) -> str:
    """Paragraph markup for reportlab: XML-escaped, links made clickable."""
    out, last = [], 0
    for match in LINK_RE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f'<link href={quoteattr(match.group(2))}>{escape(match.group(1))}</link>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def render_pdf(doc: Doc, path: Path) -> None:
    """A report: a cover page (the blocks before the first page break), then the chapters."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    deck = doc.fmt == "deck"
    # The bullet font too: reportlab's default (Helvetica) draws "•" with a code that pypdf
    # reads back as U+007F.
    base = ParagraphStyle("base", fontName="DejaVuSans", bulletFontName="DejaVuSans",
                          fontSize=10.5, leading=15, alignment=TA_JUSTIFY, spaceAfter=7)
    if deck:
        styles = {
            "h1": ParagraphStyle("h1", base, fontName="DejaVuSans-Bold", fontSize=30,
                                 leading=38, alignment=TA_CENTER, spaceBefore=90,
                                 spaceAfter=30, textColor=colors.HexColor("#7a1f5c")),
            "h2": ParagraphStyle("h2", base, fontName="DejaVuSans-Bold", fontSize=24,
                                 leading=30, spaceAfter=22, textColor=colors.HexColor("#7a1f5c")),
            "h3": ParagraphStyle("h3", base, fontName="DejaVuSans-Bold", fontSize=18, leading=24),
            "p": ParagraphStyle("p", base, fontSize=20, leading=28, alignment=0, spaceAfter=12),
            "li": ParagraphStyle("li", base, fontSize=20, leading=28, alignment=0,
                                 bulletFontSize=20, leftIndent=30, bulletIndent=4,
                                 spaceAfter=12),
            "cover": ParagraphStyle("cover", base, fontSize=16, leading=22,
                                    alignment=TA_CENTER),
        }
    else:
        styles = {
            "h1": ParagraphStyle("h1", base, fontName="DejaVuSans-Bold", fontSize=20,
                                 leading=27, alignment=TA_CENTER, spaceBefore=150,
                                 spaceAfter=40, textColor=colors.HexColor("#1f4e79")),
            "h2": ParagraphStyle("h2", base, fontName="DejaVuSans-Bold", fontSize=14,
                                 leading=19, alignment=0, spaceBefore=10, spaceAfter=9,
                                 textColor=colors.HexColor("#1f4e79")),
            "h3": ParagraphStyle("h3", base, fontName="DejaVuSans-Bold", fontSize=11.5,
                                 leading=16, alignment=0, spaceBefore=6, spaceAfter=5),
            "p": base,
            "li": ParagraphStyle("li", base, leftIndent=16, bulletIndent=4, spaceAfter=4),
            "cover": ParagraphStyle("cover", base, fontSize=12, leading=18,
                                    alignment=TA_CENTER, spaceAfter=12),
        }
    story: list[object] = []
    blocks = parse(doc.text)
    on_cover = "break" in (kind for kind, _ in blocks)
    for kind, value in blocks:
        if kind == "break":
            story.append(PageBreak())
            on_cover = False
        elif kind == "ul":
            for item in value:  # type: ignore[union-attr]
                story.append(Paragraph(_rl_inline(item), styles["li"], bulletText="•"))
            story.append(Spacer(1, 4))
        elif kind == "table":
            rows = [[plain(cell) for cell in row] for row in value]  # type: ignore[union-attr]
            table = Table(rows, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("FONT", (0, 0), (-1, -1), "DejaVuSans", 16 if deck else 9.5),
                ("FONT", (0, 0), (-1, 0), "DejaVuSans-Bold", 16 if deck else 9.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f0")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4 if deck else 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4 if deck else 3),
            ]))
            story += [table, Spacer(1, 10)]
        elif kind == "p" and on_cover:
            story.append(Paragraph(_rl_inline(value), styles["cover"]))  # type: ignore[arg-type]
        else:
            story.append(Paragraph(_rl_inline(value), styles[kind]))  # type: ignore[arg-type]
    # SOURCE_DATE_EPOCH gives the info dictionary the document's own date; invariant mode
    # makes the file ID fixed, so regenerating gives the same bytes.
    epoch = dt.datetime(doc.date.year, doc.date.month, doc.date.day, 9, tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch.timestamp()))
    try:
        template = SimpleDocTemplate(
            str(path), pagesize=landscape(A4) if deck else A4,
            leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
            title=doc.title, author="; ".join(doc.authors),
            subject=doc.summary, keywords=", ".join(doc.keywords),
            creator="Microsoft Office PowerPoint" if deck else "Microsoft Office Word",
            producer="Observatoire régional de l'ESS (scripts/make_corpus.py)",
            lang="fr-FR", invariant=1,
        )
        template.build(story)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


# --- Zip helpers (DOCX, ODT) ------------------------------------------------------------------


def _zip_fixed(path: Path, members: Sequence[tuple[str, bytes]], stamp: dt.date) -> None:
    """Write a zip whose entries carry the document's date: same input, same bytes."""
    date_time = (stamp.year, stamp.month, stamp.day, 9, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            # ODF requires the mimetype entry first and stored; everything else deflated.
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


# --- DOCX (python-docx) -------------------------------------------------------------------------


def _docx_add_runs(paragraph: object, text: str) -> None:
    """Plain runs and real w:hyperlink elements (with their relationship) for links."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    last = 0
    for match in LINK_RE.finditer(text):
        if match.start() > last:
            paragraph.add_run(text[last : match.start()])  # type: ignore[attr-defined]
        part = paragraph.part  # type: ignore[attr-defined]
        rel_id = part.relate_to(match.group(2), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel_id)
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "Hyperlink")
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "0563C1")
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        props.extend([style, color, underline])
        run.append(props)
        text_el = OxmlElement("w:t")
        text_el.text = match.group(1)
        text_el.set(qn("xml:space"), "preserve")
        run.append(text_el)
        link.append(run)
        paragraph._p.append(link)  # type: ignore[attr-defined]
        last = match.end()
    if last < len(text):
        paragraph.add_run(text[last:])  # type: ignore[attr-defined]


def render_docx(doc: Doc, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    section = document.sections[0]
    section.header.paragraphs[0].text = doc.header
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section.footer.paragraphs[0].text = doc.footer
    section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, value in parse(doc.text):
        if kind == "h1":
            document.add_heading(plain(value), level=0)  # type: ignore[arg-type]
        elif kind in ("h2", "h3"):
            document.add_heading(plain(value), level=int(kind[1]) - 1)  # type: ignore[arg-type]
        elif kind == "p":
            _docx_add_runs(document.add_paragraph(), value)  # type: ignore[arg-type]
        elif kind == "ul":
            for item in value:  # type: ignore[union-attr]
                _docx_add_runs(document.add_paragraph(style="List Bullet"), item)
        elif kind == "table":
            rows: list[list[str]] = value  # type: ignore[assignment]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, cell_text in enumerate(row):
                    cell = table.cell(r, c)
                    run = cell.paragraphs[0].add_run(plain(cell_text))
                    run.bold = r == 0
            document.add_paragraph()
        elif kind == "break":
            document.add_page_break()
    props = document.core_properties
    props.title = doc.title
    props.author = "; ".join(doc.authors)
    props.subject = doc.summary
    props.keywords = "; ".join(doc.keywords)
    props.category = _label("kind", str(doc.tags["kind"]))
    props.comments = doc.summary
    props.language = "fr-FR"
    props.last_modified_by = doc.authors[0]
    props.revision = 3
    stamp = dt.datetime(doc.date.year, doc.date.month, doc.date.day, 9, 0, 0)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    _zip_fixed(path, members, doc.date)


# --- ODT (written by hand: mimetype first and stored, then the XML parts) --------------------

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)

ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ODF_NS} office:version="1.2">
 <office:font-face-decls/>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt"
    fo:language="fr" fo:country="FR"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Text_20_body" style:display-name="Text body"
   style:family="paragraph" style:parent-style-name="Standard" style:class="text">
   <style:paragraph-properties fo:margin-bottom="0.21cm" fo:text-align="justify"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph"
   style:parent-style-name="Standard" style:next-style-name="Text_20_body">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="20pt"/>
  </style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
   style:parent-style-name="Heading" style:default-outline-level="1">
   <style:text-properties fo:font-size="16pt"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
   style:parent-style-name="Heading" style:default-outline-level="2">
   <style:text-properties fo:font-size="13pt"/>
  </style:style>
  <style:style style:name="Table_20_Contents" style:display-name="Table Contents"
   style:family="paragraph" style:parent-style-name="Standard"/>
  <style:style style:name="Table_20_Heading" style:display-name="Table Heading"
   style:family="paragraph" style:parent-style-name="Table_20_Contents">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Internet_20_link" style:display-name="Internet link"
   style:family="text">
   <style:text-properties fo:color="#000080" style:text-underline-style="solid"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
    fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
 </office:master-styles>
</office:document-styles>
"""

ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2"
  manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _odt_inline(text: str) -> str:
    out, last = [], 0
    for match in LINK_RE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(
            f'<text:a xlink:type="simple" xlink:href={quoteattr(match.group(2))} '
            f'text:style-name="Internet_20_link">{escape(match.group(1))}</text:a>'
        )
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def render_odt(doc: Doc, path: Path) -> None:
    body: list[str] = []
    tables = 0
    for kind, value in parse(doc.text):
        if kind == "h1":
            body.append(f'<text:p text:style-name="Title">{_odt_inline(value)}</text:p>')  # type: ignore[arg-type]
        elif kind in ("h2", "h3"):
            level = int(kind[1]) - 1
            body.append(
                f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
                f"{_odt_inline(value)}</text:h>"  # type: ignore[arg-type]
            )
        elif kind == "p":
            body.append(f'<text:p text:style-name="Text_20_body">{_odt_inline(value)}</text:p>')  # type: ignore[arg-type]
        elif kind == "ul":
            items = "".join(
                f'<text:list-item><text:p text:style-name="Text_20_body">{_odt_inline(item)}'
                "</text:p></text:list-item>"
                for item in value  # type: ignore[union-attr]
            )
            body.append(f'<text:list text:style-name="L1">{items}</text:list>')
        elif kind == "table":
            rows: list[list[str]] = value  # type: ignore[assignment]
            tables += 1

            def row_xml(row: list[str], style: str) -> str:
                cells = "".join(
                    f'<table:table-cell office:value-type="string" table:style-name="Cell">'
                    f'<text:p text:style-name="{style}">{_odt_inline(cell)}</text:p>'
                    "</table:table-cell>"
                    for cell in row
                )
                return f"<table:table-row>{cells}</table:table-row>"

            body.append(
                f'<table:table table:name="Tableau{tables}" table:style-name="Table">'
                f'<table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
                f"<table:table-header-rows>{row_xml(rows[0], 'Table_20_Heading')}"
                "</table:table-header-rows>"
                + "".join(row_xml(row, "Table_20_Contents") for row in rows[1:])
                + "</table:table>"
            )
        elif kind == "break":
            body.append('<text:p text:style-name="PageBreak"/>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {ODF_NS} office:version="1.2">\n'
        "<office:automatic-styles>"
        '<style:style style:name="PageBreak" style:family="paragraph">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="Table" style:family="table">'
        '<style:table-properties style:width="17cm" table:align="margins"/></style:style>'
        '<style:style style:name="Cell" style:family="table-cell">'
        '<style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/>'
        "</style:style>"
        '<text:list-style style:name="L1"><text:list-level-style-bullet text:level="1" '
        'text:bullet-char="•"/></text:list-style>'
        "</office:automatic-styles>\n"
        "<office:body><office:text>\n" + "\n".join(body) + "\n</office:text></office:body>\n"
        "</office:document-content>\n"
    )
    stamp = f"{doc.date.isoformat()}T09:00:00"
    keywords = "".join(f"<meta:keyword>{escape(k)}</meta:keyword>" for k in doc.keywords)
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta {ODF_NS} office:version="1.2"><office:meta>'
        "<meta:generator>OpenOffice.org/2.4$Win32 OpenOffice.org_project/680m17</meta:generator>"
        f"<dc:title>{escape(doc.title)}</dc:title>"
        f"<dc:subject>{escape(_label('kind', str(doc.tags['kind'])))}</dc:subject>"
        f"<dc:description>{escape(doc.summary)}</dc:description>"
        f"{keywords}"
        f"<meta:initial-creator>{escape('; '.join(doc.authors))}</meta:initial-creator>"
        f"<dc:creator>{escape(doc.authors[0])}</dc:creator>"
        f"<meta:creation-date>{stamp}</meta:creation-date>"
        f"<dc:date>{stamp}</dc:date>"
        "<dc:language>fr-FR</dc:language>"
        "<meta:editing-cycles>4</meta:editing-cycles>"
        "</office:meta></office:document-meta>\n"
    )
    _zip_fixed(path, [
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.encode("utf-8")),
        ("styles.xml", ODT_STYLES.encode("utf-8")),
        ("meta.xml", meta.encode("utf-8")),
        ("META-INF/manifest.xml", ODT_MANIFEST.encode("utf-8")),
    ], doc.date)


# --- HTML (a page of the portal, with its boilerplate) ----------------------------------------

HTML_HEAD_EXTRA = """  <link rel="stylesheet" href="/static/css/portail.css">
  <style>
    body { font-family: Arial, Helvetica, sans-serif; margin: 0; color: #222; }
    #bandeau { background: #7a1f5c; color: #fff; padding: 12px 24px; }
    nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 18px; }
    main { max-width: 860px; margin: 24px auto; line-height: 1.5; }
    table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 4px 8px; }
    footer { font-size: 12px; color: #666; border-top: 1px solid #ccc; padding: 12px 24px; }
  </style>
  <script type="text/javascript">
    var _paq = window._paq || [];
    _paq.push(['trackPageView']);
    _paq.push(['enableLinkTracking']);
    (function() {
      var u = "//stats.ess-bretagne.org/";
      _paq.push(['setTrackerUrl', u + 'piwik.php']);
      _paq.push(['setSiteId', '3']);
    })();
  </script>
"""

HTML_NAV = """  <div id="bandeau">
    <div class="logo">Observatoire régional de l’ESS en Bretagne</div>
    <nav>
      <ul>
        <li><a href="/">Accueil</a></li>
        <li><a href="/observatoire/">L’observatoire</a></li>
        <li><a href="/publications/">Publications</a></li>
        <li><a href="/initiatives/">Initiatives innovantes</a></li>
        <li><a href="/agenda/">Agenda</a></li>
        <li><a href="/contact/">Contact</a></li>
      </ul>
    </nav>
    <form class="recherche" action="/recherche/"><input type="text" name="q"
      placeholder="Rechercher…"><button type="submit">OK</button></form>
  </div>
"""


def _html_inline(text: str) -> str:
    out, last = [], 0
    for match in LINK_RE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<a href={quoteattr(match.group(2))}>{escape(match.group(1))}</a>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def render_html(doc: Doc, path: Path) -> None:
    body: list[str] = []
    for kind, value in parse(doc.text):
        if kind in ("h1", "h2", "h3"):
            body.append(f"      <{kind}>{_html_inline(value)}</{kind}>")  # type: ignore[arg-type]
        elif kind == "p":
            body.append(f"      <p>{_html_inline(value)}</p>")  # type: ignore[arg-type]
        elif kind == "ul":
            items = "\n".join(f"        <li>{_html_inline(i)}</li>" for i in value)  # type: ignore[union-attr]
            body.append(f"      <ul>\n{items}\n      </ul>")
        elif kind == "table":
            rows: list[list[str]] = value  # type: ignore[assignment]
            # One row per line, no whitespace between cells: whitespace there ends up inside
            # the cell text of some extractors ("A\t B"), which repair then rewrites.
            def row_html(row: list[str], tag: str) -> str:
                cells = "".join(f"<{tag}>{_html_inline(c)}</{tag}>" for c in row)
                return f"        <tr>{cells}</tr>"

            lines = [row_html(rows[0], "th")] + [row_html(row, "td") for row in rows[1:]]
            body.append("      <table>\n" + "\n".join(lines) + "\n      </table>")
    page = f"""<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(doc.title)} – Observatoire régional de l’ESS en Bretagne</title>
  <meta name="author" content={quoteattr("; ".join(doc.authors))}>
  <meta name="description" content={quoteattr(doc.summary)}>
  <meta name="keywords" content={quoteattr(", ".join(doc.keywords))}>
  <meta name="dcterms.date" content="{doc.date.isoformat()}">
  <meta name="dcterms.type" content={quoteattr(_label("kind", str(doc.tags["kind"])))}>
  <meta property="og:title" content={quoteattr(doc.title)}>
{HTML_HEAD_EXTRA}</head>
<body>
{HTML_NAV}  <main>
    <p class="fil-ariane"><a href="/">Accueil</a> &gt; <a href="/publications/">Publications</a>
    </p>
    <article>
{chr(10).join(body)}
    </article>
  </main>
  <aside class="a-lire">
    <h2>À lire aussi</h2>
    <ul>
      <li><a href="/publications/lettre/">La lettre de l’observatoire</a></li>
      <li><a href="/observatoire/instances/">Les instances de l’observatoire</a></li>
    </ul>
  </aside>
  <footer>
    <p>© {doc.date.year} CRES Bretagne – Collège coopératif de Bretagne ·
      <a href="/mentions-legales/">Mentions légales</a> · <a href="/plan/">Plan du site</a></p>
  </footer>
  <script src="/static/js/jquery-1.4.2.min.js"></script>
  <script>$(function () {{ $("nav a").removeAttr("title"); }});</script>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")


# --- TXT and Markdown ----------------------------------------------------------------------------


def render_txt(doc: Doc, path: Path) -> None:
    """One line per paragraph (as a word processor saves "text only"), CRLF for CP1252."""
    lines: list[str] = []
    for kind, value in parse(doc.text):
        if kind == "h1":
            lines += [plain(value).upper(), ""]  # type: ignore[arg-type]
        elif kind in ("h2", "h3", "p"):
            lines += [plain(value), ""]  # type: ignore[arg-type]
        elif kind == "ul":
            lines += [f"- {plain(item)}" for item in value] + [""]  # type: ignore[union-attr]
        elif kind == "table":
            lines += [" ; ".join(plain(c) for c in row) for row in value] + [""]  # type: ignore[union-attr]
    newline = "\r\n" if doc.encoding == "cp1252" else "\n"
    path.write_bytes(newline.join(lines).encode(doc.encoding))


def render_md(doc: Doc, path: Path) -> None:
    lines: list[str] = []
    for kind, value in parse(doc.text):
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + str(value), ""]
        elif kind == "p":
            lines += [str(value), ""]
        elif kind == "ul":
            lines += [f"- {item}" for item in value] + [""]  # type: ignore[union-attr]
        elif kind == "table":
            rows: list[list[str]] = value  # type: ignore[assignment]
            lines.append("| " + " | ".join(rows[0]) + " |")
            lines.append("|" + "|".join("---" for _ in rows[0]) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in rows[1:]] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


RENDERERS = {
    "pdf": render_pdf, "deck": render_pdf, "docx": render_docx, "odt": render_odt,
    "html": render_html, "txt": render_txt, "md": render_md,
}


def expected_text(doc: Doc) -> str:
    """What an extractor should find in the file (TXT titles are written in capitals)."""
    texts = block_texts(parse(doc.text))
    if doc.fmt == "txt" and texts:
        texts[0] = texts[0].upper()
    return "\n".join(texts)


# --- Sidecars ------------------------------------------------------------------------------------


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def sidecar_text(doc: Doc) -> str:
    lines = [f"title = {_toml_str(doc.title)}"]
    lines.append("authors = [" + ", ".join(_toml_str(a) for a in doc.authors) + "]")
    lines.append(f"year = {doc.date.year}" if doc.year_only else f"date = {doc.date.isoformat()}")
    for name in SIDECAR_TAGS:
        value = doc.tags.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{name} = [" + ", ".join(_toml_str(v) for v in value) + "]")
        else:
            lines.append(f"{name} = {_toml_str(value)}")
    lines.append(f"summary = {_toml_str(doc.summary)}")
    return "\n".join(lines) + "\n"


# --- Vocabulary ----------------------------------------------------------------------------------

_VOCAB: dict[str, list[dict[str, object]]] = {}


def vocabulary() -> dict[str, list[dict[str, object]]]:
    if not _VOCAB:
        with VOCABULARY.open("rb") as handle:
            data = tomllib.load(handle)
        data.pop("evidence", None)  # the rules of automatic tagging, not a field
        for terms in data.values():
            for term in terms:  # a weak synonym is written { name = "...", weak = true }
                term["synonyms"] = [
                    s["name"] if isinstance(s, dict) else s for s in term.get("synonyms", [])
                ]
        _VOCAB.update(data)
    return _VOCAB


def _label(field_name: str, key: str) -> str:
    for term in vocabulary()[field_name]:
        if term["key"] == key:
            return str(term["label"])
    raise KeyError(f"{field_name}: no term {key!r} in {VOCABULARY}")


# --- Checks --------------------------------------------------------------------------------------


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(message)

    def note(self, message: str) -> None:
        self.notes.append(message)


def check_vocabulary(report: Report) -> None:
    vocab = vocabulary()
    missing = set(VOCABULARY_FIELDS) - set(vocab)
    extra = set(vocab) - set(VOCABULARY_FIELDS)
    if missing or extra:
        report.error(f"vocabulary fields: missing {sorted(missing)}, unexpected {sorted(extra)}")
    for name, terms in vocab.items():
        keys: set[str] = set()
        names: dict[str, str] = {}
        for term in terms:
            key = term.get("key")
            if not isinstance(key, str) or not KEY_RE.match(key):
                report.error(f"vocabulary {name}: bad key {key!r}")
                continue
            if key in keys:
                report.error(f"vocabulary {name}: duplicate key {key!r}")
            keys.add(key)
            if set(term) - {"key", "label", "synonyms", "parent"}:
                report.error(f"vocabulary {name}.{key}: unexpected {set(term) - {'key'}}")
            synonyms = term.get("synonyms", [])
            label = term.get("label")
            if not isinstance(label, str) or not label:
                report.error(f"vocabulary {name}.{key}: missing label")
                continue
            if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
                report.error(f"vocabulary {name}.{key}: synonyms must be a list of strings")
                continue
            for alias in {fold(key), fold(label), *(fold(s) for s in synonyms)}:
                if alias in names and names[alias] != key:
                    report.error(f"vocabulary {name}: {alias!r} names both "
                                 f"{names[alias]!r} and {key!r}")
                names[alias] = key
        parents = {t["key"]: t.get("parent") for t in terms}
        for key, parent in parents.items():
            if parent is None:
                continue
            if name != "territory":
                report.error(f"vocabulary {name}.{key}: only territories have parents")
            if parent not in parents:
                report.error(f"vocabulary {name}.{key}: unknown parent {parent!r}")
            seen, current = {key}, parent
            while current is not None and current in parents:
                if current in seen:
                    report.error(f"vocabulary {name}.{key}: parent cycle")
                    break
                seen.add(current)
                current = parents[current]


def check_sidecars(report: Report) -> int:
    """Every sidecar parses and names only vocabulary keys; returns how many were checked."""
    vocab = vocabulary()
    keys = {name: {str(t["key"]) for t in terms} for name, terms in vocab.items()}
    sidecars = sorted(CORPUS.glob("*.meta.toml"))
    for path in sidecars:
        target = path.with_name(path.name.removesuffix(".meta.toml"))
        if not target.exists():
            report.error(f"{path.name}: no document {target.name}")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            report.error(f"{path.name}: not TOML: {exc}")
            continue
        unknown = set(data) - SIDECAR_FIELDS
        if unknown:
            report.error(f"{path.name}: unknown fields {sorted(unknown)}")
        if not isinstance(data.get("title"), str) or not data["title"]:
            report.error(f"{path.name}: title missing")
        authors = data.get("authors")
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            report.error(f"{path.name}: authors must be a list of strings")
        if "date" in data and not isinstance(data["date"], dt.date):
            report.error(f"{path.name}: date must be a TOML date, got {data['date']!r}")
        if "year" in data and not (isinstance(data["year"], int) and 1990 < data["year"] < 2100):
            report.error(f"{path.name}: bad year {data['year']!r}")
        if "date" not in data and "year" not in data:
            report.error(f"{path.name}: neither date nor year")
        for name in VOCABULARY_FIELDS:
            if name not in data:
                continue
            value = data[name]
            if name in LIST_FIELDS and not isinstance(value, list):
                report.error(f"{path.name}: {name} must be a list")
                continue
            if name in SCALAR_FIELDS and not isinstance(value, str):
                report.error(f"{path.name}: {name} must be a string")
                continue
            for item in value if isinstance(value, list) else [value]:
                if item not in keys[name]:
                    report.error(f"{path.name}: {name} = {item!r} is not a key of {name}")
    return len(sidecars)


def _pdf_texts(path: Path) -> dict[str, list[str]]:
    import pypdf
    import pypdfium2

    pdfium = pypdfium2.PdfDocument(str(path))
    try:
        by_pdfium = [page.get_textpage().get_text_range() for page in pdfium]
    finally:
        pdfium.close()
    by_pypdf = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    return {"pypdfium2": by_pdfium, "pypdf": by_pypdf}


def check_pdf(doc: Doc, path: Path, report: Report) -> None:
    """Both extractors must give back the source words in order, accents and all."""
    expected = words(expected_text(doc))
    blocks = parse(doc.text)
    # reportlab draws list bullets as text: the extractors rightly return them.
    bullets = sum(len(value) for kind, value in blocks if kind == "ul")  # type: ignore[arg-type]
    pages_wanted = sum(1 for kind, _ in blocks if kind == "break") + 1
    for extractor, pages in _pdf_texts(path).items():
        text = "\n".join(pages).replace("\r", "")
        got = [w for w in words(text) if w != "•"]
        if got != expected:
            index = next((i for i, (a, b) in enumerate(zip(got, expected, strict=False))
                          if a != b), min(len(got), len(expected)))
            report.error(
                f"{path.name} ({extractor}): text layer differs from the source at word "
                f"{index}: got {got[index:index + 6]!r}, expected {expected[index:index + 6]!r}"
            )
        if text.count("•") != bullets:
            report.error(f"{path.name} ({extractor}): {text.count('•')} bullets, not {bullets}")
        if DAMAGE_RE.search(text):
            report.error(f"{path.name} ({extractor}): damage-like glyph in the text layer")
        if any(line.rstrip().endswith("-") for line in text.splitlines()):
            report.error(f"{path.name} ({extractor}): a line ends with a hyphen")
        if doc.fmt == "deck" and len(pages) != pages_wanted:
            report.error(f"{path.name}: {len(pages)} pages for {pages_wanted} slides")
    report.note(f"{path.name}: {len(pages)} pages, {len(expected)} words, text layer identical "
                "to the source with pypdfium2 and pypdf")


def check_docx(doc: Doc, path: Path, report: Report) -> None:
    import docx

    document = docx.Document(str(path))
    section = document.sections[0]
    has_link = bool(document.element.body.findall(
        ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink"))
    checks = {
        "a table": bool(document.tables),
        "a hyperlink": has_link,
        "a header": bool(section.header.paragraphs[0].text),
        "a footer": bool(section.footer.paragraphs[0].text),
        "a heading": any(p.style.name.startswith("Heading") for p in document.paragraphs),
        "a core title": document.core_properties.title == doc.title,
    }
    for what, ok in checks.items():
        if not ok:
            report.error(f"{path.name}: no {what}")


def check_odt(path: Path, report: Report) -> None:
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
            report.error(f"{path.name}: mimetype is not the first, stored entry")
        if "meta.xml" not in archive.namelist():
            report.error(f"{path.name}: no meta.xml")
        for name in archive.namelist():
            if name.endswith(".xml"):
                try:
                    ElementTree.fromstring(archive.read(name))
                except ElementTree.ParseError as exc:
                    report.error(f"{path.name}: {name} is not well-formed XML: {exc}")


def _found_terms(text: str, name: str) -> set[str]:
    """Terms of a field with a synonym in the text (folded, whole words), as a tagger finds."""
    folded = fold(text)
    found = set()
    for term in vocabulary()[name]:
        for alias in term.get("synonyms", []):  # type: ignore[union-attr]
            pattern = r"(?<![\w])" + re.escape(fold(str(alias))) + r"(?![\w])"
            if re.search(pattern, folded):
                found.add(str(term["key"]))
                break
    return found


def _with_ancestors(keys: Iterable[str]) -> set[str]:
    parents = {t["key"]: t.get("parent") for t in vocabulary()["territory"]}
    out: set[str] = set()
    for key in keys:
        current: object = key
        while current is not None:
            out.add(str(current))
            current = parents.get(current)
    return out


def check_document(doc: Doc, report: Report) -> None:
    path = CORPUS / doc.name
    text = expected_text(doc)
    count = len(words(text))
    if not 300 <= count <= 1500:
        report.error(f"{doc.name}: {count} words, not within 300–1,500")
    if DAMAGE_RE.search(text) or "  " in text:
        report.error(f"{doc.name}: damage-like text in the source")
    for name in ("family", "territory", "mission", "instance", "kind"):
        declared = doc.tags.get(name, [])
        declared = [declared] if isinstance(declared, str) else declared
        allowed = _with_ancestors(declared) if name == "territory" else set(declared)
        extra = _found_terms(f"{doc.title}\n{text}", name) - allowed
        if extra:
            report.note(f"{doc.name}: text would also tag {name} {sorted(extra)}")
    if not path.exists():
        report.error(f"{doc.name}: not generated")
        return
    if doc.fmt in ("pdf", "deck"):
        check_pdf(doc, path, report)
    elif doc.fmt == "docx":
        check_docx(doc, path, report)
    elif doc.fmt == "odt":
        check_odt(path, report)
    elif doc.fmt == "txt":
        decoded = path.read_bytes().decode(doc.encoding)
        lines = (line.removeprefix("- ") for line in decoded.splitlines())
        if words(" ".join(lines)) != words(text):
            report.error(f"{doc.name}: file text differs from the source")
    sidecar = path.with_name(path.name + ".meta.toml")
    if sidecar.exists() != doc.sidecar:
        report.error(f"{doc.name}: sidecar {'missing' if doc.sidecar else 'unexpected'}")


def check_all(docs: Sequence[Doc]) -> Report:
    report = Report()
    check_vocabulary(report)
    for doc in docs:
        check_document(doc, report)
        for name in doc.tags:
            if name not in VOCABULARY_FIELDS:
                report.error(f"{doc.name}: unknown tag field {name!r}")
    count = check_sidecars(report)
    report.note(f"{count} sidecars parsed, every value is a vocabulary key")
    if not (CORPUS / COPIED).exists():
        report.error(f"{COPIED} missing: copy it from shared/samples/")
    formats: dict[str, int] = {}
    for doc in docs:
        formats[doc.fmt] = formats.get(doc.fmt, 0) + 1
    report.note(f"formats: {formats}")
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    report.note(f"corpus size: {size / 1024:.0f} KiB")
    if size > MAX_CORPUS_BYTES:
        report.error(f"corpus is {size} bytes, over {MAX_CORPUS_BYTES}")
    return report


# --- Main ----------------------------------------------------------------------------------------


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
    names = [doc.name for doc in DOCS]
    if len(set(names)) != len(names):
        raise SystemExit("two documents share a file name")
    if not args.check:
        generate(DOCS)
    report = check_all(DOCS)
    for note in report.notes:
        print(f"note: {note}")
    for error in report.errors:
        print(f"ERROR: {error}")
    print(f"{len(DOCS)} documents, {len(report.errors)} errors")
    return 1 if report.errors else 0


# --- The sample documents ------------------------------------------------------------------------

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

ALL_FAMILIES = ["associations", "mutuelles", "cooperatives", "fondations"]
ALL_MISSIONS = ["amelioration", "developpement", "capitalisation", "diffusion", "representation"]
OBSERVATORY = ("CRES Bretagne", "Collège coopératif de Bretagne")

CADRE_REFERENCE = Doc(
    name="cadre-de-reference-strategique-2006.pdf",
    fmt="pdf",
    title="Cadre de référence stratégique de l'observatoire régional de l'ESS en Bretagne",
    authors=OBSERVATORY,
    date=dt.date(2006, 11, 20),
    tags={
        "kind": "cadre-de-reference", "family": ALL_FAMILIES, "territory": ["bretagne"],
        "mission": ["capitalisation", "diffusion", "representation"],
        "instance": ["comite-de-pilotage", "conseil-scientifique", "cellule-de-coordination"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Finalités, principes d'intervention, instances, produits attendus et moyens de "
    "l'observatoire régional de l'ESS pour la période 2007-2010, adoptés par le comité de "
    "pilotage en novembre 2006.",
    keywords=("cadre de référence stratégique", "observatoire", "économie sociale et solidaire",
              "Bretagne", "gouvernance"),
    text="""
# Cadre de référence stratégique de l'observatoire régional de l'économie sociale et solidaire en
  Bretagne

Chambre régionale de l'économie sociale de Bretagne (CRES Bretagne) et Collège coopératif de
  Bretagne

Document adopté par le comité de pilotage du 20 novembre 2006, après avis du conseil scientifique

Période couverte : 2007-2010

===

## 1. Contexte et enjeux

L'économie sociale et solidaire occupe en Bretagne une place plus importante que dans la plupart
  des autres régions françaises. Associations, coopératives, mutuelles et fondations y emploient
  une part significative des salariés du secteur privé, dans des domaines aussi divers que l'action
  sociale, l'agriculture, la banque, l'assurance, l'éducation populaire, le sport ou la culture.
  Pourtant, cette réalité reste mal connue, y compris des acteurs eux-mêmes : les statistiques
  disponibles sont dispersées, produites selon des nomenclatures qui ne distinguent pas les statuts
  juridiques, et rarement exploitées à l'échelle des territoires.

Les collectivités, à commencer par la Région Bretagne et les quatre conseils généraux, ont exprimé
  le besoin de disposer d'informations fiables pour construire leurs politiques de soutien à l'ESS.
  Les réseaux de l'ESS, de leur côté, souhaitent objectiver leur poids économique et social afin
  d'être reconnus comme des interlocuteurs à part entière du développement régional. C'est dans ce
  contexte que la CRES Bretagne et le Collège coopératif de Bretagne ont proposé la création d'un
  observatoire régional, dont le présent cadre de référence stratégique fixe les orientations.

Trois constats fondent la démarche :

- l'absence d'une connaissance partagée du périmètre, du poids et des dynamiques de l'ESS en
  Bretagne ;
- la multiplication d'études ponctuelles, commandées par des acteurs différents, rarement
  capitalisées et difficiles à retrouver ;
- le besoin, exprimé par les réseaux comme par les élus, d'un lieu de dialogue où les données sont
  discutées et validées avant d'être diffusées.

## 2. Finalités et objectifs

L'observatoire a pour finalité de contribuer à la reconnaissance et au développement de l'économie
  sociale et solidaire en Bretagne, en produisant, en rassemblant et en diffusant une connaissance
  de qualité sur ses structures, ses emplois, ses activités et ses territoires.

Il poursuit quatre objectifs généraux :

- mesurer et caractériser l'ESS : nombre d'établissements, effectifs salariés, masse salariale,
  secteurs d'activité, répartition territoriale ;
- analyser ses dynamiques : créations, disparitions, évolution de l'emploi, renouvellement des
  dirigeants bénévoles et salariés ;
- repérer et faire connaître les initiatives innovantes, notamment celles qui répondent à des
  besoins sociaux non satisfaits ;
- éclairer la décision publique et la stratégie des réseaux par des études thématiques et
  territoriales.

L'observatoire n'est ni un centre de recherche ni un bureau d'études. Il se situe à l'interface
  entre les producteurs de données, les chercheurs, les acteurs et les décideurs. Sa valeur ajoutée
  tient à la mise en commun des sources, à la rigueur des méthodes et à la capacité de mettre les
  résultats en débat.

===

## 3. Principes d'intervention

Le comité de pilotage a retenu six principes qui guident l'ensemble des travaux de l'observatoire.

### Rigueur et neutralité

Les informations publiées par l'observatoire reposent sur des méthodes explicites et
  reproductibles. Toute étude fait l'objet de termes de référence examinés par le conseil
  scientifique, qui valide la méthodologie avant le lancement des travaux et reçoit les résultats
  avant leur diffusion. L'observatoire s'interdit de publier des chiffres dont il ne peut pas citer
  la source.

### Subsidiarité

L'observatoire ne se substitue ni aux réseaux ni aux organismes statistiques. Il s'appuie sur les
  données existantes, notamment celles de l'INSEE, de l'URSSAF, de la MSA et de l'ASSEDIC, et sur
  les études déjà conduites par les fédérations, les collectivités ou les universités. Il ne lance
  une production nouvelle que lorsqu'aucune source ne répond à la question posée.

### Participation des acteurs

Les réseaux de l'ESS sont associés à la définition des axes de travail, au suivi des études et à la
  restitution des résultats. Des groupes de travail thématiques, ouverts aux structures de terrain,
  permettent de confronter les chiffres à l'expérience de celles et ceux qui font l'ESS au
  quotidien.

### Territorialisation

L'ESS se construit au plus près des territoires. Chaque fois que le secret statistique le permet,
  les données sont produites à l'échelle des départements et des pays. Les démarches locales, comme
  les projets de pôles territoriaux de l'ESS, sont accompagnées en priorité.

### Capitalisation

Chaque étude, qu'elle soit conduite par l'observatoire ou versée par un partenaire, rejoint un
  fonds documentaire commun, décrit selon des règles partagées. La capitalisation des connaissances
  est une condition pour éviter de refaire ce qui existe déjà et pour suivre les évolutions dans le
  temps.

### Accessibilité

Les productions de l'observatoire ont vocation à être diffusées le plus largement possible, sur le
  portail de l'observatoire et lors de rencontres publiques. Seuls les documents de travail des
  instances et les données soumises au secret statistique font l'objet d'une diffusion restreinte.

===

## 4. Organisation et instances

La gouvernance de l'observatoire distingue la maîtrise d'ouvrage, l'assistance à la maîtrise
  d'ouvrage et la maîtrise d'œuvre.

Le comité de pilotage assure la maîtrise d'ouvrage globale. Il réunit les représentants des
  collectivités, du conseil d'administration de la CRES, de chaque famille de l'ESS et du conseil
  scientifique. Il définit les finalités, les priorités et les résultats attendus, suit la
  réalisation des actions planifiées et évalue la mise en œuvre de l'observatoire. Il est présidé
  par un représentant de la CRES et co-présidé par un représentant de la Région Bretagne.

Le conseil scientifique exerce une fonction d'assistance à la maîtrise d'ouvrage. Composé de
  producteurs de statistiques, d'enseignants, de chercheurs et de personnes ressources issues du
  terrain, il contribue à la construction des termes de référence, analyse les propositions des
  opérateurs, valide les méthodologies et reçoit les études. Il est le garant de la qualité des
  informations proposées par l'observatoire, qu'elles soient issues de ses propres travaux ou de
  sources externes. Son animation est confiée au Collège coopératif de Bretagne.

La cellule de coordination et d'animation assure la maîtrise d'œuvre. Elle réunit un chargé de
  mission de la CRES, responsable de la coordination, et un chargé de mission du Collège
  coopératif, responsable de l'animation scientifique. Elle prépare les travaux des instances,
  conduit ou fait conduire les études et anime les réseaux de personnes ressources.

Le fonctionnement détaillé de ces instances est précisé dans le guide de procédures de
  l'observatoire.

===

## 5. Produits attendus

L'observatoire contribue principalement à trois des missions que les acteurs bretons reconnaissent
  à une structure d'appui à l'ESS : la capitalisation des connaissances, la diffusion des résultats
  et la représentation de l'ESS auprès des pouvoirs publics. Ses produits sont les suivants :

- un tableau de bord annuel de l'emploi dans l'ESS en Bretagne, décliné par département et par pays
  ;
- deux à trois études thématiques ou territoriales par an, choisies par le comité de pilotage ;
- des notes de benchmarking présentant des initiatives innovantes, en Bretagne et dans d'autres
  régions ;
- un fonds documentaire en ligne, rassemblant les études produites ou collectées ;
- une rencontre régionale annuelle de restitution et de débat.

## 6. Moyens et partenariats

Le fonctionnement de l'observatoire repose sur deux postes de chargé de mission à mi-temps, sur les
  contributions en nature des réseaux et sur les conventions passées avec les producteurs de
  données. Le budget prévisionnel de la première année s'établit comme suit.

| Poste de dépense | Montant 2007 |
| Personnel de la cellule | 62 000 € |
| Études et enquêtes | 35 000 € |
| Portail et diffusion | 12 000 € |
| Réunions et rencontres | 8 000 € |
| Total | 117 000 € |

Les financements sollicités proviennent de la Région Bretagne, des conseils généraux, de l'État au
  titre de la DRTEFP et des réseaux de l'ESS eux-mêmes.

## 7. Suivi et évaluation

La mise en œuvre du présent cadre est suivie au moyen d'un cadre logique, qui précise pour chaque
  résultat attendu les activités, les indicateurs et les sources de vérification. Une évaluation à
  mi-parcours sera présentée au comité de pilotage à la fin de l'année 2008 ; elle pourra conduire
  à réviser les priorités pour la période suivante.
""",
)

CADRE_LOGIQUE = Doc(
    name="cadre-logique-observatoire-2007.odt",
    fmt="odt",
    title="Cadre logique de l'observatoire régional de l'ESS "
    "(planification opérationnelle 2007-2008)",
    authors=("Cellule de coordination et d'animation",),
    date=dt.date(2007, 2, 8),
    tags={
        "kind": "cadre-logique", "family": ALL_FAMILIES, "territory": ["bretagne"],
        "mission": ["capitalisation", "diffusion", "representation"],
        "instance": ["comite-de-pilotage", "conseil-scientifique", "cellule-de-coordination"],
        "status": "validated", "visibility": "network", "source": "internal", "language": "fr",
    },
    summary="Matrice du cadre logique de l'observatoire : objectif global, objectif spécifique, "
    "quatre résultats attendus, activités, indicateurs, sources de vérification et hypothèses.",
    keywords=("cadre logique", "planification", "indicateurs", "observatoire"),
    text="""
# Cadre logique de l'observatoire régional de l'ESS en Bretagne

Planification opérationnelle 2007-2008, document de travail du comité de pilotage, version validée
  le 8 février 2007.

## Présentation

Le cadre logique traduit en termes opérationnels les orientations du cadre de référence
  stratégique. Il relie l'objectif global de l'observatoire aux résultats attendus et aux activités
  qui permettront de les atteindre. Pour chaque niveau, il précise les indicateurs objectivement
  vérifiables, les sources qui permettront de les renseigner et les hypothèses, c'est-à-dire les
  conditions extérieures dont dépend la réussite.

Le cadre logique est un outil de pilotage : la cellule de coordination et d'animation en rend
  compte à chaque réunion du comité de pilotage, qui peut l'ajuster. Il ne remplace pas le guide de
  procédures, qui décrit la manière de conduire les travaux.

## Matrice

| Niveau | Logique d'intervention | Indicateurs | Sources de vérification | Hypothèses |
| Objectif global | L'ESS est reconnue comme un acteur du développement économique et social de la
  Bretagne. | Place de l'ESS dans les schémas régionaux et départementaux ; nombre de politiques
  publiques citant les travaux de l'observatoire. | Documents de programmation des collectivités ;
  revue de presse. | Les collectivités maintiennent leur intérêt pour l'ESS. |
| Objectif spécifique | Les acteurs et les décideurs disposent d'une information fiable, partagée
  et accessible sur l'ESS en Bretagne. | Nombre de consultations du portail ; satisfaction des
  utilisateurs ; nombre de citations des études. | Statistiques du portail ; enquête annuelle
  auprès des réseaux. | Les producteurs de données acceptent de conventionner avec l'observatoire.
  |
| Résultat 1 | Un tableau de bord de l'emploi dans l'ESS est publié chaque année. | Publication
  avant le 30 juin ; données disponibles pour les quatre départements et les 21 pays. | Tableau de
  bord publié ; procès-verbal du conseil scientifique. | Accès aux fichiers de l'INSEE et de
  l'URSSAF dans les délais. |
| Résultat 2 | Des études thématiques et territoriales répondent aux priorités du comité de
  pilotage. | Deux études par an réceptionnées et validées par le conseil scientifique. | Termes de
  référence ; avis de réception du conseil scientifique. | Des opérateurs qualifiés répondent aux
  consultations. |
| Résultat 3 | Les initiatives innovantes sont repérées et diffusées. | Six notes de benchmarking
  par an ; une rencontre régionale annuelle. | Notes publiées sur le portail ; listes de présence.
  | Les réseaux signalent les initiatives de leurs membres. |
| Résultat 4 | Un fonds documentaire commun est constitué et consultable en ligne. | Nombre de
  documents décrits ; part des documents en accès public. | Catalogue du fonds documentaire. | Les
  partenaires versent leurs études au fonds. |

## Activités par résultat

### Résultat 1 : tableau de bord

- Conventionner avec l'INSEE et l'URSSAF pour l'accès aux données sur les établissements
  employeurs.
- Définir le périmètre statistique de l'ESS, en cohérence avec les travaux menés au niveau
  national.
- Produire, faire valider et publier le tableau de bord.

### Résultat 2 : études

- Recueillir les besoins d'études exprimés par les réseaux et les collectivités.
- Rédiger les termes de référence avec l'appui du conseil scientifique.
- Consulter les opérateurs, suivre les travaux, organiser la réception des études.

### Résultat 3 : initiatives innovantes

- Animer un réseau de personnes ressources chargé de signaler les initiatives.
- Rédiger les notes de benchmarking selon une grille commune.
- Organiser une rencontre régionale de restitution.

### Résultat 4 : fonds documentaire

- Définir les règles de description des documents : type, famille, territoire, mission, niveau de
  diffusion.
- Collecter les études existantes auprès des partenaires.
- Mettre en ligne le catalogue sur le portail de l'observatoire.

## Calendrier et responsabilités

| Activité | Responsable | Échéance |
| Conventions avec les producteurs de données | CRES Bretagne | Juin 2007 |
| Premier tableau de bord | Cellule de coordination | Juin 2008 |
| Termes de référence des études 2007 | Collège coopératif | Avril 2007 |
| Premières notes de benchmarking | CRES Bretagne | Octobre 2007 |
| Catalogue en ligne | CRES Bretagne | Décembre 2007 |
| Évaluation à mi-parcours | Comité de pilotage | Décembre 2008 |
""",
)

GUIDE_PROCEDURES = Doc(
    name="guide-de-procedures-observatoire-2007.docx",
    fmt="docx",
    sidecar=False,
    title="Guide de procédures de l'observatoire régional de l'ESS",
    authors=OBSERVATORY,
    date=dt.date(2007, 3, 15),
    tags={
        "kind": "guide-de-procedures", "family": ALL_FAMILIES, "territory": ["bretagne"],
        "mission": ["capitalisation", "diffusion"],
        "instance": ["comite-de-pilotage", "conseil-scientifique", "cellule-de-coordination"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Règles de fonctionnement de l'observatoire : circuit d'une étude, validation des "
    "informations, fonds documentaire, réunions des instances et benchmarking.",
    keywords=("Guide de procédures", "comité de pilotage", "conseil scientifique",
              "cellule de coordination", "Bretagne", "capitalisation", "diffusion"),
    header="Observatoire régional de l'ESS en Bretagne – Guide de procédures",
    footer="CRES Bretagne – Collège coopératif de Bretagne – version du 15 mars 2007",
    text="""
# Guide de procédures de l’observatoire régional de l’ESS

## Objet du guide

Le présent guide décrit les procédures qui régissent le fonctionnement de l’observatoire régional
  de l’économie sociale et solidaire en Bretagne. Il complète le cadre de référence stratégique,
  qui fixe les finalités et les principes, et le cadre logique, qui planifie les activités. Il
  s’adresse aux membres des instances, aux opérateurs d’études et aux partenaires qui versent des
  documents au fonds commun.

Le guide est tenu à jour par la cellule de coordination et d’animation. Toute modification est
  soumise au comité de pilotage. La version en vigueur est publiée sur le [portail de
  l’observatoire](http://www.ess-bretagne.org/observatoire/).

## 1. Le circuit d’une étude

Une étude de l’observatoire suit un circuit en huit étapes, qui garantit que la question posée est
  pertinente, que la méthode est solide et que les résultats sont validés avant d’être diffusés.

| Étape | Responsable | Instance de validation | Délai indicatif |
| Expression du besoin | Réseaux, collectivités | Comité de pilotage | Janvier |
| Note d’opportunité | Cellule de coordination | Comité de pilotage | 1 mois |
| Termes de référence | Collège coopératif | Conseil scientifique | 1 mois |
| Consultation des opérateurs | Cellule de coordination | – | 6 semaines |
| Choix de l’opérateur | Conseil scientifique | Comité de pilotage | 2 semaines |
| Réalisation et suivi | Opérateur retenu | Groupe de suivi | 4 à 8 mois |
| Réception de l’étude | Conseil scientifique | Conseil scientifique | 1 mois |
| Diffusion | Cellule de coordination | Comité de pilotage | Continu |

La note d’opportunité précise la question posée, les utilisateurs attendus, les sources existantes
  et une estimation du coût. Elle permet au comité de pilotage de hiérarchiser les demandes au
  regard du cadre logique.

Les termes de référence sont rédigés par le chargé de mission du Collège coopératif. Ils décrivent
  le contexte, les objectifs, les questions auxquelles l’étude doit répondre, la méthode attendue,
  les livrables, le calendrier et le budget. Le conseil scientifique les examine et peut demander
  des modifications avant la consultation.

Chaque étude est suivie par un groupe de suivi qui réunit au moins un membre du conseil
  scientifique, un représentant des réseaux concernés et la cellule de coordination. Le groupe se
  réunit au lancement, à mi-parcours et avant la remise du rapport provisoire.

## 2. Validation des informations publiées

Le conseil scientifique est le garant de la qualité des informations proposées par l’observatoire.
  Aucun chiffre n’est publié sous le nom de l’observatoire sans avoir été examiné par lui. Pour les
  documents versés par des partenaires, le conseil scientifique vérifie que la source, la date et
  la méthode sont indiquées ; il peut assortir la diffusion d’un avertissement.

Un document peut avoir l’un des statuts suivants :

- brouillon : document en cours de rédaction, connu de la seule cellule ;
- soumis : document transmis au conseil scientifique, en attente de son avis ;
- validé : document reçu par le conseil scientifique, publiable ;
- rejeté : document dont le conseil scientifique estime la méthode insuffisante ; il peut être
  retravaillé et soumis à nouveau.

## 3. Gestion du fonds documentaire

Chaque document versé au fonds est décrit par une fiche qui comporte au minimum le titre, les
  auteurs, la date, le type de document, les familles de l’ESS concernées, les territoires
  couverts, les missions auxquelles il se rapporte, la source et le niveau de diffusion. Les
  valeurs sont choisies dans le vocabulaire commun de l’observatoire ; la cellule de coordination
  propose les ajouts au comité de pilotage.

Trois niveaux de diffusion sont distingués :

- public : le document est consultable par tous sur le portail ;
- réseau : le document est réservé aux membres des instances et aux personnes ressources ;
- interne : le document n’est consultable que par la cellule de coordination.

Les comptes rendus des instances sont diffusés au niveau réseau. Les études validées sont
  publiques, sauf clause contraire du commanditaire.

## 4. Réunions des instances

Le comité de pilotage se réunit au moins deux fois par an, le conseil scientifique au moins trois
  fois. Les convocations sont adressées quinze jours avant la réunion, accompagnées de l’ordre du
  jour et des documents préparatoires. Le compte rendu est rédigé par la cellule de coordination et
  diffusé dans les trois semaines ; il est approuvé au début de la réunion suivante.

Le comité de pilotage peut valablement délibérer lorsque la moitié au moins de ses membres sont
  présents ou représentés. Les décisions sont prises par consensus ; à défaut, à la majorité des
  membres présents, la voix du président étant prépondérante.

## 5. Repérage des initiatives innovantes

La cellule de coordination tient un registre des initiatives signalées par les réseaux et les
  personnes ressources. Une initiative est retenue lorsqu’elle répond à un besoin peu ou mal
  satisfait, qu’elle associe plusieurs parties prenantes et qu’elle a fonctionné au moins un an.
  Elle fait alors l’objet d’une note de deux à quatre pages, rédigée selon une grille commune :
  origine du projet, activités, modèle économique, gouvernance, résultats, conditions de transfert.

Les notes sont relues par la structure concernée avant publication. Elles sont diffusées sur le
  portail et présentées lors de la rencontre régionale annuelle.
""",
)

ETUDE_POLE_RENNES = Doc(
    name="etude-pole-ess-pays-de-rennes-2008.pdf",
    fmt="pdf",
    title="Étude de faisabilité d'un pôle ESS sur le Pays de Rennes",
    authors=("Collège coopératif de Bretagne", "CRES Bretagne"),
    date=dt.date(2008, 6, 15),
    tags={
        "kind": "etude", "family": ["associations", "cooperatives", "mutuelles"],
        "territory": ["pays-de-rennes", "rennes"], "mission": ALL_MISSIONS,
        "instance": ["comite-de-pilotage"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Étude conduite en 2007-2008 auprès de 50 structures de l'ESS du Pays de Rennes : "
    "sept priorités d'action, cinq missions pour un pôle ESS et le choix d'une SCIC comme "
    "statut juridique.",
    keywords=("étude de faisabilité", "pôle ESS", "Pays de Rennes", "SCIC", "gouvernance"),
    text="""
# Étude de faisabilité d’un pôle de l’économie sociale et solidaire sur le Pays de Rennes

Rapport final (version 4)

Collège coopératif de Bretagne et CRES Bretagne, pour le comité de pilotage de l’étude

Juin 2008

===

## Synthèse

Entre l’automne 2007 et le printemps 2008, cinquante structures de l’économie sociale et solidaire
  du Pays de Rennes ont été associées à une réflexion sur l’opportunité et la faisabilité d’un pôle
  territorial de l’ESS. L’étude a croisé leurs points de vue au moyen d’entretiens individuels, de
  trois ateliers collectifs et de quatre réunions du groupe de pilotage.

Le diagnostic confirme un tissu dense mais cloisonné : les structures se connaissent au sein de
  leur famille, beaucoup moins d’une famille à l’autre, et les ressources existantes sont mal
  identifiées. Les acteurs attendent d’un pôle qu’il facilite l’accès aux financements, qu’il
  accompagne les projets et qu’il porte la parole de l’ESS auprès des collectivités.

L’étude propose sept priorités d’action et cinq missions pour le futur pôle : amélioration,
  développement, capitalisation, diffusion et représentation de l’ESS. Elle recommande de lui
  donner la forme d’une société coopérative d’intérêt collectif (SCIC), qui permet d’associer
  salariés, structures adhérentes, collectivités et partenaires dans une gouvernance partagée.

===

## 1. Contexte et commande

Le Pays de Rennes rassemble près de 450 000 habitants et concentre une part importante des emplois
  de l’ESS en Ille-et-Vilaine. Les acteurs y sont nombreux et anciens, mais aucune structure ne
  fédère localement l’ensemble des familles. Plusieurs territoires bretons ont engagé, au même
  moment, des démarches de pôles de l’ESS, encouragées par la Région Bretagne.

À la demande d’un collectif d’acteurs rennais, soutenu par Rennes Métropole et le Conseil général
  d’Ille-et-Vilaine, l’observatoire régional a confié au Collège coopératif de Bretagne une étude
  de faisabilité. Le comité de pilotage de l’observatoire a validé les termes de référence en
  septembre 2007. La question posée était double : un pôle répond-il à des besoins que les
  structures existantes ne couvrent pas, et si oui, sous quelle forme ?

## 2. Méthode

L’étude s’est déroulée en cinq versions successives, de la version 0, note de cadrage présentée en
  octobre 2007, à la présente version 4. Chaque version a été discutée par le groupe de pilotage,
  composé de huit représentants des structures, des deux collectivités partenaires et de la cellule
  de coordination de l’observatoire.

Cinquante structures ont été rencontrées : 31 associations, 11 coopératives, dont quatre SCOP et
  deux SCIC, 5 mutuelles et 3 structures d’insertion par l’activité économique. L’échantillon a été
  construit pour refléter la diversité des secteurs, des tailles et des situations, du club sportif
  sans salarié à la mutuelle de plusieurs centaines de salariés.

Trois ateliers ont réuni chacun une trentaine de participants, sur les thèmes suivants : les
  besoins des structures, les ressources existantes, les scénarios d’organisation. Les comptes
  rendus des ateliers ont été adressés à l’ensemble des structures rencontrées.

===

## 3. Ce que disent les structures

Les entretiens font apparaître trois attentes principales. La première porte sur le financement :
  les structures décrivent des financements publics plus instables, des appels à projets plus
  nombreux et plus exigeants, et une difficulté à mobiliser des fonds propres. La deuxième concerne
  l’accompagnement : les porteurs de projets ne savent pas toujours à qui s’adresser, et les
  structures installées manquent d’appui pour faire évoluer leur gestion. La troisième tient à la
  reconnaissance : beaucoup d’acteurs estiment que l’ESS est mal connue des élus et des habitants,
  et qu’elle n’est pas associée aux décisions qui la concernent.

Les structures expriment aussi des réserves. Elles ne souhaitent pas qu’un pôle ajoute « une couche
  supplémentaire » à un paysage déjà complexe, ni qu’il concurrence les têtes de réseau existantes.
  Elles insistent sur la nécessité d’une gouvernance ouverte, dans laquelle aucune famille ne
  domine.

Enfin, plusieurs besoins émergent de manière transversale : mutualiser des fonctions support, comme
  la paie ou la communication ; mieux faire connaître les ressources de l’ESS aux créateurs
  d’entreprise ; disposer de données locales pour argumenter auprès des financeurs.

===

## 4. Sept priorités d’action

À partir des entretiens et des ateliers, le groupe de pilotage a retenu sept priorités, classées
  selon le nombre de structures qui les ont citées.

| Priorité | Structures qui la citent |
| 1. Faciliter l’accès aux financements | 41 sur 50 |
| 2. Accompagner les projets | 37 sur 50 |
| 3. Promouvoir l’entrepreneuriat en ESS | 33 sur 50 |
| 4. Valoriser les ressources existantes | 29 sur 50 |
| 5. Assurer une représentation locale | 26 sur 50 |
| 6. Soutenir les projets des structures | 24 sur 50 |
| 7. Organiser une gouvernance partagée | 19 sur 50 |

Ces priorités ne relèvent pas toutes du futur pôle. L’accès aux financements, par exemple, suppose
  de travailler avec les financeurs solidaires déjà présents sur le territoire ; le pôle peut en
  faciliter l’accès sans s’y substituer.

===

## 5. Cinq missions pour le pôle

Les priorités ont été regroupées en cinq missions, qui constituent le cœur du projet.

### Amélioration

Améliorer la gestion des structures existantes et les services qui leur sont offerts : formation
  des dirigeants bénévoles et salariés, mutualisation de fonctions support, mise en relation avec
  les dispositifs d’accompagnement.

### Développement

Repérer les nouveaux besoins sociaux et y répondre, en soutenant les projets émergents : accueil et
  orientation des porteurs de projets, appui à l’étude de marché, recherche de partenaires.

### Capitalisation

Rassembler et organiser les connaissances et les expériences des structures, afin qu’elles
  profitent à tous : fiches d’expérience, recensement des ressources, collaboration avec
  l’observatoire régional.

### Diffusion

Faire connaître l’ESS et ses ressources aux habitants, aux créateurs d’entreprise et aux jeunes :
  événements, annuaire en ligne, interventions dans les établissements d’enseignement.

### Représentation de l’ESS

Porter la parole des structures auprès des collectivités et des autres acteurs économiques, et
  participer aux instances de concertation du territoire.

===

## 6. Gouvernance et statut juridique

Trois formes juridiques ont été examinées : l’association, le groupement d’intérêt économique et la
  société coopérative d’intérêt collectif. L’association a la faveur de nombreuses structures pour
  sa simplicité ; elle permet toutefois difficilement d’associer les collectivités à la gouvernance
  et de développer des activités marchandes.

La SCIC réunit obligatoirement plusieurs catégories d’associés, dont les salariés et les
  bénéficiaires, et peut accueillir les collectivités territoriales au capital. Elle répond à
  l’exigence, exprimée par les structures, d’une gouvernance partagée où aucune famille ne domine.
  Ses excédents sont pour l’essentiel mis en réserve, ce qui garantit que les ressources restent au
  service du projet.

Le groupe de pilotage recommande donc la création d’une SCIC, organisée en collèges : structures
  adhérentes, salariés, collectivités et partenaires, personnes qualifiées. Les statuts devront
  préciser la pondération des votes de chaque collège et les conditions d’entrée de nouveaux
  associés.

===

## 7. Mise en œuvre

La mise en œuvre est envisagée en trois temps. Une phase de préfiguration de douze mois, portée par
  une association de préfiguration, permettrait de recruter un premier salarié, de consolider le
  partenariat avec les collectivités et de préparer les statuts. La SCIC serait constituée au terme
  de cette phase, avec un capital initial apporté par les structures fondatrices et les
  collectivités. Le développement des services se ferait ensuite progressivement, en commençant par
  l’accueil des porteurs de projets et l’animation du réseau local.

| Phase | Durée | Budget estimé |
| Préfiguration | 12 mois | 85 000 € |
| Constitution de la SCIC | 3 mois | 15 000 € |
| Première année d’activité | 12 mois | 140 000 € |

Le groupe de pilotage souligne que la réussite du projet dépendra moins du montage juridique que de
  l’appropriation du pôle par les structures. Il propose que la présente étude soit restituée lors
  d’une rencontre ouverte à l’ensemble des acteurs de l’ESS du Pays de Rennes, avant toute décision
  de création.
""",
)

ETUDE_POLE_RENNES_V2 = Doc(
    name="etude-pole-ess-pays-de-rennes-v2-2007.docx",
    fmt="docx",
    title="Étude de faisabilité d'un pôle ESS sur le Pays de Rennes – version 2",
    authors=("Collège coopératif de Bretagne",),
    date=dt.date(2007, 12, 10),
    tags={
        "kind": "etude", "family": ["associations", "cooperatives", "mutuelles"],
        "territory": ["pays-de-rennes", "rennes"], "mission": ALL_MISSIONS,
        "instance": ["comite-de-pilotage", "cellule-de-coordination"],
        "status": "draft", "visibility": "network", "source": "internal", "language": "fr",
    },
    summary="Version intermédiaire de l'étude : premiers résultats de 32 entretiens, cinq "
    "priorités provisoires et questions ouvertes sur le statut du futur pôle.",
    keywords=("étude de faisabilité", "pôle ESS", "Pays de Rennes", "version de travail"),
    header="Étude pôle ESS Pays de Rennes – version 2 – document de travail",
    footer="Collège coopératif de Bretagne – décembre 2007 – diffusion réseau",
    text="""
# Étude de faisabilité d’un pôle ESS sur le Pays de Rennes

## Version 2 – document de travail pour le groupe de pilotage du 10 décembre 2007

Cette version rend compte de l’avancement de l’étude à mi-parcours. Elle complète la note de
  cadrage (version 0) et la première synthèse des entretiens (version 1) présentées en octobre et
  en novembre. Les éléments ci-dessous sont provisoires et ne doivent pas être diffusés en dehors
  du groupe de pilotage.

## 1. Avancement des entretiens

Sur les cinquante structures retenues dans l’échantillon, trente-deux ont été rencontrées à ce
  jour. Les entretiens restants sont programmés en janvier. Le tableau ci-dessous présente la
  répartition des entretiens réalisés.

| Famille | Prévus | Réalisés |
| Associations | 31 | 21 |
| Coopératives | 11 | 6 |
| Mutuelles | 5 | 3 |
| Insertion par l’activité économique | 3 | 2 |
| Total | 50 | 32 |

Le retard concerne surtout les coopératives, dont les dirigeants sont moins disponibles en fin
  d’année. L’URSCOP a proposé de faciliter les prises de rendez-vous.

## 2. Premiers enseignements

Les structures rencontrées décrivent un environnement plus difficile qu’il y a cinq ans : baisse ou
  instabilité des subventions, généralisation des appels d’offres, difficulté à renouveler les
  bénévoles dirigeants. La plupart d’entre elles connaissent mal les ressources proposées par les
  autres familles de l’ESS.

À ce stade, cinq priorités se dégagent :

- faciliter l’accès aux financements, y compris aux financements solidaires ;
- accompagner les projets, notamment au démarrage ;
- valoriser les ressources existantes, aujourd’hui dispersées ;
- représenter l’ESS auprès des collectivités du Pays de Rennes ;
- mutualiser certaines fonctions support entre structures.

Les entretiens restants et le premier atelier, prévu le 24 janvier 2008, permettront de confirmer
  ou de compléter cette liste. Plusieurs membres du groupe de pilotage ont déjà suggéré d’ajouter
  la promotion de l’entrepreneuriat en ESS et la gouvernance du futur pôle.

## 3. Questions ouvertes

Trois questions restent à trancher par le groupe de pilotage.

La première concerne le périmètre des missions : le pôle doit-il se limiter à l’animation d’un
  réseau local ou proposer des services aux structures, au risque de concurrencer des têtes de
  réseau existantes ? Les avis recueillis sont partagés.

La deuxième porte sur le statut juridique. Deux options sont aujourd’hui sur la table : une
  association, simple à créer, et une société coopérative d’intérêt collectif, qui permettrait
  d’associer les collectivités au capital et à la gouvernance. Une note comparative sera présentée
  dans la version 3.

La troisième concerne le financement du pôle. Les collectivités ont indiqué qu’elles pourraient
  soutenir une phase de préfiguration, mais attendent des structures un engagement financier, même
  modeste.

## 4. Suite des travaux

| Étape | Date |
| Fin des entretiens | 31 janvier 2008 |
| Atelier 1 : besoins des structures | 24 janvier 2008 |
| Version 3 et atelier 2 : ressources | Mars 2008 |
| Atelier 3 : scénarios d’organisation | Avril 2008 |
| Version 4 : rapport final | Juin 2008 |

Les membres du groupe de pilotage peuvent adresser leurs remarques sur cette version à la cellule
  de coordination de l’observatoire. Les documents de l’étude sont rassemblés dans l’[espace réseau
  du portail](http://www.ess-bretagne.org/reseau/pole-rennes/).
""",
)

DIAGNOSTIC_FINISTERE = Doc(
    name="diagnostic-ess-finistere-2009.pdf",
    fmt="pdf",
    title="L'économie sociale et solidaire dans le Finistère : diagnostic territorial",
    authors=("CRES Bretagne", "Conseil général du Finistère"),
    date=dt.date(2009, 5, 28),
    tags={
        "kind": "etude", "family": ALL_FAMILIES,
        "territory": ["finistere", "pays-de-brest", "brest", "pays-de-cornouaille", "quimper",
                      "pays-de-morlaix", "morlaix", "pays-centre-ouest-bretagne"],
        "mission": ["amelioration", "capitalisation", "representation"],
        "instance": ["conseil-scientifique"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Poids, secteurs et répartition par pays de l'ESS finistérienne, enjeux de "
    "renouvellement des dirigeants et pistes d'action pour le Conseil général du Finistère.",
    keywords=("diagnostic territorial", "Finistère", "emploi", "pays"),
    text="""
# L'économie sociale et solidaire dans le Finistère

Diagnostic territorial réalisé par l'observatoire régional de l'ESS à la demande du Conseil général
  du Finistère

Mai 2009

===

## Pourquoi ce diagnostic

Le Conseil général du Finistère a inscrit le soutien à l'économie sociale et solidaire dans son
  programme d'action pour la période 2008-2011. Pour orienter ses interventions, il a souhaité
  disposer d'un état précis du secteur à l'échelle du département et de ses quatre pays : le Pays
  de Brest, le Pays de Cornouaille, le Pays de Morlaix et le Pays du Centre-Ouest Bretagne.

Le présent diagnostic s'appuie sur les données de l'INSEE relatives aux établissements employeurs
  au 31 décembre 2007, complétées par les fichiers de l'URSSAF et de la MSA, et sur une trentaine
  d'entretiens conduits auprès de têtes de réseau, d'élus et de structures. Sa méthodologie a été
  validée par le conseil scientifique de l'observatoire en décembre 2008.

## Chiffres clés

L'ESS finistérienne compte environ 2 700 établissements employeurs et près de 31 000 salariés, soit
  un peu plus de 14 % de l'emploi salarié privé du département. Cette proportion est supérieure à
  la moyenne régionale, elle-même nettement au-dessus de la moyenne nationale.

| Famille | Établissements | Salariés |
| Associations | 2 150 | 19 800 |
| Coopératives | 330 | 6 900 |
| Mutuelles | 170 | 3 300 |
| Fondations | 15 | 600 |
| Total ESS | 2 665 | 30 600 |

Les associations représentent près des deux tiers des emplois, principalement dans l'action
  sociale, la santé, l'éducation et le sport. Les coopératives sont très présentes dans
  l'agriculture, l'agroalimentaire et la banque ; plusieurs grands groupes coopératifs ont leur
  siège dans le département. Les mutuelles emploient surtout dans l'assurance et dans les services
  de soins.

===

## Un emploi réparti sur tout le territoire

Le Pays de Brest concentre 42 % des emplois de l'ESS du département, le Pays de Cornouaille 35 %,
  le Pays de Morlaix 15 % et le Pays du Centre-Ouest Bretagne 8 %. Rapportée à l'emploi total,
  l'ESS pèse toutefois davantage dans les territoires ruraux : dans le Centre-Ouest Bretagne, elle
  représente près d'un emploi privé sur cinq, en raison du poids des établissements médico-sociaux
  et des services d'aide à domicile.

À Brest et à Quimper, l'ESS est plus diversifiée : on y trouve les sièges des principales têtes de
  réseau, des coopératives de services, des structures culturelles et un tissu dense d'associations
  d'éducation populaire. Autour de Morlaix, les coopératives agricoles et les structures
  d'insertion par l'activité économique jouent un rôle important.

## Des emplois de services, souvent à temps partiel

Quatre emplois sur dix relèvent de l'action sociale. Le temps partiel y est fréquent, en
  particulier dans l'aide à domicile, où il concerne plus de sept salariés sur dix. Les salaires
  moyens de l'ESS sont inférieurs à ceux du reste du secteur privé, ce qui s'explique en partie par
  la structure des qualifications et par le poids du temps partiel.

===

## Les enjeux identifiés

Les entretiens font apparaître quatre enjeux partagés par les acteurs du département.

Le premier est le renouvellement des dirigeants. Près d'un tiers des salariés de l'ESS
  finistérienne ont plus de cinquante ans, contre un quart dans le reste du secteur privé. Les
  associations s'inquiètent aussi du renouvellement de leurs administrateurs bénévoles.

Le deuxième est la professionnalisation des structures, notamment des petites associations
  employeuses, qui doivent faire face à des obligations de gestion croissantes sans disposer des
  compétences nécessaires.

Le troisième est l'accès aux financements. Le passage de la subvention à la commande publique
  modifie en profondeur le modèle économique de nombreuses structures et favorise les plus grandes
  d'entre elles.

Le quatrième est la reconnaissance de l'ESS par les acteurs du développement économique. Les
  chambres consulaires et les agences de développement connaissent encore mal les coopératives et
  les associations employeuses, et les orientent rarement vers les dispositifs qui leur sont
  destinés.

## Pistes d'action

Le diagnostic propose au Conseil général du Finistère plusieurs pistes, qui ont été discutées avec
  les têtes de réseau lors d'une réunion de restitution à Quimper.

- Soutenir l'animation de l'ESS dans chaque pays, en s'appuyant sur les démarches de pôles déjà
  engagées.
- Accompagner la transmission des structures et la formation des dirigeants, bénévoles et salariés.
- Intégrer des clauses sociales dans les marchés publics et informer les structures de l'ESS sur la
  commande publique.
- Actualiser le présent diagnostic tous les deux ans, avec l'appui de l'observatoire régional, afin
  de suivre les évolutions et d'évaluer les politiques mises en œuvre.
""",
)

ETUDE_MUTUELLES_MORBIHAN = Doc(
    name="etude-mutuelles-sante-morbihan-2010.docx",
    fmt="docx",
    title="Les mutuelles de santé dans le Morbihan : étude sectorielle",
    authors=("Mutualité française Bretagne", "Observatoire régional de l'ESS en Bretagne"),
    date=dt.date(2010, 10, 4),
    tags={
        "kind": "etude", "family": ["mutuelles"],
        "territory": ["morbihan", "pays-de-lorient", "lorient", "pays-de-vannes", "vannes",
                      "pays-de-pontivy"],
        "mission": ["capitalisation", "amelioration"],
        "instance": ["conseil-scientifique"],
        "status": "validated", "visibility": "public", "source": "external", "language": "fr",
    },
    summary="Étude sectorielle sur les mutuelles de santé du Morbihan : concentration du "
    "secteur, emploi, services de soins mutualistes et enjeux de proximité.",
    keywords=("étude sectorielle", "mutuelles de santé", "Morbihan", "mutualité", "santé"),
    header="Les mutuelles de santé dans le Morbihan – étude sectorielle",
    footer="Mutualité française Bretagne – Observatoire régional de l'ESS – octobre 2010",
    text="""
# Les mutuelles de santé dans le Morbihan

## Une étude sectorielle de la Mutualité française Bretagne et de l’observatoire régional de l’ESS

Les mutuelles de santé sont souvent réduites, dans le débat public, à leur rôle de complémentaire
  santé. Elles sont pourtant aussi des employeurs, des gestionnaires d’établissements de soins et
  des acteurs de la prévention. Cette étude, conduite en 2010, propose un portrait du secteur dans
  le Morbihan et identifie les enjeux auxquels il est confronté. Sa méthodologie a été examinée par
  le conseil scientifique de l’observatoire régional en mars 2010.

## 1. Un secteur en voie de concentration

Le mouvement mutualiste connaît depuis une quinzaine d’années une forte concentration. La
  transposition des directives européennes sur l’assurance et la réforme du code de la mutualité en
  2001 ont imposé des exigences de solvabilité qui ont conduit de nombreuses petites mutuelles à
  fusionner ou à se rapprocher au sein de groupements. Le Morbihan n’échappe pas à ce mouvement :
  le nombre de mutuelles ayant leur siège dans le département a été divisé par deux en dix ans.

| Taille de la mutuelle (adhérents) | 2000 | 2010 |
| Moins de 5 000 | 14 | 4 |
| De 5 000 à 50 000 | 6 | 5 |
| Plus de 50 000 | 2 | 3 |
| Total | 22 | 12 |

Les mutuelles qui subsistent sont plus grandes et plus professionnalisées. Plusieurs d’entre elles
  ont rejoint des unions régionales ou nationales qui mutualisent la gestion des risques,
  l’informatique et la gestion des contrats.

## 2. L’emploi mutualiste

Les mutuelles de santé et leurs services de soins emploient environ 1 900 salariés dans le
  Morbihan. Un peu plus d’un tiers d’entre eux travaillent dans les activités d’assurance : accueil
  des adhérents, gestion des prestations, conseil. Les deux tiers restants exercent dans les
  services de soins et d’accompagnement mutualistes : centres d’optique et d’audition, centres
  dentaires, établissements pour personnes âgées, services de soins infirmiers à domicile.

L’emploi se concentre autour des deux principales agglomérations. Le Pays de Lorient et le Pays de
  Vannes rassemblent près de quatre emplois mutualistes sur cinq. Le Pays de Pontivy et le centre
  du département disposent de quelques agences et de services de soins, souvent fragiles du fait de
  la faible densité de population.

## 3. Les services de soins mutualistes

Les services de soins et d’accompagnement mutualistes ont été créés pour garantir l’accès de tous à
  des soins de qualité à des tarifs maîtrisés. Dans le Morbihan, ils comprennent une dizaine de
  centres d’optique, quatre centres dentaires, deux centres d’audition et plusieurs établissements
  d’hébergement pour personnes âgées dépendantes.

Les responsables interrogés soulignent l’intérêt de ces services pour les adhérents, mais aussi
  leur fragilité économique : les tarifs pratiqués, inférieurs à ceux du secteur lucratif, laissent
  peu de marges pour investir. Plusieurs centres dentaires peinent en outre à recruter des
  praticiens.

## 4. Les enjeux

L’étude met en évidence trois enjeux principaux pour les années à venir.

- Maintenir une présence de proximité : la concentration du secteur s’accompagne de fermetures
  d’agences, alors que les adhérents âgés restent attachés à un accueil physique.
- Faire vivre la démocratie mutualiste : l’élargissement des mutuelles éloigne les adhérents des
  instances ; les délégués sont moins nombreux et plus âgés.
- Développer la prévention : les mutuelles souhaitent renforcer leurs actions de prévention et de
  promotion de la santé, en lien avec les collectivités et les autres acteurs de l’ESS.

## 5. Recommandations

Les auteurs recommandent de consolider les coopérations entre mutuelles et associations du secteur
  sanitaire et social du département, de mieux faire connaître les services de soins mutualistes
  aux élus locaux, et de conduire une étude complémentaire sur l’accès aux soins dans le centre du
  Morbihan. Les données détaillées de l’étude sont disponibles auprès de la [Mutualité française
  Bretagne](http://www.mutualite.fr/).
""",
)

BENCHMARKING_SCIC = Doc(
    name="benchmarking-scic-bois-energie-centre-bretagne-2009.html",
    fmt="html",
    title="Une SCIC pour structurer la filière bois-énergie en Centre Bretagne",
    authors=("CRES Bretagne",),
    date=dt.date(2009, 9, 22),
    tags={
        "kind": "note-de-benchmarking", "family": ["cooperatives"],
        "territory": ["pays-du-centre-bretagne", "loudeac", "cotes-d-armor"],
        "mission": ["developpement", "capitalisation"],
        "instance": ["cellule-de-coordination"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Note de benchmarking sur une société coopérative d'intérêt collectif qui associe "
    "agriculteurs, communes et usagers autour de l'approvisionnement en bois déchiqueté.",
    keywords=("Note de benchmarking", "initiative innovante", "SCIC", "bois-énergie",
              "Côtes-d'Armor", "circuits courts"),
    text="""
# Une SCIC pour structurer la filière bois-énergie en Centre Bretagne

Note de benchmarking n° 7 de l’observatoire régional de l’ESS – septembre 2009

## L’initiative en bref

Dans le Pays du Centre Bretagne, autour de Loudéac, une société coopérative d’intérêt collectif
  approvisionne depuis 2006 une vingtaine de chaufferies collectives en bois déchiqueté issu de
  l’entretien des haies bocagères. Elle réunit dans une même gouvernance les agriculteurs qui
  fournissent le bois, les communes qui l’achètent pour chauffer leurs écoles et leurs salles, les
  salariés qui assurent le broyage et la livraison, et des associations de protection de
  l’environnement.

## Origine du projet

Le projet est né d’un double constat. D’un côté, les haies du bocage costarmoricain étaient de
  moins en moins entretenues, faute de débouchés pour le bois. De l’autre, plusieurs communes
  rurales souhaitaient remplacer leurs chaudières au fioul par des équipements moins coûteux et
  moins polluants, mais craignaient de ne pas trouver un approvisionnement régulier.

Une association de développement local a réuni les différents acteurs en 2004 et animé pendant deux
  ans une réflexion sur la meilleure manière d’organiser la filière. Le statut de SCIC s’est imposé
  parce qu’il permettait d’associer des catégories d’acteurs aux intérêts différents, voire
  divergents, comme les producteurs et les acheteurs, au sein d’une même entreprise.

## Activités

- Achat du bois aux agriculteurs, selon un prix fixé chaque année par l’assemblée générale.
- Broyage, séchage sur une plateforme de stockage et livraison aux chaufferies.
- Conseil aux communes pour le dimensionnement de leurs installations.
- Sensibilisation à la gestion durable du bocage, en lien avec les associations environnementales.

## Modèle économique

La coopérative vend environ 4 500 tonnes de plaquettes par an. Ses recettes proviennent pour près
  de 90 % de la vente de bois ; le reste correspond à des prestations de conseil et à des aides au
  démarrage, aujourd’hui en forte diminution. La SCIC emploie cinq salariés. Elle a atteint
  l’équilibre d’exploitation lors de sa troisième année d’activité.

Le capital social, d’environ 60 000 euros, est réparti entre les différents collèges. Les communes
  et la communauté de communes détiennent ensemble moins de 20 % du capital, conformément à la
  règle alors applicable aux collectivités territoriales.

## Gouvernance

| Collège | Nombre d’associés | Droits de vote |
| Producteurs de bois | 48 | 30 % |
| Collectivités clientes | 14 | 25 % |
| Salariés | 5 | 20 % |
| Partenaires et soutiens | 11 | 25 % |

Les décisions importantes, comme la fixation du prix d’achat du bois, font l’objet de longues
  discussions entre collèges. Les associés rencontrés estiment que ce temps de débat est « le prix
  de la confiance » entre producteurs et acheteurs.

## Résultats

Depuis 2006, la coopérative a contribué à l’installation de quatorze chaufferies et à l’entretien
  de plus de 300 kilomètres de haies. Les communes clientes indiquent des économies de chauffage de
  l’ordre de 30 % par rapport au fioul. La SCIC a également permis à une cinquantaine
  d’agriculteurs de tirer un revenu complémentaire d’une activité jusque-là considérée comme une
  charge.

## Conditions de transfert

L’expérience montre que la réussite d’une SCIC de ce type repose sur trois conditions : un temps
  long d’animation avant la création, pour construire la confiance entre les parties prenantes ;
  l’engagement de quelques communes pionnières, qui garantissent les premiers débouchés ; un outil
  de stockage mutualisé, qui sécurise l’approvisionnement. Plusieurs territoires bretons étudient
  aujourd’hui la transposition de cette démarche, avec l’appui de l’Union régionale des SCOP de
  l’Ouest.

Pour en savoir plus, consulter le [dossier sur les SCIC](http://www.les-scic.coop/) du mouvement
  coopératif.
""",
)

BENCHMARKING_CAE = Doc(
    name="benchmarking-cae-rennes-2008.md",
    fmt="md",
    title="Entreprendre en coopérative : une coopérative d'activités et d'emploi à Rennes",
    authors=("CRES Bretagne",),
    date=dt.date(2008, 4, 17),
    tags={
        "kind": "note-de-benchmarking", "family": ["cooperatives"],
        "territory": ["rennes", "pays-de-rennes"],
        "mission": ["developpement", "capitalisation"],
        "instance": ["cellule-de-coordination"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Note de benchmarking sur une coopérative d'activités et d'emploi rennaise : "
    "accompagnement des entrepreneurs-salariés, mutualisation et passage au sociétariat.",
    keywords=("Note de benchmarking", "coopérative d'activités et d'emploi", "SCOP", "Rennes"),
    text="""
# Entreprendre en coopérative : une coopérative d'activités et d'emploi à Rennes

*Note de benchmarking n° 3 de l'observatoire régional de l'ESS – avril 2008*

## L'initiative en bref

Créée à Rennes à la fin des années 1990 sous la forme d'une SCOP, la coopérative accueille des
  personnes qui souhaitent créer leur propre activité sans créer leur entreprise. Les porteurs de
  projet y testent leur activité en conservant leurs droits sociaux, puis deviennent «
  entrepreneurs-salariés » de la coopérative lorsque leur chiffre d'affaires le permet, et enfin
  associés s'ils le souhaitent. En
  2007, elle accompagnait 160 entrepreneurs, dont 70 étaient devenus entrepreneurs-salariés.

## Comment fonctionne une coopérative d'activités et d'emploi

La coopérative offre un cadre juridique, fiscal et social commun à des activités très diverses :
  graphisme, formation, artisanat, services à la personne, conseil. Chaque entrepreneur développe
  sa propre clientèle, mais la facturation, la comptabilité et la paie sont assurées par la
  coopérative. Une contribution d'environ 10 % du chiffre d'affaires finance ces services
  mutualisés.

Le parcours se déroule en trois temps :

- l'accueil et le test de l'activité, sous convention d'accompagnement, pendant lequel le porteur
  de projet conserve ses allocations ;
- le salariat, par un contrat de travail dont la rémunération évolue avec le chiffre d'affaires
  dégagé ;
- le sociétariat, qui fait de l'entrepreneur un associé de la coopérative, avec une voix à
  l'assemblée générale.

## Ce qui fait l'intérêt de l'expérience

Pour les entrepreneurs, la coopérative réduit le risque de la création : l'activité peut démarrer
  progressivement, sans apport, et s'arrêter sans dettes si elle ne trouve pas son marché. Les
  entrepreneurs rencontrés insistent aussi sur la rupture de l'isolement : réunions mensuelles,
  formations collectives, coopérations entre activités complémentaires.

Pour le territoire, l'expérience offre une réponse à des personnes que les dispositifs classiques
  de création d'entreprise accompagnent mal : demandeurs d'emploi de longue durée, femmes reprenant
  une activité, cadres en reconversion. Environ deux tiers des personnes accueillies sortent de la
  coopérative vers un emploi ou une activité durable, en son sein ou à l'extérieur.

## Modèle économique et partenaires

| Ressources 2007 | Part |
| Contributions des entrepreneurs | 45 % |
| Financements publics (Région, Rennes Métropole, Conseil général) | 40 % |
| Prestations et formations | 15 % |

La dépendance aux financements publics reste importante pendant la phase d'accueil, qui ne génère
  pas encore de contribution. La coopérative vise à réduire cette part en augmentant le nombre
  d'entrepreneurs-salariés.

## Points de vigilance

Les responsables soulignent la difficulté à accompagner des profils très différents avec une équipe
  permanente réduite, et les tensions qui peuvent naître entre l'autonomie des entrepreneurs et les
  règles collectives. Le passage au sociétariat reste minoritaire : seuls 25 entrepreneurs sont
  aujourd'hui associés.

## Pour en savoir plus

Les coopératives d'activités et d'emploi sont fédérées au niveau national ; plusieurs réseaux en
  assurent la promotion. On trouvera une présentation générale du modèle sur le [site de la
  Confédération générale des SCOP](http://www.les-scop.coop/).
""",
)

BENCHMARKING_RECYCLERIE = Doc(
    name="benchmarking-recyclerie-pays-de-lorient-2011.html",
    fmt="html",
    sidecar=False,
    title="Une recyclerie associative dans le Pays de Lorient",
    authors=("CRES Bretagne", "Cellule de coordination et d'animation"),
    date=dt.date(2011, 6, 20),
    tags={
        "kind": "note-de-benchmarking", "family": ["associations"],
        "territory": ["pays-de-lorient", "lorient", "morbihan"],
        "mission": ["developpement"],
        "instance": ["cellule-de-coordination"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Note de benchmarking : une recyclerie associative du Pays de Lorient qui collecte, "
    "répare et revend des objets, et crée des emplois d'insertion.",
    keywords=("Note de benchmarking", "recyclerie", "réemploi", "insertion", "Associations",
              "Pays de Lorient", "Morbihan", "Développement"),
    text="""
# Une recyclerie associative dans le Pays de Lorient

Note de benchmarking n° 14 de l’observatoire régional de l’ESS – juin 2011

## L’initiative en bref

Installée depuis 2005 dans une ancienne friche industrielle de l’agglomération lorientaise, la
  recyclerie est une association qui collecte des objets dont leurs propriétaires veulent se
  défaire, les trie, les répare si nécessaire et les revend à petits prix dans sa boutique. Elle
  emploie vingt-deux salariés, dont quinze en contrat d’insertion, et détourne chaque année environ
  600 tonnes d’objets de l’enfouissement ou de l’incinération.

## Origine du projet

Le projet est issu de la rencontre entre une association d’insertion, qui cherchait de nouveaux
  supports d’activité pour ses salariés, et un collectif d’habitants engagés dans la réduction des
  déchets. Le syndicat intercommunal de traitement des déchets a soutenu la démarche dès l’origine,
  en mettant à disposition un espace dans ses déchèteries pour collecter les objets réutilisables.

## Activités

- Collecte en déchèterie, par apport volontaire à la boutique et à domicile pour les objets
  volumineux.
- Tri, nettoyage et réparation, notamment du mobilier, de l’électroménager et des cycles.
- Vente dans une boutique ouverte quatre jours par semaine.
- Ateliers de sensibilisation au réemploi pour les scolaires et les habitants.

## Modèle économique

La recyclerie combine trois sources de recettes : les ventes de la boutique, qui couvrent environ
  45 % de son budget ; les aides à l’emploi d’insertion, qui en représentent 35 % ; une
  rémunération du syndicat de traitement des déchets pour les tonnages détournés, soit 20 %. Cette
  diversité des ressources constitue une force, mais l’association reste sensible aux évolutions
  des politiques d’insertion.

| Indicateur | 2008 | 2010 |
| Tonnes collectées | 420 | 610 |
| Taux de réemploi | 48 % | 55 % |
| Salariés en insertion | 11 | 15 |
| Sorties vers l’emploi durable | 5 | 8 |

## Ce qui fait l’intérêt de l’expérience

L’expérience montre qu’une même activité peut répondre à plusieurs besoins sociaux : l’accès à
  l’emploi de personnes qui en sont éloignées, l’accès à des biens d’équipement à bas prix pour des
  ménages modestes, et la réduction des déchets pour la collectivité. Elle illustre aussi la
  capacité d’une association à nouer un partenariat durable avec une collectivité autour d’un
  service d’intérêt général.

## Conditions de transfert

Les responsables de la recyclerie identifient trois conditions de réussite : un partenariat solide
  avec la collectivité compétente en matière de déchets, un local suffisamment vaste et accessible,
  et un encadrement technique qualifié pour la réparation. Ils rappellent enfin que l’activité de
  la boutique repose sur la qualité de l’accueil et de la présentation des objets, qui la distingue
  d’un simple « dépôt ».
""",
)

TDR_EMPLOI = Doc(
    name="termes-de-reference-etude-emploi-ess-2008.odt",
    fmt="odt",
    title="Termes de référence : étude sur l'emploi et les métiers de l'ESS en Bretagne",
    authors=("Collège coopératif de Bretagne",),
    date=dt.date(2008, 1, 21),
    tags={
        "kind": "termes-de-reference", "family": ALL_FAMILIES, "territory": ["bretagne"],
        "mission": ["capitalisation", "amelioration"],
        "instance": ["conseil-scientifique", "comite-de-pilotage", "cellule-de-coordination"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Termes de référence d'une étude régionale sur l'emploi, les métiers et les besoins "
    "de formation de l'ESS : objectifs, questions, méthode, livrables, calendrier et critères "
    "de sélection des opérateurs.",
    keywords=("termes de référence", "emploi", "métiers", "formation", "consultation"),
    text="""
# Termes de référence

## Étude sur l'emploi, les métiers et les besoins de formation dans l'économie sociale et solidaire
  en Bretagne

Document validé par le conseil scientifique de l'observatoire le 21 janvier 2008. Consultation
  ouverte jusqu'au 7 mars 2008.

## 1. Contexte

L'économie sociale et solidaire emploie en Bretagne plus de 110 000 salariés. Le premier tableau de
  bord de l'observatoire régional a montré que ces emplois sont concentrés dans quelques secteurs,
  que le temps partiel y est fréquent et que la pyramide des âges annonce de nombreux départs à la
  retraite dans les dix prochaines années. Les réseaux de l'ESS s'inquiètent de leur capacité à
  remplacer les salariés qui partiront, en particulier sur les postes de direction et
  d'encadrement.

Les organismes de formation et les collectivités, pour leur part, manquent d'informations sur les
  métiers spécifiques à l'ESS et sur les compétences recherchées par ses employeurs. Le comité de
  pilotage de l'observatoire a donc inscrit au programme de travail 2008 une étude sur l'emploi,
  les métiers et les besoins de formation.

## 2. Objectifs de l'étude

L'étude poursuit trois objectifs :

- décrire l'emploi salarié de l'ESS en Bretagne : volume, secteurs, conditions d'emploi,
  caractéristiques des salariés ;
- identifier les métiers en tension et les besoins de recrutement à cinq ans, en particulier pour
  les fonctions de direction ;
- proposer des pistes d'action en matière de formation initiale et continue, de gestion
  prévisionnelle des emplois et de mobilité entre structures.

## 3. Questions auxquelles l'étude devra répondre

- Quels sont les principaux métiers de l'ESS en Bretagne et comment se répartissent-ils entre
  familles et territoires ?
- Quels départs à la retraite peut-on anticiper, et sur quels postes ?
- Quelles difficultés de recrutement les employeurs rencontrent-ils, et comment y font-ils face ?
- L'offre de formation régionale répond-elle aux besoins exprimés ? Quelles lacunes faut-il combler
  ?
- Quelles passerelles existent ou pourraient exister entre les structures de l'ESS pour favoriser
  la mobilité des salariés ?

## 4. Méthode attendue

L'opérateur proposera une méthode combinant l'exploitation des données statistiques disponibles et
  une enquête de terrain. L'observatoire mettra à sa disposition les données de l'INSEE et de
  l'URSSAF dont il dispose, dans le respect des conventions signées avec ces organismes.

L'enquête de terrain comprendra au minimum une enquête par questionnaire auprès d'un échantillon
  représentatif d'employeurs de l'ESS, ainsi qu'une vingtaine d'entretiens approfondis avec des
  dirigeants, des responsables de ressources humaines et des organismes de formation. L'échantillon
  devra couvrir les quatre départements et les quatre familles de l'ESS.

Le conseil scientifique sera attentif à la qualité de la méthode d'échantillonnage, à la clarté des
  définitions retenues et à la transparence sur les limites de l'étude.

## 5. Livrables

- Une note méthodologique détaillée, remise un mois après le démarrage.
- Un rapport intermédiaire, présenté au groupe de suivi à mi-parcours.
- Un rapport final d'une soixantaine de pages, accompagné d'une synthèse de quatre pages destinée à
  une large diffusion.
- Les fichiers de données anonymisés issus de l'enquête, qui seront versés au fonds de
  l'observatoire.

## 6. Calendrier et budget

L'étude se déroulera d'avril à décembre 2008. Le budget maximal est fixé à 40 000 euros toutes
  taxes comprises.

## 7. Pilotage

Un groupe de suivi, composé de deux membres du conseil scientifique, de représentants des réseaux
  et de la cellule de coordination et d'animation, accompagnera l'opérateur. Le rapport final sera
  soumis au conseil scientifique pour réception, puis présenté au comité de pilotage.

## 8. Critères de sélection

| Critère | Pondération |
| Compréhension de la commande et des enjeux | 25 % |
| Qualité et pertinence de la méthode proposée | 35 % |
| Expérience de l'équipe dans le champ de l'ESS | 20 % |
| Prix et réalisme du calendrier | 20 % |

Les propositions, d'une quinzaine de pages au maximum, sont à adresser par courrier électronique au
  chargé de mission du Collège coopératif de Bretagne. Les termes de référence sont également
  disponibles sur le [portail de
  l'observatoire](http://www.ess-bretagne.org/observatoire/consultations/).
""",
)

CR_COPIL_2005 = Doc(
    name="compte-rendu-copil-installation-2005-11.docx",
    fmt="docx",
    title="Compte rendu de la réunion d'installation du comité de pilotage de l'observatoire",
    authors=("CRES Bretagne",),
    date=dt.date(2005, 11, 24),
    tags={
        "kind": "compte-rendu", "family": ALL_FAMILIES, "territory": ["bretagne"],
        "instance": ["comite-de-pilotage", "conseil-scientifique", "cellule-de-coordination"],
        "status": "validated", "visibility": "network", "source": "internal", "language": "fr",
    },
    summary="Première réunion du comité de pilotage : présentation du projet d'observatoire, "
    "composition des instances, calendrier d'élaboration du cadre de référence.",
    keywords=("compte rendu", "comité de pilotage", "installation", "observatoire"),
    header="Observatoire régional de l'ESS – Comité de pilotage",
    footer="Compte rendu approuvé le 23 mars 2006 – diffusion réseau",
    text="""
# Compte rendu du comité de pilotage du 24 novembre 2005

## Réunion d’installation du comité de pilotage de l’observatoire régional de l’économie sociale et
  solidaire

Étaient présents les représentants du Conseil régional de Bretagne, des conseils généraux des
  Côtes-d’Armor, du Finistère et d’Ille-et-Vilaine, du conseil d’administration de la CRES
  Bretagne, de la CPCA Bretagne, de l’Union régionale des SCOP de l’Ouest, de la Mutualité
  française Bretagne, du Collège coopératif de Bretagne, de l’INSEE et de la DRTEFP. Le Conseil
  général du Morbihan était excusé.

La séance est ouverte par le président de la CRES Bretagne, qui remercie les participants et
  rappelle l’origine du projet : depuis plusieurs années, les acteurs de l’ESS regrettent de ne pas
  disposer de données fiables sur leur poids et leurs évolutions, et les collectivités expriment le
  même besoin pour construire leurs politiques.

## 1. Présentation du projet d’observatoire

Le chargé de mission de la CRES présente le projet. L’observatoire aurait pour rôle de rassembler
  et de produire des informations sur l’ESS bretonne, de les faire valider par un conseil
  scientifique et de les diffuser largement. Il s’appuierait sur les données de la statistique
  publique et sur les travaux des réseaux, sans s’y substituer.

Le représentant de l’INSEE indique que l’institut travaille à une définition statistique de l’ESS
  fondée sur les catégories juridiques, qui permettra des comparaisons entre régions. Il propose
  que l’observatoire s’inscrive dans cette démarche.

La représentante de la CPCA souligne que les associations sans salarié, très nombreuses, échappent
  aux statistiques d’emploi ; elle souhaite que l’observatoire s’intéresse aussi au bénévolat.

## 2. Composition des instances

Le comité de pilotage approuve le principe de trois instances :

- un comité de pilotage, présidé par un représentant de la CRES et co-présidé par un représentant
  de la Région ;
- un conseil scientifique, animé par le Collège coopératif de Bretagne ;
- une cellule de coordination et d’animation, composée d’un chargé de mission de la CRES et d’un
  chargé de mission du Collège coopératif.

Le représentant de l’URSCOP demande que chaque famille de l’ESS dispose d’un siège au comité de
  pilotage. La question de la représentation des fondations, peu structurées à l’échelle régionale,
  reste ouverte ; la CRES prendra contact avec les fondations présentes en Bretagne.

## 3. Calendrier

Le comité de pilotage retient le calendrier suivant pour l’année 2006 : constitution du conseil
  scientifique au premier trimestre, élaboration du cadre de référence stratégique au printemps,
  adoption du cadre de référence et du guide de procédures à l’automne, premières études en 2007.

## 4. Questions diverses

La Région Bretagne confirme son soutien financier à la phase de préfiguration. Les conseils
  généraux présents indiquent qu’ils se prononceront après l’adoption du cadre de référence. La
  prochaine réunion aura lieu en mars 2006.

## Relevé de décisions

| Décision | Responsable | Échéance |
| Constituer le conseil scientifique | Collège coopératif | Mars 2006 |
| Proposer un projet de cadre de référence | Cellule de coordination | Juin 2006 |
| Contacter les fondations présentes en Bretagne | CRES Bretagne | Février 2006 |
| Préparer une convention avec l’INSEE | CRES Bretagne | Juin 2006 |

Les documents présentés en séance sont disponibles dans l’[espace réseau du
  portail](http://www.ess-bretagne.org/reseau/copil/).
""",
)

CR_CONSEIL_SCIENTIFIQUE_2009 = Doc(
    name="compte-rendu-conseil-scientifique-2009-03.txt",
    fmt="txt",
    title="Compte rendu du conseil scientifique du 12 mars 2009",
    authors=("Collège coopératif de Bretagne",),
    date=dt.date(2009, 3, 12),
    tags={
        "kind": "compte-rendu", "family": ["mutuelles"],
        "territory": ["bretagne", "finistere", "morbihan"],
        "instance": ["conseil-scientifique", "cellule-de-coordination"],
        "status": "validated", "visibility": "network", "source": "internal", "language": "fr",
    },
    summary="Réception de l'étude sur l'emploi et les métiers de l'ESS, point sur le diagnostic "
    "du Finistère, examen de la méthodologie de l'étude sur les mutuelles de santé du Morbihan.",
    text="""
# Conseil scientifique de l'observatoire régional de l'ESS – compte rendu de la séance du 12 mars
  2009

Présents : neuf membres du conseil scientifique, dont les représentants de l'INSEE, de l'URSSAF et
  de la MSA, trois enseignants-chercheurs, deux chargés d'études et une personne ressource issue du
  réseau des structures d'insertion. Pour la cellule de coordination et d'animation : les chargés
  de mission de la CRES Bretagne et du Collège coopératif. Excusés : les représentants de la DRTEFP
  et de l'ASSEDIC.

Le compte rendu de la séance du 4 décembre 2008 est approuvé sans modification.

## 1. Réception de l'étude sur l'emploi et les métiers de l'ESS

Le cabinet retenu à l'issue de la consultation de mars 2008 présente le rapport final de l'étude.
  L'enquête par questionnaire a recueilli 412 réponses exploitables d'employeurs, et 23 entretiens
  ont été conduits. Les principaux résultats sont les suivants : un salarié sur quatre a plus de
  cinquante ans ; les fonctions de direction et les métiers de l'aide à domicile concentrent les
  difficultés de recrutement ; l'offre de formation régionale est jugée riche mais mal connue des
  employeurs.

Le conseil scientifique salue la qualité du travail et la clarté de la synthèse. Il formule trois
  demandes avant la réception définitive :

- préciser dans le rapport les taux de réponse par famille et par département, afin que le lecteur
  mesure la représentativité de l'échantillon ;
- distinguer plus nettement les résultats issus de l'enquête de ceux issus des entretiens ;
- retirer du rapport public un tableau dont les effectifs, trop faibles, pourraient permettre
  d'identifier des structures.

Sous réserve de ces modifications, le conseil scientifique prononce la réception de l'étude. Le
  rapport sera présenté au comité de pilotage du 2 avril.

## 2. Diagnostic de l'ESS dans le Finistère

La chargée de mission de la CRES présente l'avancement du diagnostic commandé par le Conseil
  général du Finistère. Les données de l'INSEE sont exploitées ; vingt-six entretiens sur trente
  ont été réalisés. Le conseil scientifique s'interroge sur la comparabilité des chiffres avec ceux
  du premier tableau de bord régional, le périmètre ayant été légèrement modifié. Il demande qu'une
  note de méthode, annexée au diagnostic, explique ces différences.

Le représentant de la MSA propose de fournir des données complémentaires sur les coopératives
  agricoles, dont une partie des salariés relève du régime agricole. Cette proposition est
  acceptée.

## 3. Méthodologie de l'étude sur les mutuelles de santé du Morbihan

La Mutualité française Bretagne souhaite réaliser, avec l'appui de l'observatoire, une étude
  sectorielle sur les mutuelles de santé du Morbihan. Elle présente une note de méthode :
  exploitation des données de l'Autorité de contrôle, enquête auprès des mutuelles ayant leur siège
  dans le département, entretiens avec les responsables des services de soins.

Le conseil scientifique note que l'étude sera conduite par une partie prenante du secteur et
  demande que cette situation soit clairement indiquée dans le rapport. Il recommande d'associer un
  chercheur extérieur au groupe de suivi et de prévoir une relecture par le conseil avant
  publication. Sous ces conditions, il émet un avis favorable sur la méthode.

## 4. Questions diverses

Un membre du conseil signale la parution d'un ouvrage collectif sur la mesure de « l'utilité
  sociale »
  et propose d'en présenter les principaux apports lors d'une prochaine séance. La proposition est
  retenue.

La prochaine séance aura lieu le 11 juin 2009 à Rennes.
""",
)

CR_CELLULE_2011 = Doc(
    name="compte-rendu-cellule-coordination-2011-09.txt",
    fmt="txt",
    encoding="cp1252",
    title="Compte rendu de la réunion de la cellule de coordination et d'animation "
    "du 6 septembre 2011",
    authors=("Cellule de coordination et d'animation",),
    date=dt.date(2011, 9, 6),
    tags={
        "kind": "compte-rendu", "family": ["fondations"],
        "territory": ["bretagne", "cotes-d-armor", "pays-de-saint-brieuc"],
        "mission": ["diffusion"],
        "instance": ["cellule-de-coordination", "conseil-scientifique", "comite-de-pilotage"],
        "status": "validated", "visibility": "internal", "source": "internal", "language": "fr",
    },
    summary="Réunion de rentrée de la cellule : planning du dernier trimestre, portrait des "
    "Côtes-d'Armor, lettre de l'observatoire, refonte du portail et budget prévisionnel 2012.",
    text="""
# Cellule de coordination et d’animation – réunion du 6 septembre 2011

Présents : la chargée de mission de la CRES Bretagne (coordination), le chargé de mission du
  Collège coopératif de Bretagne (animation scientifique), la stagiaire chargée du fonds
  documentaire. Document à usage interne.

## 1. Bilan de l’été

Le fonds documentaire compte désormais 214 documents décrits, dont 161 en accès public. La
  stagiaire a repris la description de 40 documents anciens dont la date ou les auteurs manquaient.
  Les fiches des notes de benchmarking n° 12 à 14 sont en ligne ; la note sur la recyclerie du Pays
  de Lorient a été la page la plus consultée du portail en juillet.

## 2. Portrait de l’ESS dans les Côtes-d’Armor

Le rapport provisoire est achevé. Il sera soumis au conseil scientifique du 13 octobre ; les
  membres le recevront au plus tard le 29 septembre. Points à reprendre d’ici là :

- vérifier les effectifs par pays avec les données 2009 de l’INSEE, qui viennent d’être livrées ;
- compléter la partie sur les coopératives agricoles avec les chiffres transmis par la MSA ;
- faire relire l’encadré sur le Pays de Saint-Brieuc par le Conseil général des Côtes-d’Armor.

La restitution publique est envisagée début décembre, sous réserve de l’avis du conseil
  scientifique.

## 3. Lettre de l’observatoire

Le numéro 4 de la lettre paraîtra le 15 octobre. Sommaire proposé : éditorial du président de la
  CRES, présentation du portrait des Côtes-d’Armor (sous réserve), retour sur la rencontre
  régionale de juin, agenda. Le numéro 5, prévu au printemps 2012, pourrait être consacré aux
  fondations, sujet encore peu traité par l’observatoire ; une note sur les fondations en Bretagne
  est en préparation par le Collège coopératif.

## 4. Refonte du portail

Le prestataire a remis sa proposition : 18 400 € TTC pour la refonte graphique, la migration des
  contenus et un moteur de recherche dans le fonds documentaire, avec une recherche par famille,
  territoire et type de document. La cellule juge la proposition correcte mais souhaite que la
  reprise des 214 fiches existantes soit garantie sans ressaisie. Une réponse sera apportée au
  prestataire avant le 30 septembre.

## 5. Budget prévisionnel 2012

Le projet de budget s’élève à 128 500 €, en hausse de 4 % par rapport à 2011, principalement du
  fait de la refonte du portail. Les contributions de la Région Bretagne et des conseils généraux
  sont supposées stables ; l’incertitude porte sur la participation du Conseil général du Morbihan,
  qui n’a pas encore confirmé son engagement. Le projet sera présenté au comité de pilotage du 17
  novembre.

## 6. Organisation

Le chargé de mission du Collège coopératif sera absent du 10 au 21 octobre. Les demandes adressées
  au conseil scientifique pendant cette période seront traitées par la chargée de mission de la
  CRES. Prochaine réunion de la cellule : le 4 octobre, au Collège coopératif.
""",
)

PRESENTATION_FORUM_2010 = Doc(
    name="presentation-observatoire-forum-regional-2010.pdf",
    fmt="deck",
    sidecar=False,
    title="L'observatoire régional de l'ESS : bilan 2007-2010 et perspectives",
    authors=OBSERVATORY,
    date=dt.date(2010, 11, 18),
    tags={
        "kind": "presentation", "family": ALL_FAMILIES, "territory": ["bretagne"],
        "mission": ["capitalisation", "diffusion", "representation"],
        "instance": ["comite-de-pilotage", "conseil-scientifique", "cellule-de-coordination"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Présentation au forum régional de l'ESS 2010 : missions, instances, productions "
    "2007-2010 et perspectives de l'observatoire.",
    keywords=("Présentation", "forum régional", "Bretagne", "Capitalisation", "Diffusion",
              "Représentation de l'ESS", "bilan"),
    text="""
# L’observatoire régional de l’ESS en Bretagne

Bilan 2007-2010 et perspectives

Forum régional de l’économie sociale et solidaire – 18 novembre 2010

CRES Bretagne – Collège coopératif de Bretagne

===

## Pourquoi un observatoire ?

- Une ESS très présente en Bretagne, mais mal connue
- Des données dispersées et des études difficiles à retrouver
- Un besoin partagé par les réseaux et par les collectivités
- Un lieu pour produire, valider et diffuser une information fiable

===

## Trois instances

- Le comité de pilotage fixe les priorités et évalue
- Le conseil scientifique valide les méthodes et garantit la qualité
- La cellule de coordination et d’animation met en œuvre
- CRES Bretagne : coordination et diffusion ; Collège coopératif : animation scientifique

===

## Quatre missions au service de l’ESS

- Capitalisation des connaissances : un fonds documentaire commun
- Diffusion des résultats : portail, lettre, rencontres
- Représentation de l’ESS : des chiffres pour dialoguer avec les élus
- Repérage des initiatives innovantes : les notes de benchmarking

===

## Les productions 2007-2010

| Production | Nombre |
| Tableaux de bord annuels | 3 |
| Études thématiques et territoriales | 7 |
| Notes de benchmarking | 12 |
| Documents dans le fonds | 180 |

===

## Quelques études marquantes

- 2008 : faisabilité d’un pôle ESS sur le Pays de Rennes
- 2008 : emploi, métiers et besoins de formation
- 2009 : diagnostic de l’ESS dans le Finistère
- 2010 : les mutuelles de santé dans le Morbihan

===

## Ce que nous avons appris

- Les chiffres ne suffisent pas : il faut les mettre en débat
- La validation par le conseil scientifique crédibilise les résultats
- Les territoires demandent des données à l’échelle des pays
- Les études doivent rester accessibles dans la durée

===

## Perspectives 2011-2013

- Portraits de l’ESS dans chaque département
- Une note sur les fondations, famille encore peu observée
- Un nouveau portail avec un moteur de recherche documentaire
- Une articulation renforcée avec les observatoires des autres régions

===

## Merci de votre attention

Retrouvez les publications de l’observatoire sur le portail de la CRES Bretagne

Vos questions et vos propositions d’études sont les bienvenues
""",
)

NOTE_FONDATIONS = Doc(
    name="note-fondations-bretagne-2012.pdf",
    fmt="pdf",
    title="Les fondations en Bretagne : une famille discrète de l'ESS",
    authors=("Collège coopératif de Bretagne",),
    date=dt.date(2012, 4, 12),
    tags={
        "kind": "note", "family": ["fondations"], "territory": ["bretagne"],
        "mission": ["capitalisation"],
        "instance": ["conseil-scientifique", "comite-de-pilotage"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Note thématique sur les fondations en Bretagne : formes juridiques, domaines "
    "d'intervention, place dans l'ESS et pistes pour mieux les observer.",
    keywords=("note thématique", "fondations", "fonds de dotation", "mécénat", "Bretagne"),
    text="""
# Les fondations en Bretagne : une famille discrète de l’économie sociale et solidaire

Note thématique de l’observatoire régional de l’ESS

Avril 2012

===

## Pourquoi s’intéresser aux fondations ?

Parmi les quatre familles de l’économie sociale et solidaire, les fondations sont de loin la moins
  connue. Elles sont peu nombreuses, rarement organisées en réseau à l’échelle régionale, et leur
  rôle se confond souvent, dans l’esprit du public, avec celui des grands mécènes. Lors de
  l’installation du comité de pilotage de l’observatoire, en 2005, la question de leur
  représentation était restée sans réponse faute d’interlocuteur.

Les fondations connaissent pourtant des évolutions importantes. La création des fonds de dotation
  par la loi de modernisation de l’économie de 2008, le développement des fondations d’entreprise
  et des fondations abritées, et la recherche par les associations de nouvelles sources de
  financement ont renouvelé le paysage. Cette note propose un premier état des connaissances sur
  les fondations en Bretagne et des pistes pour mieux les observer.

## Une diversité de formes juridiques

Le terme de fondation recouvre plusieurs réalités juridiques distinctes :

- la fondation reconnue d’utilité publique, créée par décret, qui dispose d’une pleine capacité
  juridique et peut recevoir des dons et des legs ;
- la fondation d’entreprise, créée par une ou plusieurs sociétés pour une durée limitée, qui ne
  peut pas faire appel à la générosité du public ;
- la fondation abritée, dépourvue de personnalité morale, qui est gérée par une fondation
  abritante, comme la Fondation de France ;
- le fonds de dotation, forme plus souple créée en 2008, qui se constitue par simple déclaration en
  préfecture.

Certaines fondations, dites « distributives », sont avant tout des financeurs, qui distribuent des
  subventions ou des prix à
  des projets portés par d’autres. D’autres sont des opératrices, qui gèrent directement des
  établissements, notamment dans le domaine sanitaire et médico-social.

===

## Ce que l’on sait des fondations en Bretagne

Les données disponibles sont fragmentaires. Les statistiques d’emploi de l’INSEE ne distinguent les
  fondations que lorsqu’elles sont employeuses, ce qui exclut la plupart des fondations
  distributives. À partir des fichiers des établissements employeurs, on dénombre en Bretagne une
  soixantaine d’établissements relevant de fondations, qui emploient un peu plus de 2 000 salariés.

Ces emplois se concentrent dans quelques grands établissements sanitaires et médico-sociaux :
  établissements pour personnes handicapées, maisons de retraite, centres de rééducation. Les
  fondations opératrices sont présentes dans les quatre départements, mais la plupart de leurs
  sièges se situent hors de la région.

Le recensement des fonds de dotation et des fondations abritées bretonnes est plus difficile
  encore. À partir des déclarations publiées et d’une enquête auprès des réseaux, l’observatoire a
  identifié une quarantaine de fonds de dotation créés en Bretagne depuis 2009, souvent adossés à
  une association, à une collectivité ou à une entreprise, et une vingtaine de fondations abritées
  dont l’activité est tournée vers la région.

## Les domaines d’intervention

Les fondations distributives identifiées interviennent principalement dans quatre domaines : la
  solidarité et la lutte contre l’exclusion, la culture et le patrimoine, l’environnement et le
  littoral, la recherche médicale. Les fondations d’entreprise créées par des entreprises bretonnes
  soutiennent souvent des projets situés à proximité de leurs sites d’implantation.

===

## Les fondations et l’ESS

L’appartenance des fondations à l’ESS est parfois discutée. Elles ne reposent pas sur l’adhésion de
  membres et leur gouvernance n’est pas démocratique au sens où l’est celle d’une association ou
  d’une coopérative. Elles partagent en revanche avec les autres familles la non-lucrativité,
  l’affectation des ressources à un objet d’intérêt général et l’indépendance à l’égard des
  pouvoirs publics.

Pour les associations bretonnes, les fondations sont devenues des partenaires financiers de plus en
  plus importants, à mesure que les financements publics se resserraient. Plusieurs têtes de réseau
  rencontrées pour cette note observent toutefois que l’accès à ces financements suppose des
  compétences spécifiques, dont les petites associations sont souvent dépourvues.

## Pistes pour l’observatoire

- Constituer, avec l’appui du Centre français des fondations, un répertoire des fondations et des
  fonds de dotation actifs en Bretagne.
- Intégrer un volet consacré aux fondations dans les prochains portraits départementaux de l’ESS.
- Proposer au comité de pilotage d’inviter un représentant des fondations à siéger parmi les
  familles de l’ESS.
- Organiser une rencontre entre fondations et têtes de réseau associatives sur le thème du mécénat
  de proximité.

Cette note a été présentée au conseil scientifique de l’observatoire le 29 mars 2012, qui en a
  validé la diffusion.
""",
)

PORTRAIT_COTES_D_ARMOR = Doc(
    name="portrait-ess-cotes-d-armor-2011.html",
    fmt="html",
    title="Portrait de l'économie sociale et solidaire dans les Côtes-d'Armor",
    authors=("CRES Bretagne", "Collège coopératif de Bretagne"),
    date=dt.date(2011, 12, 5),
    tags={
        "kind": "etude", "family": ALL_FAMILIES,
        "territory": ["cotes-d-armor", "pays-de-saint-brieuc", "saint-brieuc", "pays-de-dinan",
                      "pays-de-guingamp", "pays-du-tregor-goelo", "lannion",
                      "pays-du-centre-bretagne"],
        "mission": ["capitalisation", "representation"],
        "instance": ["conseil-scientifique"],
        "status": "submitted", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Portrait de territoire de l'ESS costarmoricaine : poids de l'ESS par pays, "
    "familles, secteurs, emploi, et enjeux pour les années à venir.",
    keywords=("portrait de territoire", "Côtes-d'Armor", "emploi", "pays", "ESS"),
    text="""
# Portrait de l’économie sociale et solidaire dans les Côtes-d’Armor

Version soumise au conseil scientifique de l’observatoire – décembre 2011

## Une ESS qui pèse dans l’emploi du département

Avec près de 1 900 établissements employeurs et environ 21 000 salariés, l’économie sociale et
  solidaire représente dans les Côtes-d’Armor un peu plus de 15 % de l’emploi salarié privé. C’est
  l’une des proportions les plus élevées de Bretagne, elle-même région où l’ESS pèse plus
  qu’ailleurs en France. Cette importance s’explique par la place des coopératives agricoles et
  agroalimentaires, par la densité des établissements médico-sociaux associatifs et par le poids de
  l’économie sociale dans les services financiers.

## Les familles de l’ESS

| Famille | Établissements | Salariés | Part des salariés |
| Associations | 1 520 | 13 900 | 66 % |
| Coopératives | 250 | 5 000 | 24 % |
| Mutuelles | 110 | 1 700 | 8 % |
| Fondations | 10 | 400 | 2 % |

Les associations emploient les deux tiers des salariés de l’ESS costarmoricaine, principalement
  dans l’action sociale, l’hébergement médico-social, l’enseignement et les activités sportives et
  culturelles. Les coopératives pèsent davantage que dans les autres départements bretons, en
  raison de la présence de grands groupes coopératifs agricoles dans le centre et l’ouest du
  département. Les mutuelles et les fondations restent minoritaires, mais gèrent des établissements
  importants dans le domaine de la santé.

## Une ESS présente dans tous les pays

Le Pays de Saint-Brieuc rassemble un peu plus d’un tiers des emplois de l’ESS du département,
  autour de l’agglomération briochine qui accueille les sièges de nombreuses têtes de réseau. Le
  Pays de Dinan et le Pays du Trégor-Goëlo, autour de Lannion, en concentrent chacun environ 18 %.
  Le Pays de Guingamp et le Pays du Centre Bretagne, plus ruraux, comptent moins d’emplois en
  valeur absolue, mais l’ESS y représente une part plus élevée de l’emploi privé, proche d’un
  emploi sur cinq dans le Centre Bretagne.

Dans ces territoires ruraux, les associations d’aide à domicile, les établissements pour personnes
  âgées et les coopératives agricoles sont souvent parmi les premiers employeurs locaux. Leur
  avenir est étroitement lié à celui des services à la population et de l’agriculture.

## Des emplois marqués par le temps partiel

Près de la moitié des salariés de l’ESS costarmoricaine travaillent à temps partiel, contre moins
  d’un tiers dans le reste du secteur privé. Cette situation concerne surtout les femmes, qui
  représentent plus de sept salariés sur dix dans les associations. Le salaire horaire moyen est
  légèrement inférieur à celui du reste du secteur privé, mais l’écart se réduit pour les emplois
  qualifiés.

La pyramide des âges annonce de nombreux départs à la retraite : un tiers des salariés ont plus de
  cinquante ans. Les employeurs rencontrés s’inquiètent en particulier du remplacement des
  directeurs d’établissements et des cadres de santé.

## Les enjeux pour les années à venir

Les entretiens conduits avec une vingtaine de responsables de structures, d’élus et de têtes de
  réseau font apparaître trois enjeux principaux.

- Consolider les services à la population dans les territoires ruraux, où l’ESS assure une part
  importante de l’aide à domicile et de l’accueil des personnes âgées.
- Accompagner la transmission des structures, qu’il s’agisse du renouvellement des dirigeants
  salariés ou des administrateurs bénévoles.
- Faire reconnaître l’ESS comme un acteur du développement économique local, au-delà de son rôle
  dans le champ social.

## Méthode

Ce portrait s’appuie sur les données de l’INSEE relatives aux établissements employeurs au 31
  décembre 2009, complétées par des données de la MSA pour les coopératives agricoles et par les
  entretiens mentionnés ci-dessus. Il applique le périmètre statistique de l’ESS retenu au niveau
  national, afin de permettre les comparaisons avec les autres départements. La version définitive
  sera publiée après l’avis du conseil scientifique ; les chiffres présentés ici sont susceptibles
  d’être légèrement révisés.

Le portrait du Finistère, réalisé en 2009 selon une méthode voisine, est disponible dans la
  [rubrique Publications](/publications/diagnostic-ess-finistere-2009/).
""",
)

LETTRE_2012 = Doc(
    name="lettre-observatoire-2012-n5.md",
    fmt="md",
    year_only=True,
    title="La lettre de l'observatoire régional de l'ESS n° 5",
    authors=("Cellule de coordination et d'animation",),
    date=dt.date(2012, 5, 1),
    tags={
        "kind": "lettre-d-information", "family": ["fondations", "mutuelles"],
        "territory": ["bretagne", "cotes-d-armor", "morbihan"],
        "mission": ["diffusion"],
        "instance": ["cellule-de-coordination", "comite-de-pilotage", "conseil-scientifique"],
        "status": "validated", "visibility": "public", "source": "internal", "language": "fr",
    },
    summary="Lettre d'information du printemps 2012 : dossier sur les fondations, publication "
    "du portrait des Côtes-d'Armor, nouveau portail et agenda.",
    text="""
# La lettre de l’observatoire régional de l’ESS n° 5

Printemps 2012

## Éditorial

Sept ans après l’installation de son comité de pilotage, l’observatoire régional de l’économie
  sociale et solidaire a trouvé sa place dans le paysage breton. Ses études sont citées dans les
  schémas des collectivités, ses chiffres sont repris par la presse, et son fonds documentaire
  rassemble désormais plus de 250 documents. Ce numéro fait la part belle à une famille de l’ESS
  que nous avons longtemps négligée : les fondations. Il annonce aussi l’ouverture prochaine d’un
  nouveau portail, qui facilitera l’accès à l’ensemble de nos publications.

## Dossier : les fondations, une famille discrète

La note que vient de publier l’observatoire dresse un premier état des lieux des fondations en
  Bretagne. Elles emploient un peu plus de 2 000 salariés, principalement dans des établissements
  sanitaires et médico-sociaux, et jouent un rôle croissant dans le financement des projets
  associatifs. Depuis 2009, une quarantaine de fonds de dotation ont par ailleurs été créés dans la
  région.

La note propose plusieurs pistes : constituer un répertoire des fondations actives en Bretagne,
  intégrer un volet consacré aux fondations dans les portraits départementaux, et inviter un
  représentant des fondations au comité de pilotage. Cette dernière proposition sera examinée lors
  de la prochaine réunion du comité.

## Publications

- **Portrait de l’ESS dans les Côtes-d’Armor.** Après l’avis du conseil scientifique, la version
  définitive du portrait est en ligne. Elle confirme le poids de l’ESS dans l’emploi du
  département, un peu plus de 15 % de l’emploi privé.
- **Les fondations en Bretagne.** Note thématique, avril 2012.
- **Les mutuelles de santé dans le Morbihan.** L’étude sectorielle publiée en 2010 avec la
  Mutualité française Bretagne fait l’objet d’une actualisation, attendue pour la fin de l’année.

## Un nouveau portail

Le portail de l’observatoire « fait peau neuve ». Au-delà d’une nouvelle présentation, il offrira
  un
  moteur de recherche dans l’ensemble du fonds documentaire, avec la possibilité de filtrer les
  résultats par famille de l’ESS, par territoire, par type de document et par année. Les documents
  réservés aux membres du réseau resteront accessibles après identification. La mise en ligne est
  prévue pour l’été.

## Ils nous ont rejoints

Le conseil scientifique accueille deux nouveaux membres : une géographe spécialiste du
  développement territorial et un chargé d’études de la direction régionale de l’INSEE. Nous leur
  souhaitons la bienvenue.

## Agenda

| Date | Événement |
| 24 mai 2012 | Comité de pilotage de l’observatoire |
| 14 juin 2012 | Rencontre régionale : fondations et associations |
| 27 septembre 2012 | Conseil scientifique |
| Novembre 2012 | Mois de l’économie sociale et solidaire |

Pour recevoir la lettre ou proposer une information, écrivez à la cellule de coordination et
  d’animation de l’observatoire. Les numéros précédents sont disponibles sur le [portail de
  l’observatoire](http://www.ess-bretagne.org/observatoire/lettre/).
""",
)

ETUDE_EMPLOI_ASSOCIATIF_35 = Doc(
    name="etude-emploi-associatif-ille-et-vilaine-2006.pdf",
    fmt="pdf",
    year_only=True,
    title="L'emploi associatif en Ille-et-Vilaine",
    authors=("CPCA Bretagne", "Conseil général d'Ille-et-Vilaine"),
    date=dt.date(2006, 6, 1),
    tags={
        "kind": "etude", "family": ["associations"],
        "territory": ["ille-et-vilaine", "pays-de-rennes", "rennes", "pays-de-saint-malo",
                      "pays-de-fougeres", "pays-de-vitre", "pays-de-redon"],
        "mission": ["amelioration", "representation"],
        "status": "validated", "visibility": "public", "source": "external", "language": "fr",
    },
    summary="Étude de la CPCA Bretagne et du Conseil général d'Ille-et-Vilaine sur les "
    "associations employeuses du département : effectifs, secteurs, financements et fragilités.",
    keywords=("emploi associatif", "Ille-et-Vilaine", "CPCA", "associations employeuses"),
    text="""
# L’emploi associatif en Ille-et-Vilaine

Étude réalisée par la CPCA Bretagne avec le soutien du Conseil général d’Ille-et-Vilaine

2006

===

## Présentation

Le Conseil général d’Ille-et-Vilaine soutient chaque année plusieurs milliers d’associations, dans
  les domaines de l’action sociale, du sport, de la culture et de l’éducation populaire. Il a
  souhaité mieux connaître l’emploi qu’elles génèrent et les difficultés qu’elles rencontrent en
  tant qu’employeurs. La Conférence permanente des coordinations associatives de Bretagne a conduit
  l’étude entre octobre 2005 et avril 2006, en exploitant les données de l’URSSAF et en
  interrogeant un échantillon de 300 associations employeuses du département.

## L’emploi associatif en chiffres

Environ 3 200 associations emploient au moins un salarié en Ille-et-Vilaine. Ensemble, elles
  emploient près de 29 000 salariés, soit environ un emploi salarié privé sur dix dans le
  département. Une association employeuse sur deux compte moins de trois salariés ; à l’opposé, une
  centaine d’associations en emploient plus de cinquante et rassemblent à elles seules près de la
  moitié des effectifs.

| Secteur | Part des associations employeuses | Part des salariés |
| Action sociale et santé | 22 % | 54 % |
| Sport et loisirs | 27 % | 9 % |
| Culture | 16 % | 7 % |
| Éducation et formation | 14 % | 18 % |
| Autres secteurs | 21 % | 12 % |

Les associations du secteur sanitaire et social sont moins nombreuses que les associations
  sportives, mais elles emploient plus de la moitié des salariés : établissements pour personnes
  handicapées, services d’aide à domicile, structures d’hébergement. À l’inverse, le secteur du
  sport et des loisirs compte de nombreuses petites associations, qui emploient souvent un seul
  salarié, parfois à temps très partiel.

===

## Une répartition inégale sur le territoire

Le Pays de Rennes concentre près de 60 % des emplois associatifs du département, autour de la ville
  de Rennes, où sont implantés les sièges de nombreuses fédérations et les plus grands
  établissements. Les pays de Saint-Malo, de Fougères, de Vitré et de Redon se partagent le reste.
  Dans ces territoires, l’emploi associatif est davantage tourné vers les services à la population
  : aide à domicile, accueil de la petite enfance, animation en milieu rural.

## Des emplois fragiles

L’enquête met en évidence plusieurs fragilités. Près de quatre salariés sur dix travaillent à temps
  partiel, et un quart des emplois sont des contrats aidés dans les petites associations. Les
  associations interrogées dépendent fortement des financements publics : subventions des
  collectivités, aides à l’emploi de l’État, prix de journée fixés par le département dans le
  secteur médico-social.

Les responsables associatifs expriment trois inquiétudes principales :

- la fin programmée de certains dispositifs d’aide à l’emploi, qui pourrait entraîner la
  suppression de nombreux postes ;
- la difficulté, pour des dirigeants bénévoles, d’assumer les responsabilités d’employeur ;
- la montée de la mise en concurrence, qui favorise les structures les plus importantes.

===

## Recommandations

L’étude formule plusieurs recommandations à l’intention du Conseil général et des têtes de réseau
  associatives :

- développer l’accompagnement des petites associations employeuses, par exemple au moyen de
  groupements d’employeurs et de services mutualisés de paie ;
- sécuriser les financements par des conventions pluriannuelles d’objectifs, plutôt que par des
  subventions annuelles ;
- renforcer la formation des dirigeants bénévoles à la fonction d’employeur ;
- suivre l’évolution de l’emploi associatif dans la durée, en lien avec le futur observatoire
  régional de l’économie sociale et solidaire.

Les auteurs soulignent enfin que la vie associative ne se résume pas à l’emploi : la très grande
  majorité des associations du département fonctionnent sans salarié, grâce à l’engagement de leurs
  bénévoles, qui échappe aux statistiques présentées ici.
""",
)

DOCS: tuple[Doc, ...] = (
    CR_COPIL_2005,
    ETUDE_EMPLOI_ASSOCIATIF_35,
    CADRE_REFERENCE,
    CADRE_LOGIQUE,
    GUIDE_PROCEDURES,
    ETUDE_POLE_RENNES_V2,
    ETUDE_POLE_RENNES,
    TDR_EMPLOI,
    BENCHMARKING_CAE,
    CR_CONSEIL_SCIENTIFIQUE_2009,
    DIAGNOSTIC_FINISTERE,
    BENCHMARKING_SCIC,
    ETUDE_MUTUELLES_MORBIHAN,
    PRESENTATION_FORUM_2010,
    BENCHMARKING_RECYCLERIE,
    CR_CELLULE_2011,
    PORTRAIT_COTES_D_ARMOR,
    NOTE_FONDATIONS,
    LETTRE_2012,
)

if __name__ == "__main__":
    sys.exit(main())

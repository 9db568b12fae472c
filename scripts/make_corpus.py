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
        for table in ("evidence", "ground"):  # the rules of automatic tagging, not fields
            data.pop(table, None)
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


# A term's settings; the tagging rules (evidence counts, a kind's markers) are kb's to check.
TERM_SETTINGS = {"key", "label", "synonyms", "parent", "min_mentions", "weak_min_mentions",
                 "weak_density", "markers", "min_markers", "signs", "min_signs"}  # fmt: skip


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
            if set(term) - TERM_SETTINGS:
                report.error(f"vocabulary {name}.{key}: unexpected {set(term) - TERM_SETTINGS}")
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


if __name__ == "__main__":
    sys.exit(main())

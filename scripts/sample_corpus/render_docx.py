"""A sample document as a DOCX (python-docx): headings, lists, tables, real hyperlinks, a
running header and footer, core properties."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from sample_corpus.documents import Doc
from sample_corpus.fixed_zip import write_zip
from sample_corpus.markup import LINK_RE, parse, plain
from sample_corpus.vocabulary import label


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
    props.category = label("kind", str(doc.tags["kind"]))
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
    write_zip(path, members, doc.date)

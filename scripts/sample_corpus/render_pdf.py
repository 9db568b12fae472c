"""A sample document as a PDF drawn with reportlab: a report, or a slide deck exported to
PDF, with a real text layer in DejaVu Sans (every French glyph)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

from sample_corpus.documents import Doc
from sample_corpus.markup import marked_up, parse, plain

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


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
    return marked_up(text, lambda words, url: f"<link href={quoteattr(url)}>{words}</link>")


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

"""A sample document as an ODT, written by hand: mimetype first and stored, then the XML
parts (content, styles, meta, manifest)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from sample_corpus.documents import Doc
from sample_corpus.fixed_zip import write_zip
from sample_corpus.markup import marked_up, parse
from sample_corpus.vocabulary import label

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
    return marked_up(text, lambda words, url: (
        f'<text:a xlink:type="simple" xlink:href={quoteattr(url)} '
        f'text:style-name="Internet_20_link">{words}</text:a>'))


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
        f"<dc:subject>{escape(label('kind', str(doc.tags['kind'])))}</dc:subject>"
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
    write_zip(path, [
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.encode("utf-8")),
        ("styles.xml", ODT_STYLES.encode("utf-8")),
        ("meta.xml", meta.encode("utf-8")),
        ("META-INF/manifest.xml", ODT_MANIFEST.encode("utf-8")),
    ], doc.date)

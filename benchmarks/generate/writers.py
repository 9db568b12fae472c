"""The synthetic library's files, one writer a format: PDF (written here directly), DOCX,
HTML and plain text, each with the document's sidecar."""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.generate.documents import Page, Spec, Terms, pages_of

# StandardEncoding read of a CP1252 font (DOMAIN.md): the damage repair undoes.
_STANDARD_ENCODING_DAMAGE = str.maketrans({"é": "Ø", "è": "Ł", "ê": "Œ", "’": "\ufffd"})


def write_document(spec_: Spec, folder: Path, terms: Terms, variant: int = 0) -> dict[str, int]:
    """Write the document (and its sidecar) under `folder`; returns its pages and words."""
    path = folder / spec_.name
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = pages_of(spec_, terms, variant)
    writer = {"pdf": write_pdf, "docx": write_docx, "html": write_html, "txt": write_txt}
    writer[spec_.format](spec_, pages, path)
    if spec_.sidecar:
        path.with_name(path.name + ".meta.toml").write_text(
            _toml(spec_.sidecar), encoding="utf-8"
        )
    words = sum(len(p.split()) for page in pages for p in page.paragraphs)
    return {"pages": spec_.pages, "words": words, "bytes": path.stat().st_size}


def _toml(values: dict[str, object]) -> str:
    lines = []
    for key, value in values.items():
        if isinstance(value, list):
            lines.append(f"{key} = [{', '.join(json.dumps(v, ensure_ascii=False) for v in value)}]")
        elif isinstance(value, int):
            lines.append(f"{key} = {value}")
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pdf_text_string(text: str) -> bytes:
    """A text string outside content streams (Info): UTF-16BE with its byte-order mark."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def write_pdf(spec_: Spec, pages: Sequence[Page], path: Path) -> None:
    """A minimal valid PDF 1.4: one Helvetica text page per page, Flate-compressed."""
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    page_tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
               b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    kids = []
    for number, page in enumerate(pages, 1):
        heading = spec_.title if number == 1 else page.heading
        if spec_.damaged:
            heading = heading + heading if number == 1 or number % 3 == 0 else heading
        ops = [
            b"BT /F2 14 Tf 16 TL 56 790 Td",
            _pdf_string(heading) + b" Tj T* T*",
            b"/F1 9 Tf 11 TL",
        ]
        for paragraph in page.paragraphs:
            text = paragraph.translate(_STANDARD_ENCODING_DAMAGE) if spec_.damaged else paragraph
            ops.extend(_pdf_string(line) + b" Tj T*" for line in _wrap(text, 105))
            ops.append(b"T*")
        ops.append(b"ET")
        if spec_.furniture:
            ops.append(b"BT /F1 8 Tf 56 815 Td " + _pdf_string(
                "Observatoire régional de l’ESS en Bretagne") + b" Tj ET")  # fmt: skip
            ops.append(b"BT /F1 8 Tf 290 30 Td " + _pdf_string(f"{number}") + b" Tj ET")
        stream = zlib.compress(b"\n".join(ops), 6)
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                      + stream + b"\nendstream")  # fmt: skip
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
            % (page_tree, content, font, bold)
        ))  # fmt: skip
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R /Lang (fr-FR) >>" % page_tree
    objects[page_tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    author = str((spec_.sidecar.get("authors") or ["CRES Bretagne"])[0])  # type: ignore[index]
    info = add(
        b"<< /Title " + _pdf_text_string(spec_.title) + b" /Author " + _pdf_text_string(author)
        + b" /Producer (kb benchmark) /CreationDate (D:%d0615090000) >>" % spec_.year
    )  # fmt: skip
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref,
    )
    path.write_bytes(bytes(out))


_DOCX_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""  # noqa: E501
_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""  # noqa: E501
_DOCX_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""  # noqa: E501
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
</w:styles>"""  # noqa: E501


def write_docx(spec_: Spec, pages: Sequence[Page], path: Path) -> None:
    """A minimal DOCX: headings (Heading1 style) and paragraphs; title and author."""

    def paragraph(text: str, style: str | None = None) -> str:
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = [paragraph(spec_.title, "Title")]
    for page in pages:
        body.append(paragraph(page.heading, "Heading1"))
        body.extend(paragraph(p) for p in page.paragraphs)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    author = str((spec_.sidecar.get("authors") or ["CRES Bretagne"])[0])  # type: ignore[index]
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(spec_.title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
        f"<dc:language>fr-FR</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{spec_.year}-06-15T09:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )
    stamp = (spec_.year if spec_.year >= 1980 else 1980, 6, 15, 9, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in (
            ("[Content_Types].xml", _DOCX_TYPES),
            ("_rels/.rels", _DOCX_RELS),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", _DOCX_DOCUMENT_RELS),
            ("word/styles.xml", _DOCX_STYLES),
            ("docProps/core.xml", core),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8"), compresslevel=6)


def write_html(spec_: Spec, pages: Sequence[Page], path: Path) -> None:
    author = str((spec_.sidecar.get("authors") or ["CRES Bretagne"])[0])  # type: ignore[index]
    charset = "windows-1252" if spec_.encoding == "cp1252" else "utf-8"
    parts = [
        f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="{charset}">'
        f"<title>{escape(spec_.title)}</title>"
        f'<meta name="author" content="{escape(author)}"></head><body>'
        f"<nav><a href='/'>Accueil</a> | <a href='/etudes'>Études</a></nav>"
        f"<h1>{escape(spec_.title)}</h1>"
    ]
    for page in pages:
        parts.append(f"<h2>{escape(page.heading)}</h2>")
        parts.extend(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    parts.append("<footer>Observatoire régional de l’ESS en Bretagne</footer></body></html>\n")
    path.write_bytes("\n".join(parts).encode(spec_.encoding, errors="replace"))


def write_txt(spec_: Spec, pages: Sequence[Page], path: Path) -> None:
    parts = [spec_.title, "=" * min(len(spec_.title), 70), ""]
    for page in pages:
        parts.extend((page.heading, "", *(f"{p}\n" for p in page.paragraphs)))
    path.write_bytes("\n".join(parts).encode(spec_.encoding, errors="replace"))

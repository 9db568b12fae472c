"""The pieces of the extraction layer: sniffing, decoding, dates, registry dispatch, workers."""

from __future__ import annotations

import pickle
import struct
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from indexer.extract import ExtractorRegistry, Limits, default_registry, sniff
from indexer.extract.base import ExtractedDocument, Section
from indexer.extract.charsets import Decoded, decode, decode_cp1252
from indexer.extract.dates import to_iso
from indexer.extract.html import declared_encoding
from indexer.extract.text import front_matter, markdown_sections
from indexer.extract.zipguard import member_count

FIXTURES = Path(__file__).parents[2] / "fixtures" / "extract"

# --- sniff -----------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

SNIFF_CASES = [
    # (content, file name, expected media type)
    (b"%PDF-1.4\n...", "a.bin", "application/pdf"),
    (b"\r\n\r\n%PDF-1.7\n", "a.pdf", "application/pdf"),  # junk before the header is allowed
    (b"\x89PNG\r\n\x1a\n" + bytes(20), "a.pdf", "image/png"),
    (b"\xff\xd8\xff\xe0" + bytes(20), "a.docx", "image/jpeg"),
    (b"{\\rtf1\\ansi hello}", "a.doc", "application/rtf"),
    (b"GIF89a" + bytes(10), "a.gif", "image/gif"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "a.txt", "text/html"),
    (b"  \n<!-- c --><HTML><BODY>x", "page", "text/html"),
    (b"<p>Un paragraphe</p>", "a.htm", "text/html"),
    (b"<p>Un paragraphe</p>", "a.md", "text/markdown"),  # suffix breaks the tie
    (b"<div align=center>logo</div>\n# Titre", "README.md", "text/markdown"),
    (
        b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"/>',
        "a",
        "application/xhtml+xml",
    ),
    (b'<?xml version="1.0"?><!DOCTYPE html><html/>', "a.xml", "application/xhtml+xml"),
    (b'<?xml version="1.0"?><!-- x --><rss version="2.0"/>', "a.xml", "application/xml"),
    (b"<!DOCTYPE html>\n<html>", "page.xhtml", "application/xhtml+xml"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html>", "a", "text/html"),
    ("<html><body>é</body></html>".encode("utf-16"), "a", "text/html"),
    ("Texte en UTF-16".encode("utf-16-le").join([b"\xff\xfe", b""]), "a", "text/plain"),
    (b"Du texte simple\r\n", "notes.txt", "text/plain"),
    (b"# Titre\n\nTexte", "notes.md", "text/markdown"),
    (b"# Titre\n\nTexte", "notes.markdown", "text/markdown"),
    (b"# Titre\n\nTexte", "notes", "text/plain"),
    (b"caf\xe9 cr\xe8me", "latin.txt", "text/plain"),
    (b"texte\x00avec NUL", "a.txt", "application/octet-stream"),
    # A sparse NUL, ESC or form feed in text that reads as UTF-8 or Windows-1252: text.
    ("Le comité s’est réuni.\n".encode() * 10 + b"\x00\x1b\x0c" + b"fin", "a.txt", "text/plain"),
    ("Le comité s’est réuni.\n".encode("cp1252") * 10 + b"\x00fin", "a.txt", "text/plain"),
    (b"\x00\x00\x00\x01" + b"texte " * 200, "a.txt", "application/octet-stream"),  # NUL runs
    # NULs in pairs in UTF-8 text (issue 26): text; a run of three is binary.
    (("Le comité s’est réuni.\n".encode() * 10 + b"\x00\x00") * 3, "a.txt", "text/plain"),
    (("Le comité s’est réuni.\n".encode() * 10 + b"\x00\x00\x00") * 3, "a.txt",
     "application/octet-stream"),
    # UTF-16 and UTF-32 without a byte-order mark stay binary.
    ("Le comité s’est réuni à Rennes.\n".encode("utf-16-le") * 5, "a.txt",
     "application/octet-stream"),
    ("Le comité s’est réuni à Rennes.\n".encode("utf-16-be") * 5, "a.txt",
     "application/octet-stream"),
    ("Le comité s’est réuni.\n".encode("utf-32-le") * 5, "a.txt", "application/octet-stream"),
    # Binary with NUL pairs only but not text (high bytes neither UTF-8 nor French CP1252).
    (bytes(range(128, 256)) * 2 + b"\x00\x00" + b"a" * 100, "a.txt", "application/octet-stream"),
    (bytes(range(128, 256)) * 2 + b"\x00" + b"a" * 100, "a.txt", "application/octet-stream"),
    (bytes(range(1, 32)) * 20, "a.txt", "application/octet-stream"),
    (b"\x1f\x8b\x08\x00" + bytes(10), "a.txt", "application/gzip"),
    (b"PK\x05\x06" + bytes(18), "vide.docx", "application/zip"),
    (b"II*\x00" + bytes(10), "scan.tif", "image/tiff"),
    (b"\xffWPC" + bytes(12), "lettre.wpd", "application/vnd.wordperfect"),
    # OLE2 compound files: the directory's stream names tell Word, Excel and PowerPoint.
    (_OLE2 + "WordDocument".encode("utf-16-le"), "a.bin", "application/msword"),
    (_OLE2 + "Workbook".encode("utf-16-le"), "a.doc", "application/vnd.ms-excel"),
    (_OLE2 + "Book\x00".encode("utf-16-le"), "a.xls", "application/vnd.ms-excel"),
    (_OLE2 + "PowerPoint Document".encode("utf-16-le"), "a.pps", "application/vnd.ms-powerpoint"),
    (_OLE2 + "__substg1.0_0037001F".encode("utf-16-le"), "a.msg", "application/x-ole-storage"),
]


@pytest.mark.parametrize(("content", "name", "expected"), SNIFF_CASES)
def test_sniff(tmp_path, content: bytes, name: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert sniff(path) == expected


def test_sniff_empty_file(tmp_path) -> None:
    path = tmp_path / "vide.pdf"
    path.write_bytes(b"")
    assert sniff(path) == "application/x-empty"


def test_sniff_zip_families(tmp_path) -> None:
    def make(name: str, members: dict[str, bytes]) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return path

    assert sniff(make("a.zip", {"word/document.xml": b"<x/>"})) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert sniff(make("b.docx", {"xl/workbook.xml": b"<x/>"})) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert sniff(
        make("c.odt", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    ) == ("application/vnd.oasis.opendocument.spreadsheet")
    # Word for the document part far from the start: found through the central directory.
    padding = {f"media/{n}.bin": bytes(4096) for n in range(40)}
    late = make("d.docx", {**padding, "word/document.xml": b"<x/>"})
    assert sniff(late) == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert sniff(make("e.docx", {"notes.txt": b"x"})) == "application/zip"
    assert sniff(FIXTURES / "note-de-cadrage.odt") == "application/vnd.oasis.opendocument.text"
    assert sniff(FIXTURES / "ancien-word.docx") == "application/msword"


def test_zip_member_count_reads_only_the_end_record(tmp_path) -> None:
    small = tmp_path / "a.zip"
    with zipfile.ZipFile(small, "w") as archive:
        for n in range(3):
            archive.writestr(f"{n}", b"")
    assert member_count(small) == 3
    # Past 65,535 members the count lives in the ZIP64 end record; these records claim
    # 70,000 members that are not there, which member_count must report without looking.
    zip64_end = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 70_000, 70_000, 0, 0)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, 0, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0, 0xFFFFFFFF, 0)
    claimed = tmp_path / "b.zip"
    claimed.write_bytes(zip64_end + locator + end)
    assert member_count(claimed) == 70_000
    not_zip = tmp_path / "c.zip"
    not_zip.write_bytes(b"PK\x03\x04 truncated")
    assert member_count(not_zip) is None


# --- decoding --------------------------------------------------------------------------------


def test_decode_order_bom_then_declared_then_utf8_then_cp1252() -> None:
    assert decode(b"\xef\xbb\xbfcaf\xc3\xa9") == Decoded("café", "utf-8-sig")
    assert decode("café".encode("utf-16-le").join([b"\xff\xfe", b""])).text == "café"
    assert decode("café".encode()).encoding == "utf-8"
    assert decode(b"caf\xe9 \x92 \x80") == Decoded("café ’ €", "cp1252")
    # A page labelled Latin-1 is decoded as Windows-1252, as browsers do.
    assert decode(b"l\x92\xe9t\xe9", "ISO-8859-1").text == "l’été"
    assert decode(b"caf\xe9", "iso-8859-15").encoding == "iso8859-15"


def test_decode_falls_back_when_the_declaration_lies() -> None:
    decoded = decode(b"caf\xe9", "utf-8")
    assert decoded.text == "café" and decoded.encoding == "cp1252"
    assert "does not fit" in (decoded.warning or "")
    unknown = decode(b"caf\xc3\xa9", "klingon-8")
    assert unknown.text == "café" and "unknown declared encoding" in (unknown.warning or "")


def test_decode_a_prefix_cut_inside_a_character() -> None:
    data = "été".encode()[:-1]  # the last é cut in half
    assert decode(data, final=False) == Decoded("ét", "utf-8")


def test_cp1252_undefined_bytes_become_latin1() -> None:
    assert decode_cp1252(b"\x81\x8d\x8f\x90\x9d\x80") == "\x81\x8d\x8f\x90\x9d€"


def test_declared_encoding_of_html() -> None:
    assert declared_encoding(b'<meta charset="windows-1252">') == "windows-1252"
    assert (
        declared_encoding(
            b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">'
        )
        == "iso-8859-1"
    )
    assert declared_encoding(b"<?xml version='1.0' encoding='ISO-8859-15'?><html>") == "ISO-8859-15"
    assert declared_encoding(b"<html><body>rien</body></html>") is None


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("found", "iso"),
    [
        ("D:20080614103000+02'00'", "2008-06-14T10:30:00+02:00"),
        ("D:20080614103000Z", "2008-06-14T10:30:00+00:00"),
        ("D:20080614103000", "2008-06-14T10:30:00"),
        ("D:20080614", "2008-06-14"),
        ("D:2008", "2008"),
        ("2008-06-14", "2008-06-14"),
        ("2008-06-14T10:30:00Z", "2008-06-14T10:30:00+00:00"),
        ("2008-06", "2008-06"),
        ("14/06/2008", "2008-06-14"),
        ("juin 2008", None),
        ("D:20081399", None),
        ("", None),
        (None, None),
    ],
)
def test_to_iso(found: str | None, iso: str | None) -> None:
    assert to_iso(found) == iso


# --- Markdown --------------------------------------------------------------------------------


def test_front_matter_lists_and_quotes() -> None:
    meta, body = front_matter(
        '---\ntitle: "Un titre"\nauthors:\n  - Anne\n  - Bruno\ntags: [a, b]\n---\nCorps\n'
    )
    assert meta == {"title": "Un titre", "authors": "Anne; Bruno", "tags": "a; b"}
    assert body == "Corps\n"
    assert front_matter("Pas de front matter\n---\n") == ({}, "Pas de front matter\n---\n")


def test_markdown_sections_ignore_fences_lists_and_rules() -> None:
    text = "# Un\n```\n# code\n```\n- item\n---\nDeux\n===\ntexte\n"
    headings = [(h, level) for h, level, _ in markdown_sections(text)]
    assert headings == [("Un", 1), ("Deux", 1)]


def test_markdown_text_keeps_no_markup() -> None:
    text = (
        "Intro *importante*.\n\n## Budget\n\n"
        "| Poste | Part |\n|---|---|\n| Emploi | 40 % |\n\n1. un\n"
    )
    sections = markdown_sections(text)
    assert sections[0] == (None, 0, "Intro importante.")
    assert sections[1] == ("Budget", 2, "Budget\n\nPoste | Part\n\nEmploi | 40 %\n\n1. un")


# --- registry --------------------------------------------------------------------------------


class _Fixed:
    """A stand-in extractor that returns a fixed text (module level: picklable)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.media_types = frozenset({"text/plain"})

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        return ExtractedDocument("text/plain", (Section(self.text),))


def test_registry_media_types() -> None:
    assert default_registry().media_types() == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.graphics",
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/markdown",
        "application/rtf",
        # through LibreOffice
        "application/msword",
        "application/vnd.ms-powerpoint",
        "application/vnd.ms-excel",
        "application/vnd.wordperfect",
        "application/vnd.sun.xml.writer",
        "application/vnd.sun.xml.impress",
        "application/vnd.sun.xml.calc",
        # through OCR
        "image/png",
        "image/jpeg",
        "image/tiff",
    }
    assert ExtractorRegistry().media_types() == frozenset()


def test_registry_priority_then_last_registered_wins() -> None:
    path = FIXTURES / "notes-utf8.txt"
    registry = default_registry()
    registry.register(_Fixed("haute"), priority=5)
    registry.register(_Fixed("basse"), priority=-1)
    assert registry.extract(path).text == "haute"
    registry.register(_Fixed("dernière"), priority=5)
    assert registry.extract(path).text == "dernière"
    # A fresh registry is not affected by what was registered in another one.
    assert "atelier" in default_registry().extract(path).text


def test_empty_registry_reports_the_detected_type() -> None:
    from kb.errors import UnsupportedFormat

    with pytest.raises(UnsupportedFormat, match="detected type text/plain"):
        ExtractorRegistry().extract(FIXTURES / "notes-utf8.txt")


def test_registry_and_results_cross_process_boundaries() -> None:
    registry = default_registry()
    clone = pickle.loads(pickle.dumps(registry))
    assert clone.media_types() == registry.media_types()
    paths = [FIXTURES / name for name in ("rapport.pdf", "etude.docx", "note-de-cadrage.odt")]
    with ProcessPoolExecutor(max_workers=1) as pool:
        documents = list(pool.map(registry.extract, paths))
    assert [d.media_type for d in documents] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    ]
    assert documents[1] == registry.extract(paths[1])


# --- PDF backends ----------------------------------------------------------------------------


def test_pdf_page_limit_reads_the_first_pages_with_a_warning() -> None:
    document = default_registry().extract(FIXTURES / "rapport.pdf", Limits(max_pages=2))
    assert [s.page for s in document.sections] == [1, 2]
    assert any("only the first 2 of 3 pages" in w for w in document.warnings)


def test_pypdf_fallback_reads_the_same_pages() -> None:
    # The fallback runs when PDFium refuses a file; PDFium reads every fixture, so the
    # fallback is driven directly here on a file both can read.
    from indexer.extract.common import DocumentBuilder
    from indexer.extract.pdf import _pypdf_pages

    path = FIXTURES / "rapport.pdf"
    builder = DocumentBuilder(path, "application/pdf", Limits())
    pages = _pypdf_pages(path, Limits(), builder)
    assert (pages.count, pages.with_text) == (3, 3)
    assert [s.page for s in builder.sections] == [1, 2, 3]
    assert "Marqueur final : ÉTÉ 2008." in builder.sections[2].text

"""Which kind of file this is, from its content: magic bytes, zip members, markup.

The suffix is consulted only to break ties the content cannot settle: plain text against
Markdown, and a text file that happens to start with an HTML-looking tag.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from pathlib import Path

from indexer.extract import zipguard
from indexer.extract.charsets import bom_encoding

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
HTML = "text/html"
XHTML = "application/xhtml+xml"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
ZIP = "application/zip"
XML = "application/xml"
OCTET = "application/octet-stream"
EMPTY = "application/x-empty"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MSWORD = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
OLE2 = "application/x-ole-storage"  # an OLE2 compound file of no known office kind
RTF = "application/rtf"
WORDPERFECT = "application/vnd.wordperfect"
ODP = "application/vnd.oasis.opendocument.presentation"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODG = "application/vnd.oasis.opendocument.graphics"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
TEXT_SUFFIXES = frozenset({".txt", ".text"}) | MARKDOWN_SUFFIXES
XHTML_SUFFIXES = frozenset({".xhtml", ".xht"})

HEAD_BYTES = 64 * 1024
_TAIL_BYTES = 64 * 1024

# (offset, magic, media type): checked in order on the first bytes.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", PNG),
    (0, b"\xff\xd8\xff", JPEG),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", TIFF),
    (0, b"MM\x00*", TIFF),
    (0, b"{\\rtf", RTF),
    (0, b"\xffWPC", WORDPERFECT),
    (0, b"%!PS", "application/postscript"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"BZh", "application/x-bzip2"),
    (0, b"\xfd7zXZ\x00", "application/x-xz"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar"),
    (0, b"\x7fELF", "application/x-executable"),
    (0, b"MZ", "application/x-msdownload"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"ID3", "audio/mpeg"),
    (4, b"ftyp", "video/mp4"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
    (0, b"wOFF", "font/woff"),
    (0, b"wOF2", "font/woff2"),
    (0, b"SQLite format 3\x00", "application/vnd.sqlite3"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE2 directory (UTF-16LE) that tell Word, Excel and PowerPoint apart.
_OLE2_STREAMS = (
    ("WordDocument".encode("utf-16-le"), MSWORD),
    ("Workbook".encode("utf-16-le"), XLS),
    ("PowerPoint Document".encode("utf-16-le"), PPT),
    ("Book\x00".encode("utf-16-le"), XLS),  # Excel 5/95
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OOXML_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))

# Characters that never occur in text: C0 controls but tab, LF, VT, FF, CR, ESC and SUB (the
# DOS end-of-file mark).
_NON_TEXT = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1b\x1a")
_NON_TEXT_SHARE = 0.01
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CP1252_HIGH_SHARE = 0.3  # French in Windows-1252: a few accented letters a line

_XML_DECL = re.compile(r"<\?xml[\s?]")
_DOCTYPE_NAME = re.compile(r"<!DOCTYPE\s+([\w:.\-]+)", re.I)
_TAG_NAME = re.compile(r"<([\w:.\-]+)")
_STRONG_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>/]", re.I)
_WEAK_HTML = re.compile(
    r"<(?:title|meta|link|script|style|div|p|h[1-6]|table|font|b|br|a|iframe|center"
    r"|span|ul|ol|pre)[\s>/]",
    re.I,
)
_XHTML_NS = "http://www.w3.org/1999/xhtml"


def sniff(path: Path) -> str:
    """The media type of `path` from its content; the suffix only breaks text ties.

    Returns one of the constants of this module or another registered media type such as
    image/png; 'application/x-empty' for an empty file. Raises OSError if the file cannot
    be read.
    """
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    suffix = path.suffix.lower()
    if not head:
        return EMPTY
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(path, head)
    if head.startswith(_OLE2):
        return _sniff_ole2(path, head)
    for offset, magic, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return _sniff_text(head, suffix)


def _sniff_text(head: bytes, suffix: str) -> str:
    bom = bom_encoding(head)
    if bom is not None:
        text = head.decode(bom, errors="ignore").lstrip("\ufeff")
    else:
        if looks_binary(head):
            return OCTET
        # Markup sniffing needs only ASCII; Latin-1 maps every byte, so this never fails.
        text = head.decode("latin-1")
    markup = _sniff_markup(text, suffix)
    if markup is not None:
        return markup
    return MARKDOWN if suffix in MARKDOWN_SUFFIXES else TEXT


def looks_binary(data: bytes) -> bool:
    """Whether bytes without a byte-order mark are binary rather than text.

    Text may hold a few control characters, NUL included (a form feed between pages, an
    ESC left by a printer driver, NULs from a bad copy): they are sparse (at most 1% of
    the bytes), NULs come alone or in pairs, and the rest reads as UTF-8 or as
    Windows-1252 text (mostly ASCII). Binary formats have runs of three NULs or more
    (padding, the high bytes of small 32-bit numbers) or many controls; UTF-16 or UTF-32
    without a byte-order mark has NULs in a third of its bytes or more, so it is binary
    here: without a mark it cannot be told from binary.
    """
    controls = len(data) - len(data.translate(None, _NON_TEXT))
    if controls > len(data) * _NON_TEXT_SHARE:
        return True
    if b"\x00" not in data:
        return False
    if b"\x00\x00\x00" in data:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        high = len(data) - len(data.translate(None, _HIGH_BYTES))
        return high > len(data) * _CP1252_HIGH_SHARE
    return False


def _sniff_markup(text: str, suffix: str) -> str | None:
    pos = _skip_prolog(text, 0)
    if _XML_DECL.match(text, pos):
        return _sniff_xml(text, text.find("?>", pos) + 2)
    if _STRONG_HTML.match(text, pos):
        return XHTML if suffix in XHTML_SUFFIXES else HTML
    if suffix not in TEXT_SUFFIXES and _WEAK_HTML.match(text, pos):
        return HTML
    return None


def _sniff_xml(text: str, pos: int) -> str:
    """XHTML when an XML document's doctype or root element is html, else generic XML."""
    if pos < 2:
        return XML
    pos = _skip_prolog(text, pos)
    doctype = _DOCTYPE_NAME.match(text, pos)
    if doctype is not None:
        if doctype.group(1).lower() == "html":
            return XHTML
        pos = _skip_prolog(text, _skip_doctype(text, pos))
    root = _TAG_NAME.match(text, pos)
    if root is not None and root.group(1).split(":")[-1].lower() == "html":
        return XHTML
    return XML


def _skip_prolog(text: str, pos: int) -> int:
    """Position after whitespace, comments and processing instructions (not <?xml)."""
    while True:
        while pos < len(text) and text[pos] in " \t\r\n\x0c":
            pos += 1
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return len(text)
            pos = end + 3
        elif text.startswith("<?", pos) and not _XML_DECL.match(text, pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return len(text)
            pos = end + 2
        else:
            return pos


def _skip_doctype(text: str, pos: int) -> int:
    """Position after a doctype, internal subset included."""
    bracket = text.find("[", pos)
    close = text.find(">", pos)
    if 0 <= bracket < close:
        end = text.find("]", bracket)
        close = text.find(">", end) if end >= 0 else -1
    return len(text) if close < 0 else close + 1


def _sniff_ole2(path: Path, head: bytes) -> str:
    # The directory usually sits near the start or the end; scanning both is enough to tell
    # Word from Excel from PowerPoint without an OLE2 parser.
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(size - _TAIL_BYTES, 0))
        tail = fh.read(_TAIL_BYTES)
    for name, media_type in _OLE2_STREAMS:
        if name in head or name in tail:
            return media_type
    return OLE2


def _sniff_zip(path: Path, head: bytes) -> str:
    # ODF puts an uncompressed 'mimetype' member first, so the type is at a fixed offset.
    if head.startswith(b"PK\x03\x04") and head[30:38] == b"mimetype":
        method = struct.unpack_from("<H", head, 8)[0]
        compressed = struct.unpack_from("<I", head, 18)[0]
        extra = struct.unpack_from("<H", head, 28)[0]
        start = 38 + extra
        if method == 0 and 0 < compressed < 200:
            declared = head[start : start + compressed].decode("ascii", errors="replace")
            if declared.startswith("application/"):
                return declared.strip()
    names = _local_names(head)
    found = _ooxml_type(names)
    if found is not None:
        return found
    return _central_directory_type(path) or ZIP


def _local_names(head: bytes) -> list[str]:
    """Member names of the local file headers within the first bytes (cheap, bounded)."""
    names = []
    for match in re.finditer(rb"PK\x03\x04", head):
        at = match.start()
        if at + 30 > len(head):
            break
        length = struct.unpack_from("<H", head, at + 26)[0]
        raw = head[at + 30 : at + 30 + length]
        names.append(raw.decode("utf-8", errors="replace"))
    return names


def _ooxml_type(names: list[str]) -> str | None:
    for folder, media_type in _OOXML_FOLDERS:
        if any(name.startswith(folder) for name in names):
            return media_type
    return None


def _central_directory_type(path: Path) -> str | None:
    try:
        count = zipguard.member_count(path)
        if count is None or count > zipguard.MAX_MEMBERS:
            return None
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            found = _ooxml_type(names)
            if found is not None:
                return found
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size < 200:
                    declared = archive.read(info).decode("ascii", errors="replace").strip()
                    if declared.startswith("application/"):
                        return declared
    except TimeoutError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return None

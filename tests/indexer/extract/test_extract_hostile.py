"""Bad and hostile input: every case ends quickly with a clear UnsupportedFormat/ExtractionFailed.

Nothing here may hang, blow memory, read a local file through XML, or raise another type.
"""

from __future__ import annotations

import shutil
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer.extract import Limits, Tools, default_registry
from kb.errors import ExtractionFailed, KbError, UnsupportedFormat

FIXTURES = Path(__file__).parents[2] / "fixtures" / "extract"
MARKER = "MARQUEUR-FUITE-XXE"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def registry():
    # Without the optional tools, so that what each file gives does not depend on the
    # machine (tests/indexer/extract/test_extract_tools.py covers LibreOffice and Tesseract).
    return default_registry(Tools())


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail the test if the block takes more than `seconds` of this process's CPU time
    (extraction here runs in this process). CPU time, not the wall clock: on a loaded
    machine the block waits its turn on a core, which is not work a hostile file caused."""
    start = time.process_time()
    yield
    elapsed = time.process_time() - start
    assert elapsed < seconds, f"took {elapsed:.2f}s of CPU (limit {seconds}s)"


@dataclass(frozen=True)
class BadFile:
    filename: str
    error: type[KbError]
    reason: str  # must appear in the message, after "<file name>: "


BAD_FILES = (
    BadFile("aleatoire.pdf", ExtractionFailed, "not a valid PDF file: no %PDF header"),
    BadFile("corrompu.pdf", ExtractionFailed,
            "damaged PDF: its table of contents is broken (a truncated or damaged file), no "
            "page could be read — details: pdfium: "),
    BadFile("rapport-protege.pdf", ExtractionFailed, "encrypted PDF (password required)"),
    BadFile(
        "scan.pdf",
        ExtractionFailed,
        "no text layer (scanned?); to read it by OCR: apt-get install tesseract-ocr "
        "tesseract-ocr-fra",
    ),
    BadFile("pas-un-zip.docx", ExtractionFailed, "not a valid DOCX file: not a zip archive"),
    BadFile("archive.docx", ExtractionFailed, "a zip archive without the parts of a DOCX"),
    BadFile("image.docx", ExtractionFailed, "needs Tesseract (apt-get install tesseract-ocr "),
    BadFile(
        "ancien-word.docx",
        ExtractionFailed,
        "Word 97-2003 (.doc) is read through LibreOffice, which is not installed "
        "(apt-get install libreoffice-writer-nogui)",
    ),
    BadFile("bombe.docx", ExtractionFailed, "refused: zip bomb suspected"),
    BadFile("bombe.odt", ExtractionFailed, "refused: zip bomb suspected"),
    BadFile("bombe-menteuse.odt", ExtractionFailed, "corrupt ODT: content.xml"),
)


@pytest.mark.parametrize("bad", BAD_FILES, ids=[b.filename for b in BAD_FILES])
def test_bad_file_gives_a_clear_reason(bad: BadFile, registry) -> None:
    with bounded(2.0), pytest.raises(bad.error) as caught:
        registry.extract(FIXTURES / bad.filename)
    assert str(caught.value).startswith(f"{bad.filename}: ")
    assert bad.reason in str(caught.value)


@pytest.mark.parametrize("filename", ["bombe.docx", "bombe.odt", "bombe-menteuse.odt"])
def test_zip_bomb_is_refused_with_bounded_memory(filename: str, registry) -> None:
    # Each holds 100 MiB of zeros: reading it would show up far above 20 MB.
    tracemalloc.start()
    try:
        with bounded(2.0), pytest.raises(ExtractionFailed):
            registry.extract(FIXTURES / filename)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB, f"peak {peak / MB:.0f} MB"


def test_zip_with_too_many_members_is_refused_before_reading_them(tmp_path, registry) -> None:
    path = tmp_path / "membres.docx"
    with zipfile.ZipFile(FIXTURES / "etude.docx") as source, zipfile.ZipFile(path, "w") as out:
        for name in ("[Content_Types].xml", "word/document.xml"):
            out.writestr(name, source.read(name))
        for number in range(20_000):
            out.writestr(f"m/{number}", b"")
    tracemalloc.start()
    try:
        with bounded(2.0), pytest.raises(ExtractionFailed, match="20,002 members"):
            registry.extract(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # zipfile's parsed central directory for 20,000 members alone would take ~10 MB.
    assert peak < 5 * MB


def test_archive_expanding_past_the_total_limit_is_refused(registry) -> None:
    limits = Limits(max_uncompressed_bytes=10_000)
    with pytest.raises(ExtractionFailed, match="limit max_uncompressed_bytes"):
        registry.extract(FIXTURES / "etude.docx", limits)


def test_empty_file(tmp_path, registry) -> None:
    for name in ("vide.pdf", "vide.txt", "vide"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(ExtractionFailed, match=rf"^{name}: empty file$"):
            registry.extract(tmp_path / name)


def test_file_too_large(tmp_path, registry) -> None:
    path = tmp_path / "gros.txt"
    path.write_bytes(b"texte " * (MB // 4))  # 1.5 MB
    with pytest.raises(ExtractionFailed) as caught:
        registry.extract(path, Limits(max_file_bytes=MB))
    assert str(caught.value) == "gros.txt: file too large (1.5 MB, limit 1 MB)"
    pdf = FIXTURES / "rapport.pdf"
    with pytest.raises(ExtractionFailed, match=r"file too large \(0\.\d{3} MB, limit 0\.010 MB\)"):
        registry.extract(pdf, Limits(max_file_bytes=10 * 1024))
    limits = Limits(max_file_bytes=2 * MB)
    path = FIXTURES / "bombe.docx"
    assert path.stat().st_size < 2 * MB  # under the limit: refused for another reason
    with pytest.raises(ExtractionFailed, match="zip bomb"):
        registry.extract(path, limits)


def test_plain_zip_is_unsupported_with_its_type(tmp_path, registry) -> None:
    path = tmp_path / "archive.zip"
    shutil.copy(FIXTURES / "archive.docx", path)
    with pytest.raises(UnsupportedFormat, match="^archive.zip: .*detected type application/zip"):
        registry.extract(path)


def test_missing_file_and_directory(tmp_path, registry) -> None:
    with pytest.raises(ExtractionFailed, match="^absent.pdf: file not found$"):
        registry.extract(tmp_path / "absent.pdf")
    with pytest.raises(ExtractionFailed, match="is a directory"):
        registry.extract(tmp_path)


def test_text_only_whitespace_has_no_text(tmp_path, registry) -> None:
    path = tmp_path / "blanc.txt"
    path.write_text("   \n\t\n  \n", encoding="utf-8")
    with pytest.raises(ExtractionFailed, match="^blanc.txt: no text found$"):
        registry.extract(path)


def test_nul_bytes_make_a_text_file_binary(tmp_path, registry) -> None:
    head = tmp_path / "binaire.txt"
    head.write_bytes(b"texte\x00\x00\x00binaire")
    with pytest.raises(UnsupportedFormat, match="detected type application/octet-stream"):
        registry.extract(head)
    # A NUL past the sniffed head is caught when the text is read.
    late = tmp_path / "tardif.txt"
    late.write_bytes(b"a" * 200_000 + b"\x00\x00\x00\x00" + b"b" * 10)
    with pytest.raises(UnsupportedFormat, match="NUL byte at offset 200,000"):
        registry.extract(late)
    # Many controls past the sniffed head, no NUL: binary too.
    noisy = tmp_path / "bruit.txt"
    noisy.write_bytes(b"a" * 70_000 + b"texte\x01\x02\x03\x04\x05binaire" * 1000)
    with pytest.raises(UnsupportedFormat, match="control characters"):
        registry.extract(noisy)


def test_nul_pairs_in_utf8_text_are_dropped_not_binary(tmp_path, registry) -> None:
    """A UTF-8 file with a few NULs in pairs is text (issue 26): the NULs are dropped, the
    words around them intact and the removal counted."""
    path = tmp_path / "notes-nul.txt"
    lines = [f"Le comité de pilotage s’est réuni à Rennes le {n} février." for n in range(1, 30)]
    path.write_bytes("\n".join(lines[:10]).encode() + b"\x00\x00" + " ".join(lines[10:20])
                     .encode() + b"\x00\x00\n" + "\n".join(lines[20:]).encode())
    doc = registry.extract(path)
    text = "\n".join(section.text for section in doc.sections)
    assert "\x00" not in text
    assert "le 10 février.Le comité de pilotage s’est réuni à Rennes le 11 février." in text
    assert "le 20 février.\nLe comité" in text
    assert any("4 control characters" in warning for warning in doc.warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_sparse_control_characters_in_text_are_removed_and_counted(
    tmp_path, registry, encoding: str
) -> None:
    # A NUL from a bad copy, an ESC left by a printer driver, a form feed between pages.
    body = "Le comité de pilotage s’est réuni à Rennes. " * 20
    path = tmp_path / "compte-rendu.txt"
    path.write_bytes(
        body.encode(encoding) + b"\x00" + body.encode(encoding) + b"\x1b[0m\x0c"
        + "Page suivante : l’économie sociale.".encode(encoding)
    )  # fmt: skip
    doc = registry.extract(path)
    text = "\n".join(section.text for section in doc.sections)
    assert "\x00" not in text and "\x1b" not in text and "\x0c" not in text
    assert "Rennes. Le comité" in text  # the NUL dropped, the words around it intact
    assert "[0m\nPage suivante : l’économie sociale." in text  # form feed: a line break
    assert any("3 control characters" in warning for warning in doc.warnings)


def test_fifty_megabyte_single_line_text(tmp_path, registry) -> None:
    path = tmp_path / "une-ligne.txt"
    line = "économie sociale et solidaire " * 1000
    with path.open("w", encoding="utf-8") as fh:
        while fh.tell() < 50 * MB:
            fh.write(line)
    with bounded(10.0):
        document = registry.extract(path)
    limit = Limits().max_text_chars
    assert len(document.text) == limit
    assert document.text.startswith("économie sociale")
    assert any(f"truncated to {limit:,} characters" in w for w in document.warnings)


def test_text_longer_than_the_limit_is_truncated_with_a_warning(registry) -> None:
    limits = Limits(max_text_chars=60)
    for name in ("etude.docx", "rapport.pdf", "page.html", "note-de-cadrage.odt"):
        document = registry.extract(FIXTURES / name, limits)
        assert len(document.text) <= 60 + 2 * len(document.sections)
        assert sum(len(s.text) for s in document.sections) <= 60
        assert any("truncated" in w for w in document.warnings), name


# --- XML: external entities, DTDs, entity expansion, depth ------------------------------------


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{MARKER} contenu privé\n", encoding="utf-8")
    return secret


def _leaked(registry, path: Path) -> str:
    """All the text and messages extraction produced: the marker must be in none of them."""
    try:
        document = registry.extract(path)
    except KbError as exc:
        return str(exc)
    return "\n".join([document.text, document.title or "", *document.warnings])


def test_xhtml_external_entity_is_not_resolved(tmp_path, registry, monkeypatch) -> None:
    secret = _secret(tmp_path)
    monkeypatch.chdir(tmp_path)  # so that a relative SYSTEM id would find the file too
    for system_id in (secret.as_uri(), str(secret), "secret.txt"):
        path = tmp_path / "xxe.xhtml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{system_id}">]>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>XXE</title></head>'
            "<body><p>avant &xxe; après</p></body></html>\n",
            encoding="utf-8",
        )
        found = _leaked(registry, path)
        assert MARKER not in found
        assert "avant" in found and "après" in found


def test_external_dtd_is_not_loaded(tmp_path, registry, monkeypatch) -> None:
    secret = _secret(tmp_path)
    (tmp_path / "evil.dtd").write_text(
        f'<!ENTITY fuite SYSTEM "{secret.as_uri()}">\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "dtd.xhtml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE html SYSTEM "evil.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>texte &fuite; fin</p></body></html>',
        encoding="utf-8",
    )
    found = _leaked(registry, path)
    assert MARKER not in found
    assert "texte" in found


def test_html_entity_declarations_are_ignored(tmp_path, registry) -> None:
    secret = _secret(tmp_path)
    path = tmp_path / "xxe.html"
    path.write_text(
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<html><body><p>avant &xxe; après</p></body></html>",
        encoding="utf-8",
    )
    assert MARKER not in _leaked(registry, path)


def _odt_with_content(path: Path, content: str) -> None:
    with (
        zipfile.ZipFile(FIXTURES / "note-de-cadrage.odt") as source,
        zipfile.ZipFile(path, "w") as out,
    ):
        for info in source.infolist():
            data = content.encode() if info.filename == "content.xml" else source.read(info)
            out.writestr(info, data)


def test_odt_external_entity_is_not_resolved(tmp_path, registry) -> None:
    secret = _secret(tmp_path)
    path = tmp_path / "xxe.odt"
    _odt_with_content(
        path,
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<office:text><text:p>avant &xxe; après</text:p></office:text></office:body>"
        "</office:document-content>",
    )
    found = _leaked(registry, path)
    assert MARKER not in found
    assert "avant" in found


def test_docx_external_entity_is_not_resolved(tmp_path, registry) -> None:
    secret = _secret(tmp_path)
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(FIXTURES / "etude.docx") as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                declaration_end = text.index("?>") + 2
                text = (
                    text[:declaration_end]
                    + f'\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
                    + text[declaration_end:].replace("Préambule :", "Préambule &xxe; :", 1)
                )
                data = text.encode("utf-8")
            out.writestr(info, data)
    assert MARKER not in _leaked(registry, path)


def test_billion_laughs_does_not_expand(tmp_path, registry) -> None:
    with bounded(1.0):
        found = _leaked(registry, FIXTURES / "billion-laughs.xhtml")
    assert "lollol" not in found
    assert "Début" in found
    odt = tmp_path / "rires.odt"
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    _odt_with_content(
        odt,
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY lol0 "lol">{entities}]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<office:text><text:p>Début &lol9; fin</text:p></office:text></office:body>"
        "</office:document-content>",
    )
    with bounded(1.0):
        assert "lollol" not in _leaked(registry, odt)


@pytest.mark.parametrize("suffix", [".html", ".xhtml"])
def test_deeply_nested_markup_neither_crashes_nor_hangs(tmp_path, registry, suffix) -> None:
    depth = 100_000
    path = tmp_path / f"profond{suffix}"
    prolog = '<?xml version="1.0"?>\n' if suffix == ".xhtml" else "<!DOCTYPE html>"
    path.write_text(
        f'{prolog}<html xmlns="http://www.w3.org/1999/xhtml"><body><p>avant</p>'
        + "<div>" * depth
        + "profond"
        + "</div>" * depth
        + "</body></html>",
        encoding="utf-8",
    )
    with bounded(2.0):
        document = registry.extract(path)
    assert "avant" in document.text
    assert any("nested deeper" in w for w in document.warnings)


# --- Robustness: damaged copies of every good fixture ----------------------------------------

GOOD = (
    "rapport.pdf",
    "latex.pdf",
    "etude.docx",
    "note-de-cadrage.odt",
    "page.html",
    "guide.xhtml",
    "termes-de-reference.md",
)


@pytest.mark.parametrize("filename", GOOD)
def test_truncated_and_corrupted_copies_fail_cleanly(filename: str, tmp_path, registry) -> None:
    data = (FIXTURES / filename).read_bytes()
    cuts = [len(data) * k // 7 for k in range(1, 7)]
    for number, cut in enumerate(cuts):
        for variant, payload in (
            ("cut", data[:cut]),
            (
                "flipped",
                data[:cut] + bytes(b ^ 0x5A for b in data[cut : cut + 512]) + data[cut + 512 :],
            ),
        ):
            path = tmp_path / f"{variant}{number}-{filename}"
            path.write_bytes(payload)
            try:
                with bounded(2.0):
                    registry.extract(path)
            except (ExtractionFailed, UnsupportedFormat) as exc:
                assert str(exc).startswith(path.name + ": ")


def test_a_callers_time_limit_is_not_turned_into_a_file_error(tmp_path) -> None:
    class Slow:
        media_types = frozenset({"text/plain"})

        def extract(self, path: Path, limits: Limits):
            raise TimeoutError("the worker's alarm rang")

    registry = default_registry()
    registry.register(Slow())
    path = tmp_path / "a.txt"
    shutil.copy(FIXTURES / "notes-utf8.txt", path)
    with pytest.raises(TimeoutError):
        registry.extract(path)


def test_extractor_bug_is_reported_as_extraction_failed(tmp_path) -> None:
    class Broken:
        media_types = frozenset({"text/plain"})

        def extract(self, path: Path, limits: Limits):
            raise ZeroDivisionError("boom")

    registry = default_registry()
    registry.register(Broken())
    path = tmp_path / "a.txt"
    shutil.copy(FIXTURES / "notes-utf8.txt", path)
    with pytest.raises(ExtractionFailed, match="a.txt: unexpected error in Broken"):
        registry.extract(path)

"""Formats read through the optional tools: legacy office files through LibreOffice, scanned
pages and images through Tesseract, from real files the tests make; and, without the tools,
one clear line naming the Debian package."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from indexer.extract import Limits, Tools, default_registry
from indexer.extract.ocr import parse_tsv
from indexer.extract.processes import private_folder
from kb.errors import ExtractionFailed
from tests import office_files as of
from tests.tools import libreoffice_has, require_libreoffice, require_tesseract

pytestmark = pytest.mark.slow  # LibreOffice and Tesseract at work

WRITER = "libreoffice-writer-nogui"
IMPRESS = "libreoffice-impress-nogui"
CALC = "libreoffice-calc-nogui"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE2 file's header block


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice with Writer (text documents: .doc, .rtf)."""
    return require_libreoffice("writer")


@pytest.fixture(scope="module")
def impress() -> str:
    return require_libreoffice("impress")


@pytest.fixture(scope="module")
def calc() -> str:
    return require_libreoffice("calc")


@pytest.fixture(scope="module")
def tesseract() -> str:
    return require_tesseract("fra")


@pytest.fixture(scope="module")
def legacy_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("legacy")


# .doc, .ppt, .xls and .rtf written by LibreOffice from files the tests write, each by the
# part of LibreOffice that reads it back (a missing part skips only the tests of its files).


@pytest.fixture(scope="module")
def legacy_doc(soffice: str, legacy_folder: Path) -> Path:
    return of.legacy(soffice, of.write_docx(legacy_folder / "cr.docx"), "doc", legacy_folder)


@pytest.fixture(scope="module")
def legacy_rtf(soffice: str, legacy_folder: Path) -> Path:
    return of.legacy(soffice, of.write_docx(legacy_folder / "note.docx"), "rtf", legacy_folder)


@pytest.fixture(scope="module")
def legacy_ppt(impress: str, legacy_folder: Path) -> Path:
    return of.legacy(impress, of.write_pptx(legacy_folder / "deck.pptx"), "ppt", legacy_folder)


@pytest.fixture(scope="module")
def legacy_xls(calc: str, legacy_folder: Path) -> Path:
    return of.legacy(calc, of.write_xlsx(legacy_folder / "tableau.xlsx"), "xls", legacy_folder)


# --- LibreOffice ------------------------------------------------------------------------


def test_doc_is_converted_and_keeps_its_pages(legacy_doc, soffice) -> None:
    document = default_registry(Tools(soffice=soffice)).extract(legacy_doc)
    assert document.media_type == "application/msword"
    pages = {s.page: s.text for s in document.sections}
    assert sorted(pages) == [1, 2]
    assert of.DOC_PAGE_ONE in pages[1] and of.DOC_PAGE_TWO in pages[2]
    assert document.warnings[0] == (
        "text converted by LibreOffice from Word 97-2003 (.doc) to PDF"
    )
    assert document.properties["converted_by"] == "LibreOffice"
    assert document.title == "Compte rendu du comité de pilotage"


def test_ppt_slides_stay_pages(legacy_ppt, impress) -> None:
    document = default_registry(Tools(soffice=impress)).extract(legacy_ppt)
    assert document.media_type == "application/vnd.ms-powerpoint"
    pages = {s.page: s.text for s in document.sections}
    assert sorted(pages) == [1, 2]
    assert document.sections[0].heading == of.SLIDE_ONE_TITLE
    assert of.SLIDE_ONE_NOTES in pages[1]  # speaker notes kept (a PDF export drops them)
    assert of.SLIDE_TWO_CELL in pages[2]
    assert "from PowerPoint 97-2003 (.ppt, .pps) to PPTX" in document.warnings[0]


def test_xls_sheets_are_sections(legacy_xls, calc) -> None:
    document = default_registry(Tools(soffice=calc)).extract(legacy_xls)
    assert document.media_type == "application/vnd.ms-excel"
    assert [s.heading for s in document.sections] == [of.SHEET_ONE, "Notes"]
    assert of.SHEET_CELL in document.sections[0].text
    assert "12,5" in document.sections[0].text  # the displayed value, French style
    assert "converted by LibreOffice from Excel 97-2003 (.xls) to ODS" in document.warnings[0]


def test_rtf_is_read_natively_with_its_accents(legacy_rtf) -> None:
    document = default_registry(Tools()).extract(legacy_rtf)
    assert document.media_type == "application/rtf"
    assert of.DOC_PAGE_ONE in document.text and of.DOC_PAGE_TWO in document.text
    assert not any("LibreOffice" in w for w in document.warnings)


def test_legacy_files_without_libreoffice_name_the_package(tmp_path: Path) -> None:
    # Files of each kind as the sniffer knows them (an OLE2 header and the stream that tells
    # Word, PowerPoint and Excel apart): this runs where LibreOffice is not installed at all.
    registry = default_registry(Tools())
    for kind, stream, package in (("doc", "WordDocument", WRITER),
                                  ("ppt", "PowerPoint Document", IMPRESS),
                                  ("xls", "Workbook", CALC)):  # fmt: skip
        path = tmp_path / f"ancien.{kind}"
        path.write_bytes(OLE2 + stream.encode("utf-16-le") + bytes(4096))
        with pytest.raises(ExtractionFailed) as caught:
            registry.extract(path)
        message = str(caught.value)
        assert message.startswith(f"{path.name}: ") and "\n" not in message
        assert message.endswith(f"which is not installed (apt-get install {package})")


def test_corrupt_doc_fails_cleanly(tmp_path: Path, soffice) -> None:
    path = tmp_path / "abîmé.doc"
    path.write_bytes(OLE2 + "WordDocument".encode("utf-16-le") + os.urandom(4096))
    with pytest.raises(ExtractionFailed, match=r"^abîmé.doc: LibreOffice could not convert it"):
        default_registry(Tools(soffice=soffice)).extract(path)


def _converters(started_by: int | None = None) -> set[int]:
    """Pids of LibreOffice processes run by our converter (profile in a kb-convert- folder),
    by the process `started_by` only if given (its pid names the folder): other test workers
    may be converting meanwhile."""
    marker = b"kb-convert-" if started_by is None else f"kb-convert-{started_by}-".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"soffice" in command and marker in command:
            found.add(int(entry.name))
    return found


def _wait_gone(pids: set[int], seconds: float = 60.0) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = pids & _converters()
        if not left:
            return left
        time.sleep(0.1)
    return pids & _converters()


def test_conversion_timeout_leaves_no_libreoffice_behind(legacy_ppt, impress) -> None:
    registry = default_registry(Tools(soffice=impress))
    with pytest.raises(ExtractionFailed, match="LibreOffice conversion took longer than 0.2 s"):
        registry.extract(legacy_ppt, Limits(max_conversion_seconds=0.2))
    assert not _converters(started_by=os.getpid())


def test_a_killed_worker_takes_its_conversion_with_it(legacy_doc, soffice, tmp_path) -> None:
    """A worker killed with SIGKILL mid-conversion (the pool's backstop) leaves no soffice."""
    script = (
        "import sys; from pathlib import Path\n"
        "from indexer.extract import Limits, Tools, default_registry\n"
        "r = default_registry(Tools(soffice=sys.argv[1]))\n"
        "r.extract(Path(sys.argv[2]), Limits(max_conversion_seconds=600))\n"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", script, soffice, str(legacy_doc)],
        cwd=Path(__file__).parents[3],
    )
    try:
        deadline = time.monotonic() + 60
        while not _converters(worker.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        started = _converters(worker.pid)
        assert started, "the conversion never started"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert not _wait_gone(started)
    # Its temporary folder could not be removed by the killed worker: the next one does.
    stale = list(Path(tempfile.gettempdir()).glob(f"kb-convert-{worker.pid}-*"))
    assert stale
    with private_folder("kb-convert-"):
        pass
    assert not any(path.exists() for path in stale)


# --- Tesseract ----------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return set(text.lower().replace("’", "'").split())


def test_scanned_pdf_page_is_read_by_ocr(tmp_path: Path, tesseract) -> None:
    scans = of.write_scans(tmp_path)
    document = default_registry(Tools(tesseract=tesseract)).extract(scans["pdf"])
    assert [s.page for s in document.sections] == [1]
    assert of.SCAN_TEXT in document.text
    expected = _words(" ".join(of.SCAN_LINES))
    assert len(expected & _words(document.text)) / len(expected) > 0.9
    assert document.properties["ocr_pages"] == "1"
    assert float(document.properties["ocr_confidence"]) > 80
    assert document.warnings[0].startswith("page 1 read by OCR (Tesseract fra+eng): mean word")


def test_only_pages_without_text_are_read_by_ocr(tmp_path: Path, tesseract) -> None:
    import pypdf

    scans = of.write_scans(tmp_path)
    writer = pypdf.PdfWriter()
    writer.append(str(Path(__file__).parents[2] / "fixtures" / "extract" / "rapport.pdf"))
    writer.append(str(scans["pdf"]))
    mixed = tmp_path / "mixte.pdf"
    with mixed.open("wb") as fh:
        writer.write(fh)
    document = default_registry(Tools(tesseract=tesseract)).extract(mixed)
    assert [s.page for s in document.sections] == [1, 2, 3, 4]
    assert document.properties["ocr_pages"] == "4"
    assert of.SCAN_TEXT in document.sections[3].text


def test_scan_with_a_stamped_page_number_is_read_by_ocr(tmp_path: Path, tesseract) -> None:
    """A scanned page whose text layer is only its page number: the image covers the page,
    so OCR reads it (the check of the image's bounds crashed with pypdfium2 5.x, issue 26)."""
    scan = of.write_pdf(tmp_path / "scan-numerote.pdf", [(("1",), of.scan_image())])
    document = default_registry(Tools(tesseract=tesseract)).extract(scan)
    assert [s.page for s in document.sections] == [1]
    assert of.SCAN_TEXT in document.text
    assert document.properties["ocr_pages"] == "1"


def test_mixed_pdf_reads_only_its_scanned_page_by_ocr(tmp_path: Path, tesseract) -> None:
    """A text page then a scan stamped '2': page 1 keeps its text layer, page 2 is OCR'd,
    and each page's words stay on their page."""
    mixed = of.write_pdf(tmp_path / "mixte-numerote.pdf",
                         [((of.DOC_PAGE_ONE, of.DOC_PAGE_TWO), None), (("2",), of.scan_image())])
    document = default_registry(Tools(tesseract=tesseract)).extract(mixed)
    assert [s.page for s in document.sections] == [1, 2]
    first, second = document.sections
    assert of.DOC_PAGE_ONE in first.text and of.SCAN_TEXT not in first.text
    assert of.SCAN_TEXT in second.text and of.DOC_PAGE_TWO not in second.text
    expected = _words(" ".join(of.SCAN_LINES))
    assert len(expected & _words(second.text)) / len(expected) > 0.9
    assert document.properties["ocr_pages"] == "2"


def test_a_small_image_beside_a_few_words_is_not_ocr_read(tmp_path: Path, tesseract) -> None:
    """A page of a few words with a logo-sized image is not a scan: no OCR."""
    from PIL import Image

    logo = Image.new("L", (40, 40), 0)
    path = of.write_pdf(tmp_path / "logo.pdf", [(("Sommaire",), logo)])
    document = default_registry(Tools(tesseract=tesseract)).extract(path)
    assert "ocr_pages" not in document.properties


def test_images_are_documents_with_a_page_per_frame(tmp_path: Path, tesseract) -> None:
    scans = of.write_scans(tmp_path)
    registry = default_registry(Tools(tesseract=tesseract))
    png = registry.extract(scans["png"])
    assert png.media_type == "image/png" and [s.page for s in png.sections] == [1]
    assert of.SCAN_TEXT in png.text
    tif = registry.extract(scans["tif"])
    assert tif.media_type == "image/tiff" and [s.page for s in tif.sections] == [1, 2]
    assert tif.properties["ocr_pages"] == "1-2"


def test_without_tesseract_scans_and_images_name_the_packages(tmp_path: Path) -> None:
    scans = of.write_scans(tmp_path)
    registry = default_registry(Tools())
    with pytest.raises(ExtractionFailed, match=r"scan.pdf: no text layer \(scanned\?\); to read "
                       r"it by OCR: apt-get install tesseract-ocr tesseract-ocr-fra$"):
        registry.extract(scans["pdf"])
    with pytest.raises(ExtractionFailed, match=r"scan.png: .*needs Tesseract \(apt-get install "
                       r"tesseract-ocr tesseract-ocr-fra\)$"):
        registry.extract(scans["png"])


def test_ocr_time_budget_is_reported(tmp_path: Path, tesseract) -> None:
    scans = of.write_scans(tmp_path)
    with pytest.raises(ExtractionFailed, match="OCR time budget"):
        default_registry(Tools(tesseract=tesseract)).extract(
            scans["pdf"], Limits(max_ocr_seconds=0)
        )


def test_huge_image_is_refused_before_decoding(tmp_path: Path, tesseract) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data)
        )

    header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 0, 0, 0, 0)
    path = tmp_path / "bombe.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    with pytest.raises(ExtractionFailed, match="bombe.png: image too large"):
        default_registry(Tools(tesseract=tesseract)).extract(path)


def _tsv(*words: tuple[str, float, int]) -> str:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
    rows = [head + "\tconf\ttext"]
    for i, (text, conf, line) in enumerate(words, start=1):
        rows.append(f"5\t1\t1\t1\t{line}\t{i}\t0\t0\t1\t1\t{conf}\t{text}")
    return "\n".join(rows)


def test_low_confidence_scraps_are_not_indexed_but_long_words_are() -> None:
    page = parse_tsv(_tsv(("réunion", 95.0, 1), ("d'étape", 0.0, 1), ("=", 12.0, 1),
                          ("E", 25.0, 2), ("Brest.", 91.0, 2)))
    assert page.text == "réunion d'étape\nBrest."
    assert page.dropped == 2 and page.words == 3


def test_a_page_tesseract_fails_on_is_reported_not_fatal(tmp_path: Path) -> None:
    """A Tesseract that fails (here: a 'tesseract' that is not one) spoils only its pages."""
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'Error: model missing' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    scans = of.write_scans(tmp_path)
    with pytest.raises(ExtractionFailed, match=r"scan.pdf: no text layer, and OCR found no text "
                       r"on its pages \(page 1: Tesseract failed \(exit status 1: Error: model"):
        default_registry(Tools(tesseract=str(fake))).extract(scans["pdf"])


def test_languages_are_those_installed(tmp_path: Path) -> None:
    """Without the French model, OCR reads English and says which package adds French."""
    from indexer.extract.ocr import installed_languages

    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages (2):'\necho eng\necho osd\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    assert installed_languages(str(fake)) == "eng"
    real = Tools.find().tesseract
    if real is not None:
        assert installed_languages(real) == "fra+eng"
    from indexer.extract.ocr import OcrLog, OcrPage

    log = OcrLog(pages={1: OcrPage("Bonjour", 91.0, 1, 0), 2: OcrPage("x", 40.0, 1, 2)})
    warnings, properties = log.notes("eng", 90)
    assert warnings[0] == ("pages 1-2 read by OCR (Tesseract eng, French model missing: "
                           "apt-get install tesseract-ocr-fra): mean word confidence 66%")
    assert warnings[1] == "page 2: OCR confidence 40% (low), 2 scraps under 30% not indexed"
    assert properties == {"ocr_pages": "1-2", "ocr_confidence": "65.5"}


def test_a_libreoffice_installed_in_part_is_told_apart(tmp_path: Path) -> None:
    """The tests above skip by part (tests/tools.py): here, Debian's layout with Writer alone."""
    program = tmp_path / "libreoffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.bin").write_bytes(b"")
    registry = tmp_path / "libreoffice" / "share" / ".registry"
    registry.mkdir(parents=True)
    for module in ("main", "writer"):
        (registry / f"{module}.xcd").write_text("<oor:data/>")
    soffice = str(program / "soffice.bin")
    assert libreoffice_has(soffice, "writer")
    assert not libreoffice_has(soffice, "calc") and not libreoffice_has(soffice, "impress")

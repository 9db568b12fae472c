"""The checks of the sample library: the vocabulary, every sidecar, and every document
against its source (the PDFs' text layer through pypdfium2 and pypdf, word for word)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from indexer.text import fold
from sample_corpus import CORPUS
from sample_corpus.documents import COPIED, Doc
from sample_corpus.markup import expected_text, parse, words
from sample_corpus.sidecars import LIST_FIELDS, SCALAR_FIELDS, SIDECAR_FIELDS
from sample_corpus.vocabulary import VOCABULARY_FIELDS, vocabulary

MAX_CORPUS_BYTES = 3 * 1024 * 1024
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Glyphs that only appear in damaged text: the repair stage must find nothing to do here.
DAMAGE_RE = re.compile("[\ufffd\u00d8\u0141\ufb00-\ufb06]|\u00c3[\u0080-\u00bf]|\u00e2\u20ac")


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

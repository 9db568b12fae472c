"""A synthetic French library for the benchmark, generated once into a cache folder.

    .venv/bin/python -m benchmarks.generate --size 1000      # -> benchmarks/cache/1000/

N documents (default 10,000; about 10 pages each on average): PDF of 5 to 40 pages (written
here directly: Helvetica, WinAnsiEncoding, Flate streams, an Info dictionary), DOCX (a
minimal WordprocessingML package with headings and core properties), HTML and plain text
(UTF-8 or CP1252). Words are drawn from a Zipf-like distribution (s = 1.05) over a word list
made of the words of the sample library in `corpus/`, ranked by their frequency there,
followed by a generated lexicon of French-looking words (accents, French suffixes). Texts
also carry names from `corpus/vocabulary.toml` (so automatic tagging finds some) and a few
fixed phrases the benchmark queries. A share of the PDFs has the damage old office exports
show (StandardEncoding mojibake, doubled titles, running headers and page numbers), so the
repair stage does real work. About 70% of documents get a `.meta.toml` sidecar with tags
from the vocabulary.

Everything is a function of (size, seed): the same command writes the same files. The
folder holds `library/` (what is ingested), `lexicon.txt` (the word list, by rank) and
`manifest.json` (per file: format, pages, words; and the totals). Generation runs on every
core; nothing here is a runtime dependency of the project.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import sys
import time
import tomllib
import zipfile
import zlib
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "cache"
CORPUS = ROOT / "corpus"
VOCABULARY = CORPUS / "vocabulary.toml"
SEED = 2008
FORMAT_VERSION = 1  # bump when the generated files change: the cache is rebuilt

ZIPF_S = 1.05
LEXICON_SIZE = 60_000  # generated words, after the corpus's own
# Share of documents per format (the rest is TXT).
FORMATS = (("pdf", 0.50), ("docx", 0.20), ("html", 0.15), ("txt", 0.15))
WORDS_PER_PAGE_EQUIVALENT = 300  # how pages are counted for formats without pages
# Phrases the benchmark's phrase queries look for; each text holds some of them.
PHRASES = (
    "économie sociale et solidaire",
    "pôle ESS",
    "société coopérative d'intérêt collectif",
    "comité de pilotage",
    "emploi associatif",
    "conseil scientifique",
    "développement local",
    "études de faisabilité",
)
# StandardEncoding read of a CP1252 font (DOMAIN.md): the damage repair undoes.
_STANDARD_ENCODING_DAMAGE = str.maketrans({"é": "Ø", "è": "Ł", "ê": "Œ", "’": "\ufffd"})

_PREFIXES = ("", "", "", "", "re", "dé", "pré", "co", "inter", "sur", "sous", "trans", "auto",
             "contre", "mé", "pro", "ré", "in", "dis", "ex")  # fmt: skip
_ONSETS = ("b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pl",
           "br", "gr", "fr", "qu", "cl", "pr", "j", "")  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "é", "è", "ê", "ou", "ai", "au", "eu", "oi", "an", "en",
           "on", "in", "â", "ô", "î", "û")  # fmt: skip
_SUFFIXES = ("tion", "tions", "ment", "ments", "ité", "ités", "eur", "eurs", "euse", "ique",
             "iques", "isme", "iste", "able", "ible", "age", "ance", "ence", "ée", "ées", "é",
             "és", "er", "ère", "ières", "al", "aux", "elle", "ette", "oir", "ois", "aire",
             "ure", "esse", "if", "ive", "ifs", "ives", "ant", "ante", "ants", "ement",
             "œuvre", "çon", "eau", "eaux")  # fmt: skip
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# --- the word list ------------------------------------------------------------------------


def corpus_words() -> list[str]:
    """Words of the sample library's texts, most frequent first (ties alphabetical).

    Read through the project's own extraction, so every format of corpus/ contributes.
    """
    from indexer.extract import default_registry  # the project, not a dependency

    registry = default_registry()
    counts: Counter[str] = Counter()
    for path in sorted(CORPUS.iterdir()):
        if path.name.endswith(".toml") or path.name.startswith(".") or path.name == "README.md":
            continue
        try:
            text = registry.extract(path).text
        except Exception:  # a sample file we cannot read only shrinks the word list
            continue
        for word in _WORD_RE.findall(text):
            if len(word) > 1 or word in ("à", "a", "y"):
                counts[word.lower() if not word.isupper() else word] += 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def generated_lexicon(count: int, exclude: set[str], seed: int = SEED) -> list[str]:
    """`count` distinct French-looking words (prefix + syllables + suffix), not in `exclude`."""
    rng = random.Random(f"lexicon:{seed}")
    words: list[str] = []
    seen = set(exclude)
    while len(words) < count:
        syllables = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.choice((1, 1, 2, 2, 3)))
        )
        word = rng.choice(_PREFIXES) + syllables + rng.choice(_SUFFIXES)
        if 3 <= len(word) <= 18 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Lexicon:
    """Words by rank and the cumulative Zipf weights to draw them."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def build(cls, seed: int = SEED) -> Lexicon:
        base = corpus_words()
        words = base + generated_lexicon(LEXICON_SIZE, set(base), seed)
        weights = [1.0 / (rank**ZIPF_S) for rank in range(1, len(words) + 1)]
        return cls(tuple(words), tuple(itertools.accumulate(weights)))

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        words = path.read_text(encoding="utf-8").split("\n")
        weights = [1.0 / (rank**ZIPF_S) for rank in range(1, len(words) + 1)]
        return cls(tuple(words), tuple(itertools.accumulate(weights)))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def rank(self, word: str) -> int:
        return self.words.index(word) + 1

    def share(self, rank: int) -> float:
        """Expected share of drawn words that are the word of this rank."""
        previous = self.cumulative[rank - 2] if rank > 1 else 0.0
        return (self.cumulative[rank - 1] - previous) / self.cumulative[-1]


_lexicon: Lexicon | None = None  # per generating process


def _words() -> Lexicon:
    assert _lexicon is not None, "call _init(lexicon) in each process first"
    return _lexicon


def _init(lexicon: Lexicon) -> None:
    global _lexicon
    _lexicon = lexicon


# --- the vocabulary -----------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """Keys and text names of the vocabulary's terms, per field."""

    keys: dict[str, tuple[str, ...]]
    names: tuple[str, ...]  # labels and synonyms that tag a text when found in it

    @classmethod
    def load(cls, path: Path = VOCABULARY) -> Terms:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in ("evidence", "ground"):  # the rules of automatic tagging, not fields
            data.pop(table, None)
        keys = {name: tuple(t["key"] for t in terms) for name, terms in data.items()}
        names = [
            s["name"] if isinstance(s, dict) else s  # a weak synonym: { name = ..., weak = true }
            for name in ("family", "territory")
            for t in data.get(name, ())
            for s in t.get("synonyms", ())
        ]
        return cls(keys, tuple(names))


# --- one document -------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What one generated document is, from its number alone."""

    number: int
    format: str
    name: str  # relative path under library/
    title: str
    year: int
    pages: int  # PDF pages; for other formats, page-equivalents of WORDS_PER_PAGE_EQUIVALENT
    words_per_page: int
    damaged: bool  # PDF with StandardEncoding mojibake and doubled titles
    furniture: bool  # PDF with running headers and page numbers
    encoding: str  # for TXT and HTML
    sidecar: dict[str, object] = field(default_factory=dict)


def spec(number: int, terms: Terms, seed: int = SEED) -> Spec:
    rng = random.Random(f"doc:{seed}:{number}")
    draw = rng.random()
    fmt = "txt"
    for name, share in FORMATS:
        if draw < share:
            fmt = name
            break
        draw -= share
    if fmt == "pdf":
        # Slide decks (few words a page) and reports (dense pages); 5 to 40 pages, mean ~15.
        pages = 5 + int(35 * rng.betavariate(1.2, 3.0))
        words_per_page = rng.randint(60, 140) if rng.random() < 0.3 else rng.randint(250, 420)
    else:
        pages = {"docx": 1 + int(14 * rng.betavariate(1.5, 3.0))}.get(fmt, rng.randint(1, 6))
        words_per_page = WORDS_PER_PAGE_EQUIVALENT
    year = rng.randint(2000, 2015)
    kind = rng.choice(terms.keys["kind"])
    title_words = [w for w in _words().draw(rng, 12) if len(w) > 3][:5]
    title = f"{kind.replace('-', ' ').capitalize()} : {' '.join(title_words)} ({year})"
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(" ".join(title_words[:3]).lower())).strip("-")
    name = f"{year}/{number:06d}-{slug or 'document'}.{fmt}"
    sidecar: dict[str, object] = {}
    if rng.random() < 0.7:
        sidecar = {
            "title": title,
            "authors": [rng.choice(("CRES Bretagne", "Collège coopératif de Bretagne",
                                    "Observatoire régional de l'ESS"))],  # fmt: skip
            "year": year,
            "kind": kind,
            "family": rng.sample(terms.keys["family"], rng.randint(1, 2)),
            "territory": rng.sample(terms.keys["territory"], rng.randint(1, 2)),
            "mission": rng.sample(terms.keys["mission"], rng.randint(1, 2)),
            "instance": [rng.choice(terms.keys["instance"])],
            "status": rng.choice(("draft", "validated", "validated", "submitted")),
            "visibility": rng.choices(("public", "network", "internal"), (80, 15, 5))[0],
            "source": rng.choice(terms.keys["source"]),
            "language": "fr",
        }
    return Spec(
        number=number,
        format=fmt,
        name=name,
        title=title,
        year=year,
        pages=pages,
        words_per_page=words_per_page,
        damaged=fmt == "pdf" and rng.random() < 0.10,
        furniture=fmt == "pdf" and rng.random() < 0.5,
        encoding="cp1252" if fmt in ("txt", "html") and rng.random() < 0.2 else "utf-8",
        sidecar=sidecar,
    )


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@dataclass
class Page:
    heading: str
    paragraphs: list[str]


def pages_of(spec_: Spec, terms: Terms, variant: int = 0) -> list[Page]:
    """The text of a document, page by page (headings and paragraphs)."""
    rng = random.Random(f"text:{spec_.number}:{variant}")
    lexicon = _words()
    pages = []
    for number in range(spec_.pages):
        budget = max(20, int(spec_.words_per_page * rng.uniform(0.8, 1.2)))
        heading = " ".join(w for w in lexicon.draw(rng, 4) if len(w) > 2).capitalize()
        paragraphs: list[str] = []
        while budget > 0:
            sentences = []
            for _ in range(rng.randint(2, 6)):
                length = min(budget, rng.randint(8, 24))
                if length <= 0:
                    break
                words = lexicon.draw(rng, length)
                if rng.random() < 0.25:
                    words.insert(rng.randrange(len(words) + 1), rng.choice(PHRASES))
                if rng.random() < 0.04:
                    words.insert(rng.randrange(len(words) + 1), rng.choice(terms.names))
                budget -= length
                sentence = " ".join(words)
                sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            paragraphs.append(" ".join(sentences))
        if number == 0 and variant:
            paragraphs.insert(0, f"Version {variant} révisée du document.")
        pages.append(Page(heading, paragraphs))
    return pages


# --- writers ------------------------------------------------------------------------------


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


# --- the whole library --------------------------------------------------------------------


def _write_range(args: tuple[Path, int, int, int]) -> list[dict[str, object]]:
    folder, start, stop, seed = args
    terms = Terms.load()
    rows = []
    for number in range(start, stop):
        s = spec(number, terms, seed)
        rows.append({"name": s.name, "format": s.format, **write_document(s, folder, terms)})
    return rows


def cache_folder(size: int, seed: int = SEED, root: Path = CACHE) -> Path:
    return root / (str(size) if seed == SEED else f"{size}-seed{seed}")


def generate(
    size: int, *, seed: int = SEED, force: bool = False, workers: int = 0, root: Path = CACHE
) -> Path:
    """The cache folder of a library of `size` documents, generated if not there yet."""
    folder = cache_folder(size, seed, root)
    manifest = folder / "manifest.json"
    if not force and manifest.exists():
        data = json.loads(manifest.read_text())
        if data.get("format_version") == FORMAT_VERSION and data.get("size") == size:
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    library = folder / "library"
    library.mkdir(parents=True)
    started = time.perf_counter()
    lexicon = Lexicon.build(seed)
    (folder / "lexicon.txt").write_text("\n".join(lexicon.words), encoding="utf-8")
    workers = workers or os.cpu_count() or 1
    chunk = max(1, min(200, size // (workers * 4) or 1))
    ranges = [(library, a, min(a + chunk, size), seed) for a in range(0, size, chunk)]
    rows: list[dict[str, object]] = []
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(lexicon,)) as pool:
        for part in pool.map(_write_range, ranges):
            rows.extend(part)
    formats = Counter(str(r["format"]) for r in rows)
    totals = {
        "size": size,
        "seed": seed,
        "format_version": FORMAT_VERSION,
        "documents": len(rows),
        "pages": sum(int(r["pages"]) for r in rows),  # type: ignore[call-overload]
        "pdf_pages": sum(int(r["pages"]) for r in rows if r["format"] == "pdf"),  # type: ignore[call-overload]
        "words": sum(int(r["words"]) for r in rows),  # type: ignore[call-overload]
        "bytes": sum(int(r["bytes"]) for r in rows),  # type: ignore[call-overload]
        "formats": dict(sorted(formats.items())),
        "sidecars": sum(1 for _ in library.rglob("*.meta.toml")),
        "lexicon_words": len(lexicon.words),
        "seconds": round(time.perf_counter() - started, 1),
    }
    manifest.write_text(json.dumps({**totals, "files": rows}, ensure_ascii=False))
    return folder


def change_document(cache: Path, folder: Path, name: str, number: int, seed: int = SEED) -> None:
    """Rewrite one generated file under `folder` with new text (as a curator would), with
    the lexicon of the `cache` folder it was generated into."""
    global _lexicon
    if _lexicon is None:
        _init(Lexicon.load(cache / "lexicon.txt"))
    terms = Terms.load()
    s = spec(number, terms, seed)
    assert s.name == name, (s.name, name)
    target = folder / name
    # Replace, never write through: the file may be a hard link into the cache.
    target.unlink()
    sidecar = target.with_name(target.name + ".meta.toml")
    if sidecar.exists():
        sidecar.unlink()
    write_document(s, folder, terms, variant=1)


def describe(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "manifest.json").read_text())
    data.pop("files")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    args = parser.parse_args(argv)
    folder = generate(args.size, seed=args.seed, force=args.force)
    print(folder)
    print(json.dumps(describe(folder), ensure_ascii=False, indent=1))
    return 0


__all__ = ["Lexicon", "Spec", "Terms", "change_document", "generate", "spec", "write_document"]

if __name__ == "__main__":
    sys.exit(main())

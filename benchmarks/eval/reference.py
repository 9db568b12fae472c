"""Reference texts and token recall.

The reference for an HTML page (and for what LibreOffice made of it) is its visible text,
read here independently of the library's extractor: every text node of <body> except in
script, style and similar elements and in elements hidden by `hidden`, `aria-hidden` or an
inline `display: none`. Navigation is not removed, except a book's own navigation bar where
a source says so (`skip_class`): what the library leaves out as furniture counts as lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from lxml import etree, html

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD = re.compile(r"[^\W_]+")
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# Elements that break the text: inline ones ("~B<em>type</em>") join their neighbours.
# fmt: off
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
# fmt: on


def html_visible_text(
    path: Path, main_id: str | None = None, skip_class: str | None = None
) -> str:
    """The visible text of the HTML page at `path` (of its element `main_id` if given,
    without the elements of class `skip_class`)."""
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    root = html.fromstring(data, parser=html.HTMLParser(encoding=encoding))
    body = root.find(".//body") if main_id is None else root.get_element_by_id(main_id)
    parts: list[str] = []
    _collect(body if body is not None else root, parts, skip_class)
    return "".join(parts)


def _collect(el: etree._Element, parts: list[str], skip_class: str | None) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    hidden = (
        tag.lower() in _INVISIBLE
        or (skip_class is not None and skip_class in (el.get("class") or "").split())
        or el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
    )
    if not isinstance(el.tag, str):  # comments, processing instructions
        hidden = True
    if not hidden:
        block = tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            _collect(child, parts, skip_class)
        if block:
            parts.append("\n")
    if el.tail:
        parts.append(el.tail)


def tokens(text: str) -> Counter[str]:
    """Words (letters and digits), case-folded, in NFC."""
    return Counter(m.lower() for m in _WORD.findall(unicodedata.normalize("NFC", text)))


def token_recall(extracted: str, reference: str) -> tuple[float, int, int]:
    """Share of the reference's word occurrences that the extracted text also holds.

    Multiset recall: a word that occurs five times in the reference and three in the
    extraction counts three. Returns (recall, found, reference word count).
    """
    ref = tokens(reference)
    got = tokens(extracted)
    total = sum(ref.values())
    found = sum(min(n, got[w]) for w, n in ref.items())
    return (found / total if total else 1.0), found, total


def token_recall_seen(extracted: str, reference: str, witness: str) -> tuple[int, int]:
    """Token recall over the reference words another extractor also finds in the file.

    For a PDF, a word of the reference that poppler's `pdftotext` does not find either is
    most often not printed in the PDF at all (an HTML edition's list of tables, captions,
    navigation): no extractor can find it. Counting only the words the witness finds
    measures what the issue asks, every visible word. Returns (found, words).
    """
    ref, got, seen = tokens(reference), tokens(extracted), tokens(witness)
    shared = {w: min(n, seen[w]) for w, n in ref.items() if seen[w]}
    return sum(min(n, got[w]) for w, n in shared.items()), sum(shared.values())


def lost_words(extracted: str, reference: str, top: int = 8) -> list[tuple[str, int]]:
    """The reference words most often missing from the extraction (for the report)."""
    ref, got = tokens(reference), tokens(extracted)
    missing = Counter({w: n - got[w] for w, n in ref.items() if n > got[w]})
    return missing.most_common(top)

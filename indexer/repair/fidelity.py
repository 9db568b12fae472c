"""How far a text is from the text it should be: edit distance and character error rate.

Used by the fidelity check of the repair stage (scripts/repair_fidelity.py and
tests/indexer/repair/test_fidelity.py) on fixtures whose true text is known. A fixture is a UTF-8
text file; form feeds separate its pages, and a file with pages becomes a paged document.
"""

from __future__ import annotations

from pathlib import Path

from indexer.extract.base import ExtractedDocument, Section

PAGE_BREAK = "\f"


def levenshtein(a: str, b: str) -> int:
    """The number of single-character insertions, deletions and substitutions from a to b.

    Myers' bit-parallel algorithm (Hyyrö's formulation for the global distance), with a
    Python integer as the bit vector: about len(a) big-integer steps of len(b) bits, so
    two texts of a few thousand characters take milliseconds.
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    prefix = 0
    while prefix < len(b) and a[prefix] == b[prefix]:
        prefix += 1
    a, b = a[prefix:], b[prefix:]
    if not b:
        return len(a)
    m = len(b)
    masks: dict[str, int] = {}
    for i, char in enumerate(b):
        masks[char] = masks.get(char, 0) | (1 << i)
    everything = (1 << m) - 1
    top = 1 << (m - 1)
    plus, minus, score = everything, 0, m
    for char in a:
        eq = masks.get(char, 0)
        xv = eq | minus
        xh = (((eq & plus) + plus) ^ plus) | eq
        horizontal_plus = minus | (~(xh | plus) & everything)
        horizontal_minus = plus & xh
        if horizontal_plus & top:
            score += 1
        elif horizontal_minus & top:
            score -= 1
        horizontal_plus = ((horizontal_plus << 1) | 1) & everything
        horizontal_minus = (horizontal_minus << 1) & everything
        plus = horizontal_minus | (~(xv | horizontal_plus) & everything)
        minus = horizontal_plus & xv
    return score


def character_error_rate(truth: str, text: str) -> float:
    """Edit distance from `truth` to `text` divided by the length of `truth` (0 if both empty)."""
    if not truth:
        return 0.0 if not text else 1.0
    return levenshtein(truth, text) / len(truth)


def fixture_document(path: Path) -> ExtractedDocument:
    """The fixture at `path` as an extracted document: one section per page, if it has pages."""
    text = path.read_text(encoding="utf-8")
    # Extractors hand pages without surrounding line breaks; files end with one.
    pages = [page.strip("\n") for page in text.split(PAGE_BREAK)]
    if len(pages) == 1:
        return ExtractedDocument(media_type="text/plain", sections=(Section(pages[0]),))
    return ExtractedDocument(
        media_type="application/pdf",
        sections=tuple(Section(page, page=number) for number, page in enumerate(pages, 1)),
    )

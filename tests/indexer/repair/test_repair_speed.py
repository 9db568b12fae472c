"""Repair stays linear: inputs built to make a careless regex or loop quadratic finish fast.

Each input is 300,000 characters; a quadratic step on any of them takes minutes, a linear
one milliseconds. The bound is loose so that a busy machine does not fail the test.
"""

from __future__ import annotations

import time

import pytest

from indexer.extract.base import ExtractedDocument, Section
from indexer.repair import repair_document, repair_text

pytestmark = pytest.mark.slow  # megabytes of text against a time bound

N = 300_000
# Seconds of this process's CPU time (`time.process_time`), not of the wall clock: other
# processes on a loaded machine take turns on the cores, not work from this one.
BOUND = 5.0

PATHOLOGICAL = {
    "spaces inside a line": "a" + " " * N + "b",
    "leading spaces": " " * N + "x",
    "spaces then tab": " " * N + "\tx",
    "one long word": "x" * N,
    "letters and capitals": "aB" * (N // 2),
    "glued titles": "Le budgetLe budget\n" * (N // 19),
    "a long mojibake word": "Ã©" * (N // 2),
    "mojibake words": "rÃ©union " * (N // 9),
    "a long damaged word": "rØ" * (N // 2),
    "replacement characters": "\ufffd" * N,
    "replacements between letters": "a\ufffd" * (N // 2),
    "line-end hyphens": "ab-\n" * (N // 4),
    "hyphens without line ends": "-" * N,
    "soft hyphens": "a\u00ad" * (N // 2),
    "newlines": "\n" * N,
    "blank lines with spaces": " \n" * (N // 2),
    "doubled letters": "aa" * (N // 2),
    "numbers": "1 " * (N // 2),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_is_repaired_in_linear_time(text: str) -> None:
    start = time.process_time()
    repair_text(text)
    assert time.process_time() - start < BOUND


def test_a_forty_page_document_takes_milliseconds_per_page() -> None:
    page = (
        "Le pôle de l’économie sociale et solidaire du Pays de Rennes réunit 50 structures.\n"
        "Les rØunions d’Øtape ont prØparØ le rapport ; la gouvernance passe par une SCIC.\n"
    ) * 30
    doc = ExtractedDocument(
        media_type="application/pdf",
        sections=tuple(Section(f"Étude 2008\n{page}{n}", page=n) for n in range(1, 41)),
    )
    start = time.process_time()
    result = repair_document(doc)
    elapsed = time.process_time() - start
    assert result.changes["standard_encoding"] == 40 * 30 * 4
    assert elapsed / 40 < 0.05  # CPU seconds per page; a few milliseconds

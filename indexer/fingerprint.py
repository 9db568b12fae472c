"""The fingerprint of a document's text: equal for the same words in the same order,
whatever the case, accents, punctuation, line and page breaks. Twin files (a report saved
as .docx and as .pdf, `kb.twins`) share it; ingest computes it beside the extraction and
the catalog's migration 5 from the stored sections, with this one definition.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from indexer.text import fold

# Fewer words than this: no fingerprint (an empty scan, a title page), never a twin.
MIN_WORDS = 30
_WORD = re.compile(r"\w+")


def text_fingerprint(texts: Iterable[str]) -> str | None:
    """The fingerprint of a document's text (its sections' texts in order): equal for the
    same words in the same order whatever the case, accents, punctuation, line and page
    breaks; None for a text of fewer than MIN_WORDS words."""
    words = _WORD.findall(fold("\n".join(texts)))
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]

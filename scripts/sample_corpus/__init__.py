"""The sample library under corpus/: its documents' sources (`documents`), their markup
(`markup`), one renderer a format (`render_pdf`, `render_docx`, `render_odt`,
`render_html`, `render_text`), the sidecars (`sidecars`), the vocabulary (`vocabulary`)
and the checks (`checks`). `scripts/make_corpus.py` runs them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
VOCABULARY = CORPUS / "vocabulary.toml"

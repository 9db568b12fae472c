"""A sample document as plain text (one line a paragraph, as "text only" saves it) or as
Markdown."""

from __future__ import annotations

from pathlib import Path

from sample_corpus.documents import Doc
from sample_corpus.markup import parse, plain


def render_txt(doc: Doc, path: Path) -> None:
    """One line per paragraph (as a word processor saves "text only"), CRLF for CP1252."""
    lines: list[str] = []
    for kind, value in parse(doc.text):
        if kind == "h1":
            lines += [plain(value).upper(), ""]  # type: ignore[arg-type]
        elif kind in ("h2", "h3", "p"):
            lines += [plain(value), ""]  # type: ignore[arg-type]
        elif kind == "ul":
            lines += [f"- {plain(item)}" for item in value] + [""]  # type: ignore[union-attr]
        elif kind == "table":
            lines += [" ; ".join(plain(c) for c in row) for row in value] + [""]  # type: ignore[union-attr]
    newline = "\r\n" if doc.encoding == "cp1252" else "\n"
    path.write_bytes(newline.join(lines).encode(doc.encoding))


def render_md(doc: Doc, path: Path) -> None:
    lines: list[str] = []
    for kind, value in parse(doc.text):
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + str(value), ""]
        elif kind == "p":
            lines += [str(value), ""]
        elif kind == "ul":
            lines += [f"- {item}" for item in value] + [""]  # type: ignore[union-attr]
        elif kind == "table":
            rows: list[list[str]] = value  # type: ignore[assignment]
            lines.append("| " + " | ".join(rows[0]) + " |")
            lines.append("|" + "|".join("---" for _ in rows[0]) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in rows[1:]] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")

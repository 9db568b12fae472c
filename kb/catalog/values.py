"""Values the catalog's modules share: timestamps and LIKE patterns."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    """ISO 8601 in UTC, to the second: the catalog's timestamps sort as text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def escape_like(text: str) -> str:
    """`text` matched literally by LIKE ... ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

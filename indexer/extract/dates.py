"""Dates found in files (PDF 'D:...' strings, ISO 8601, French day/month/year) to ISO 8601."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

# D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional (PDF 1.7, 7.9.4).
_PDF_DATE = re.compile(
    r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:([+\-Z])(?:(\d{2})'?(?:(\d{2})'?)?)?)?"
)
_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_FRENCH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def to_iso(value: object) -> str | None:
    """ISO 8601 text for a date found in a file, or None when it cannot be read.

    Keeps the precision found: a year stays '2008', a date '2008-03-14', a datetime keeps
    its time and offset. Never raises.
    """
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        if text.startswith("D:"):
            return _pdf_date(text)
        return _text_date(text)
    except (ValueError, OverflowError):
        return None


def _pdf_date(text: str) -> str | None:
    match = _PDF_DATE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    if month is None:
        return f"{int(year):04d}"
    if day is None:
        return f"{int(year):04d}-{int(month):02d}"
    if hour is None:
        return date(int(year), int(month), int(day)).isoformat()
    tz = None
    if sign == "Z":
        tz = UTC
    elif sign in ("+", "-") and off_h is not None:
        offset = timedelta(hours=int(off_h), minutes=int(off_m or 0))
        tz = timezone(offset if sign == "+" else -offset)
    moment = datetime(
        int(year), int(month), int(day), int(hour), int(minute or 0), int(second or 0), tzinfo=tz
    )
    return moment.isoformat()


def _text_date(text: str) -> str | None:
    match = _YEAR_MONTH.match(text)
    if match is not None:
        year, month = match.groups()
        if month is None:
            return year
        if 1 <= int(month) <= 12:
            return f"{year}-{month}"
        return None
    match = _FRENCH.match(text)
    if match is not None:
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day).isoformat()
    moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if len(text) <= 10:
        return moment.date().isoformat()
    return moment.isoformat()

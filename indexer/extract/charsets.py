"""Turning the bytes of a text or HTML file into text: BOM, declared or sniffed encoding."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# UTF-32 BOMs are left out on purpose: FF FE 00 00 is also a UTF-16 BOM followed by a NUL,
# and nobody in this library writes UTF-32.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Bytes that CP1252 leaves undefined; they decode as their Latin-1 code points instead.
_CP1252_HOLES = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
# As on the web: a page that says Latin-1 or ASCII is written in Windows-1252 in practice
# (0x92 for the apostrophe, 0x80 for the euro sign...).
_AS_CP1252 = {"latin-1", "iso8859-1", "ascii", "cp1252"}


@dataclass(frozen=True)
class Decoded:
    """Text and the Python codec name that produced it ('utf-8', 'utf-8-sig', 'cp1252'...)."""

    text: str
    encoding: str
    warning: str | None = None


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark at the start of `data` announces, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def codec_name(label: str) -> str | None:
    """Python's canonical name for an encoding label ('ISO-8859-1' -> 'iso8859-1'), or None."""
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None


def decode_cp1252(data: bytes) -> str:
    """Decode CP1252, mapping its five undefined bytes to the Latin-1 characters; never raises."""
    return data.decode("cp1252", errors="surrogateescape").translate(_CP1252_HOLES)


def decode(data: bytes, declared: str | None = None, *, final: bool = True) -> Decoded:
    """Decode `data`: BOM first, then the declared label, then UTF-8, else CP1252.

    Never raises. A declared encoding that does not fit the bytes falls back to sniffing, with
    a warning. `final=False` means `data` is a prefix: a character cut at its end is dropped
    instead of counting against UTF-8.
    """
    bom = bom_encoding(data)
    if bom is not None:
        text, bad = _decode_with(data, bom, final)
        warning = f"invalid {bom} bytes replaced" if bad else None
        return Decoded(text.lstrip("\ufeff"), bom, warning)
    warning = None
    name = codec_name(declared) if declared else None
    if name is not None and name.startswith(("utf-16", "utf-32")):
        # The declaration was readable as ASCII, so the file cannot really be UTF-16/32.
        name = "utf-8"
    if name in _AS_CP1252:
        return Decoded(decode_cp1252(data), "cp1252")
    if name is not None:
        text, bad = _decode_with(data, name, final, strict=True)
        if not bad:
            return Decoded(text, name)
        warning = f"declared encoding {declared!r} does not fit the bytes; sniffed instead"
    elif declared:
        warning = f"unknown declared encoding {declared!r}; sniffed instead"
    text, bad = _decode_with(data, "utf-8", final, strict=True)
    if not bad:
        return Decoded(text, "utf-8", warning)
    return Decoded(decode_cp1252(data), "cp1252", warning)


def _decode_with(data: bytes, name: str, final: bool, strict: bool = False) -> tuple[str, bool]:
    """(text, had_errors); strict mode returns ('', True) at the first error."""
    decoder = codecs.getincrementaldecoder(name)("strict")
    try:
        return decoder.decode(data, final=final), False
    except UnicodeDecodeError:
        if strict:
            return "", True
    decoder = codecs.getincrementaldecoder(name)("replace")
    return decoder.decode(data, final=final), True

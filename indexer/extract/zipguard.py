"""Opening DOCX/ODT zip containers without letting a zip bomb exhaust memory or time.

Checks, before anything is decompressed: the member count (read from the end-of-archive
record, before the central directory is even parsed), the declared total uncompressed size,
and each member's declared compression ratio. Members are then read in bounded chunks with
a byte cap, so a header that lies about sizes cannot blow memory either (zipfile also stops
at the declared size and checks the CRC).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from indexer.errors import ExtractionFailed
from indexer.extract.base import Limits
from indexer.extract.common import fail, megabytes

# Real DOCX/ODT files hold tens to a few hundred members; this leaves ample room.
MAX_MEMBERS = 10_000
# A ratio on a small member says nothing (1 KB of spaces compresses 100x and is harmless).
RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 64 * 1024
# What zipfile raises on a damaged or unsupported member (RuntimeError: encrypted).
_READ_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
)
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def member_count(path: Path) -> int | None:
    """The entry count the archive's end record declares, or None if there is no end record.

    Reads at most the last 64 KB (+ the ZIP64 record), never the central directory.
    """
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        tail_len = min(size, 65_535 + 22)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) < at + 22:
            return None
        count = struct.unpack_from("<H", tail, at + 10)[0]
        if count != 0xFFFF:
            return count
        # ZIP64: the locator sits just before the end record and points at the real count.
        loc = at - 20
        if loc < 0 or tail[loc : loc + 4] != _EOCD64_LOCATOR:
            return count
        offset = struct.unpack_from("<Q", tail, loc + 8)[0]
        fh.seek(offset)
        record = fh.read(56)
        if len(record) < 56 or not record.startswith(_EOCD64):
            return count
        return struct.unpack_from("<Q", record, 32)[0]


def open_zip(path: Path, limits: Limits, label: str) -> zipfile.ZipFile:
    """Open a DOCX/ODT container once it has passed every check; the caller closes it.

    Raises ExtractionFailed naming the file and the reason: not a zip, corrupt, encrypted,
    too many members, too large once uncompressed, or a member compressed suspiciously well.
    """
    try:
        count = member_count(path)
    except TimeoutError:
        raise
    except OSError as exc:
        raise fail(path, f"cannot read file: {exc.strerror or exc}") from exc
    if count is None:
        raise fail(path, f"not a valid {label} file: not a zip archive (no end record)")
    if count > MAX_MEMBERS:
        raise fail(path, f"refused: zip archive with {count:,} members (limit {MAX_MEMBERS:,})")
    try:
        archive = zipfile.ZipFile(path)
    except TimeoutError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise fail(path, f"not a valid {label} file: corrupt zip archive ({exc})") from exc
    try:
        check_members(path, archive.infolist(), limits)
    except ExtractionFailed:
        archive.close()
        raise
    return archive


def check_members(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Raise ExtractionFailed if the declared sizes look like a zip bomb."""
    if len(infos) > MAX_MEMBERS:
        raise fail(
            path, f"refused: zip archive with {len(infos):,} members (limit {MAX_MEMBERS:,})"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise fail(path, f"encrypted document (member {info.filename} needs a password)")
        total += info.file_size
        if total > limits.max_uncompressed_bytes:
            raise fail(
                path,
                "refused: zip bomb suspected: members expand to more than "
                f"{megabytes(limits.max_uncompressed_bytes)} (limit max_uncompressed_bytes)",
            )
        if info.file_size > RATIO_FLOOR_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise fail(
                    path,
                    f"refused: zip bomb suspected: member {info.filename} expands {ratio:,.0f}x "
                    f"to {megabytes(info.file_size)} "
                    f"(limit {limits.max_compression_ratio:g}x)",
                )


def read_member(path: Path, archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """The bytes of one member, read in chunks and capped at the uncompressed-size limit.

    Raises ExtractionFailed if the member is missing, corrupt, or grows past the cap.
    """
    cap = limits.max_uncompressed_bytes
    out = bytearray()
    try:
        with archive.open(name) as member:
            while chunk := member.read(_CHUNK):
                out += chunk
                if len(out) > cap:
                    raise fail(
                        path,
                        f"refused: zip bomb suspected: member {name} expands past "
                        f"{megabytes(cap)} (limit max_uncompressed_bytes)",
                    )
    except TimeoutError:
        raise
    except KeyError as exc:
        raise fail(path, f"missing {name} in the archive") from exc
    except _READ_ERRORS as exc:
        raise fail(path, f"corrupt zip member {name} ({exc})") from exc
    return bytes(out)

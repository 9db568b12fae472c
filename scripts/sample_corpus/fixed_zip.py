"""Zip packages (DOCX, ODT) that come out the same, byte for byte, from the same input."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path


def write_zip(path: Path, members: Sequence[tuple[str, bytes]], stamp: dt.date) -> None:
    """Write a zip whose entries carry the document's date: same input, same bytes."""
    date_time = (stamp.year, stamp.month, stamp.day, 9, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            # ODF requires the mimetype entry first and stored; everything else deflated.
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

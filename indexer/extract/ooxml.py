"""Office Open XML packages read with lxml: parts, relationships and core properties.

Shared by the PPTX reader (and any OOXML format read without its library). Every part goes
through the zip guard and the safe XML parser, so a package cannot bomb or reach outside.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from indexer.extract import zipguard
from indexer.extract.base import Limits
from indexer.extract.common import DocumentBuilder, fail, split_list
from indexer.extract.dates import to_iso
from indexer.extract.safexml import depth_exceeded, xml_parser

PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


class Package:
    """An opened OOXML zip: parse its XML parts and follow their relationships."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, limits: Limits, label: str):
        self.path = path
        self.archive = archive
        self.limits = limits
        self.label = label
        self.names = frozenset(archive.namelist())

    def xml(self, name: str, builder: DocumentBuilder, *, required: bool = False) -> Any:
        """The root element of part `name`, or None (with a warning) when it is absent or
        not well-formed; raises ExtractionFailed instead when `required`."""
        name = name.lstrip("/")
        if name not in self.names:
            if required:
                raise fail(self.path, f"not a valid {self.label} file: no {name} in the archive")
            return None
        data = zipguard.read_member(self.path, self.archive, name, self.limits)
        parser = xml_parser()
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            if required:
                raise fail(
                    self.path, f"corrupt {self.label}: {name} is not well-formed XML ({exc})"
                ) from exc
            builder.warn(f"{name} skipped: not well-formed XML ({exc})")
            return None
        if depth_exceeded(parser):
            builder.warn(f"{name}: elements nested deeper than 256 levels were dropped")
        return root

    def relationships(self, part: str, builder: DocumentBuilder) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part name) of `part`; external targets left out."""
        folder, base = posixpath.split(part.lstrip("/"))
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"), builder)
        found: dict[str, tuple[str, str]] = {}
        if root is None:
            return found
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            rel_id, target = rel.get("Id"), rel.get("Target")
            if not rel_id or not target or rel.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            found[rel_id] = (rel.get("Type") or "", resolved)
        return found


def core_properties(package: Package, builder: DocumentBuilder) -> dict[str, Any]:
    """Keyword arguments for DocumentBuilder.build from docProps/core.xml ({} if absent)."""
    core = package.xml("docProps/core.xml", builder)
    if core is None:
        return {}

    def value(ns: str, name: str) -> str | None:
        el = core.find(f"{{{ns}}}{name}")
        text = "".join(el.itertext()).strip() if el is not None else ""
        return text or None

    subject = value(DC_NS, "subject")
    return {
        "title": value(DC_NS, "title"),
        "authors": split_list(value(DC_NS, "creator")),
        "created": to_iso(value(DCTERMS_NS, "created")),
        "modified": to_iso(value(DCTERMS_NS, "modified")),
        "language": value(DC_NS, "language"),
        "keywords": split_list(value(CORE_NS, "keywords"), ",;"),
        "description": value(DC_NS, "description") or subject,
        "properties": {
            "subject": subject,
            "category": value(CORE_NS, "category"),
            "last_modified_by": value(CORE_NS, "lastModifiedBy"),
        },
    }

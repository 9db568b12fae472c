"""Legacy office files (Word 97, PowerPoint 97, Excel 97, WordPerfect, StarOffice...) read
through a LibreOffice conversion, then by our own extractor of the converted file.

Text documents become PDF, so their pages keep their numbers (as LibreOffice lays the
document out); decks become PPTX (or ODP), read slide by slide with titles and speaker notes,
which a PDF export would lose; spreadsheets become ODS, whose cells keep the text they
display. The extracted document keeps the original media type and says, in a warning
and in its properties, that its text came through a conversion. Without LibreOffice each
such file fails with one line naming the Debian package that adds it.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import ExtractionFailed
from indexer.extract.base import ExtractedDocument, Extractor, Limits
from indexer.extract.common import display_name, fail
from indexer.extract.convert import convert
from indexer.extract.processes import private_folder
from indexer.extract.sniff import MSWORD, PPT, RTF, WORDPERFECT, XLS

WRITER = "libreoffice-writer-nogui"
IMPRESS = "libreoffice-impress-nogui"
CALC = "libreoffice-calc-nogui"


@dataclass(frozen=True)
class Route:
    """How one legacy format is read: what it is, what it becomes, what package adds it."""

    label: str  # for people: "Word 97-2003 (.doc)"
    suffix: str  # the name LibreOffice is given, so it picks the right import filter
    target: str  # what LibreOffice converts it to: 'pdf', 'pptx', 'odp' or 'ods'
    package: str  # the Debian package with the LibreOffice part that imports it


ROUTES: dict[str, Route] = {
    MSWORD: Route("Word 97-2003 (.doc)", ".doc", "pdf", WRITER),
    WORDPERFECT: Route("WordPerfect (.wpd)", ".wpd", "pdf", WRITER),
    "application/vnd.sun.xml.writer": Route("StarOffice Writer (.sxw)", ".sxw", "pdf", WRITER),
    PPT: Route("PowerPoint 97-2003 (.ppt, .pps)", ".ppt", "pptx", IMPRESS),
    "application/vnd.sun.xml.impress": Route("StarOffice Impress (.sxi)", ".sxi", "odp", IMPRESS),
    XLS: Route("Excel 97-2003 (.xls)", ".xls", "ods", CALC),
    "application/vnd.sun.xml.calc": Route("StarOffice Calc (.sxc)", ".sxc", "ods", CALC),
    RTF: Route("RTF (.rtf)", ".rtf", "pdf", WRITER),
}


class LibreOfficeExtractor:
    """One legacy media type: converted by LibreOffice, then read by `reader`."""

    def __init__(
        self,
        media_type: str,
        soffice: str | None,
        reader: Extractor,
    ) -> None:
        self.media_type = media_type
        self.media_types = frozenset({media_type})
        self.route = ROUTES[media_type]
        self.soffice = soffice
        self.reader = reader

    def extract(self, path: Path, limits: Limits) -> ExtractedDocument:
        route = self.route
        if self.soffice is None:
            raise fail(
                path,
                f"{route.label} is read through LibreOffice, which is not installed "
                f"(apt-get install {route.package})",
            )
        with private_folder("kb-convert-") as folder:
            workdir = Path(folder)
            # A neutral name with the right suffix: the import filter follows the content
            # we sniffed, and no option or odd character reaches the command line.
            source = workdir / f"document{route.suffix}"
            _copy(path, source)
            converted = convert(
                self.soffice, source, route.target, workdir, limits.max_conversion_seconds,
                shown=path,
            )
            try:
                document = self.reader.extract(converted, limits)
            except ExtractionFailed as exc:
                reason = str(exc).removeprefix(f"{display_name(converted)}: ")
                raise fail(path, f"after conversion by LibreOffice: {reason}") from None
        note = f"text converted by LibreOffice from {route.label} to {route.target.upper()}"
        return dataclasses.replace(
            document,
            media_type=self.media_type,
            warnings=(note, *document.warnings),
            properties={
                **document.properties,
                "converted_by": "LibreOffice",
                "converted_to": route.target,
            },
        )


def _copy(path: Path, target: Path) -> None:
    try:
        shutil.copyfile(path, target)
    except OSError as exc:
        raise fail(path, f"cannot read file: {exc.strerror or exc}") from exc

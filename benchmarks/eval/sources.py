"""The evaluation's documents: real, public French documentation from Debian packages.

Each package is fetched with `apt-get download` (no root needed, nothing installed) at the
version pinned below, unpacked with `dpkg-deb -x` into the cache, and turned into documents
of every format the library reads. Nobody on the team wrote any of it. The name and version
of each package actually used are recorded in the manifest, so a build can be reproduced.

- html: pages of the Debian Administrator's Handbook (DocBook, with "sidebar" boxes);
  reference: the page's visible text but its navigation bar;
- docx, odt: pages of aptitude's manual, converted by LibreOffice; reference: the source
  page's visible text;
- pdf: the Debian Reference and the New Maintainers' Guide as the packages ship them
  (LaTeX); reference: the package's own text edition;
- pdf: four of LilyPond's French manuals (Texinfo, pdfTeX with Type 1 fonts, whose accents
  come out as separate glyphs); reference: the text of the same manual's one-page HTML;
- pdf: chapters of the Debian FAQ, converted by LibreOffice; reference: the source page;
- text: reStructuredText sources of the Developer's Reference; reference: the file;
- man: French manual pages rendered to text by groff; reference: the rendered text.
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Pinned so that two builds read the same documents; a version no longer offered falls
# back to the current one, and the manifest says which was used.
PACKAGES = {
    "debian-handbook": "11.20220922",
    "aptitude-doc-fr": "0.8.13-5",
    "debian-reference-fr": "2.100",
    "maint-guide-fr": "1.2.53",
    "debian-faq-fr": "11.1",
    "developers-reference-fr": "12.18",
    "manpages-fr": "4.18.1-1",
    "lilypond-doc-pdf-fr": "2.24.1-2",
    "lilypond-doc-html-fr": "2.24.1-2",
}
FORMATS = ("html", "docx", "odt", "pdf", "text", "man")
_HTML_PAGES = 90  # of the handbook's ~150 French pages
_MAN_PAGES = 60


@dataclass(frozen=True)
class EvalDocument:
    """One document of the evaluation set, with the text it should extract to."""

    path: str  # relative to the documents folder
    format: str  # one of FORMATS
    kind: str  # how it was made, e.g. "pdf-latex", "pdf-soffice"
    package: str
    reference: str  # file of the reference text, relative to the references folder


def build(cache: Path, say: Callable[[str], None]) -> tuple[list[EvalDocument], dict[str, str]]:
    """Build (or reuse) the documents under `cache`; returns them and package -> version."""
    manifest = cache / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text("utf-8"))
        return [EvalDocument(**d) for d in data["documents"]], data["packages"]
    missing = [tool for tool in ("apt-get", "dpkg-deb") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"make eval needs {' and '.join(missing)} (a Debian-like system)")
    if cache.exists():
        shutil.rmtree(cache)
    debs, unpacked = cache / "debs", cache / "unpacked"
    docs_dir, refs_dir = cache / "documents", cache / "references"
    for folder in (debs, unpacked, docs_dir, refs_dir):
        folder.mkdir(parents=True)
    versions = {}
    for name, version in PACKAGES.items():
        say(f"  package {name} ...")
        versions[name] = _download(name, version, debs)
        deb = next(debs.glob(f"{name}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked / name)], check=True)
    builder = _Builder(unpacked, docs_dir, refs_dir)
    say("  html, docx, odt, pdf, text, man ...")
    builder.handbook()
    builder.latex_pdfs()
    builder.tex_pdfs()
    builder.rst_sources()
    # Optional tools: without them, the formats they make are left out (and said so).
    if shutil.which("soffice") is not None:
        builder.aptitude()
        builder.faq_pdfs()
    else:
        say("  no soffice (LibreOffice): no docx, odt or converted pdf documents")
    if shutil.which("groff") is not None:
        builder.man_pages()
    else:
        say("  no groff: no man pages")
    documents = builder.documents
    manifest.write_text(
        json.dumps(
            {"packages": versions, "documents": [asdict(d) for d in documents]},
            ensure_ascii=False,
            indent=1,
        ),
        "utf-8",
    )
    return documents, versions


def _download(name: str, version: str, folder: Path) -> str:
    pinned = subprocess.run(
        ["apt-get", "download", f"{name}={version}"], cwd=folder, capture_output=True, text=True
    )
    if pinned.returncode != 0:
        log.warning("%s %s is not offered any more: the current version is used", name, version)
        subprocess.run(["apt-get", "download", name], cwd=folder, check=True, capture_output=True)
    deb = next(folder.glob(f"{name}_*.deb"))
    out = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Version"], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


class _Builder:
    def __init__(self, unpacked: Path, docs: Path, refs: Path):
        self.unpacked, self.docs, self.refs = unpacked, docs, refs
        self.documents: list[EvalDocument] = []

    def _add(self, path: Path, fmt: str, kind: str, package: str, reference: str) -> None:
        ref_file = self.refs / (path.relative_to(self.docs).as_posix().replace("/", "__") + ".txt")
        ref_file.write_text(reference, "utf-8")
        self.documents.append(
            EvalDocument(
                path=path.relative_to(self.docs).as_posix(),
                format=fmt,
                kind=kind,
                package=package,
                reference=ref_file.name,
            )
        )

    def handbook(self) -> None:
        from benchmarks.eval.reference import html_visible_text

        folder = self.unpacked / "debian-handbook/usr/share/doc/debian-handbook/html/fr-FR"
        pages = sorted(p for p in folder.glob("*.html") if p.name != "index.html")
        step = max(1, len(pages) // _HTML_PAGES)
        target = self.docs / "html"
        target.mkdir()
        for page in pages[::step][:_HTML_PAGES]:
            copy = target / page.name
            shutil.copyfile(page, copy)
            # The page's text without the book's navigation bar (links to the previous and
            # next pages), which the library leaves out as navigation.
            reference = html_visible_text(page, skip_class="docnav")
            self._add(copy, "html", "html-docbook", "debian-handbook", reference)

    def aptitude(self) -> None:
        from benchmarks.eval.reference import html_visible_text

        folder = self.unpacked / "aptitude-doc-fr/usr/share/doc/aptitude/html/fr"
        pages = sorted(folder.glob("*.html"))
        # Pages with little text make poor documents: keep those of a paragraph or more.
        pages = [p for p in pages if len(html_visible_text(p).split()) >= 120]
        for fmt, chosen, spec in (
            ("docx", pages[0::2], "docx:MS Word 2007 XML"),
            ("odt", pages[1::2], "odt:writerweb8_writer"),
        ):
            target = self.docs / fmt
            target.mkdir()
            _soffice(spec, chosen, target)
            for page in chosen:
                made = target / f"{page.stem}.{fmt}"
                if made.exists():
                    self._add(made, fmt, f"{fmt}-soffice", "aptitude-doc-fr",
                              html_visible_text(page))  # fmt: skip

    def latex_pdfs(self) -> None:
        target = self.docs / "pdf"
        target.mkdir(exist_ok=True)
        for package, pdf, txt in (
            (
                "debian-reference-fr",
                "usr/share/debian-reference/debian-reference.fr.pdf",
                "usr/share/debian-reference/debian-reference.fr.txt.gz",
            ),
            (
                "maint-guide-fr",
                "usr/share/doc/maint-guide-fr/maint-guide.fr.pdf",
                "usr/share/doc/maint-guide-fr/maint-guide.fr.txt.gz",
            ),
        ):
            source = self.unpacked / package / pdf
            copy = target / source.name
            shutil.copyfile(source, copy)
            text = gzip.decompress((self.unpacked / package / txt).read_bytes()).decode("utf-8")
            self._add(copy, "pdf", "pdf-latex", package, text)

    def tex_pdfs(self) -> None:
        from benchmarks.eval.reference import html_visible_text

        documentation = "usr/share/doc/lilypond/html/Documentation"
        pdfs = self.unpacked / "lilypond-doc-pdf-fr" / documentation
        pages = self.unpacked / "lilypond-doc-html-fr" / documentation
        target = self.docs / "pdf"
        target.mkdir(exist_ok=True)
        for manual in ("usage", "extending", "changes", "essay"):
            copy = target / f"lilypond-{manual}.fr.pdf"
            shutil.copyfile(pdfs / f"{manual}.fr.pdf", copy)
            # The page's main text, without the table of contents frame, the footer and the
            # navigation bars (Texinfo's link tables) that the PDF does not have.
            page = pages / f"{manual}-big-page.fr.html"
            reference = html_visible_text(page, main_id="main", skip_class="nav_table")
            self._add(copy, "pdf", "pdf-tex", "lilypond-doc-pdf-fr", reference)

    def faq_pdfs(self) -> None:
        from benchmarks.eval.reference import html_visible_text

        folder = self.unpacked / "debian-faq-fr/usr/share/doc/debian/FAQ/fr"
        pages = sorted(p for p in folder.glob("*.fr.html") if p.name != "index.fr.html")
        target = self.docs / "pdf"
        target.mkdir(exist_ok=True)
        _soffice("pdf:writer_web_pdf_Export", pages, target)
        for page in pages:
            made = target / (page.name[: -len(".html")] + ".pdf")
            if made.exists():
                self._add(made, "pdf", "pdf-soffice", "debian-faq-fr", html_visible_text(page))

    def rst_sources(self) -> None:
        folder = self.unpacked / "developers-reference-fr/usr/share/developers-reference/fr"
        target = self.docs / "text"
        target.mkdir()
        for source in sorted((folder / "_sources").glob("*.rst.txt")):
            copy = target / source.name
            shutil.copyfile(source, copy)
            self._add(copy, "text", "text-rst", "developers-reference-fr",
                      source.read_text("utf-8"))  # fmt: skip

    def man_pages(self) -> None:
        folder = self.unpacked / "manpages-fr/usr/share/man/fr"
        pages = sorted(folder.glob("man[1-8]/*.gz"))
        pages = [p for p in pages if p.stat().st_size > 2500]  # not ".so" redirections
        step = max(1, len(pages) // _MAN_PAGES)
        target = self.docs / "man"
        target.mkdir()
        for page in pages[::step][:_MAN_PAGES]:
            source = gzip.decompress(page.read_bytes())
            rendered = subprocess.run(
                ["groff", "-mandoc", "-Tutf8", "-P-cbou", "-Kutf8"],
                input=source,
                capture_output=True,
                check=False,
                env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
            ).stdout.decode("utf-8", "replace")
            if len(rendered.split()) < 100:
                continue
            name = page.name[: -len(".gz")]
            copy = target / f"{name}.txt"
            copy.write_text(rendered, "utf-8")
            self._add(copy, "man", "man-groff", "manpages-fr", rendered)


def _soffice(spec: str, pages: list[Path], target: Path) -> None:
    """Convert `pages` with LibreOffice, in batches (one start-up per batch).

    A profile of its own, so that a LibreOffice already running does not take the job.
    """
    profile = (target.parent.parent / "lo-profile").resolve().as_uri()
    for start in range(0, len(pages), 25):
        batch = pages[start : start + 25]
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", spec,
             "--outdir", str(target), *map(str, batch)],
            capture_output=True, check=False, timeout=600,
        )  # fmt: skip

"""The gold catalogue: real documents catalogued by hand (benchmarks/eval/catalogue.toml).

Each entry names its source (a public git repository, a path in it and the commit), the
file's SHA-256, and what a curator catalogued by the rules of docs/cataloguing.md. The
documents themselves are not committed: `build` copies each one into the eval's cache from
a folder of ready copies (laid out as ID/FILE NAME, as the cache is) or from git mirrors of
the source repositories (a folder holding OWNER+NAME, a bare git directory or one with
`repo/` inside), checks its SHA-256, and keeps its original file name, since a file name is
one of the places a title may (wrongly) come from.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from benchmarks.eval.scoring import Expected

GOLD_FILE = Path(__file__).with_name("catalogue.toml")
TAG_FIELDS = ("territory", "family", "mission", "instance", "kind")
FORMATS = ("pdf", "docx", "odt", "pptx", "odp", "html", "markdown", "text")
_NONE = "none"


@dataclass(frozen=True)
class GoldDocument:
    """One hand-catalogued document and where it comes from."""

    id: str
    repo: str  # owner/name of a public git repository
    commit: str
    path: str  # inside the repository
    sha256: str
    format: str
    expected: Expected
    note: str

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.path).name


class GoldError(ValueError):
    """The gold file breaks its own rules; the message names the entry and the field."""


def load(
    path: Path = GOLD_FILE, vocabulary: dict[str, set[str]] | None = None
) -> list[GoldDocument]:
    """Read and check the gold file. With `vocabulary` (field -> keys), every tag must be a
    key of its field."""
    data = tomllib.loads(path.read_text("utf-8"))
    documents, seen = [], set()
    for number, entry in enumerate(data.get("document", []), 1):
        where = f"{path.name}, document {number} ({entry.get('id', '?')})"
        for key in ("id", "repo", "commit", "path", "sha256", "format", "title", "year", "kind",
                    "note"):  # fmt: skip
            if key not in entry:
                raise GoldError(f"{where}: '{key}' is missing (write \"none\" for no year or kind)")
        if entry["id"] in seen:
            raise GoldError(f"{where}: the id is used twice")
        seen.add(entry["id"])
        if entry["format"] not in FORMATS:
            raise GoldError(f"{where}: format '{entry['format']}' is not one of {FORMATS}")
        year = entry["year"]
        if year != _NONE and not (isinstance(year, int) and 1900 <= year <= 2100):
            raise GoldError(f'{where}: year must be a year or "none", not {year!r}')
        tags = {name: frozenset(entry.get(name, [])) for name in TAG_FIELDS if name != "kind"}
        if entry["kind"] != _NONE:
            tags["kind"] = frozenset([entry["kind"]])
        for name, values in tags.items():
            unknown = values - vocabulary.get(name, set()) if vocabulary else set()
            if unknown:
                raise GoldError(f"{where}: {name} {sorted(unknown)} not in the vocabulary")
        documents.append(
            GoldDocument(
                id=entry["id"], repo=entry["repo"], commit=entry["commit"], path=entry["path"],
                sha256=entry["sha256"], format=entry["format"], note=entry["note"],
                expected=Expected(entry["title"], None if year == _NONE else year, tags),
            )
        )  # fmt: skip
    return documents


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(
    documents: Iterable[GoldDocument], target: Path, sources: Iterable[Path]
) -> tuple[list[GoldDocument], list[str]]:
    """Lay each document out as target/ID/FILE NAME; returns those present and, for the
    others, why each is missing."""
    sources = [s for s in sources if s.is_dir()]
    documents = list(documents)
    ids = {doc.id for doc in documents}
    if target.is_dir():  # entries since removed from the gold file would be ingested too
        for stale in (p for p in target.iterdir() if p.name not in ids):
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
    present, missing = [], []
    for doc in documents:
        dest = target / doc.id / doc.file_name
        if not (dest.exists() and sha256_of(dest) == doc.sha256):
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not any(_copy(doc, source, dest) for source in sources):
                missing.append(f"{doc.id}: not in {[str(s) for s in sources] or 'any source'}")
                shutil.rmtree(dest.parent, ignore_errors=True)
                continue
            if sha256_of(dest) != doc.sha256:
                missing.append(f"{doc.id}: SHA-256 differs from the catalogued file's")
                shutil.rmtree(dest.parent, ignore_errors=True)
                continue
        present.append(doc)
    return present, missing


def _copy(doc: GoldDocument, source: Path, dest: Path) -> bool:
    ready = source / doc.id / doc.file_name
    if ready.is_file():
        shutil.copyfile(ready, dest)
        return True
    base = source / doc.repo.replace("/", "+")
    for git_dir in (base / "repo", base):
        if (git_dir / "objects").is_dir():
            done = subprocess.run(
                ["git", "--git-dir", str(git_dir), "show", f"{doc.commit}:{doc.path}"],
                capture_output=True,
                check=False,
            )
            if done.returncode == 0:
                dest.write_bytes(done.stdout)
                return True
    return False

"""A synthetic French library for the benchmark, generated once into a cache folder.

    .venv/bin/python -m benchmarks.generate --size 1000      # -> benchmarks/cache/1000/

N documents (default 10,000; about 10 pages each on average): PDF of 5 to 40 pages (written
here directly: Helvetica, WinAnsiEncoding, Flate streams, an Info dictionary), DOCX (a
minimal WordprocessingML package with headings and core properties), HTML and plain text
(UTF-8 or CP1252). Words are drawn from a Zipf-like distribution (s = 1.05) over a word list
made of the words of the sample library in `corpus/`, ranked by their frequency there,
followed by a generated lexicon of French-looking words (accents, French suffixes). Texts
also carry names from `corpus/vocabulary.toml` (so automatic tagging finds some) and a few
fixed phrases the benchmark queries. A share of the PDFs has the damage old office exports
show (StandardEncoding mojibake, doubled titles, running headers and page numbers), so the
repair stage does real work. About 70% of documents get a `.meta.toml` sidecar with tags
from the vocabulary.

Everything is a function of (size, seed): the same command writes the same files. The
folder holds `library/` (what is ingested), `lexicon.txt` (the word list, by rank) and
`manifest.json` (per file: format, pages, words; and the totals). Generation runs on every
core; nothing here is a runtime dependency of the project.

The package: `lexicon` (the words and how they are drawn), `documents` (what each document
is and says, from its number alone), `writers` (the files, one writer a format); here, the
cache folder of a whole library, and the 1% change a re-ingest is measured after.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.generate import lexicon as words
from benchmarks.generate.documents import Terms, spec
from benchmarks.generate.lexicon import ROOT, SEED, Lexicon
from benchmarks.generate.writers import write_document

CACHE = ROOT / "benchmarks" / "cache"
FORMAT_VERSION = 1  # bump when the generated files change: the cache is rebuilt


def _write_range(args: tuple[Path, int, int, int]) -> list[dict[str, object]]:
    folder, start, stop, seed = args
    terms = Terms.load()
    rows = []
    for number in range(start, stop):
        s = spec(number, terms, seed)
        rows.append({"name": s.name, "format": s.format, **write_document(s, folder, terms)})
    return rows


def cache_folder(size: int, seed: int = SEED, root: Path = CACHE) -> Path:
    return root / (str(size) if seed == SEED else f"{size}-seed{seed}")


def generate(
    size: int, *, seed: int = SEED, force: bool = False, workers: int = 0, root: Path = CACHE
) -> Path:
    """The cache folder of a library of `size` documents, generated if not there yet."""
    folder = cache_folder(size, seed, root)
    manifest = folder / "manifest.json"
    if not force and manifest.exists():
        data = json.loads(manifest.read_text())
        if data.get("format_version") == FORMAT_VERSION and data.get("size") == size:
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    library = folder / "library"
    library.mkdir(parents=True)
    started = time.perf_counter()
    lexicon = Lexicon.build(seed)
    (folder / "lexicon.txt").write_text("\n".join(lexicon.words), encoding="utf-8")
    workers = workers or os.cpu_count() or 1
    chunk = max(1, min(200, size // (workers * 4) or 1))
    ranges = [(library, a, min(a + chunk, size), seed) for a in range(0, size, chunk)]
    rows: list[dict[str, object]] = []
    with ProcessPoolExecutor(workers, initializer=words.use, initargs=(lexicon,)) as pool:
        for part in pool.map(_write_range, ranges):
            rows.extend(part)
    formats = Counter(str(r["format"]) for r in rows)
    totals = {
        "size": size,
        "seed": seed,
        "format_version": FORMAT_VERSION,
        "documents": len(rows),
        "pages": sum(int(r["pages"]) for r in rows),  # type: ignore[call-overload]
        "pdf_pages": sum(int(r["pages"]) for r in rows if r["format"] == "pdf"),  # type: ignore[call-overload]
        "words": sum(int(r["words"]) for r in rows),  # type: ignore[call-overload]
        "bytes": sum(int(r["bytes"]) for r in rows),  # type: ignore[call-overload]
        "formats": dict(sorted(formats.items())),
        "sidecars": sum(1 for _ in library.rglob("*.meta.toml")),
        "lexicon_words": len(lexicon.words),
        "seconds": round(time.perf_counter() - started, 1),
    }
    manifest.write_text(json.dumps({**totals, "files": rows}, ensure_ascii=False))
    return folder


def change_document(cache: Path, folder: Path, name: str, number: int, seed: int = SEED) -> None:
    """Rewrite one generated file under `folder` with new text (as a curator would), with
    the lexicon of the `cache` folder it was generated into."""
    if words.in_use() is None:
        words.use(Lexicon.load(cache / "lexicon.txt"))
    terms = Terms.load()
    s = spec(number, terms, seed)
    assert s.name == name, (s.name, name)
    target = folder / name
    # Replace, never write through: the file may be a hard link into the cache.
    target.unlink()
    sidecar = target.with_name(target.name + ".meta.toml")
    if sidecar.exists():
        sidecar.unlink()
    write_document(s, folder, terms, variant=1)


def describe(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "manifest.json").read_text())
    data.pop("files")
    return data

"""Known-item check on real French text: pasted phrases, where does their document rank?

    .venv/bin/python benchmarks/known_items.py SOURCE_DIR [--work DIR] [--queries 300]

SOURCE_DIR holds plain-text documents nobody here wrote (for instance the French man pages
of the `manpages-fr` Debian package rendered with `man -l -Tutf8 FILE | col -bx`). Every third
file (in name order) is left out of the library and joined on one single line into one big
file, the shape of a text dump that holds hundreds of pages. From each other document a
phrase of 5 to 8 consecutive words that occurs in no other file is picked at random (seeded)
and searched as typed, without quotes. Reports MRR and recall@10 of the document it came
from, how often the big file is in the top 3, and how many automatic tags the library gave
(the texts are off-topic for the observatory: every automatic tag is wrong).

A quick check while the full evaluation (`make eval`) is being built; nothing is committed
but this script.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.ingest import IngestOptions, ingest  # noqa: E402
from kb.library import Library  # noqa: E402

VOCABULARY = ROOT / "corpus" / "vocabulary.toml"
BIG = "tout-en-une-ligne.txt"
_WORD = re.compile(r"\w+")


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def build(source: Path, docs: Path) -> list[Path]:
    files = sorted(p for p in source.iterdir() if p.suffix == ".txt")
    kept, joined = [], []
    for i, path in enumerate(files):
        (joined if i % 3 == 2 else kept).append(path)
    docs.mkdir(parents=True)
    for path in kept:
        shutil.copy(path, docs / path.name)
    big = " ".join(" ".join(p.read_text(errors="replace").split()) for p in joined)
    (docs / BIG).write_text(big)
    return [docs / p.name for p in kept]


def pick_queries(
    files: list[Path], everything: list[Path], count: int, seed: int
) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts = {p.name: _normal(p.read_text(errors="replace")) for p in everything}
    queries = []
    for path in rng.sample(files, min(count, len(files))):
        words = texts[path.name].split()
        if len(words) < 40:
            continue
        for _ in range(20):
            n = rng.randint(5, 8)
            at = rng.randrange(len(words) - n)
            phrase = " ".join(words[at : at + n])
            if sum(1 for t in texts.values() if phrase in t) == 1:
                queries.append((phrase, path.name))
                break
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--work", type=Path, default=None, help="keep the library here")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="known-items-"))
    docs = work / "docs"
    if not docs.exists():
        files = build(args.source, docs)
    else:
        files = sorted(p for p in docs.iterdir() if p.name != BIG)
    started = time.perf_counter()
    library = Library.open(work / "library", VOCABULARY)
    report = ingest(library, [docs], IngestOptions(workers=1))
    print(
        f"library: {len(files) + 1} files ({time.perf_counter() - started:.0f} s), "
        f"failed {len(report.failed)}"
    )
    queries = pick_queries(files, [*files, docs / BIG], args.queries, args.seed)
    rr, found, big_top3, times = [], 0, 0, []
    for phrase, name in queries:
        t0 = time.perf_counter()
        results = library.search(phrase, size=10, snippets=0, suggest=False)
        times.append(time.perf_counter() - t0)
        ranked = [Path(h.path).name if h.path else h.id for h in results.hits]
        rank = ranked.index(name) + 1 if name in ranked else 0
        rr.append(1.0 / rank if rank else 0.0)
        found += bool(rank)
        big_top3 += BIG in ranked[:3]
    n = len(queries)
    times.sort()
    print(f"queries: {n} phrases of 5-8 words")
    print(
        f"MRR {sum(rr) / n:.3f}  recall@10 {found / n:.3f}  rank 1 {rr.count(1.0) / n:.3f}  "
        f"big file in top 3: {big_top3}/{n}"
    )
    print(
        f"search p50 {statistics.median(times) * 1000:.1f} ms  "
        f"p95 {times[int(0.95 * (n - 1))] * 1000:.1f} ms"
    )
    tags = auto_tags(library)
    print(f"automatic tags: {sum(len(v) for v in tags.values())} on {len(tags)} documents")
    for doc, values in sorted(tags.items())[:40]:
        print(f"  {doc}: {', '.join(values)}")


def auto_tags(library: Library) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for doc in library.catalog.documents():
        paths = library.catalog.paths_of(doc.id)
        name = Path(paths[0].given).name if paths else doc.id
        for tag in library.catalog.tags(doc.id):
            if tag.origin == "auto":
                out.setdefault(name, []).append(f"{tag.field}:{tag.value}")
    return out


if __name__ == "__main__":
    main()

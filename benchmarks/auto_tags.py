"""Automatic tags against the sidecars: precision and recall on the sample library.

    .venv/bin/python benchmarks/auto_tags.py [--verbose]

Ingests corpus/ into a temporary library and compares, for the descriptive fields that text
may set (`kb.tags.AUTO_FIELDS`), the tags automatic tagging alone gave each document (origin
"auto") with what its sidecar says (`corpus/*.meta.toml`, origin "sidecar"). Documents
without a sidecar value for a field are left out of that field's figures. A territory
counts as found when the sidecar names it or one of its descendants (a "bretagne" tag on a
document about Rennes is right, if less precise).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.ingest import IngestOptions, ingest  # noqa: E402
from kb.library import Library  # noqa: E402
from kb.tags import AUTO_FIELDS  # noqa: E402

CORPUS = ROOT / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        library = Library.open(Path(tmp) / "library", CORPUS / "vocabulary.toml")
        ingest(library, [CORPUS], IngestOptions(workers=1))
        vocab = library.vocabulary
        # field -> [auto tags right, auto tags given, sidecar values found, sidecar values]
        counts: dict[str, list[int]] = {f: [0, 0, 0, 0] for f in AUTO_FIELDS}
        for doc in library.catalog.documents():
            tags = library.catalog.tags(doc.id)
            name = Path(library.catalog.paths_of(doc.id)[0].given).name
            for field in AUTO_FIELDS:
                sidecar = {t.value for t in tags if t.field == field and t.origin == "sidecar"}
                if not sidecar:
                    continue
                auto = {t.value for t in tags if t.field == field and t.origin == "auto"}
                covered = set(sidecar)
                if field == "territory":
                    for key in sidecar:
                        covered.update(vocab.ancestors(field, key))
                row = counts[field]
                row[0] += len(auto & covered)
                row[1] += len(auto)
                row[2] += len(sidecar & auto)
                row[3] += len(sidecar)
                if args.verbose and (auto - covered or sidecar - auto):
                    print(f"  {name} {field}: auto {sorted(auto)} sidecar {sorted(sidecar)}")
        library.close()
    total = [sum(row[i] for row in counts.values()) for i in range(4)]
    print(f"automatic tags: {_figures(*total)}")
    for field, row in counts.items():
        print(f"  {field:10} {_figures(*row)}")


def _figures(right: int, given: int, found: int, expected: int) -> str:
    return (
        f"precision {right / max(given, 1):.3f} ({right}/{given})  "
        f"recall {found / max(expected, 1):.3f} ({found}/{expected})"
    )


if __name__ == "__main__":
    main()

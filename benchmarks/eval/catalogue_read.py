"""Print, as JSON, what a library catalogued for each document: run as a script.

`python benchmarks/eval/catalogue_read.py LIBRARY VOCABULARY` with the `kb` to measure on
PYTHONPATH (this checkout's, or an older one's for the figures before a change); it imports
nothing else of this checkout, so an older `kb` reads its own library. One object per file,
keyed by the file's path: its title and year as the library shows them (`kb show`'s
effective values) and its automatic tags (origin "auto") per field.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kb.library import Library


def main(library_dir: str, vocabulary: str) -> None:
    found = {}
    with Library.open(Path(library_dir), Path(vocabulary), read_only=True) as library:
        for row in library.catalog.documents(state="active"):
            view = library.show(row.id)
            auto: dict[str, list[str]] = {}
            for tag in view.tags:
                if tag.origin == "auto":
                    auto.setdefault(tag.field, []).append(tag.value)
            years = view.effective.get("year", ())
            titles = view.effective.get("title", ())
            record = {
                "id": row.id,
                "title": titles[0] if titles else None,
                "year": int(years[0]) if years else None,
                "auto": auto,
            }
            for path in view.paths:
                found[str(Path(path.path).resolve())] = record
    json.dump(found, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])

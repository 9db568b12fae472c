"""What a change of the vocabulary would do to the library's automatic tags, before
`kb retag` applies it (`kb check --tags`): nothing is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from kb.autotag import automatic_tags
from kb.learning import load as load_model
from kb.library import Library
from kb.tags import effective

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class TagChange:
    field: str
    value: str
    added: int  # documents that would get it automatically
    removed: int  # documents that would lose it
    shown: int  # of those, documents whose effective tags change (no sidecar or curator over it)


@dataclass(frozen=True)
class RetagPreview:
    documents: int
    changed: int  # documents whose automatic tags would change
    changes: list[TagChange]  # the most documents first


def preview_retag(library: Library, progress: Progress | None = None) -> RetagPreview:
    """Automatic tagging re-run in memory with the library's vocabulary (the file as it is
    now) over every document, compared with the automatic tags the catalog holds."""
    catalog = library.catalog
    added: Counter[tuple[str, str]] = Counter()
    removed: Counter[tuple[str, str]] = Counter()
    shown: Counter[tuple[str, str]] = Counter()
    changed = 0
    model = load_model(library.root)
    docs = catalog.documents()
    for done, doc in enumerate(docs, start=1):
        current = catalog.tags(doc.id)
        title = effective(current).get("title", ("",))[0]
        fresh = automatic_tags(
            library.vocabulary, title, catalog.sections(doc.id), doc.media_type, model=model
        )
        old = {(t.field, t.value) for t in current if t.origin == "auto"}
        new = {(t.field, t.value) for t in fresh.tags}
        if old != new:
            changed += 1
            before = effective(current)
            after = effective([*(t for t in current if t.origin != "auto"), *fresh.tags])
            for key in new - old:
                added[key] += 1
                shown[key] += key[1] in after.get(key[0], ())
            for key in old - new:
                removed[key] += 1
                shown[key] += key[1] in before.get(key[0], ())
        if progress:
            progress(done, len(docs), doc.id)
    changes = [
        TagChange(field, value, added[(field, value)], removed[(field, value)],
                  shown[(field, value)])
        for field, value in sorted({*added, *removed})
    ]  # fmt: skip
    changes.sort(key=lambda c: -(c.added + c.removed))
    return RetagPreview(len(docs), changed, changes)

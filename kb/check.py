"""Checking the curated sources: the vocabulary file and every sidecar, before an ingest."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import InvalidSidecar, InvalidVocabulary
from kb.sidecar import SIDECAR_SUFFIX, is_sidecar, read_sidecar
from kb.tags import tags_from_sidecar
from kb.vocabulary import Vocabulary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """Something a curator should fix, in one file."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def check_sources(vocabulary_path: Path, folders: Iterable[Path]) -> list[Problem]:
    """Every problem in the vocabulary and in the sidecars under `folders`; [] when all is well.

    The vocabulary must load and have no soft problems. Every `*.meta.toml` under the
    folders (recursively, hidden folders skipped) must parse, and each value must resolve
    in the vocabulary (unknown values come with the closest terms); a sidecar whose document
    is missing is reported. When the vocabulary does not load, sidecars are still parsed
    but their values are not checked. Never raises for a problem it can report.
    """
    problems: list[Problem] = []
    source = str(vocabulary_path)
    vocab: Vocabulary | None
    try:
        vocab = Vocabulary.load(vocabulary_path)
    except InvalidVocabulary as exc:
        problems.append(Problem(source, _without_prefix(str(exc), source)))
        vocab = None
    else:
        problems.extend(Problem(source, _without_prefix(p, source)) for p in vocab.problems())
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(str(folder), "no such folder"))
            continue
        for path in _sidecars(folder):
            problems.extend(_check_sidecar(path, vocab))
    return problems


def _sidecars(folder: Path) -> list[Path]:
    found = [
        path
        for path in folder.rglob(f"*{SIDECAR_SUFFIX}")
        if is_sidecar(path)
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts[:-1])
    ]
    return sorted(found)


def _check_sidecar(path: Path, vocab: Vocabulary | None) -> list[Problem]:
    source = str(path)
    problems: list[Problem] = []
    document = path.with_name(path.name[: -len(SIDECAR_SUFFIX)])
    if not document.exists():
        problems.append(
            Problem(source, f"no document {document.name!r} next to this sidecar (renamed?)")
        )
    try:
        values = read_sidecar(path)
    except InvalidSidecar as exc:
        problems.append(Problem(source, _without_prefix(str(exc), source)))
        return problems
    if vocab is not None:
        _, warnings = tags_from_sidecar(values, vocab, source)
        problems.extend(Problem(w.source, str(w.message)) for w in warnings)
    log.debug("checked %s: %d problems", path, len(problems))
    return problems


def _without_prefix(message: str, source: str) -> str:
    """An error message without the leading "<source>: " the Problem already carries."""
    return message.removeprefix(f"{source}: ")

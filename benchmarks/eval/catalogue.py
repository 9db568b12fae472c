"""The eval's catalogue part: the library's automatic catalogue against the gold one.

The gold documents (benchmarks/eval/gold.py) are laid out in the cache, ingested with the
real `kb ingest` into a throwaway library, and what the library shows for each (title, year,
automatic tags) is scored against the curator's values (benchmarks/eval/scoring.py). The
`kb` measured is the one under `code` (this checkout by default): with an older checkout,
the same documents and the same scoring give the figures before a change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from benchmarks.eval import gold
from benchmarks.eval.scoring import (
    Ancestors,
    Expected,
    Found,
    accuracy,
    tag_counts,
    title_right,
    year_right,
)

ROOT = Path(__file__).resolve().parents[2]
_READER = Path(__file__).with_name("catalogue_read.py")


def vocabulary_ancestors(path: Path) -> dict[str, dict[str, frozenset[str]]]:
    """Per field, each key's ancestors in the vocabulary's tree (the territories')."""
    data = tomllib.loads(path.read_text("utf-8"))
    out: dict[str, dict[str, frozenset[str]]] = {}
    for name in gold.TAG_FIELDS:
        parents = {t["key"]: t.get("parent") for t in data.get(name, [])}
        chains = {}
        for key in parents:
            chain, parent = set(), parents[key]
            while parent and parent not in chain:
                chain.add(parent)
                parent = parents.get(parent)
            chains[key] = frozenset(chain)
        out[name] = chains
    return out


def vocabulary_keys(path: Path) -> dict[str, set[str]]:
    data = tomllib.loads(path.read_text("utf-8"))
    return {name: {t["key"] for t in data.get(name, [])} for name in gold.TAG_FIELDS}


def run(
    cache: Path, sources: Iterable[Path], say: Callable[[str], None], code: Path = ROOT
) -> dict[str, Any]:
    """Figures of the `kb` under `code` on the gold catalogue (with its own vocabulary)."""
    started = time.perf_counter()
    documents = gold.load(vocabulary=vocabulary_keys(ROOT / "corpus" / "vocabulary.toml"))
    docs_dir = cache / "catalogue"
    present, missing = gold.build(documents, docs_dir, sources)
    result: dict[str, Any] = {
        "code": _describe(code), "gold_sha256": gold.sha256_of(gold.GOLD_FILE),
        "catalogued": len(documents), "measured": len(present), "missing": missing,
        "formats": dict(Counter(d.format for d in present)),
    }  # fmt: skip
    if not present:
        say("  no gold document could be had: give --gold-documents (see benchmarks/README.md)")
        return result
    say(f"  ingesting {len(present)} gold documents with the kb of {result['code']} ...")
    work = Path(tempfile.mkdtemp(prefix="kb-gold-"))
    try:
        found = _ingest_and_read(code, docs_dir, work / "library")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pairs = []
    for doc in present:
        record = found.get(str((docs_dir / doc.id / doc.file_name).resolve()))
        pairs.append((doc, _found(record)))
    positions = {doc.id: number for number, doc in enumerate(documents, 1)}
    ancestors = vocabulary_ancestors(ROOT / "corpus" / "vocabulary.toml")
    result.update(score(pairs, ancestors, positions))
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _describe(code: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(code), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() or str(code)


def _ingest_and_read(code: Path, docs_dir: Path, library: Path) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(code))
    vocabulary = code / "corpus" / "vocabulary.toml"
    base = [sys.executable, "-m", "kb", "--library", str(library), "--vocabulary", str(vocabulary)]
    # From a neutral folder, so that `python -m kb` finds the kb on PYTHONPATH and not ours.
    subprocess.run([*base, "ingest", str(docs_dir)], env=env, cwd=library.parent, check=True,
                   capture_output=True)  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(_READER), str(library), str(vocabulary)],
        env=env, cwd=library.parent, check=True, capture_output=True, text=True,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def _found(record: dict[str, Any] | None) -> Found:
    if record is None:  # not ingested: nothing catalogued
        return Found(None, None, {})
    tags = {name: frozenset(values) for name, values in record["auto"].items()}
    return Found(record["title"], record["year"], tags)


def score(
    pairs: list[tuple[gold.GoldDocument, Found]],
    ancestors: Ancestors | None = None,
    positions: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Accuracy of titles and years, per-field precision and recall, overall, by format and
    by the parity of each document's position in the gold file (`positions`: id -> number
    from 1; the order of `pairs` without it), and the documents each figure missed."""

    def figures(subset: list[tuple[gold.GoldDocument, Found]]) -> dict[str, Any]:
        plain = [(d.expected, f) for d, f in subset]
        counts = tag_counts(plain, gold.TAG_FIELDS, ancestors)
        return {
            "documents": len(subset),
            "title": _round(accuracy([title_right(e, f) for e, f in plain])),
            "year": _round(accuracy([year_right(e, f) for e, f in plain])),
            "tags": {name: {"precision": _round(c.precision), "recall": _round(c.recall),
                            "right": c.right, "wrong": c.wrong, "missed": c.missed}
                     for name, c in counts.items()},
        }  # fmt: skip

    formats = sorted({d.format for d, _ in pairs})
    order = {d.id: n for n, (d, _) in enumerate(pairs, 1)}

    def number(doc: gold.GoldDocument) -> int:
        return (positions or order)[doc.id]

    wrong_tags: Counter[str] = Counter()
    missed_tags: Counter[str] = Counter()
    tag_errors = []
    for doc, found in pairs:
        wrong, missed = tag_errors_of(doc.expected, found, ancestors)
        wrong_tags.update(wrong)
        missed_tags.update(missed)
        if wrong or missed:
            tag_errors.append({"id": doc.id, "wrong": wrong, "missed": missed})
    return {
        "all": figures(pairs),
        "by_format": {fmt: figures([p for p in pairs if p[0].format == fmt]) for fmt in formats},
        # The gold file's entries at odd and even positions (1, 3, 5... and 2, 4, 6...): a
        # rule fitted to some documents shows as a gap between the halves.
        "by_position": {
            half: figures([p for p in pairs if number(p[0]) % 2 == parity])
            for half, parity in (("odd", 1), ("even", 0))
        },
        "wrong_titles": [
            {"id": d.id, "expected": d.expected.title, "found": f.title}
            for d, f in pairs if not title_right(d.expected, f)
        ],
        "wrong_years": [
            {"id": d.id, "expected": d.expected.year, "found": f.year}
            for d, f in pairs if not year_right(d.expected, f)
        ],
        "wrong_tags": dict(wrong_tags.most_common(15)),
        "missed_tags": dict(missed_tags.most_common(15)),
        "tag_errors": tag_errors,
    }  # fmt: skip


def tag_errors_of(
    expected: Expected, found: Found, ancestors: Ancestors | None = None
) -> tuple[list[str], list[str]]:
    """One document's wrong and missed tags ("field:key"), as `tag_counts` counts them: a
    place above one the curator set is implied, not wrong."""
    wrong, missed = [], []
    for name in gold.TAG_FIELDS:
        want, got = expected.tags.get(name, frozenset()), found.tags.get(name, frozenset())
        tree = (ancestors or {}).get(name, {})
        implied = frozenset().union(*(tree.get(v, frozenset()) for v in want))
        wrong += [f"{name}:{v}" for v in sorted(got - want - implied)]
        missed += [f"{name}:{v}" for v in sorted(want - got)]
    return wrong, missed


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def table(now: dict[str, Any], before: dict[str, Any] | None) -> str:
    """The catalogue figures, now and (if given) before, one row per measure."""
    lines = [f"gold catalogue: {now.get('measured', 0)} of {now.get('catalogued', 0)} documents"
             f" measured (docs/cataloguing.md)"]  # fmt: skip
    if "all" not in now:
        lines.append("  (no figures: the documents could not be had)")
        return "\n".join(lines)
    columns = [("now " + now["code"], now["all"])]
    if before and "all" in before:
        columns.append(("before " + before["code"], before["all"]))
    lines.append(f"{'':<28}" + "".join(f"{name:>26}" for name, _ in columns))

    def row(label: str, pick: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"{label:<28}" + "".join(f"{pick(c):>26}" for _, c in columns))

    row("title accuracy", lambda c: _pct(c["title"]))
    row("year accuracy", lambda c: _pct(c["year"]))
    for name in gold.TAG_FIELDS:
        row(f"{name} precision/recall", lambda c, n=name: _pr(c["tags"][n]))
    for half, part in now.get("by_position", {}).items():
        fields = "; ".join(f"{n} {_pr(part['tags'][n])}" for n in gold.TAG_FIELDS
                           if part["tags"][n]["right"] + part["tags"][n]["missed"])  # fmt: skip
        lines.append(f"{half} positions ({part['documents']}): title {_pct(part['title'])}, "
                     f"year {_pct(part['year'])}; {fields}")  # fmt: skip
    counts = Counter(now.get("formats", {}))
    if counts:
        lines.append("by format: " + ", ".join(f"{n} {f}" for f, n in sorted(counts.items())))
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pr(field: dict[str, Any]) -> str:
    return (f"{_pct(field['precision'])}/{_pct(field['recall'])} "
            f"({field['right']}+{field['wrong']}-{field['missed']})")  # fmt: skip

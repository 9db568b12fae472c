"""`make eval`: extraction, known-item search and automatic tags on real French documents.

Steps: build the documents (benchmarks/eval/sources.py, cached under
benchmarks/cache/eval/), ingest them into a temporary library with the library's own code,
then measure

1. token recall of the extracted (repaired) text against each document's reference text,
   per format and per way of making it; for PDFs poppler's `pdftotext` on the same files
   against the same references, as a baseline;
2. known-item search: for each query, the rank of the one right document in the first 10
   results, as MRR@10 and recall@10 per query kind and per format, for the library and for
   SQLite FTS5 (bm25, words OR-ed) over the library's own extracted text;
3. automatic tags: how many this off-topic set got, and which; and on `corpus/`, precision
   and recall of the automatic tags against the values its sidecars give;
4. the gold catalogue (benchmarks/eval/catalogue.py): titles, years and automatic tags of
   real documents on the observatory's ground against a curator's, beside the figures of
   the code before the change (`--before` runs an older checkout on the same documents;
   otherwise results/catalogue-before.json, if it was made on the same gold file).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.eval import catalogue, sources
from benchmarks.eval.known_items import KnownItem, pick
from benchmarks.eval.reference import lost_words, token_recall, token_recall_seen
from benchmarks.queries import build_fts, fts_match

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "benchmarks" / "cache" / "eval"
RESULTS = ROOT / "benchmarks" / "results"
GOLD_ENV = "KB_EVAL_GOLD_DOCUMENTS"
# The catalogue figures of the code before issue 24 (cb51340), made with --before.
BEFORE = RESULTS / "catalogue-before.json"
VOCABULARY = ROOT / "corpus" / "vocabulary.toml"
TOP = 10
# Big documents (whole books as one PDF) get more queries, so that their format counts.
_QUERIES_PER_BOOK = 25


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval", description=__doc__)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where documents are built")
    parser.add_argument("--output", type=Path, help="result JSON (default results/eval-DATE)")
    parser.add_argument("--rebuild", action="store_true", help="build the documents anew")
    parser.add_argument("--show", type=Path, help="print the table of a result file and stop")
    parser.add_argument(
        "--gold-documents", type=Path, action="append", default=[],
        help="a folder of the gold documents (ID/FILE NAME) or of git mirrors of their "
        f"repositories (OWNER+NAME); repeatable; default ${GOLD_ENV} (':'-separated)",
    )  # fmt: skip
    parser.add_argument("--before", type=Path, help="a checkout of the code before the change")
    parser.add_argument("--catalogue-only", action="store_true", help="only the gold catalogue")
    args = parser.parse_args(argv)
    if args.show:
        print(table(json.loads(args.show.read_text("utf-8"))))
        return 0
    logging.basicConfig(level=logging.WARNING)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if args.rebuild and args.cache.exists():
        shutil.rmtree(args.cache)
    gold_sources = args.gold_documents or [
        Path(p) for p in os.environ.get(GOLD_ENV, "").split(":") if p
    ]
    result = {"date": date.today().isoformat()} if args.catalogue_only else run(args.cache, say)
    say("gold catalogue ...")
    result["catalogue"] = catalogue.run(args.cache, gold_sources, say)
    if args.before is not None:
        say(f"gold catalogue with the code of {args.before} ...")
        result["catalogue_before"] = catalogue.run(args.cache, gold_sources, say, args.before)
        BEFORE.write_text(json.dumps(result["catalogue_before"], ensure_ascii=False, indent=1)
                          + "\n", "utf-8")  # fmt: skip
    else:
        result["catalogue_before"] = _recorded_before(result["catalogue"])
    name = "catalogue" if args.catalogue_only else "eval"
    output = args.output or RESULTS / f"{name}-{date.today().isoformat()}.json"
    output.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(table(result))
    say(f"written: {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


def run(cache: Path, say: Callable[[str], None]) -> dict[str, Any]:
    from kb.ingest import IngestOptions, ingest
    from kb.library import Library

    started = time.perf_counter()
    say("building the documents (cached after the first run) ...")
    documents, versions = sources.build(cache, say)
    docs_dir, refs_dir = cache / "documents", cache / "references"
    references = [(refs_dir / d.reference).read_text("utf-8") for d in documents]
    result: dict[str, Any] = {
        "date": date.today().isoformat(),
        "packages": versions,
        "tools": _tool_versions(),
        "documents": dict(Counter(d.format for d in documents)),
    }
    work = Path(tempfile.mkdtemp(prefix="kb-eval-"))
    try:
        say(f"ingesting {len(documents)} documents ...")
        t0 = time.perf_counter()
        with Library.open(work / "library", VOCABULARY) as library:
            report = ingest(library, [docs_dir], IngestOptions(workers=2))
            result["ingest"] = {
                "seconds": round(time.perf_counter() - t0, 1),
                "counts": report.counts(),
                "failed": [str(p) for p in report.failed],
            }
            ids, texts, tags = _read_library(library, docs_dir, documents)
            say("token recall ...")
            result["extraction"] = _extraction(documents, references, texts, docs_dir)
            say("known-item queries ...")
            books = ("pdf-latex", "pdf-tex")
            per_doc = {i: _QUERIES_PER_BOOK for i, d in enumerate(documents) if d.kind in books}
            items = pick(references, per_doc)
            ours = [_rank(library_ranking(library, item.text), ids[item.target]) for item in items]
            fts_path = work / "fts5.sqlite"
            build_fts(library, fts_path)
        theirs = [_rank(fts_ranking(fts_path, item.text), ids[item.target]) for item in items]
        result["search"] = _search_figures(items, documents, ours, theirs)
        result["misses"] = [
            {"kind": item.kind, "format": documents[item.target].format, "query": item.text,
             "rank": rank}
            for item, rank in zip(items, ours, strict=True) if rank != 1
        ]  # fmt: skip
        result["tags_off_topic"] = _auto_tags(tags, documents)
        say("automatic tags on corpus/ ...")
        result["tags_corpus"] = _corpus_tags(work / "corpus-library")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _recorded_before(now: dict[str, Any]) -> dict[str, Any] | None:
    """The recorded figures before the change, if they were made on this gold file."""
    if not BEFORE.exists():
        return None
    before: dict[str, Any] = json.loads(BEFORE.read_text("utf-8"))
    return before if before.get("gold_sha256") == now.get("gold_sha256") else None


def _tool_versions() -> dict[str, str]:
    """The first line each converter and baseline prints about its version."""
    found = {}
    for tool, flag in (("soffice", "--version"), ("groff", "--version"), ("pdftotext", "-v")):
        if shutil.which(tool) is None:
            continue
        done = subprocess.run([tool, flag], capture_output=True, text=True, check=False)
        lines = (done.stdout or done.stderr).strip().splitlines()
        found[tool] = lines[0] if lines else "?"
    return found


def _read_library(
    library: Any, docs_dir: Path, documents: list[sources.EvalDocument]
) -> tuple[list[str | None], list[str], list[list[Any]]]:
    """Per evaluation document: its id in the library, its extracted text, its tags."""
    by_path = {(docs_dir / d.path).resolve(): i for i, d in enumerate(documents)}
    ids: list[str | None] = [None] * len(documents)
    texts = [""] * len(documents)
    tags: list[list[Any]] = [[] for _ in documents]
    for row in library.catalog.documents(state="active"):
        for path in library.catalog.paths_of(row.id):
            index = by_path.get(Path(path.path).resolve())
            if index is None:
                continue
            ids[index] = row.id
            item = library.index_document(row)
            texts[index] = "\n".join([item.title or "", *(s.text for s in item.sections)])
            tags[index] = library.catalog.tags(row.id)
    return ids, texts, tags


def _extraction(
    documents: list[sources.EvalDocument], references: list[str], texts: list[str], docs: Path
) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    worst: list[dict[str, Any]] = []
    for doc, reference, text in zip(documents, references, texts, strict=True):
        _, found, total = token_recall(text, reference)
        for key in (doc.format, doc.kind):
            group = groups.setdefault(key, {"documents": 0, "found": 0, "words": 0})
            group["documents"] += 1
            group["found"] += found
            group["words"] += total
            if doc.format == "pdf":
                poppler = _pdftotext(docs / doc.path)
                _, base_found, _ = token_recall(poppler, reference)
                group["pdftotext_found"] = group.get("pdftotext_found", 0) + base_found
                seen_found, seen_words = token_recall_seen(text, reference, poppler)
                group["seen_found"] = group.get("seen_found", 0) + seen_found
                group["seen_words"] = group.get("seen_words", 0) + seen_words
        worst.append(
            {"path": doc.path, "recall": round(found / total, 4) if total else 1.0,
             "lost": lost_words(text, reference)}
        )  # fmt: skip
    for group in groups.values():
        group["recall"] = round(group["found"] / group["words"], 4) if group["words"] else 1.0
        if "pdftotext_found" in group:
            group["pdftotext_recall"] = round(group["pdftotext_found"] / group["words"], 4)
        if group.get("seen_words"):
            group["seen_recall"] = round(group["seen_found"] / group["seen_words"], 4)
    worst.sort(key=lambda w: w["recall"])
    return {"by_format": groups, "worst": worst[:10]}


def _pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:  # poppler-utils: the baseline is then 0
        return ""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False
    )
    return done.stdout.decode("utf-8", "replace")


def library_ranking(library: Any, text: str) -> list[str]:
    found = library.search(text, size=TOP, snippets=0, suggest=False)
    return [hit.id for hit in found.hits]


def fts_ranking(fts_path: Path, text: str) -> list[str]:
    match = fts_match(text)
    if match is None:
        return []
    db = sqlite3.connect(fts_path)
    try:
        rows = db.execute(
            "SELECT docs.id FROM fts JOIN docs ON docs.rowid = fts.rowid WHERE fts MATCH ? "
            "ORDER BY rank LIMIT ?",
            (match, TOP),
        ).fetchall()
    finally:
        db.close()
    return [row[0] for row in rows]


def _rank(ranking: list[str], target: str | None) -> int | None:
    """1-based rank of `target` in the first TOP results, None if absent."""
    if target is None or target not in ranking:
        return None
    return ranking.index(target) + 1


def _search_figures(
    items: list[KnownItem],
    documents: list[sources.EvalDocument],
    ours: list[int | None],
    theirs: list[int | None],
) -> dict[str, Any]:
    groups: dict[str, dict[str, list[int | None]]] = defaultdict(lambda: {"kb": [], "fts5": []})
    for item, mine, base in zip(items, ours, theirs, strict=True):
        fmt = documents[item.target].format
        for key in ("all", f"kind {item.kind}", f"format {fmt}"):
            groups[key]["kb"].append(mine)
            groups[key]["fts5"].append(base)
    return {key: {"queries": len(ranks["kb"]), **{
        engine: {"mrr": _mrr(r), "recall_at_10": _recall(r), "rank_1": _share(r, 1)}
        for engine, r in ranks.items()}} for key, ranks in sorted(groups.items())}  # fmt: skip


def _mrr(ranks: list[int | None]) -> float:
    return round(sum(1 / r for r in ranks if r) / len(ranks), 4) if ranks else 0.0


def _recall(ranks: list[int | None]) -> float:
    return round(sum(1 for r in ranks if r) / len(ranks), 4) if ranks else 0.0


def _share(ranks: list[int | None], rank: int) -> float:
    return round(sum(1 for r in ranks if r == rank) / len(ranks), 4) if ranks else 0.0


def _auto_tags(tags: list[list[Any]], documents: list[sources.EvalDocument]) -> dict[str, Any]:
    found = [
        (doc.path, tag.field, tag.value)
        for doc, doc_tags in zip(documents, tags, strict=True)
        for tag in doc_tags
        if tag.origin == "auto"
    ]
    return {
        "tags": len(found),
        "documents": len({path for path, _, _ in found}),
        "by_value": dict(Counter(f"{f}:{v}" for _, f, v in found).most_common()),
        "examples": [list(t) for t in found[:20]],
    }


def _corpus_tags(library_dir: Path) -> dict[str, Any]:
    """Automatic tags of corpus/ against its sidecars, over the fields both may set."""
    from kb.ingest import IngestOptions, ingest
    from kb.library import Library
    from kb.tags import AUTO_FIELDS

    true_pos = false_pos = false_neg = 0
    wrong: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    with Library.open(library_dir, VOCABULARY) as library:
        ingest(library, [ROOT / "corpus"], IngestOptions(workers=2))
        for row in library.catalog.documents(state="active"):
            tags = library.catalog.tags(row.id)
            sidecar = {(t.field, t.value) for t in tags if t.origin == "sidecar"}
            if not sidecar:
                continue
            fields = {f for f, _ in sidecar} & set(AUTO_FIELDS)
            auto = {(t.field, t.value) for t in tags if t.origin == "auto" and t.field in fields}
            truth = {(f, v) for f, v in sidecar if f in fields}
            true_pos += len(auto & truth)
            false_pos += len(auto - truth)
            false_neg += len(truth - auto)
            wrong.update(f"{f}:{v}" for f, v in auto - truth)
            missed.update(f"{f}:{v}" for f, v in truth - auto)
    return {
        "precision": round(true_pos / (true_pos + false_pos), 4) if true_pos + false_pos else 1.0,
        "recall": round(true_pos / (true_pos + false_neg), 4) if true_pos + false_neg else 1.0,
        "true_positives": true_pos,
        "false_positives": false_pos,
        "false_negatives": false_neg,
        "wrong": dict(wrong.most_common(10)),
        "missed": dict(missed.most_common(10)),
    }


def table(r: dict[str, Any]) -> str:
    gold = catalogue.table(r["catalogue"], r.get("catalogue_before")) if "catalogue" in r else ""
    if "extraction" not in r:  # --catalogue-only
        return gold
    lines = [f"kb eval {r['date']}: {sum(r['documents'].values())} documents "
             f"({', '.join(f'{n} {f}' for f, n in sorted(r['documents'].items()))}), "
             f"{r.get('seconds', 0):.0f} s"]  # fmt: skip
    lines.append("")
    lines.append(f"{'token recall':<22}{'docs':>6}{'words':>10}{'kb':>9}{'pdftotext':>11}"
                 f"{'kb on words poppler sees':>26}")  # fmt: skip
    groups = r["extraction"]["by_format"]
    for key, g in sorted(groups.items()):
        if key not in sources.FORMATS and key.split("-")[0] in groups:
            if sum(1 for k in groups if k.startswith(key.split("-")[0] + "-")) == 1:
                continue  # the only way of making this format: its row says it all
            key = f"  {key}"
        base = f"{g['pdftotext_recall']:.4f}" if "pdftotext_recall" in g else ""
        seen = f"{g['seen_recall']:.4f}" if "seen_recall" in g else ""
        lines.append(f"{key:<22}{g['documents']:>6}{g['words']:>10}{g['recall']:>9.4f}{base:>11}"
                     f"{seen:>26}")  # fmt: skip
    lines.append("")
    lines.append(f"{'known items':<22}{'n':>6}{'kb MRR':>9}{'R@10':>7}{'FTS5 MRR':>10}{'R@10':>7}")
    for key, g in r["search"].items():
        kb, fts = g["kb"], g["fts5"]
        lines.append(
            f"{key:<22}{g['queries']:>6}{kb['mrr']:>9.3f}{kb['recall_at_10']:>7.3f}"
            f"{fts['mrr']:>10.3f}{fts['recall_at_10']:>7.3f}"
        )
    lines.append("")
    off = r["tags_off_topic"]
    which = f" ({', '.join(list(off['by_value'])[:8])})" if off["tags"] else ""
    lines.append(
        f"automatic tags, off-topic set: {off['tags']} on {off['documents']} documents{which}"
    )
    c = r["tags_corpus"]
    lines.append(
        f"automatic tags, corpus/ vs sidecars: precision {c['precision']:.3f}, "
        f"recall {c['recall']:.3f} ({c['true_positives']} right, {c['false_positives']} wrong,"
        f" {c['false_negatives']} missed)"
    )
    if gold:
        lines += ["", gold]
    return "\n".join(lines)

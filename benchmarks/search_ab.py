"""The whole search engine of another revision against today's, in one process: CPU time.

    .venv/bin/python -m benchmarks.search_ab --library PATH --size 10000 --before REV

Loads the `indexer` package as it was at git revision REV beside today's (as the package
`indexer_before`), opens the same index directory with both, and asks the API's distinct
queries (`benchmarks.queries.varied_mix`, as `benchmarks.distinct` does) of one warm
library, its answer cache off and the counts its index keeps emptied before each pass
(each search counts what it needs, as a new question would), in passes that alternate the
two indexes; the rest (the catalog, the vocabulary, `kb.search`) is today's for both.
Prints, per query class, the
CPU milliseconds of a search (the process's, steadier than the wall clock on a shared
machine: medians over the passes) and distinct searches per CPU-second. The first pass also
compares every answer (total, hits and scores, snippets, facets, suggestion, warnings) and
names the queries whose answers differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.bench.search import without_answer_cache
from benchmarks.distinct import _ask, _library, _mix
from kb.settings import PROJECT_ROOT

PACKAGE = "indexer_before"
_IMPORTS = re.compile(r"\b(from|import) indexer\b")


def indexer_at(revision: str) -> Any:
    """`indexer.index` as it was at `revision`, its package renamed `indexer_before`."""
    names = subprocess.run(["git", "-C", str(PROJECT_ROOT), "ls-tree", "-r", "--name-only",
                            revision, "indexer/"],
                           check=True, capture_output=True, text=True).stdout.split()  # fmt: skip
    root = Path(tempfile.mkdtemp(prefix="search-ab-"))
    for name in names:
        if not name.endswith(".py"):
            continue
        source = subprocess.run(["git", "-C", str(PROJECT_ROOT), "show", f"{revision}:{name}"],
                                check=True, capture_output=True, text=True).stdout  # fmt: skip
        target = root / PACKAGE / Path(name).relative_to("indexer")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_IMPORTS.sub(lambda m: f"{m.group(1)} {PACKAGE}", source), "utf-8")
    sys.path.insert(0, str(root))
    return importlib.import_module(f"{PACKAGE}.index")


def _answer(results: Any) -> Any:
    return (results.total, [(h.id, h.score, [dataclasses.astuple(s) for s in h.snippets])
                            for h in results.hits],
            results.facets, results.suggestion, [str(w) for w in results.warnings])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--size", type=int, default=10_000, help="the generated cache's size")
    parser.add_argument("--before", required=True, help="git revision to compare with")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()

    before_module = indexer_at(args.before)
    mix = _mix(args.size, args.queries + args.warm)
    asked = mix[args.warm :]
    # name -> kind -> CPU seconds of each pass
    spent: dict[str, dict[str, list[float]]] = {"before": defaultdict(list),
                                                "now": defaultdict(list)}  # fmt: skip
    differ: list[str] = []
    with _library(args.library) as library:
        now = library.index
        before = before_module.FullTextIndex.open(now.directory, create=False)
        indexes = {"before": before, "now": now}
        for index in indexes.values():
            library._index = index
            for q in mix[: args.warm]:
                _ask(library, q)
        for number in range(args.passes):
            answers: dict[str, list[Any]] = {}
            for name, index in indexes.items():
                library._index = index
                without_answer_cache(library)
                index._view().counts.clear()  # counted again, as a new question would be
                by_kind: dict[str, float] = defaultdict(float)
                got = []
                for q in asked:
                    started = time.process_time()
                    results = _ask(library, q)
                    by_kind[q.kind] += time.process_time() - started
                    if number == 0:
                        got.append(_answer(results))
                for kind, seconds in by_kind.items():
                    spent[name][kind].append(seconds)
                spent[name]["all"].append(sum(by_kind.values()))
                answers[name] = got
            if number == 0:
                differ = [
                    q.label()
                    for q, a, b in zip(asked, answers["before"], answers["now"], strict=True)
                    if a != b
                ]
        library._index = now
        before.close()
    counts: dict[str, int] = defaultdict(int)
    for q in asked:
        counts[q.kind] += 1
    counts["all"] = len(asked)
    print(
        f"{len(asked)} distinct queries, {args.passes} passes; CPU ms a search (median of "
        "passes) and searches per CPU-second"
    )
    print(f"{'class':16} {'n':>4} {'before ms':>10} {'now ms':>8} {'before/s':>9} "
          f"{'now/s':>7} {'now/before':>10}")  # fmt: skip
    for kind in sorted(counts, key=lambda k: (k == "all", k)):
        b = statistics.median(spent["before"][kind]) / counts[kind]
        n = statistics.median(spent["now"][kind]) / counts[kind]
        print(f"{kind:16} {counts[kind]:4} {b * 1000:10.2f} {n * 1000:8.2f} {1 / b:9.0f} "
              f"{1 / n:7.0f} {n / b:9.2f}x")  # fmt: skip
    print(f"answers that differ: {len(differ)} of {len(asked)}")
    for label in differ[:10]:
        print(f"  {label}")


if __name__ == "__main__":
    main()

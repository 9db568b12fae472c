"""Snippets of another revision against today's, in one process: CPU time of distinct searches.

    .venv/bin/python -m benchmarks.snippets_ab --library PATH --size 1000 --before REV

Loads `indexer/snippets.py` as it was at git revision REV beside today's, then asks the
API's distinct queries (`benchmarks.queries.varied_mix`, as `benchmarks.distinct` does) on
one warm library, its answer cache off, in passes that alternate the two versions of the
snippets' place finding (`indexer.snippets._matches`), everything else today's. Prints the
CPU time of each pass (the process's, steadier than the wall clock on a shared machine),
searches a second from the medians, and their ratio. The answers themselves are compared
with `benchmarks.distinct answers` / `compare`.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from benchmarks.bench.search import without_answer_cache
from benchmarks.distinct import _ask, _library, _mix
from kb.settings import PROJECT_ROOT


def _snippets_at(revision: str) -> ModuleType:
    """`indexer.snippets` as it was at `revision`, as a module of its own."""
    source = subprocess.run(["git", "-C", str(PROJECT_ROOT), "show",
                             f"{revision}:indexer/snippets.py"],
                            check=True, capture_output=True, text=True).stdout  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="snippets-"))
    path = folder / "snippets_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("snippets_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["snippets_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--size", type=int, default=1000, help="the generated cache's size")
    parser.add_argument("--before", required=True, help="git revision to compare with")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()

    import indexer.snippets as snippets

    versions = {"before": _snippets_at(args.before)._matches, "now": snippets._matches}
    mix = _mix(args.size, args.queries + args.warm)
    spent: dict[str, list[float]] = {name: [] for name in versions}
    try:
        with _library(args.library) as library:
            for q in mix[: args.warm]:
                _ask(library, q)
            for _ in range(args.passes):
                for name, matches in versions.items():
                    snippets._matches = matches  # type: ignore[assignment]
                    without_answer_cache(library)
                    started = time.process_time()
                    for q in mix[args.warm :]:
                        _ask(library, q)
                    spent[name].append(time.process_time() - started)
    finally:
        snippets._matches = versions["now"]  # type: ignore[assignment]
    for name, times in spent.items():
        rate = args.queries / statistics.median(times)
        print(f"{name:6} CPU s per pass {[round(t, 2) for t in times]}  -> {rate:.0f} searches/s")
    ratio = statistics.median(spent["now"]) / statistics.median(spent["before"])
    print(f"now / before, median CPU time: {ratio:.2f}x")


if __name__ == "__main__":
    main()

"""A benchmark's results file kept up to date phase by phase, and resumed from.

At 100,000 documents a whole `make bench` takes hours on 2 cores (a cold ingest alone is
about an hour): a run stopped half-way must not lose what it measured. After every phase
the results file is rewritten (atomically: a copy then a rename), with the phase that was
running when the benchmark was stopped (`interrupted`). `--resume` reads it back and runs
only what is missing, on the library the run kept:

- a finished phase is not run again (each ingest phase has its count of runs);
- an interrupted cold ingest is completed by a second ingest of the same folder (ingest is
  incremental and keeps what it committed), and its time is the sum of both parts, marked
  `resumed_after_s` (it overstates a cold ingest by one no-op pass over the files);
- any other interrupted phase is run again from its start.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

INGEST_KEYS = ("extract", "cold", "noop", "change")


def save(path: Path, result: dict[str, Any]) -> None:
    """Write `result` to `path`, replacing it whole (never a half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    os.replace(tmp, path)


def unfinished(results: Path, size: int) -> Path | None:
    """The newest results file of `size` documents whose run did not finish (no `seconds`)."""
    candidates = sorted(
        (p for p in results.glob(f"{size}-*.json") if p.name[len(str(size))] == "-"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in candidates:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("size") != size:
            continue
        if "seconds" not in data and "corpus" in data:
            return path
    return None


def runs_left(result: dict[str, Any], key: str, runs: int) -> int:
    """How many runs of the ingest phase `key` are still to do."""
    return max(0, runs - len(result.setdefault(key, {"runs": []})["runs"]))


def merge_interrupted(result: dict[str, Any], key: str, out: dict[str, Any]) -> None:
    """Count the interrupted first part of a cold ingest into its completion `out`."""
    stopped = result.pop("interrupted", None)
    if not stopped or stopped.get("key") != key or key != "cold":
        return
    out["resumed_after_s"] = stopped["wall_s"]
    out["wall_s"] = round(out["wall_s"] + stopped["wall_s"], 2)
    out["peak_tree_rss_mb"] = max(out["peak_tree_rss_mb"], stopped["peak_tree_rss_mb"])
    if "cpu_tree_s" in stopped and "cpu_tree_s" in out:
        out["cpu_tree_s"] = round(out["cpu_tree_s"] + stopped["cpu_tree_s"], 1)


__all__ = ["INGEST_KEYS", "merge_interrupted", "runs_left", "save", "unfinished"]

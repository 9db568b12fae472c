"""benchmarks.progress: a stopped benchmark's results file, and what a resumed run keeps."""

from __future__ import annotations

import json
import os
import time

from benchmarks import progress


def test_save_replaces_the_file_whole(tmp_path):
    out = tmp_path / "results" / "100000-2026-12-03.json"
    progress.save(out, {"size": 100000, "cold": {"runs": []}})
    progress.save(out, {"size": 100000, "cold": {"runs": [{"wall_s": 1.0}]}})
    assert json.loads(out.read_text())["cold"]["runs"] == [{"wall_s": 1.0}]
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_unfinished_is_the_newest_run_of_that_size_without_its_total(tmp_path):
    def write(name, data, age):
        path = tmp_path / name
        path.write_text(json.dumps(data))
        stamp = time.time() - age
        os.utime(path, (stamp, stamp))
        return path

    write("100000-2026-12-01.json", {"size": 100000, "corpus": {}}, age=300)
    newest = write("100000-2026-12-02.json", {"size": 100000, "corpus": {}}, age=200)
    write("100000-2026-12-03.json", {"size": 100000, "corpus": {}, "seconds": 9.0}, age=100)
    write("1000000-2026-12-03.json", {"size": 1000000, "corpus": {}}, age=0)
    write("100000-2026-12-03-2.json", "not a result", age=0)
    assert progress.unfinished(tmp_path, 100000) == newest
    assert progress.unfinished(tmp_path, 10000) is None


def test_an_interrupted_cold_ingest_counts_both_parts():
    result = {"interrupted": {"key": "cold", "wall_s": 100.0, "peak_tree_rss_mb": 900.0}}
    out = {"wall_s": 50.0, "peak_tree_rss_mb": 700.0}
    progress.merge_interrupted(result, "cold", out)
    assert out == {"wall_s": 150.0, "peak_tree_rss_mb": 900.0, "resumed_after_s": 100.0}
    assert "interrupted" not in result


def test_another_interrupted_phase_is_run_again_from_its_start():
    result = {"interrupted": {"key": "extract", "wall_s": 100.0, "peak_tree_rss_mb": 9.0}}
    out = {"wall_s": 50.0, "peak_tree_rss_mb": 700.0}
    progress.merge_interrupted(result, "extract", out)
    assert out == {"wall_s": 50.0, "peak_tree_rss_mb": 700.0}
    assert "interrupted" not in result


def test_runs_left_counts_the_finished_runs():
    result = {"cold": {"runs": [{"wall_s": 1.0}]}}
    assert progress.runs_left(result, "cold", 3) == 2
    assert progress.runs_left(result, "noop", 1) == 1
    assert result["noop"] == {"runs": []}

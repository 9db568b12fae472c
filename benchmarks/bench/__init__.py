"""Ingest and search at the size of a real library, against baselines run in the same go.

    .venv/bin/python -m benchmarks.bench --size 1000     # quick look: ~5 min, 3 runs
    .venv/bin/python -m benchmarks.bench                 # 10,000 documents: ~20 min, 1 run
    make bench SIZE=10000

Generates (once, cached in benchmarks/cache/<size>/) a synthetic French library, then:

1. bare extraction: `run_extraction` over the process pool on every file, no catalog, no
   index: the floor for ingest (`--runs` times);
2. cold ingest into a new library (`--runs` times, fresh each time): documents/s, pages/s,
   the time split (hashing, extraction, repair, catalog, index: catalog reads, analysis and
   indexing, commit), peak memory of the process tree;
3. no-op re-ingest of the same folder; re-ingest after 1% of the files changed;
4. search: one warm `Library` over the fixed query mix (public documents, as the portal),
   p50/p95/p99, against SQLite FTS5 (unicode61 remove_diacritics 2) over the same texts;
5. API: a real uvicorn on 127.0.0.1, 8 concurrent keep-alive clients over the same mix:
   requests/s and p95, against the in-process search and /health;
6. index and catalog size on disk, against the FTS5 database.

Every phase that writes runs in its own process (its memory is its own). The table is
printed and the figures written to benchmarks/results/<size>-<date>.json. This is a
measurement tool, not part of `make test`; the machine is shared, so the load average
before and after each phase is recorded with it.

The package: `phases` (what runs in a child process), `search` and `api` (what is measured
in this one), `run` (every phase in turn, resumable), `machine` (what it ran on), `table`
(the figures against their baselines), `cli` (the command line).
"""

from __future__ import annotations

from benchmarks.procs import ROOT

RESULTS = ROOT / "benchmarks" / "results"
VOCABULARY = ROOT / "corpus" / "vocabulary.toml"

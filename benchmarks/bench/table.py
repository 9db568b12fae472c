"""The benchmark's table: each figure against its baseline and its target."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


def median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 2)


def _ratio(value: float, base: float, digits: int = 2) -> str:
    return f"{value / base:.{digits}f}x" if base else "-"


def figures(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(figure, value, baseline, ratio, target) rows from a result."""
    docs, pages = r["corpus"]["documents"], r["corpus"]["pages"]
    extract = median([x["wall_s"] for x in r["extract"]["runs"]])
    cold = median([x["wall_s"] for x in r["cold"]["runs"]])
    noop = median([x["wall_s"] for x in r["noop"]["runs"]])
    change = median([x["wall_s"] for x in r["change"]["runs"]])
    peak = max(x["peak_tree_rss_mb"] for x in r["cold"]["runs"])
    peak_extract = max(x["peak_tree_rss_mb"] for x in r["extract"]["runs"])

    def cpu(phase: str) -> float:
        return median([x.get("cpu_tree_s", 0.0) for x in r[phase]["runs"]])

    def stage(key: str, where: str = "timings_s") -> str:
        return f"{median([x[where].get(key, 0.0) for x in r['cold']['runs']]):.1f} s"

    rows = [
        ("cold ingest, wall", f"{cold:.1f} s", f"extraction {extract:.1f} s",
         _ratio(cold, extract), "<= 1.5x"),
        ("cold ingest, CPU of the tree", f"{cpu('cold'):.1f} s",
         f"extraction {cpu('extract'):.1f} s", _ratio(cpu("cold"), cpu("extract")), ""),
        ("  documents/s", f"{docs / cold:.1f}", f"{docs / extract:.1f}",
         f"{extract / cold:.2f}", ""),
        ("  pages/s", f"{pages / cold:.0f}", f"{pages / extract:.0f}",
         f"{extract / cold:.2f}", ""),
        ("  extraction (worker-s)", stage("extraction"), "", "", ""),
        ("  repair (worker-s)", stage("repair"), "", "", ""),
        ("  analysis for the index (worker-s)", stage("analysis"), "", "", ""),
        ("  hashing + triage", stage("hashing"), "", "", ""),
        ("  catalog writes", stage("catalog"), "", "", ""),
        ("  index: catalog reads", stage("index_catalog_read", "index_stages_s"), "", "", ""),
        ("  index: analysis+indexing", stage("analysis_and_indexing", "index_stages_s"),
         "", "", ""),
        ("  index: commit", stage("commit", "index_stages_s"), "", "", ""),
        ("  index: total (writer thread)", stage("indexing"), "", "", ""),
        ("  index: wait for the last commit", stage("index wait"), "", "", ""),
        ("  peak RSS, process tree", f"{peak:.0f} MB", f"extraction {peak_extract:.0f} MB",
         _ratio(peak, peak_extract), "< 1024 MB"),
        ("no-op re-ingest", f"{noop:.2f} s", f"cold {cold:.1f} s", _ratio(noop, cold, 3), "< 5 s"),
        ("1% changed re-ingest", f"{change:.2f} s", f"cold {cold:.1f} s",
         _ratio(change, cold, 3), "< 0.10x"),
    ]  # fmt: skip
    search = r.get("search")
    if search:
        ours, theirs = search["library"], search["fts5"]
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            mine, base = ours["all"][p], theirs["all"][p]
            rows.append((f"search {p[:3]}, whole mix", f"{mine:.1f} ms", f"FTS5 {base:.1f} ms",
                         _ratio(mine, base, 1), "< 50 ms" if p == "p95_ms" else ""))  # fmt: skip
        for kind, stats in ours["classes"].items():
            mine, base = stats["p95_ms"], theirs["classes"][kind]["p95_ms"]
            rows.append((f"  p95 {kind}", f"{mine:.1f} ms", f"FTS5 {base:.1f} ms",
                         _ratio(mine, base, 1), "< 50 ms"))  # fmt: skip
        if "library_cached" in search:
            hit = search["library_cached"]["all"]["p50_ms"]
            rows.append(("search p50, repeated (answer cache)", f"{hit:.2f} ms",
                         f"computed {ours['all']['p50_ms']:.1f} ms",
                         _ratio(hit, ours["all"]["p50_ms"], 3), ""))  # fmt: skip
    for api in (r.get("apis") or {"": r.get("api")}).values():
        rows += _api_rows(api, search)
    sizes = r["sizes"]
    index_mb, fts_mb = sizes["index_bytes"] / 2**20, sizes.get("fts5_bytes", 0) / 2**20
    catalog_mb, files_mb = sizes["catalog_bytes"] / 2**20, sizes["source_bytes"] / 2**20
    rows.append(("index size", f"{index_mb:.0f} MB", f"FTS5 {fts_mb:.0f} MB" if fts_mb else "",
                 _ratio(index_mb, fts_mb), ""))  # fmt: skip
    rows.append(("catalog size", f"{catalog_mb:.0f} MB", f"files {files_mb:.0f} MB",
                 _ratio(catalog_mb, files_mb), ""))  # fmt: skip
    return rows


def _api_rows(api: dict[str, Any] | None, search: dict[str, Any] | None) -> list[Any]:
    rows: list[Any] = []
    if not api:
        return rows
    if "search" not in api:
        return [("API", api.get("error", "not measured"), "", "", "")]
    n = api.get("processes", 1)
    s, h, one = api["search"], api["health"], api["search_1_client"]
    inproc = search.get("api_queries_in_process_per_s", 0.0) if search else 0.0
    rows.append((f"API searches/s, 8 clients, {n} proc.", f"{s['requests_per_s']:.0f}",
                 f"in-process, 1 at a time {inproc:.0f}/s",
                 _ratio(s["requests_per_s"], inproc), ">= 200/s"))  # fmt: skip
    rows.append((f"API search p95, 8 clients, {n} proc.", f"{s['p95_ms']:.0f} ms",
                 f"1 client {one['p95_ms']:.0f} ms", _ratio(s["p95_ms"], one["p95_ms"], 1),
                 "< 100 ms"))  # fmt: skip
    first = api.get("search_first_pass")
    if first:
        rows.append((f"  first pass: /s, p95, {n} proc.",
                     f"{first['requests_per_s']:.0f}, {first['p95_ms']:.0f} ms",
                     "each question once, fresh server", "", ""))  # fmt: skip
    repeated = api.get("search_repeated_mix")
    if repeated:
        rows.append(("API, 28 repeated queries: /s, p95", f"{repeated['requests_per_s']:.0f}"
                     f", {repeated['p95_ms']:.0f} ms", "", "", ""))  # fmt: skip
    rows.append(("API /health/s, 8 clients", f"{h['requests_per_s']:.0f}", "", "", ""))
    errors = s["errors"] + one["errors"] + h["errors"] + (first or {}).get("errors", 0)
    if errors:
        rows.append(("API errors", str(errors), ", ".join(s["error_examples"]), "", ""))
    return rows


def table(r: dict[str, Any]) -> str:
    rows = [("figure", "value", "baseline", "ratio", "target"), *figures(r)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    c = r["corpus"]
    head = (
        f"{r['size']:,} documents ({c['pages']:,} pages, {c['words']:,} words, "
        f"{c['bytes'] / 2**20:.0f} MB; {', '.join(f'{k} {v}' for k, v in c['formats'].items())}), "
        f"{r['workers']} workers, medians of {r['runs']} runs; {r['machine']['cores']} cores "
        f"{r['machine']['cpu']}; load average {r['load_average']['start']} -> "
        f"{r['load_average']['end']}"
    )
    return head + "\n" + "\n".join(lines)

"""How long the web pages take to render on a built library, beside the API's JSON for
the same search (the baseline, in the same process).

    .venv/bin/python -m benchmarks.web_pages --library PATH [--repeats 15]

PATH is any library, e.g. one kept by `python -m benchmarks.bench --size 10000 --keep`.
The app runs in-process (Starlette's test client: no socket, so the figures are the
server's own work: search, catalog reads, template rendering). Each page is asked with
`--repeats` different words taken from the library's own text, so the library's cache of
answers (same question, same index commit) does not serve them; every figure is the
median (and p95) over those requests, after one warm-up request per page.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from kb.library import Library
from kb.settings import Settings

WORD = re.compile(r"[^\W\d_]{7,}")


def sample_words(library: Library, count: int) -> list[str]:
    """`count` distinct words of 7 letters or more from the text of public documents."""
    hits = library.search("", visibilities=frozenset({"public"}), size=50, facets=False,
                          snippets=0, suggest=False).hits
    words: dict[str, None] = {}
    for hit in hits:
        for section in library.catalog.sections(hit.id)[:3]:
            for word in WORD.findall(section.text.lower()):
                words.setdefault(word, None)
        if len(words) >= count * 20:
            break
    chosen = list(words)[:: max(1, len(words) // count)]
    return chosen[:count]


def timed(get: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(library_path: Path, repeats: int) -> dict[str, dict[str, float]]:
    settings = Settings(library=library_path)
    with Library.open(library_path, settings.vocabulary) as library:
        words = sample_words(library, repeats + 1)
        documents = [h.id for h in library.search(
            "", visibilities=frozenset({"public"}), size=repeats + 1, snippets=0,
            suggest=False).hits]
        total = library.index.doc_count()
    pages: dict[str, Callable[[int], str]] = {
        "API JSON /api/v1/search?q=word (baseline)": lambda i: f"/api/v1/search?q={words[i]}",
        "/?q=word": lambda i: f"/?q={words[i]}",
        "/?q=two words&territory=bretagne": (
            lambda i: f"/?q={words[i]}+{words[-1 - i]}&territory=bretagne"),
        "/?q=word&sort=title": lambda i: f"/?q={words[i]}&sort=title",
        "/?q= (whole library, newest first)": lambda i: "/?q=&page=" + str(1 + i % 5),
        "/notice/{id}": lambda i: f"/notice/{documents[i % len(documents)]}",
        "/notice/{id}?q=word": (
            lambda i: f"/notice/{documents[i % len(documents)]}?q={words[i]}"),
        "/dossiers": lambda i: "/dossiers",
        "/aide": lambda i: "/aide",
    }
    results: dict[str, dict[str, float]] = {}
    with TestClient(create_app(settings)) as client:
        for name, url in pages.items():
            client.get(url(len(words) - 1))  # warm-up: templates compiled, files opened
            counter = iter(range(repeats))

            def get(url: Callable[[int], str] = url, counter: object = counter) -> None:
                answer = client.get(url(next(counter)))  # type: ignore[call-overload]
                if answer.status_code != 200:
                    raise SystemExit(f"{answer.request.url}: HTTP {answer.status_code}")

            times = timed(get, repeats)
            results[name] = {
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(sorted(times)[max(0, round(0.95 * len(times)) - 1)], 1),
            }
    baseline = results["API JSON /api/v1/search?q=word (baseline)"]["median_ms"]
    for figures in results.values():
        figures["x_api"] = round(figures["median_ms"] / baseline, 2) if baseline else 0.0
    results["library"] = {"documents": total}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    results = measure(args.library, args.repeats)
    print(f"{results['library']['documents']:.0f} documents, {args.repeats} requests a page")
    print(f"{'page':<44} {'median ms':>9} {'p95 ms':>8} {'x API':>6}")
    for name, figures in results.items():
        if name != "library":
            print(f"{name:<44} {figures['median_ms']:>9} {figures['p95_ms']:>8} "
                  f"{figures['x_api']:>6}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

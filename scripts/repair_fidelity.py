"""Fidelity of the text repair stage: character error rate before and after repair.

    .venv/bin/python scripts/repair_fidelity.py             # CER table and throughput
    .venv/bin/python scripts/repair_fidelity.py --write     # regenerate the damaged fixtures
    .venv/bin/python scripts/repair_fidelity.py --big 50    # time one 50 MB single-line text
    .venv/bin/python scripts/repair_fidelity.py --big 50 --damage all  # ... of damaged text
    .venv/bin/python scripts/repair_fidelity.py --corpus corpus   # clean documents: no change

The true texts are tests/fixtures/repair/true/*.txt (form feeds separate pages). `--write`
injects each kind of damage, alone and mixed, with a fixed seed, into
tests/fixtures/repair/damaged/<document>.<damage>.txt; those files are committed, so the
test suite reads real files and does not depend on this script. Fixtures whose damage is
not one of the injectors below are written by hand from real decks and are never
regenerated: <document>.shadowed.txt (runs drawn twice with spaces, several on a line and
across a line break, U+FFFD for the Windows dash, bullet and apostrophe).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.repair import repair_document  # noqa: E402
from indexer.repair.fidelity import (  # noqa: E402
    PAGE_BREAK,
    fixture_document,
    levenshtein,
)
from indexer.repair.mojibake import damaged_form  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "repair"
TRUE_DIR = FIXTURES / "true"
DAMAGED_DIR = FIXTURES / "damaged"
SEED = 20080612

Pages = list[str]


# --- damage injectors: each takes the pages of a document and returns damaged pages -----


def standard_encoding(pages: Pages, rng: random.Random) -> Pages:
    """A Windows font read as StandardEncoding; the cover of a deck keeps an intact font."""
    intact_cover = len(pages) > 4
    return [
        page if (intact_cover and number == 0) else "".join(damaged_form(c) for c in page)
        for number, page in enumerate(pages)
    ]


def utf8_as_latin1(pages: Pages, rng: random.Random) -> Pages:
    """UTF-8 read as Windows-1252 on about half the lines, twice over on some."""

    def damage(line: str) -> str:
        if rng.random() < 0.5 or line.isascii():
            return line
        times = 2 if rng.random() < 0.25 else 1
        for _ in range(times):
            line = line.encode("utf-8").decode("sloppy-windows-1252")
        return line

    return [_per_line(page, damage) for page in pages]


def doubled_text(pages: Pages, rng: random.Random) -> Pages:
    """Shadowed titles: short title lines drawn twice, glued, after a space or letter by letter."""

    def damage(line: str) -> str:
        if not _is_title(line) or rng.random() < 0.3:
            return line
        shape = rng.choice(["glued", "spaced", "run", "letters"])
        if shape == "spaced" and line[-1] not in ".!?:;,":
            return f"{line} {line}"
        if shape == "run" and ". " in line[:6]:  # the number once, the title twice
            number, title = line.split(" ", 1)
            return f"{number} {title}{title}"
        if shape == "letters" and len(line) < 40:
            return "".join(c * 2 if c != " " else c for c in line)
        return line + line

    return [_per_line(page, damage) for page in pages]


def layout(pages: Pages, rng: random.Random) -> Pages:
    """What PDF and office exports do to lines: ligatures, soft hyphens, words broken at line
    ends (and compounds broken at their hyphen), decomposed accents, spaces, blank lines."""

    def damage(line: str) -> str:
        line = line.replace("ffi", "ﬃ").replace("fi", "ﬁ").replace("fl", "ﬂ")
        words = line.split(" ")
        for index, word in enumerate(words):
            roll = rng.random()
            if "-" in word and word[0].isupper() and roll < 0.5:
                head, tail = word.rsplit("-", 1)
                words[index] = f"{head}-\n{tail}"
            elif word.isalpha() and word.islower() and len(word) >= 8 and roll < 0.15:
                cut = rng.randint(3, len(word) - 3)
                words[index] = f"{word[:cut]}-\n{word[cut:]}"
            elif word.isalpha() and len(word) >= 8 and roll < 0.2:
                cut = rng.randint(3, len(word) - 3)
                words[index] = f"{word[:cut]}\u00ad{word[cut:]}"
        line = " ".join(words)
        if rng.random() < 0.2:
            line = unicodedata.normalize("NFD", line)
        if rng.random() < 0.2:
            line = line.replace(" ", "  ", 2)
        if rng.random() < 0.2:
            line += " \t"
        return line

    damaged = [_per_line(page, damage) for page in pages]
    return [page.replace("\n\n", "\n\n\n\n", 2) for page in damaged]


def furniture(pages: Pages, rng: random.Random) -> Pages:
    """The title as running header, a footer and a page number on every page but the cover."""
    if len(pages) < 3:
        return pages
    total = len(pages)
    header = pages[0].strip("\n").split("\n")[0]
    result = [pages[0]]
    for number, page in enumerate(pages[1:], 2):
        footer = rng.choice([f"Page {number} / {total}", f"- {number} -", str(number)])
        result.append(f"{header}\n{page.strip(chr(10))}\nCRES Bretagne – 2008\n{footer}\n")
    return result


def mixed(pages: Pages, rng: random.Random) -> Pages:
    """Everything a document can suffer at once, in the order it happens."""
    pages = doubled_text(pages, rng)
    pages = standard_encoding(pages, rng) if len(pages) > 1 else utf8_as_latin1(pages, rng)
    pages = layout(pages, rng)
    return furniture(pages, rng)


INJECTORS: dict[str, Callable[[Pages, random.Random], Pages]] = {
    "standard_encoding": standard_encoding,
    "utf8_as_latin1": utf8_as_latin1,
    "doubled_text": doubled_text,
    "layout": layout,
    "furniture": furniture,
    "mixed": mixed,
}


def _per_line(page: str, damage: Callable[[str], str]) -> str:
    return "\n".join(damage(line) if line else line for line in page.split("\n"))


def _is_title(line: str) -> bool:
    return 3 < len(line) < 60 and (line[0].isupper() or line[0].isdigit()) and " : " not in line


# --- the check ---------------------------------------------------------------------------


def write_fixtures() -> None:
    DAMAGED_DIR.mkdir(parents=True, exist_ok=True)
    for truth in sorted(TRUE_DIR.glob("*.txt")):
        pages = truth.read_text(encoding="utf-8").split(PAGE_BREAK)
        for name, inject in INJECTORS.items():
            damaged = inject(pages, random.Random(f"{SEED}-{truth.stem}-{name}"))
            if damaged == pages:
                continue
            target = DAMAGED_DIR / f"{truth.stem}.{name}.txt"
            target.write_text(PAGE_BREAK.join(damaged), encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")


def measure() -> int:
    rows: list[tuple[str, str, int, int, int]] = []
    for truth_path in sorted(TRUE_DIR.glob("*.txt")):
        truth = fixture_document(truth_path).text
        candidates = [("clean", truth_path)] + [
            (path.name.split(".")[1], path)
            for path in sorted(DAMAGED_DIR.glob(f"{truth_path.stem}.*.txt"))
        ]
        for damage, path in candidates:
            document = fixture_document(path)
            repaired = repair_document(document).document.text
            before = levenshtein(truth, document.text)
            after = levenshtein(truth, repaired)
            rows.append((truth_path.stem, damage, len(truth), before, after))

    print("character error rate (edit distance / length of the true text), in %")
    print(f"{'document':<28}{'damage':<20}{'chars':>7}{'before':>10}{'after':>10}")
    for document, damage, chars, before, after in rows:
        figures = _percent(before, chars) + _percent(after, chars)
        print(f"{document:<28}{damage:<20}{chars:>7}{figures}")
    print()
    for damage in ["clean", *INJECTORS]:
        _total(f"all {damage}", [r for r in rows if r[1] == damage])
    _total("all damaged fixtures", [r for r in rows if r[1] != "clean"])
    throughput()
    worse = [r for r in rows if r[4] > r[3] or (r[1] == "clean" and r[4])]
    return 1 if worse else 0


def _percent(errors: int, chars: int) -> str:
    return f"{100 * errors / chars:>10.3f}"


def _total(label: str, rows: list[tuple[str, str, int, int, int]]) -> None:
    if rows:
        chars = sum(r[2] for r in rows)
        before, after = sum(r[3] for r in rows), sum(r[4] for r in rows)
        print(f"{label:<48}{chars:>7}{_percent(before, chars)}{_percent(after, chars)}")


def throughput(rounds: int = 20) -> None:
    documents = [fixture_document(p) for p in sorted(DAMAGED_DIR.glob("*.txt"))]
    documents += [fixture_document(p) for p in sorted(TRUE_DIR.glob("*.txt"))]
    size = sum(len(d.text.encode("utf-8")) for d in documents)
    pages = sum(len(d.sections) for d in documents)
    cpu = time.process_time()
    for _ in range(rounds):
        for document in documents:
            repair_document(document)
    cpu = time.process_time() - cpu
    print(
        f"\nthroughput on the fixtures: {size * rounds / cpu / 1e6:.2f} MB per CPU second "
        f"({len(documents)} documents, {size} bytes, {pages} sections, "
        f"{cpu / (rounds * pages) * 1000:.2f} ms per section, {rounds} rounds)"
    )


def big(megabytes: float, damage: str) -> None:
    """Time repair_text on one line of `megabytes` MB made of the fixtures of `damage`."""
    from indexer.repair import repair_text

    paths = (
        sorted(TRUE_DIR.glob("*.txt"))
        if damage == "clean"
        else sorted(DAMAGED_DIR.glob("*.txt" if damage == "all" else f"*.{damage}.txt"))
    )
    sample = " ".join(
        p.read_text(encoding="utf-8").replace("\n", " ").replace(PAGE_BREAK, " ") for p in paths
    )
    size = int(megabytes * 1e6)
    text = sample * (size // len(sample.encode("utf-8")) + 1)
    text = text.encode("utf-8")[:size].decode("utf-8", errors="ignore")
    start, cpu = time.perf_counter(), time.process_time()
    _, changes = repair_text(text)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"one line of {size / 1e6:.1f} MB ({damage}) repaired in {elapsed:.2f} s, "
        f"{cpu:.2f} s of CPU ({size / 1e6 / cpu:.2f} MB/s of CPU): {dict(changes)}"
    )


def corpus(folder: Path) -> int:
    """Extract every document of `folder`; show what repair changes beyond whitespace."""
    from indexer.extract.registry import default_registry

    registry = default_registry()
    changed = 0
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".pdf", ".docx", ".odt", ".html", ".txt", ".md"}:
            continue
        if path.name == "README.md":
            continue
        raw = registry.extract(path)
        result = repair_document(raw)
        before, after = _words(raw.text), _words(result.document.text)
        status = "same words" if before == after else "WORDS CHANGED"
        changed += before != after
        print(f"{path.name:<60}{status:<15}{dict(result.changes)}")
        if before != after:
            print(f"    edit distance {levenshtein(' '.join(before), ' '.join(after))}")
    return 1 if changed else 0


def _words(text: str) -> list[str]:
    return text.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="regenerate the damaged fixtures")
    parser.add_argument("--big", type=float, metavar="MB", help="time one single-line text")
    parser.add_argument(
        "--corpus", type=Path, metavar="FOLDER", help="check a library of clean documents"
    )
    parser.add_argument(
        "--damage",
        default="clean",
        help="fixtures the --big text is made of: clean, all, or a damage name",
    )
    args = parser.parse_args()
    if args.write:
        write_fixtures()
        return 0
    if args.big:
        big(args.big, args.damage)
        return 0
    if args.corpus:
        return corpus(args.corpus)
    return measure()


if __name__ == "__main__":
    sys.exit(main())

"""Fault injection: `kill -9` at seeded random moments of `kb ingest`, `kb reindex`, a
curator's write (a tag correction, a collection edit) and `kb backup`.

Each iteration copies a small library (with curators' corrections and a collection),
starts one command in its own process, waits for a moment chosen from what the command
has observably done (documents in the catalog, commits of the new index, the files of a
backup being written, the catalog open), adds a random delay, checks the command is still
running and kills its main process with SIGKILL (its helpers must end by themselves).
Then:

- no process of the killed command is left (its process tree and its process group);
- the library opens and answers a search;
- nothing committed before the kill is lost: the corrections, collection entries and
  audit entries are all still there, and the killed write is there whole or not at all;
- a killed backup never looks complete: its destination is absent or verifies;
- after the next command (the same one, run to its end) `kb stats` counts agree: every
  document of the catalog is indexed, and a word of every document finds them all.

The moments come from `random.Random(seed, iteration)`: KB_FAULT_SEED changes the seed
(printed with any failure), KB_FAULT_ITERATIONS the number of iterations (4 by default,
one per command, so that `make test` stays quick; 24 or more for a thorough run:
`KB_FAULT_ITERATIONS=24 pytest tests/e2e/test_fault_injection.py`).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.backup import verify
from kb.cli import cli
from kb.library import Library
from kb.settings import DEFAULT_VOCABULARY
from tests.e2e.test_crash import WORDS
from tests.e2e.test_orphans import descendants, survivors, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

SEED = int(os.environ.get("KB_FAULT_SEED", "20261203"))
ITERATIONS = int(os.environ.get("KB_FAULT_ITERATIONS", "4"))
COMMANDS = ("ingest", "reindex", "curation", "backup")
BASE = 160  # documents of the library each iteration starts from
MORE = 160  # files the killed ingest adds
FAMILIES = ("associations", "cooperatives", "mutuelles", "fondations")
TERRITORIES = ("bretagne", "finistere", "pays-de-rennes", "pays-de-vannes")


def make_notes(folder: Path, start: int, count: int) -> None:
    folder.mkdir(parents=True)
    for i in range(start, start + count):
        body = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(300))
        (folder / f"note-{i:04d}.txt").write_text(f"Note {i}\n\n{body} marqueur{i}\n", "utf-8")


def kb(library: Path, *args: str) -> str:
    """A command run to its end, in this process; its output."""
    result = CliRunner().invoke(
        cli, ["--library", str(library), "--vocabulary", str(DEFAULT_VOCABULARY), *args]
    )
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


@dataclass(frozen=True)
class Base:
    library: Path
    docs: Path
    ids: tuple[str, ...]
    collection: str


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    root = tmp_path_factory.mktemp("faults")
    docs, library = root / "docs", root / "library"
    make_notes(docs / "a", 0, BASE)
    make_notes(docs / "b", BASE, MORE)
    kb(library, "ingest", "-q", "--workers", "2", str(docs / "a"))
    with Library.open(library, DEFAULT_VOCABULARY) as lib:
        ids = tuple(sorted(d.id for d in lib.catalog.documents()))
    kb(library, "tag", "set", ids[0], "family", "mutuelles")
    kb(library, "tag", "add", ids[1], "territory", "finistere")
    kb(library, "collection", "create", "Groupe de travail")
    collection = "groupe-de-travail"
    kb(library, "collection", "add", collection, ids[0], ids[1])
    return Base(library, docs, ids, collection)


@dataclass(frozen=True)
class State:
    """What the catalog holds that curators committed."""

    corrections: frozenset[tuple[str, str, str]]
    entries: frozenset[tuple[str, str]]
    audit: frozenset[int]


def committed(library: Path) -> State:
    db = sqlite3.connect(f"file:{library / 'catalog.sqlite'}?mode=ro", uri=True, timeout=30)
    try:
        return State(
            frozenset(db.execute(
                "SELECT document_id, field, value FROM tags WHERE origin = 'curator'")),
            frozenset(db.execute("SELECT collection_id, document_id FROM collection_entries")),
            frozenset(r[0] for r in db.execute("SELECT id FROM audit")),
        )
    finally:
        db.close()


def documents_in_catalog(library: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{library / 'catalog.sqlite'}?mode=ro", uri=True, timeout=30)
    except sqlite3.OperationalError:
        return 0
    try:
        return db.execute("SELECT count(*) FROM documents").fetchone()[0]  # type: ignore[no-any-return]
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def new_segments(folder: Path) -> int:
    """Segments the index being built holds (-1: not started or swapped in already)."""
    try:
        return len({n.split(".")[0] for n in os.listdir(folder) if n.endswith(".store")})
    except FileNotFoundError:
        return -1


def holds_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path)
                   for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


@dataclass(frozen=True)
class Plan:
    """One killed command: its arguments, when to kill it, what it may change."""

    args: tuple[str, ...]
    moment: str  # said with a failure
    reached: Callable[[int], bool]  # the observed progress (given the command's pid)
    delay: float  # then this long more
    write: tuple[str, str, str] | None = None  # the correction the command makes, if any


def plan(command: str, rng: random.Random, base: Base, library: Path, dest: Path) -> Plan:
    if command == "ingest":
        target = BASE + rng.randrange(0, MORE - 40)
        return Plan(("ingest", "-q", "--workers", "2", str(base.docs)),
                    f"{target} documents in the catalog",
                    lambda pid: documents_in_catalog(library) >= target, rng.uniform(0, 0.2))
    if command == "reindex":
        segments = rng.randrange(0, 3)
        return Plan(("reindex", "-q"), f"{segments} segments written in index.new",
                    lambda pid: new_segments(library / "index.new") >= segments,
                    rng.uniform(0, 0.2))
    if command == "curation":
        doc = rng.choice(base.ids[2:])
        delay = rng.uniform(0, 0.25)
        if rng.random() < 0.5:
            value = rng.choice(FAMILIES)
            return Plan(("tag", "set", doc, "family", value), "the catalog open", lambda pid:
                        holds_open(pid, library / "catalog.sqlite"), delay,
                        write=(doc, "family", value))
        return Plan(("collection", "add", base.collection, doc), "the catalog open",
                    lambda pid: holds_open(pid, library / "catalog.sqlite"), delay,
                    write=(base.collection, doc, ""))
    assert command == "backup"
    stage = rng.choice(["", "catalog.sqlite", "index", "manifest.json"])

    def reached(pid: int) -> bool:
        partial = dest.with_name(f".{dest.name}.partial-{pid}")
        return (partial / stage).exists() if stage else partial.exists()

    return Plan(("backup", str(dest)), f"the backup's {stage or 'folder'} written",
                reached, rng.uniform(0, 0.05))


def start(library: Path, args: tuple[str, ...]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kb", "--library", str(library), "--vocabulary",
         str(DEFAULT_VOCABULARY), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, to find whatever it started
    )


def kill_at(process: subprocess.Popen[bytes], what: Plan) -> bool:
    """Kill the command's main process with SIGKILL at the planned moment; False if it
    ended before. Every process it started must end by itself."""
    deadline = time.monotonic() + 120
    tree: dict[int, str] = {}
    try:
        while not what.reached(process.pid):
            if process.poll() is not None:
                return False
            assert time.monotonic() < deadline, f"no {what.moment} in 120 s"
            time.sleep(0.005)
        time.sleep(what.delay)
        tree = descendants(process.pid)
        if process.poll() is not None:
            return False
    finally:  # whatever happens, the command is killed now
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
    try:
        # A forkserver whose parent was killed while it still imported (seconds on a loaded
        # machine) notices only once its watch thread runs: a bound for a hang, not a speed.
        wait_for(lambda: not survivors(tree, process.pid), 60,
                 f"the processes of the killed command to end: {survivors(tree, process.pid)}")
    finally:
        for pid in survivors(descendants(process.pid), process.pid):  # never leave them
            os.kill(pid, signal.SIGKILL)
    return True


@pytest.mark.parametrize("iteration", range(ITERATIONS))
def test_kill_9_at_a_random_moment(base: Base, tmp_path: Path, iteration: int) -> None:
    command = COMMANDS[iteration % len(COMMANDS)]
    rng = random.Random(f"{SEED}-{iteration}")
    for attempt in range(4):  # a command that ended before its moment: an earlier one
        library, dest = tmp_path / f"library-{attempt}", tmp_path / f"backup-{attempt}"
        shutil.copytree(base.library, library)
        # A correction committed just before: it must survive whatever follows.
        kb(library, "tag", "set", rng.choice(base.ids), "territory", rng.choice(TERRITORIES))
        before = committed(library)
        what = plan(command, rng, base, library, dest)
        if attempt:
            what = Plan(what.args, what.moment, what.reached, what.delay / 4, what.write)
        context = f"seed {SEED}, iteration {iteration}: {command} killed at {what.moment} " \
                  f"+ {what.delay:.3f} s"
        if kill_at(start(library, what.args), what):
            break
    else:
        pytest.fail(f"{context}: the command always ended before its moment")

    # The library opens and answers.
    with Library.open(library, DEFAULT_VOCABULARY, create=False) as lib:
        lib.search("économie")
    # Nothing committed is lost; the killed write is there whole or not at all.
    after = committed(library)
    assert before.corrections <= after.corrections, context
    assert before.entries <= after.entries, context
    assert before.audit <= after.audit, context
    if what.write is not None:
        new = after.audit - before.audit
        if command == "curation" and what.args[0] == "tag":
            applied = what.write in after.corrections
        else:
            applied = what.write[:2] in after.entries
        assert len(new) == (1 if applied else 0), (context, applied, new)
    else:
        assert after.corrections == before.corrections, context
    if command == "backup" and dest.exists() and any(dest.iterdir()):
        verify(dest)  # a killed backup never looks complete

    # The next command, run to its end; then the counts agree.
    if command == "backup":
        kb(library, "backup", "--force", str(dest))
        manifest = verify(dest)
        assert manifest["counts"]["audit"] >= len(after.audit), context
        assert not [p for p in dest.parent.iterdir() if ".partial-" in p.name], context
    else:
        kb(library, *(a for a in what.args if a != "-q"))
    stats = json.loads(kb(library, "stats", "--json"))
    expected = BASE + (MORE if command == "ingest" else 0)
    assert (stats["documents"], stats["indexed"], stats["out_of_index"]) == (
        expected, expected, 0), (context, stats)
    with Library.open(library, DEFAULT_VOCABULARY, create=False) as lib:
        assert lib.index.doc_count() == expected, context
        assert lib.search("économie").total == expected, context
        assert lib.search(f"marqueur{expected - 1}").total == 1, context
    final = committed(library)
    assert after.corrections <= final.corrections and after.entries <= final.entries, context


def test_an_index_swap_killed_between_its_renames_is_undone_at_open(base: Base,
                                                                     tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(base.library, library)
    # What `kb reindex` leaves if killed between `index -> index.old` and
    # `index.new -> index` (too short a moment for the random kills to hit).
    shutil.copytree(library / "index", library / "index.new")
    (library / "index").rename(library / "index.old")
    with Library.open(library, DEFAULT_VOCABULARY, create=False) as lib:
        assert lib.search("économie").total == BASE
    stats = json.loads(kb(library, "stats", "--json"))
    assert (stats["documents"], stats["indexed"]) == (BASE, BASE)
    kb(library, "reindex", "-q")
    assert not (library / "index.old").exists() and not (library / "index.new").exists()

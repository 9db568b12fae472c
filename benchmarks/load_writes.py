"""The API under load with writes: clients mixing distinct searches, document pages and
curators' writes on a real `kb serve`, while `kb ingest` adds files to the same library.

    .venv/bin/python -m benchmarks.load_writes [--files 600] [--seconds 60] [--processes 2]

What it checks (issue 25's targets): no answer 5xx, no request over 2 s, and every write
the server acknowledged is in the catalog and, once the index has followed, found by a
search. Each client writes to documents of its own, so the last write it saw acknowledged
on a document is that document's value at the end. `tests/e2e/test_load_writes.py` runs a
short version in `make test`; this command runs the long one and prints the figures
(medians and p95 per kind of request, with the load average).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.procs import end
from kb.settings import DEFAULT_VOCABULARY, PROJECT_ROOT

CLIENTS = 8
MISSIONS = ("amelioration", "developpement", "capitalisation", "diffusion", "representation")
SLOW_SECONDS = 2.0


@dataclass
class Tally:
    """What the clients saw: latencies per kind, 5xx answers, acknowledged writes."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)  # doc id -> last mission acknowledged
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)

    def slowest(self) -> float:
        return max((max(t) for t in self.times.values() if t), default=0.0)

    def summary(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for kind, values in sorted(self.times.items()):
            ordered = sorted(values)
            out[kind] = {
                "requests": len(ordered),
                "p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
                "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
                "max_ms": round(1000 * ordered[-1], 1),
            }
        out["errors"] = len(self.errors)
        out["writes_acknowledged"] = len(self.written)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kb(library: Path, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "kb", "--library", str(library), "--vocabulary",
               str(DEFAULT_VOCABULARY), *args]  # fmt: skip
    return subprocess.Popen(command, cwd=PROJECT_ROOT, **popen)  # type: ignore[call-overload]


def make_files(folder: Path, count: int, words: Sequence[str], seed: int = 7) -> None:
    """`count` small French text files, each with a title line and a few paragraphs."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        title = " ".join(rng.choice(words) for _ in range(5)).capitalize()
        body = "\n\n".join(" ".join(rng.choice(words) for _ in range(80)) for _ in range(4))
        (folder / f"note-{n:04d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def corpus_words() -> list[str]:
    """Words of the sample library's texts (the queries and the files are made of them)."""
    text = " ".join(p.read_text(encoding="utf-8", errors="replace")
                    for p in (PROJECT_ROOT / "corpus").glob("*.txt"))  # fmt: skip
    return sorted({w.strip(".,;:()«»\"'’").lower() for w in text.split()
                   if w.isalpha() and len(w) > 3})  # fmt: skip


def wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not answer in {timeout:.0f} s")


def client(port: int, token: str, own: Sequence[str], readable: Sequence[str],
           words: Sequence[str], deadline: float, tally: Tally, seed: int) -> None:  # fmt: skip
    """One keep-alive client: 70% distinct searches, 20% documents, 10% writes to its own
    documents, until `deadline`; an admin's token for all (it sees every document)."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    auth = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.7 or not readable:
            kind = "search"
            query = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
            target = "/api/v1/search?" + urllib.parse.urlencode({"q": query, "facets": "true"})
            method, body, headers = "GET", None, auth
        elif roll < 0.9 or not own:
            kind = "document"
            target = f"/api/v1/documents/{rng.choice(readable)}"
            method, body, headers = "GET", None, auth
        else:
            kind = "write"
            doc, mission = rng.choice(own), rng.choice(MISSIONS)
            target = f"/api/v1/documents/{doc}/tags/mission"
            method, body = "PUT", json.dumps({"values": [mission]}).encode()
            headers = {**auth, "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            tally.errors.append(f"{method} {target}: {exc!r}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        tally.add(kind, time.perf_counter() - started)
        if response.status >= 500:
            tally.errors.append(f"{method} {target}: {response.status}")
        elif kind == "write" and response.status == 200:
            with tally.lock:
                tally.written[doc] = mission
    connection.close()


def run(library: Path, *, files: int, seconds: float, processes: int = 2,
        clients: int = CLIENTS, work: Path | None = None,
        slow_seconds: float = SLOW_SECONDS) -> dict[str, object]:  # fmt: skip
    """Serve `library`, ingest `files` new files into it and load it for `seconds`; then
    check every acknowledged write. Returns the figures and what went wrong (`problems`),
    a request over `slow_seconds` among them."""
    work = work or Path(tempfile.mkdtemp(prefix="kb-load-"))
    words = corpus_words()
    make_files(work / "incoming", files, words)
    token_out = subprocess.run(
        [sys.executable, "-m", "kb", "--library", str(library), "token", "create", "--role",
         "admin", "--name", f"load-{os.getpid()}-{time.time_ns()}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    token = token_out.stdout.strip()  # the token alone goes to standard output
    ids = _document_ids(library)
    port = free_port()
    log = open(work / "serve.log", "wb")  # noqa: SIM115 (closed below)
    server = kb(library, "serve", "--port", str(port), "--processes", str(processes),
                stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    problems: list[str] = []
    try:
        wait_ready(port)
        ingest = kb(library, "ingest", str(work / "incoming"), "--quiet",
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        tally = Tally()
        deadline = time.monotonic() + seconds
        shares = [ids[n::clients] for n in range(clients)]
        threads = [threading.Thread(target=client, args=(port, token, shares[n], ids, words,
                                                         deadline, tally, n))
                   for n in range(clients)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ingest_code = ingest.wait(timeout=600)
        if ingest_code != 0:
            problems.append(f"kb ingest exited {ingest_code}")
        problems += tally.errors[:20]
        if tally.slowest() > slow_seconds:
            problems.append(f"slowest request {tally.slowest():.2f} s > {slow_seconds} s")
        problems += _check_writes(port, token, tally.written)
        figures = tally.summary()
    finally:
        end(server, grace=20)
        log.close()
    figures["problems"] = problems
    figures["load_average"] = os.getloadavg()
    return figures


def _document_ids(library: Path) -> list[str]:
    from kb.library import Library

    with Library.open(library, DEFAULT_VOCABULARY, create=False) as lib:
        return [d.id for d in lib.catalog.documents(state="active")]


def _check_writes(port: int, token: str, written: dict[str, str],
                  timeout: float = 30.0) -> list[str]:  # fmt: skip
    """Every acknowledged write is in the catalog, and the index follows within
    `timeout` seconds (searched by its mission filter)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    auth = {"Authorization": f"Bearer {token}"}

    def get(target: str) -> dict[str, object]:
        connection.request("GET", target, headers=auth)
        response = connection.getresponse()
        payload = response.read()
        return dict(json.loads(payload)) if response.status == 200 else {}

    problems = []
    for doc, mission in written.items():
        tags = get(f"/api/v1/documents/{doc}/tags")
        values = (tags.get("tags") or {}).get("mission") if isinstance(tags, dict) else None
        if not values or mission not in str(values):
            problems.append(f"{doc}: acknowledged mission {mission}, catalog says {tags}")
    deadline = time.monotonic() + timeout
    missing = dict(written)
    while missing and time.monotonic() < deadline:
        for doc, mission in list(missing.items()):
            query = urllib.parse.urlencode({"q": f"mission:{mission}", "size": 100})
            hits = get(f"/api/v1/search?{query}").get("hits") or []
            if any(isinstance(h, dict) and h.get("id") == doc for h in hits):  # type: ignore[union-attr]
                del missing[doc]
        if missing:
            time.sleep(0.5)
    problems += [f"{doc}: mission {m} acknowledged but not found by a search after "
                 f"{timeout:.0f} s" for doc, m in missing.items()]  # fmt: skip
    connection.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--library", type=Path, help="an existing library (copied first)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kb-load-"))
    library = work / "library"
    if args.library:
        shutil.copytree(args.library, library)
    else:
        subprocess.run([sys.executable, "-m", "kb", "--library", str(library), "ingest",
                        "corpus", "--quiet"], cwd=PROJECT_ROOT, check=True)  # fmt: skip
    figures = run(library, files=args.files, seconds=args.seconds, processes=args.processes,
                  work=work)  # fmt: skip
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

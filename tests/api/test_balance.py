"""`kb serve --processes 2`: keep-alive connections spread evenly over the processes, and
a process whose connections close takes the next ones (least connections)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.library import Library
from kb.settings import PROJECT_ROOT
from tests.conftest import stop

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc"),
]

PROCESSES = 2
CLIENTS = 8
# Imported at start-up by every process of the server: a sibling's turn that only a hung
# process would miss, on however loaded a machine (tests/balance_site/sitecustomize.py).
PATIENT = Path(__file__).parents[1] / "balance_site"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _established(port: int) -> dict[int, int]:
    """Socket inode -> client port of the established connections to 127.0.0.1:`port`."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state, inode = fields[1], fields[2], fields[3], int(fields[9])
        if state == "01" and int(local.split(":")[1], 16) == port:
            found[inode] = int(remote.split(":")[1], 16)
    return found


def _workers(server: int) -> list[Path]:
    """/proc entries of the worker processes of `server` (its spawned children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == server and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.append(entry)  # not multiprocessing's resource tracker, say
        except (OSError, ValueError, IndexError):  # a process that ended meanwhile
            continue
    return found


def _polling(server: int, port: int) -> int:
    """How many workers of `server` wait for connections on the listening socket: it is in
    their event loop's epoll set, so they have also claimed their place in the table."""
    listening = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
            listening.add(int(fields[9]))
    ready = 0
    for worker in _workers(server):
        try:
            fds = {fd.name for fd in (worker / "fd").iterdir()
                   if os.readlink(fd) in {f"socket:[{inode}]" for inode in listening}}
            polled = {line.split()[1] for info in (worker / "fdinfo").iterdir()
                      for line in info.read_text().splitlines() if line.startswith("tfd:")}
        except OSError:  # the worker ended meanwhile
            continue
        ready += bool(fds & polled)
    return ready


def _clients_by_process(server: int, port: int) -> dict[int, set[int]]:
    """Worker pid -> client ports of the connections it holds (children of `server`)."""
    connections = _established(port)
    out: dict[int, set[int]] = {}
    for entry in _workers(server):
        try:
            held = out.setdefault(int(entry.name), set())
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inode = int(target[8:-1])
                    if inode in connections:
                        held.add(connections[inode])
        except (OSError, ValueError, IndexError):  # a process that ended meanwhile
            continue
    return out


@pytest.fixture
def server(library: Library, vocabulary_path: Path, tmp_path: Path) -> Iterator[tuple[int, int]]:
    """(pid, port) of `kb serve --processes 2` on an empty library, both workers ready."""
    library.sync_index()
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "kb", "--library", str(library.root), "--vocabulary",
             str(vocabulary_path), "serve", "--port", str(port), "--processes", str(PROCESSES)],
            cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(PATIENT), str(PROJECT_ROOT)])},
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # seconds, on a loaded machine
        # Both workers polling the socket, not merely started: a connection that came
        # before the second one listens would go to the first, as it should.
        while _polling(process.pid, port) < PROCESSES:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the workers did not start: " + log.read_text()
            time.sleep(0.1)
        yield process.pid, port
    finally:
        stop(process)


def _connect(port: int) -> http.client.HTTPConnection:
    """A keep-alive connection that has had one answer (so a worker has accepted it)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/health")
    response = conn.getresponse()
    response.read()
    assert response.status == 200 and not response.will_close
    return conn


def _wait_for(check: object, what: str) -> None:
    deadline = time.monotonic() + 60  # fails only on a hang
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_keep_alive_connections_spread_evenly_and_refill_the_emptier_process(
    server: tuple[int, int],
) -> None:
    pid, port = server
    conns = [_connect(port) for _ in range(CLIENTS)]
    try:
        held = _clients_by_process(pid, port)
        assert sorted(len(ports) for ports in held.values()) == [4, 4], held
        # The connections of one process close: it now holds none, the other four, so
        # the next four connections all go to it.
        emptied, ports = next(iter(held.items()))
        for conn in [c for c in conns if c.sock.getsockname()[1] in ports]:
            conn.close()
            conns.remove(conn)
        _wait_for(lambda: not _clients_by_process(pid, port).get(emptied),
                  f"process {emptied} still holds connections")  # fmt: skip
        new = [_connect(port) for _ in range(4)]
        conns += new
        again = _clients_by_process(pid, port)
        assert {c.sock.getsockname()[1] for c in new} == again[emptied], again
    finally:
        for conn in conns:
            conn.close()

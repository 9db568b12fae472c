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


def _clients_by_process(server: int, port: int) -> dict[int, set[int]]:
    """Worker pid -> client ports of the connections it holds (children of `server`)."""
    connections = _established(port)
    out: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent != server or b"spawn_main" not in (entry / "cmdline").read_bytes():
                continue  # not a worker (multiprocessing's resource tracker, say)
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
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # seconds, on a loaded machine
        while log.read_text().count("Application startup complete") < PROCESSES:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        time.sleep(1.0)  # from the app's start to the listening socket
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
    deadline = time.monotonic() + 20
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

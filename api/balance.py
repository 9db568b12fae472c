"""Keep-alive connections spread evenly over the server processes (`kb serve --processes N`).

The worker processes share one listening socket. Left to themselves, whichever is awake
first accepts every connection waiting (asyncio accepts up to its backlog at each wake), and
with keep-alive a client stays with its process for good: 8 portal connections were seen
spread 7 and 1, so seven clients queued behind each other on one core while the other
core had one. Per-process sockets with SO_REUSEPORT would not fix it: the kernel picks a
socket by a hash of the client's address and port, even on average only (8 connections
over 2 sockets come 4 and 4 in about a quarter of the runs).

Here each process accepts only while it holds no more connections than the least loaded
of the others (least connections): a `FairListener` wraps the shared socket, and a table
in shared memory holds each live process's count of open connections. A process over its
share leaves the waiting connection to the others; after `MAX_DEFER` seconds of that (the
others busy or hung) it takes it anyway, so no connection waits on a stuck sibling.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import socket
import time
from multiprocessing.reduction import DupFd
from typing import Any

MAX_PROCESSES = 64  # slots in the table (`kb serve --processes` allows 1 to 64)
MAX_DEFER = 0.05  # seconds a process leaves a waiting connection to the others, at most
_PAUSE = 0.001  # while it leaves one: let a sibling take it rather than spin

_spawn = multiprocessing.get_context("spawn")  # uvicorn starts its workers so


class ConnectionTable:
    """Open connections per process (pid, count), in memory shared by the workers."""

    def __init__(self, slots: int = MAX_PROCESSES, shared: Any = None):
        self.slots = slots
        self._array = shared if shared is not None else _spawn.Array("q", 2 * slots)
        self._mine: int | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return ConnectionTable, (self.slots, self._array)

    def claim(self) -> int:
        """This process's slot: a free one, or one a dead process left (its count reset)."""
        pid = os.getpid()
        if self._mine is not None and self._array[2 * self._mine] == pid:
            return self._mine
        with self._array.get_lock():
            chosen = None
            for slot in range(self.slots):
                owner = self._array[2 * slot]
                if owner == pid or owner == 0 or not _alive(owner):
                    chosen = slot
                    break
            if chosen is None:
                raise RuntimeError(f"more than {self.slots} server processes")
            self._array[2 * chosen] = pid
            self._array[2 * chosen + 1] = 0
        self._mine = chosen
        return chosen

    def opened(self) -> None:
        slot = self.claim()
        self._array[2 * slot + 1] += 1  # only its own process writes a count

    def closed(self) -> None:
        slot = self.claim()
        self._array[2 * slot + 1] = max(0, self._array[2 * slot + 1] - 1)

    def counts(self) -> dict[int, int]:
        """pid -> open connections of every live process in the table."""
        found = {}
        for slot in range(self.slots):
            pid = self._array[2 * slot]
            if pid and (pid == os.getpid() or _alive(pid)):
                found[pid] = self._array[2 * slot + 1]
        return found

    def my_turn(self) -> bool:
        """Whether this process holds no more connections than the least loaded other."""
        counts = self.counts()
        mine = counts.pop(os.getpid(), 0)
        return not counts or mine <= min(counts.values())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process took the number: not ours
        return False
    return True


class _Counted(socket.socket):
    """An accepted connection that tells the table when it is closed (once)."""

    table: ConnectionTable | None = None

    def close(self) -> None:
        table, self.table = self.table, None
        if table is not None:
            table.closed()
        super().close()


class FairListener(socket.socket):
    """The shared listening socket, accepting only when it is this process's turn.

    Pickled to the worker processes with its table (as multiprocessing pickles a socket:
    the descriptor duplicated for the child).
    """

    def __init__(self, sock: socket.socket, table: ConnectionTable):
        super().__init__(sock.family, sock.type, sock.proto, fileno=sock.detach())
        self.table = table
        self._deferred_since: float | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (DupFd(self.fileno()), self.family, self.type, self.proto, self.table)

    def listen(self, backlog: int = 128, /) -> None:
        self.table.claim()  # before the first connection: the others must see this process
        super().listen(backlog)

    def accept(self) -> tuple[socket.socket, Any]:
        if not self.table.my_turn():
            waiting = select.select([self], [], [], 0)[0]
            now = time.monotonic()
            if not waiting:
                self._deferred_since = None
                raise BlockingIOError("no connection waiting")
            if self._deferred_since is None:
                self._deferred_since = now
            if now - self._deferred_since < MAX_DEFER:
                time.sleep(_PAUSE)  # the level-triggered loop would wake at once again
                raise BlockingIOError("another process's turn")
        plain, address = super().accept()
        self._deferred_since = None
        conn = _Counted(plain.family, plain.type, plain.proto, fileno=plain.detach())
        conn.table = self.table
        self.table.opened()
        return conn, address


def _rebuild(df: Any, family: int, kind: int, proto: int, table: ConnectionTable
             ) -> FairListener:
    plain = socket.socket(family, kind, proto, fileno=df.detach())
    return FairListener(plain, table)


__all__ = ["MAX_DEFER", "ConnectionTable", "FairListener"]

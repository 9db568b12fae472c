"""Imported by the multiprocessing forkserver only (`set_forkserver_preload`): end it with
the process that started it.

The forkserver forks the extraction workers. Python's forkserver outlives a parent killed
with `kill -9` (and with it the workers and the resource tracker), so this module starts a
thread in it that watches its parent and kills the forkserver once the parent is gone; the
workers, which asked for a signal when their parent dies, follow. A thread rather than
PR_SET_PDEATHSIG because the kernel sends that signal when the forking *thread* ends, and
a server may start the forkserver from a request thread that ends long before the process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

POLL_SECONDS = 0.5


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


def _in_forkserver() -> bool:
    return "multiprocessing.forkserver" in sys.modules and sys.argv[:1] == ["-c"]


if _in_forkserver():
    threading.Thread(target=_watch, args=(os.getppid(),), name="parent-watch",
                     daemon=True).start()

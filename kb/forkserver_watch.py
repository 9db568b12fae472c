"""Imported by the multiprocessing forkserver only (`set_forkserver_preload`): end it with
the process that started it.

The forkserver forks the extraction workers. Python's forkserver outlives a parent killed
with `kill -9` (and with it the workers and the resource tracker), so this module starts a
thread in it that watches its parent and kills the forkserver once the parent is gone; the
workers, which asked for a signal when their parent dies, follow. A thread rather than
PR_SET_PDEATHSIG because the kernel sends that signal when the forking *thread* ends, and
a server may start the forkserver from a request thread that ends long before the process.

The parent is the pid the kb process wrote in `PARENT_ENV` before starting the pool (the
forkserver inherits its environment), not the forkserver's parent as seen at import: on a
loaded machine the kb process can be killed while the forkserver still imports, and the
forkserver, adopted by init by then, would have watched init for ever.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

POLL_SECONDS = 0.5
PARENT_ENV = "KB_FORKSERVER_PARENT"


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


def _parent() -> int:
    try:
        return int(os.environ[PARENT_ENV])
    except (KeyError, ValueError):
        return os.getppid()


def _in_forkserver() -> bool:
    return "multiprocessing.forkserver" in sys.modules and sys.argv[:1] == ["-c"]


if _in_forkserver():
    threading.Thread(target=_watch, args=(_parent(),), name="parent-watch",
                     daemon=True).start()

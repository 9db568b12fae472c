"""Child processes that die with their parent: extraction workers and the converters they run.

A `kb ingest` killed with `kill -9` runs no cleanup code, so whatever it started must end
by itself. On Linux a process asks the kernel for a signal when its parent dies
(`prctl(PR_SET_PDEATHSIG)`); elsewhere these helpers do nothing more than start and time
the process. Converters (LibreOffice, Tesseract) go through `run_bounded`: their own
session and process group, killed as a whole past the time limit, and a SIGKILL from the
kernel if the worker that started them dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import ExtractionFailed
from indexer.messages import _

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent dies; True if set.

    The signal goes when the *thread* that forked this process ends, so call it only in a
    process started from a thread that lives as long as its parent process (a pool's
    workers, started by the process that owns the pool). Exits at once if the parent is
    already gone (reparented to init) before the request took effect.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):  # no libc prctl (musl without it, say)
        return False
    if os.getppid() == 1:  # the parent died between fork and prctl
        os._exit(1)
    return True


def _child_setup() -> None:  # runs in the child between fork and exec
    die_with_parent()


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: bytes
    stderr: bytes


def run_bounded(
    cmd: Sequence[str | Path],
    timeout: float,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
) -> Completed:
    """Run a converter to completion within `timeout` seconds and return what it printed.

    The converter gets its own session (so its whole process group can be killed, children
    included) and dies with the calling process (Linux: PR_SET_PDEATHSIG). Past `timeout`
    the group is killed and ExtractionFailed says so; a missing program is ExtractionFailed
    too. A non-zero exit status is returned for the caller to judge.

    A converter that forks and lets its first process exit (LibreOffice's `soffice`
    launcher) leaves grandchildren that no parent-death signal reaches: run the real
    program (`soffice.bin`) where there is a choice; the timeout's group kill covers them.
    """
    name = Path(str(cmd[0])).name
    try:
        process = subprocess.Popen(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_child_setup,  # noqa: PLW1509 - no threads in an extraction worker
        )
    except OSError as exc:
        raise ExtractionFailed(_("{name} could not be started: {value}",
                                 name=name, value=exc.strerror or exc)) from exc
    try:
        stdout, stderr = process.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ExtractionFailed(_("{name} took longer than {timeout:.0f} s",
                                 name=name, timeout=timeout)) from None
    except BaseException:
        _kill_group(process)
        raise
    finally:
        # A converter that exited but left its children running (daemonised helpers).
        _kill_group(process, only_leftovers=True)
    return Completed(process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen[bytes], *, only_leftovers: bool = False) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(process.pid, signal.SIGKILL)
    if not only_leftovers:
        process.communicate()

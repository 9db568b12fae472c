"""Running an external tool (LibreOffice, Tesseract) so that it cannot outlive its job.

The tool runs in a session of its own, and its whole process group is killed with SIGKILL
when the call returns, fails, times out or is interrupted (a caller's time limit raising
TimeoutError inside the wait). On Linux the tool is also killed when the process that
started it dies (PR_SET_PDEATHSIG), so an extraction worker killed by its pool leaves no
tool behind; and its address space is capped, like the workers'. The temporary folders
the tools work in carry the pid of their process, so that those of a killed process are
removed later.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MEMORY_LIMIT_BYTES = 4 * 1024**3
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: bytes
    stderr: bytes


def run_tool(
    command: list[str], *, env: dict[str, str], cwd: Path, timeout: float
) -> Finished:
    """Run `command` to its end; raises subprocess.TimeoutExpired after `timeout` seconds,
    with the tool and everything it started already killed."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=_limit_child,  # only prctl and setrlimit: safe between fork and exec
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        kill_group(process)
    return Finished(process.returncode, stdout, stderr)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group `process` leads (its session), then reap `process`."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a SIGKILL that did not land
        log.warning("process %d did not exit after SIGKILL", process.pid)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _prctl() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Looked up once, before any fork: the child only calls it.
_PRCTL = _prctl()


def _limit_child() -> None:
    """In the child, before exec: die with the parent, cap the address space."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)  # type: ignore[operator]
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(hard, MEMORY_LIMIT_BYTES)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def private_folder(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder named `<prefix><pid>-...`, after removing those of `prefix` whose
    process is gone (a worker killed with SIGKILL cannot clean up after itself)."""
    root = Path(tempfile.gettempdir())
    for stale in root.glob(f"{prefix}*-*"):
        pid = stale.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""LibreOffice, run headless, turns a legacy office file into a format we read.

One conversion is one `soffice.bin --convert-to` process with a user profile of its own in
a temporary folder (two conversions never share a profile, so they never wait on each
other's lock), run by `processes.run_tool`: its whole process group is killed when the
conversion ends, fails, times out or is interrupted, and it dies with its worker.

`soffice.bin` is run directly rather than through the `soffice` script and its `oosplash`
launcher, whose child would survive the launcher: it exits with status 81 after creating
a fresh profile and is then simply started again, as the launcher would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from indexer.extract.common import fail
from indexer.extract.processes import run_tool

RESTART_STATUS = 81  # "profile created, start me again"
_OUTPUT_TAIL = 300


def find_soffice() -> str | None:
    """The LibreOffice binary to run (soffice.bin beside the `soffice` script), or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            binary = Path(os.path.realpath(found)).parent / "soffice.bin"
            return str(binary) if binary.is_file() else found
    return None


def convert(
    soffice: str, source: Path, target: str, workdir: Path, timeout: float, *, shown: Path
) -> Path:
    """Convert `source` to format `target` ('pdf', 'ods', ...) under `workdir`; the path of
    the converted file.

    `workdir` must be a fresh private folder (it gets the profile and the output). `shown` is
    the file named in errors. Raises ExtractionFailed when LibreOffice fails, produces nothing
    or runs past `timeout` seconds; TimeoutError from the caller's own limit passes through.
    """
    outdir = workdir / "out"
    command = [
        soffice,
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    env = {
        "HOME": str(workdir),  # nothing written to the user's home
        "PATH": os.defpath,
        "LANG": "fr_FR.UTF-8",  # numbers and dates shown as a French reader sees them
        "TMPDIR": str(workdir),
    }
    deadline = time.monotonic() + timeout
    status, output = RESTART_STATUS, ""
    for _ in range(3):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise fail(shown, f"LibreOffice conversion took longer than {timeout:g} s")
        status, output = _run(command, env, remaining, shown, timeout)
        if status != RESTART_STATUS:
            break
    produced = sorted(outdir.glob(f"{source.stem}.*")) if outdir.is_dir() else []
    if not produced:
        tail = " ".join(output.split())[-_OUTPUT_TAIL:]
        raise fail(
            shown,
            f"LibreOffice could not convert it (exit status {status}"
            + (f": {tail}" if tail else "")
            + ")",
        )
    return produced[0]


def _run(
    command: list[str], env: dict[str, str], remaining: float, shown: Path, timeout: float
) -> tuple[int, str]:
    try:
        done = run_tool(command, env=env, cwd=Path(env["HOME"]), timeout=remaining)
    except subprocess.TimeoutExpired:
        raise fail(shown, f"LibreOffice conversion took longer than {timeout:g} s") from None
    output = (done.stdout + done.stderr).decode("utf-8", errors="replace")
    return done.returncode, output

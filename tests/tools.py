"""Optional system tools in tests: skip on a developer's machine, fail in CI.

LibreOffice, Tesseract and Chromium are optional at run time (the product says which
Debian package adds what). A test that needs one calls `require_tool`: without the tool
it is skipped with the package to install, unless `KB_REQUIRE_TOOLS=1` is set (as
`.ci/run` does after installing them), where a missing tool fails the test instead, so a
green CI run means the tool really ran.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ENV = "KB_REQUIRE_TOOLS"


def tools_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def require_tool(*commands: str, package: str) -> str:
    """Return the path of the first of `commands` on PATH, or skip/fail naming `package`."""
    for command in commands:
        found = shutil.which(command)
        if found:
            return found
    reason = f"{' or '.join(commands)} not found (apt-get install {package})"
    if tools_required():
        pytest.fail(f"{reason}; {REQUIRE_ENV} is set, so this tool must be installed")
    pytest.skip(reason)

"""Optional system tools in tests: skip on a developer's machine, fail in CI.

LibreOffice, Tesseract and Chromium are optional at run time (the product says which
Debian package adds what). A test that needs one calls `require_tool`: without the tool
it is skipped with the package to install, unless `KB_REQUIRE_TOOLS=1` is set (as
`.ci/run` does after installing them), where a missing tool fails the test instead, so a
green CI run means the tool really ran.

A tool can also be installed in part: LibreOffice's Writer without Calc or Impress (each
its own Debian package), Tesseract without its French model. A test that needs a part
asks for it (`require_libreoffice("calc")`, `require_tesseract_language("fra")`) and is
skipped or failed, the same way, naming the package of that part rather than erroring
half-way through a conversion.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE_ENV = "KB_REQUIRE_TOOLS"

# LibreOffice's parts and the Debian package of each (the headless ones `.ci/run` installs).
LIBREOFFICE_PARTS = {
    "writer": "libreoffice-writer-nogui",
    "calc": "libreoffice-calc-nogui",
    "impress": "libreoffice-impress-nogui",
}
TESSERACT_LANGUAGES = {"fra": "tesseract-ocr-fra", "eng": "tesseract-ocr-eng"}


def tools_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Skip the test for `reason` (a tool or part not installed), or fail it in CI."""
    if tools_required():
        pytest.fail(f"{reason}; {REQUIRE_ENV} is set, so this tool must be installed")
    pytest.skip(reason)


def require_tool(*commands: str, package: str) -> str:
    """Return the path of the first of `commands` on PATH, or skip/fail naming `package`."""
    for command in commands:
        found = shutil.which(command)
        if found:
            return found
    missing(f"{' or '.join(commands)} not found (apt-get install {package})")


def require_libreoffice(*parts: str) -> str:
    """The LibreOffice binary the extractors run (`Tools.find().soffice`), when LibreOffice
    and each of `parts` ('writer', 'calc', 'impress') are installed; else skip/fail naming
    the package of the first part missing."""
    from indexer.extract.convert import find_soffice

    require_tool("soffice", "libreoffice", package=LIBREOFFICE_PARTS[parts[0]])
    soffice = find_soffice()
    assert soffice is not None
    for part in parts:
        if not libreoffice_has(soffice, part):
            missing(f"LibreOffice is installed without {part.capitalize()} "
                    f"(apt-get install {LIBREOFFICE_PARTS[part]})")  # fmt: skip
    return soffice


@functools.cache
def libreoffice_has(soffice: str, part: str) -> bool:
    """Whether the LibreOffice install of `soffice` has `part` ('writer', 'calc'...).

    Each part's package brings its configuration module, `share/registry/<part>.xcd`
    (`share/.registry/` on Debian), which LibreOffice itself reads to know its modules: no
    module file, no import filters of that part, and a conversion fails with no reason. An
    install laid out otherwise (no registry folder found) is taken to have every part.
    """
    share = Path(os.path.realpath(soffice)).parent.parent / "share"
    folders = [share / "registry", share / ".registry"]
    if not any(folder.is_dir() for folder in folders):
        return True
    return any((folder / f"{part}.xcd").is_file() for folder in folders)


def require_tesseract(*languages: str) -> str:
    """The `tesseract` command, when it and its models for `languages` ('fra', 'eng') are
    installed; else skip/fail naming the package that is missing."""
    tesseract = require_tool("tesseract", package="tesseract-ocr " + " ".join(
        TESSERACT_LANGUAGES[lang] for lang in languages))  # fmt: skip
    listed = tesseract_languages(tesseract)
    for lang in languages:
        if lang not in listed:
            missing(f"Tesseract is installed without its {lang!r} model "
                    f"(apt-get install {TESSERACT_LANGUAGES[lang]})")  # fmt: skip
    return tesseract


@functools.cache
def tesseract_languages(tesseract: str) -> frozenset[str]:
    """The models `tesseract --list-langs` lists (first line: where they are)."""
    done = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=60)
    lines = done.stdout.decode("utf-8", "replace").splitlines()[1:]
    return frozenset(line.strip() for line in lines if line.strip())

"""Installs are reproducible: what runs is what requirements.lock says, and the lock agrees
with pyproject.toml's ranges.

`make` and `.ci/run` install with `-c requirements.lock`; these tests fail when the
environment was installed some other way (a newer release slipped in) or when someone
changed a range in pyproject.toml without re-locking (`make lock`, then `make test`).
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from kb.settings import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"


def locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert match, f"requirements.lock: {line!r} is not a `name==version` pin"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines += extra
    return [Requirement(line) for line in lines]


def test_every_installed_distribution_is_the_locked_version() -> None:
    pins = locked()
    wrong = []
    for name, version in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # a platform-only dependency (e.g. for another OS)
        if installed != version:
            wrong.append(f"{name}: installed {installed}, locked {version}")
    assert not wrong, "installed without the lock (make install uses -c requirements.lock):\n" \
        + "\n".join(wrong)


def test_every_declared_dependency_is_locked_within_its_range() -> None:
    pins = locked()
    problems = []
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name}: declared but not in requirements.lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement.name}: locked {pins[name]} is outside {requirement}")
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


def test_upper_bounds_admit_only_the_tested_major_release() -> None:
    """A range admits only the major release the suite ran with: `pypdfium2>=4.30,<6`
    admitted 5.x, which removed an API our OCR called, and no test said so."""
    pins = locked()
    problems = []
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        lowers = [s.version for s in requirement.specifier if s.operator == ">="]
        if name in pins and lowers:
            lowest_major = lowers[0].split(".")[0]
            tested_major = pins[name].split(".")[0]
            if lowest_major != tested_major and tested_major != "0":
                problems.append(f"{requirement}: lower bound's major {lowest_major} was "
                                f"not tested (locked {pins[name]})")
    assert not problems, "\n".join(problems)

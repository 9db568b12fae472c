"""Finding the files to ingest under the paths a user names, safely.

Only regular files are taken. Named pipes, sockets and devices are never opened (a pipe
would block the batch); symbolic links are followed only to a regular file inside the
ingested folder, and never to a folder (no loops, nothing outside what was asked).
Hidden files and folders (name starting with ".", listed as skipped) and curators'
sidecars are not documents, nor the files an ingested folder's `.kbignore` names (one glob
pattern a line, matched against the path relative to that folder and against the file
name; `#` starts a comment).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.sidecar import is_sidecar

IGNORE_FILE = ".kbignore"


@dataclass(frozen=True)
class Candidate:
    path: str  # absolute: the identity of the location in the catalog
    given: str  # as the user would name it: the argument to `kb ingest` joined with the rest
    root: str  # absolute path of the ingested folder (or of the file itself)
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    given: str
    reason: str


@dataclass(frozen=True)
class ScanResult:
    candidates: tuple[Candidate, ...]
    skipped: tuple[Skipped, ...]  # not documents, said why (pipes, outside links...)
    errors: tuple[Skipped, ...]  # asked for but unreadable (no such file, permission)
    folders: tuple[str, ...]  # absolute roots scanned completely: missing files count there


def scan(paths: Iterable[Path]) -> ScanResult:
    candidates: list[Candidate] = []
    skipped: list[Skipped] = []
    errors: list[Skipped] = []
    folders: list[str] = []
    seen: set[str] = set()
    for given in paths:
        given_str = str(given)
        absolute = os.path.abspath(given_str)
        try:
            info = os.lstat(absolute)
        except OSError as exc:
            errors.append(Skipped(given_str, _os_reason(exc)))
            continue
        if stat.S_ISLNK(info.st_mode):
            try:
                absolute = str(Path(absolute).resolve(strict=True))
                info = os.stat(absolute)
            except (OSError, RuntimeError) as exc:
                errors.append(Skipped(given_str, f"broken symbolic link ({exc})"))
                continue
        if stat.S_ISDIR(info.st_mode):
            root = str(Path(absolute).resolve())
            folders.append(root)
            _walk(root, given_str, candidates, skipped, errors, seen)
        elif stat.S_ISREG(info.st_mode):
            if absolute not in seen:
                seen.add(absolute)
                candidates.append(
                    Candidate(absolute, given_str, absolute, info.st_size, info.st_mtime_ns)
                )
        else:
            skipped.append(Skipped(given_str, f"not a regular file ({_kind(info.st_mode)})"))
    return ScanResult(tuple(candidates), tuple(skipped), tuple(errors), tuple(folders))


def _walk(
    root: str,
    given_root: str,
    candidates: list[Candidate],
    skipped: list[Skipped],
    errors: list[Skipped],
    seen: set[str],
) -> None:
    ignored = _ignore_patterns(Path(root) / IGNORE_FILE)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            errors.append(Skipped(_given(folder, root, given_root), _os_reason(exc)))
            continue
        subfolders = []
        for entry in entries:
            if _matches(entry.path, root, ignored) or entry.name == IGNORE_FILE:
                continue
            given = _given(entry.path, root, given_root)
            if entry.name.startswith("."):  # listed, as the README promises, not read
                what = "folder" if entry.is_dir(follow_symlinks=False) else "file"
                skipped.append(Skipped(given, f"hidden {what} (its name starts with a dot)"))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                errors.append(Skipped(given, _os_reason(exc)))
                continue
            path = entry.path
            if stat.S_ISLNK(info.st_mode):
                target = _link_target_inside(entry.path, root)
                if target is None:
                    skipped.append(
                        Skipped(given, "symbolic link to outside the ingested folder: not followed")
                    )
                    continue
                try:
                    info = os.stat(target)
                except OSError as exc:
                    errors.append(Skipped(given, _os_reason(exc)))
                    continue
                if not stat.S_ISREG(info.st_mode):
                    skipped.append(Skipped(given, "symbolic link to a folder: not followed"))
                    continue
            if stat.S_ISDIR(info.st_mode):
                subfolders.append(path)
            elif stat.S_ISREG(info.st_mode):
                if is_sidecar(Path(path)) or path in seen:
                    continue
                seen.add(path)
                candidates.append(Candidate(path, given, root, info.st_size, info.st_mtime_ns))
            else:
                skipped.append(Skipped(given, f"not a regular file ({_kind(info.st_mode)})"))
        stack.extend(reversed(subfolders))


def _ignore_patterns(path: Path) -> tuple[str, ...]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _matches(path: str, root: str, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    relative = os.path.relpath(path, root)
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _link_target_inside(link: str, root: str) -> str | None:
    try:
        target = Path(link).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return str(target) if target.is_relative_to(root) else None


def _given(path: str, root: str, given_root: str) -> str:
    return os.path.join(given_root, os.path.relpath(path, root))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _os_reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)

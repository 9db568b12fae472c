"""Curators extend the vocabulary file: a new term, or a new synonym for a term.

The file stays the curators' own: the change is a small text edit (a `[[field]]` table
inserted after the field's last term, or one `synonyms` array rewritten), so comments and
layout survive. The edited text is validated by loading it as a Vocabulary before it
replaces the file (atomically), and the change is in the audit trail. Automatic tags
follow when `kb retag` runs.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from indexer.messages import Field, _, literal
from kb import audit
from kb.actors import CURATORS, Actor
from kb.errors import Conflict, InvalidVocabulary, NotFound
from kb.library import Library
from kb.vocabulary import Vocabulary

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]\s*(?:#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")
_KEY = re.compile(r"""^\s*key\s*=\s*["']([^"']*)["']""")
_SYNONYMS = re.compile(r"^\s*synonyms\s*=")
_LABEL = re.compile(r"^\s*label\s*=")
_WIDTH = 96


def add_term(
    library: Library,
    path: Path,
    actor: Actor,
    field: str,
    key: str,
    label: str,
    *,
    synonyms: Sequence[str] = (),
    parent: str | None = None,
) -> Vocabulary:
    """Add a term to `field` in the vocabulary file at `path`; the new Vocabulary (also set
    on `library`). Conflict if the key or a name is taken; InvalidVocabulary for a bad key,
    field or parent (the file is then left as it was)."""
    actor.require(CURATORS, _("changing the vocabulary"))
    vocabulary = library.vocabulary
    if field not in vocabulary.fields:
        raise InvalidVocabulary(_("{field}: not a controlled field ({fields})", field=field,
                                  fields=", ".join(vocabulary.fields)))
    for name in (key, label, *synonyms):
        taken = vocabulary.resolve(field, name)
        if taken is not None:
            raise Conflict(_("{field}: {name!r} already names the term {key!r}",
                             field=Field(field), name=name, key=taken.key))
    lines = [f"[[{field}]]", f"key = {_string(key)}", f"label = {_string(label)}"]
    if synonyms:
        lines.append(f"synonyms = {_array(synonyms)}")
    if parent:
        lines.append(f"parent = {_string(parent)}")
    text = path.read_text(encoding="utf-8")
    updated = _insert_block(text, field, lines)
    fresh = _replace_file(path, updated)
    if fresh.get(field, key) is None:  # pragma: no cover - the insert always lands
        raise InvalidVocabulary(_("{path}: the new term {field}/{key} did not load", path=path,
                                  field=field, key=key))
    _record(library, actor, "vocabulary.term", field, key,
            {"key": key, "label": label, "synonyms": list(synonyms), "parent": parent})
    library.vocabulary = fresh
    return fresh


def add_synonym(
    library: Library, path: Path, actor: Actor, field: str, key: str, synonym: str
) -> Vocabulary:
    """Add a synonym to the term `key` of `field`; the new Vocabulary (also set on `library`).

    NotFound for an unknown term; Conflict if the synonym already names a term of the field.
    """
    actor.require(CURATORS, _("changing the vocabulary"))
    vocabulary = library.vocabulary
    term = vocabulary.get(field, key) if field in vocabulary.fields else None
    if term is None:
        raise NotFound(_("no term {key!r} in {field}; `GET /vocabulary` lists them",
                         key=key, field=Field(field)))
    synonym = " ".join(synonym.split())
    taken = vocabulary.resolve(field, synonym)
    if taken is not None:
        raise Conflict(_("{field}: {synonym!r} already names the term {key!r}",
                         field=Field(field), synonym=synonym, key=taken.key))
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start, end = _term_block(lines, field, key, path)
    new_line = f"synonyms = {_array([*term.synonyms, synonym], weak=term.weak)}\n"
    found = next((i for i in range(start, end) if _SYNONYMS.match(lines[i])), None)
    if found is not None:
        stop = _array_end(lines, found)
        lines[found:stop + 1] = [new_line]
    else:
        after = next((i for i in range(start, end) if _LABEL.match(lines[i])), start)
        lines.insert(after + 1, new_line)
    fresh = _replace_file(path, "".join(lines))
    _record(library, actor, "vocabulary.synonym", field, key,
            {"synonyms": [*term.synonyms, synonym]}, before={"synonyms": list(term.synonyms)})
    library.vocabulary = fresh
    return fresh


# --- helpers ---------------------------------------------------------------------------------


def _string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    return json.dumps(" ".join(value.split()), ensure_ascii=False)


def _array(
    values: Sequence[str], indent: int = len("synonyms = "), weak: Sequence[str] = ()
) -> str:
    """A TOML array, wrapped like the hand-written ones when it is long; the `weak` values
    written as `{ name = "...", weak = true }`."""
    items = [f"{{ name = {_string(v)}, weak = true }}" if v in weak else _string(v)
             for v in values]  # fmt: skip
    lines = [""]
    for item in items:
        if lines[-1] and indent + len(lines[-1]) + len(item) + 2 > _WIDTH:
            lines.append("")
        lines[-1] += (", " if lines[-1] else "") + item
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _insert_block(text: str, field: str, block: list[str]) -> str:
    """`text` with `block` after the last term of `field` (at the end if it has none)."""
    lines = text.splitlines(keepends=True)
    last = max((i for i, line in enumerate(lines) if _header(line) == field), default=None)
    if last is None:
        tail = "" if not text or text.endswith("\n") else "\n"
        return text + tail + "\n" + "\n".join(block) + "\n"
    at = next((i for i in range(last + 1, len(lines)) if _ANY_HEADER.match(lines[i])),
              len(lines))
    # Comments and blank lines just above the next header belong to the next section.
    while at > last + 1 and (not lines[at - 1].strip() or lines[at - 1].lstrip().startswith("#")):
        at -= 1
    insert = ["\n", *(line + "\n" for line in block)]
    if at < len(lines) and lines[at].strip():
        insert.append("\n")
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines[at:at] = insert
    return "".join(lines)


def _header(line: str) -> str | None:
    match = _HEADER.match(line)
    return match[1] if match else None


def _term_block(lines: list[str], field: str, key: str, path: Path) -> tuple[int, int]:
    """(first line after the header, end) of the `[[field]]` table whose key is `key`."""
    for i, line in enumerate(lines):
        if _header(line) != field:
            continue
        end = next((j for j in range(i + 1, len(lines)) if _ANY_HEADER.match(lines[j])),
                   len(lines))
        for j in range(i + 1, end):
            match = _KEY.match(lines[j])
            if match and match[1] == key:
                return i + 1, end
    raise InvalidVocabulary(_("{path}: cannot find the [[{field}]] table with key {key!r}",
                              path=path, field=field, key=key))


def _array_end(lines: list[str], start: int) -> int:
    """The line where the array that opens on line `start` closes (strings skipped)."""
    depth = 0
    quote: str | None = None
    for i in range(start, len(lines)):
        line = lines[i]
        j = 0
        while j < len(line):
            char = line[j]
            if quote:
                if char == "\\" and quote == '"':
                    j += 1
                elif char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth == 0:
                    return i
            j += 1
    raise InvalidVocabulary(_("unterminated synonyms array in the vocabulary file"))


def _replace_file(path: Path, text: str) -> Vocabulary:
    """Validate `text` as a vocabulary, then put it in place of `path` atomically."""
    handle, name = tempfile.mkstemp(prefix=".vocabulary-", suffix=".toml", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        fresh = Vocabulary.load(temporary)
        # Only problems the change brings: the file may have had some already.
        before = {_unsourced(p, str(path)) for p in Vocabulary.load(path).problems()}
        added = [p for p in fresh.problems() if _unsourced(p, name) not in before]
        if added:
            raise InvalidVocabulary(_("{path}: refused, the change would bring a problem: "
                                      "{problem}", path=path,
                                      problem=literal(_unsourced(added[0], name))))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Vocabulary.load(path)


def _unsourced(problem: str, source: str) -> str:
    return problem.removeprefix(source + ": ")


def _record(library: Library, actor: Actor, action: str, field: str, key: str,
            after: dict[str, object], before: dict[str, object] | None = None) -> None:
    with library.catalog.transaction():
        audit.record(library.catalog, actor, action, "vocabulary", f"{field}/{key}",
                     before=before, after=after)

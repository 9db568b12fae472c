"""The message catalogue: every message of the code has its French, none is stale, and the
messages render in each language (English by default, French with field labels).

`make messages` re-extracts kb/locale/messages.pot and merges it into the French .po; these
tests fail until it was run and the new entries translated.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from indexer.errors import KbError
from indexer.messages import Field, Message, _, joined, literal
from kb import messages
from kb.settings import PROJECT_ROOT

SOURCES = ("kb", "indexer", "api")
# KbErrors raised with plain English text: what only the command line shows (the CLI is
# English), or a protocol's own words for harvesters (OAI-PMH errors); docs/messages.md.
ENGLISH_ONLY = {
    "kb/backup.py", "kb/vocabulary.py", "kb/vocabulary_reading.py", "kb/oai/protocol.py", "kb/cli",
}  # fmt: skip


def code_messages() -> dict[str, list[str]]:
    """Message id -> where the code marks it, as Babel extracts them (`make messages`)."""
    found: dict[str, list[str]] = {}
    for source in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
                PROJECT_ROOT / source):
            assert isinstance(message, str), f"{source}/{filename}:{lineno}: {message!r}"
            found.setdefault(message, []).append(f"{source}/{filename}:{lineno}")
    return found


def catalogue(path: Path, locale: str | None = None) -> dict[str, str]:
    with path.open("rb") as stream:
        read = read_po(stream, locale=locale)
    return {str(m.id): str(m.string) if not m.fuzzy else "" for m in read if m.id}


def placeholders(text: str) -> set[str]:
    return {name.split("!")[0].split(".")[0] for _literal, name, _spec, _conv
            in string.Formatter().parse(text) if name is not None}


def test_every_message_of_the_code_has_its_french_and_none_is_stale() -> None:
    code = code_messages()
    french = catalogue(messages.po_file("fr"), "fr")
    untranslated = {m: where for m, where in code.items() if not french.get(m)}
    stale = sorted(set(french) - set(code))
    assert not untranslated, f"run `make messages` and translate: {untranslated}"
    assert not stale, f"run `make messages` (the code no longer has them): {stale}"
    assert len(code) > 150


def test_the_template_was_extracted_from_this_code() -> None:
    assert set(catalogue(messages.TEMPLATE)) == set(code_messages()), "run `make messages`"


def test_a_translation_uses_only_its_messages_placeholders() -> None:
    for english, french in catalogue(messages.po_file("fr"), "fr").items():
        assert placeholders(french) <= placeholders(english), (english, french)
        values = dict.fromkeys(placeholders(english), 1)
        assert french.format(**values)  # no stray brace: it renders


def test_every_mark_is_a_literal_english_text() -> None:
    """`_(text)` with a variable would be missed by the extraction: never translated."""
    wrong = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_"
                    and not (node.args and isinstance(node.args[0], ast.Constant)
                             and isinstance(node.args[0].value, str))):
                wrong.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert not wrong


def test_errors_a_page_or_the_api_shows_are_catalogue_messages() -> None:
    """A KbError raised with a plain string would show its English on a French page."""
    errors = _error_names()
    plain = []
    for path in _python_files():
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        if any(relative == e or relative.startswith(e + "/") for e in ENGLISH_ONLY):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name) and node.exc.func.id in errors
                    and node.exc.args
                    and isinstance(node.exc.args[0], ast.Constant | ast.JoinedStr)):
                plain.append(f"{relative}:{node.lineno}")
    assert not plain, f"raise these with _(...): {plain}"


def _python_files() -> list[Path]:
    return [p for source in SOURCES for p in sorted((PROJECT_ROOT / source).rglob("*.py"))]


def _error_names() -> set[str]:
    import api.errors  # noqa: F401  (the API's own KbErrors)
    import api.web.session  # noqa: F401
    import kb.errors  # noqa: F401

    names, todo = set(), [KbError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


# --- Rendering ---------------------------------------------------------------------------


def test_a_message_is_english_by_default_and_french_from_the_catalogue() -> None:
    message = _("{field}: unknown value {value!r} (closest: {values})",
                field=Field("territory"), value="cotes-darmor", values="cotes-d-armor")
    assert str(message) == "territory: unknown value 'cotes-darmor' (closest: cotes-d-armor)"
    assert messages.render(message) == str(message)
    assert messages.render(message, "fr") == (
        "Territoire : valeur inconnue « cotes-darmor » (les plus proches : cotes-d-armor)")


def test_nested_messages_and_literals_render_in_the_same_language() -> None:
    nested = _("{doing} needs a token with the role {allowed} (this one is {role})",
               doing=_("validating"), allowed="council", role="curator")
    assert messages.render(nested, "fr") == (
        "valider demande un jeton de rôle council (celui-ci est curator)")
    both = joined([_("invalid JSON"), literal("Expecting value: line 1")])
    assert messages.render(both, "fr") == "JSON invalide; Expecting value: line 1"
    assert str(both) == "invalid JSON; Expecting value: line 1"


def test_a_kb_error_keeps_its_message_and_says_it_in_english() -> None:
    error = KbError(_("no document with id {doc_id!r}", doc_id="abc"))
    assert str(error) == "no document with id 'abc'"
    assert messages.render(error.message, "fr") == "aucun document d'identifiant « abc »"
    assert KbError("plain words").message == literal("plain words")


@pytest.mark.parametrize(("field", "english", "french"), [
    ("kind", "kind", "Type de document"), ("size", "size", "size"),
])  # fmt: skip
def test_field_labels_are_looked_up_in_one_place(field: str, english: str, french: str
                                                 ) -> None:
    assert messages.field_label(field, "en") == english
    assert messages.field_label(field, "fr") == french


def test_an_untranslated_message_shows_its_english() -> None:
    assert messages.render(Message("not in the catalogue {x}", {"x": 1}), "fr") == (
        "not in the catalogue 1")

"""API tokens: created once, stored as a hash, listed, revoked; and `kb token ...`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kb.cli.tokens  # noqa: F401 - registers `kb token` on the group
from kb.cli import cli
from kb.errors import KbError, NotFound
from kb.library import CATALOG_FILE, Library
from kb.tokens import (
    PREFIX,
    ROLES,
    create_token,
    list_tokens,
    revoke_token,
    verify_token,
    visibilities_for,
)


def test_a_token_is_shown_once_and_stored_as_its_hash(library: Library) -> None:
    token, secret = create_token(library.catalog, "portail", "network")
    assert secret.startswith(PREFIX) and len(secret) > 40
    assert (token.name, token.role, token.active) == ("portail", "network", True)
    stored = library.catalog.db.execute("SELECT * FROM tokens").fetchall()
    assert len(stored) == 1
    assert stored[0]["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr([dict(r) for r in stored])
    library.catalog.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert secret.encode() not in (library.root / CATALOG_FILE).read_bytes()


def test_verify_finds_the_role(library: Library) -> None:
    _, secret = create_token(library.catalog, "c.martin", "curator")
    found = verify_token(library.catalog, secret)
    assert found is not None and (found.name, found.role) == ("c.martin", "curator")
    for wrong in ("", secret[:-1], secret + "x", secret.upper(), "kb_" + "a" * 500,
                  secret.removeprefix(PREFIX)):
        assert verify_token(library.catalog, wrong) is None, wrong


def test_two_tokens_never_share_a_secret(library: Library) -> None:
    secrets = {create_token(library.catalog, f"t{i}", "network")[1] for i in range(20)}
    assert len(secrets) == 20


def test_revoke(library: Library) -> None:
    _, secret = create_token(library.catalog, "ancien", "admin")
    revoked = revoke_token(library.catalog, "ancien")
    assert revoked.revoked_at is not None and not revoked.active
    assert verify_token(library.catalog, secret) is None
    again = revoke_token(library.catalog, "ancien")
    assert again.revoked_at == revoked.revoked_at  # revoking twice changes nothing
    with pytest.raises(NotFound, match="no token named 'personne'"):
        revoke_token(library.catalog, "personne")


def test_list_keeps_revoked_tokens_in_order(library: Library) -> None:
    create_token(library.catalog, "a", "network")
    create_token(library.catalog, "b", "council")
    revoke_token(library.catalog, "a")
    listed = list_tokens(library.catalog)
    assert [(t.name, t.role, t.active) for t in listed] == [
        ("a", "network", False), ("b", "council", True)]


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("x", "reader", "unknown role 'reader'"),
        ("", "admin", "give 1 to 64 characters"),
        ("   ", "admin", "give 1 to 64 characters"),
        ("x" * 65, "admin", "give 1 to 64 characters"),
        ("a\nb", "admin", "control characters"),
    ],
)
def test_bad_tokens_are_refused(library: Library, name: str, role: str, message: str) -> None:
    with pytest.raises(KbError, match=message):
        create_token(library.catalog, name, role)
    assert list_tokens(library.catalog) == []


def test_a_name_is_unique_among_active_tokens_and_reusable_after_revocation(
    library: Library,
) -> None:
    _, old_secret = create_token(library.catalog, "portail", "network")
    with pytest.raises(KbError, match="already used by an active token"):
        create_token(library.catalog, "portail", "admin")
    revoke_token(library.catalog, "portail")
    _, new_secret = create_token(library.catalog, "portail", "curator")
    assert verify_token(library.catalog, old_secret) is None  # the old one stays revoked
    assert verify_token(library.catalog, new_secret).role == "curator"  # type: ignore[union-attr]
    assert [(t.name, t.role, t.active) for t in list_tokens(library.catalog)] == [
        ("portail", "network", False), ("portail", "curator", True)]
    assert revoke_token(library.catalog, "portail").role == "curator"
    assert verify_token(library.catalog, new_secret) is None


def test_what_each_role_sees() -> None:
    assert visibilities_for(None) == {"public"}
    for role in ("network", "curator", "council"):
        assert visibilities_for(role) == {"public", "network"}
    assert visibilities_for("admin") is None  # everything, internal included
    assert set(ROLES) == {"network", "curator", "council", "admin"}
    with pytest.raises(KbError, match="unknown role"):
        visibilities_for("guest")


# --- the command line ---------------------------------------------------------------------


def _kb(library_dir: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--library", str(library_dir), *args])


def test_cli_create_list_revoke(library: Library) -> None:
    root = library.root
    created = _kb(root, "token", "create", "--role", "network", "--name", "portail")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith(PREFIX) and "\n" not in secret  # only the token on stdout
    assert "shown only now" in created.stderr
    assert verify_token(library.catalog, secret) is not None

    listed = _kb(root, "token", "list")
    assert "portail" in listed.output and "network" in listed.output
    assert secret not in listed.output
    as_json = json.loads(_kb(root, "token", "list", "--json").output)
    assert as_json[0]["name"] == "portail" and as_json[0]["active"] is True

    revoked = _kb(root, "token", "revoke", "portail")
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert verify_token(library.catalog, secret) is None
    assert "revoked" in _kb(root, "token", "list").output


def test_cli_errors_are_one_line(library: Library) -> None:
    root = library.root
    missing = _kb(root, "token", "revoke", "personne")
    assert missing.exit_code == 1 and "no token named 'personne'" in missing.output
    bad_role = _kb(root, "token", "create", "--role", "reader", "--name", "x")
    assert bad_role.exit_code == 2 and "reader" in bad_role.output
    assert _kb(root, "token", "create", "--role", "admin", "--name", "x").exit_code == 0
    duplicate = _kb(root, "token", "create", "--role", "admin", "--name", "x")
    assert duplicate.exit_code == 1 and "already used" in duplicate.output
    assert "Traceback" not in duplicate.output


def test_cli_needs_an_existing_library(tmp_path: Path) -> None:
    result = _kb(tmp_path / "nowhere", "token", "list")
    assert result.exit_code == 1 and "no library here" in result.output
    assert not (tmp_path / "nowhere").exists()

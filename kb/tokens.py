"""API tokens: who may see which documents.

A token is a random secret handed out once (`kb token create`); the catalog keeps only its
SHA-256, so a stolen catalog gives no usable token. Each token carries one role, and a role
decides which `visibility` values its holder sees:

- anonymous (no token): `public`;
- `network` (resource persons): `public`, `network`;
- `curator` (the Collège coopératif, who curates) and `council` (the scientific council, who
  validates): `public`, `network`, like the network. What sets them apart is what they may
  *change* (the curation issue adds write endpoints); `internal` documents stay with the
  observatory's operations cell;
- `admin`: every document, `internal` ones included (and any visibility a curator may add
  to the vocabulary later).
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass

from indexer.messages import _
from kb.catalog import Catalog, now
from kb.catalog import tokens as store
from kb.errors import KbError, NotFound
from kb.sessions import end_sessions_of_token

ROLES = ("network", "curator", "council", "admin")
PREFIX = "kb_"  # makes a leaked token recognisable (log scanners, secret detectors)
MAX_NAME = 64
MAX_SECRET = 200  # longer strings cannot be ours: rejected before hashing

_PUBLIC = frozenset({"public"})
_NETWORK = frozenset({"public", "network"})
# None means no restriction at all.
_VISIBILITIES: dict[str | None, frozenset[str] | None] = {
    None: _PUBLIC,
    "network": _NETWORK,
    "curator": _NETWORK,
    "council": _NETWORK,
    "admin": None,
}


@dataclass(frozen=True)
class Token:
    """A token as the catalog knows it (never its secret)."""

    name: str
    role: str
    created_at: str  # ISO 8601, UTC
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def visibilities_for(role: str | None) -> frozenset[str] | None:
    """The visibility values a role sees; None for every document (admin).

    `role` None is an anonymous caller. Raises KbError for an unknown role.
    """
    try:
        return _VISIBILITIES[role]
    except KeyError:
        raise KbError(_("unknown role {role!r}; roles are {roles}",
                        role=role, roles=', '.join(ROLES))) from None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(catalog: Catalog, name: str, role: str) -> tuple[Token, str]:
    """Store a new token; returns it with its secret, which is shown this once only.

    Raises KbError for an unknown role, an empty, over-long or control-character name, or a
    name used by an active token (a revoked token's name may be given again; the revoked
    one stays revoked and listed, so `kb token list` stays a history).
    """
    name = name.strip()
    if role not in ROLES:
        raise KbError(_("unknown role {role!r}; roles are {roles}",
                        role=role, roles=', '.join(ROLES)))
    if not name or len(name) > MAX_NAME:
        raise KbError(_("token name {name!r}: give 1 to {max_name} characters",
                        name=name, max_name=MAX_NAME))
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise KbError(_("token name {name!r}: control characters are not allowed", name=name))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = Token(name=name, role=role, created_at=now())
    with catalog.transaction():
        stored = store.insert_token(catalog, token.name, token.role, hash_secret(secret),
                                    token.created_at)
    if not stored:
        raise KbError(
            _("token name {name!r} is already used by an active token; choose another name (or "
              "revoke that token first)", name=name)
        )
    return token, secret


def list_tokens(catalog: Catalog) -> list[Token]:
    """Every token, active and revoked, oldest first."""
    return [Token(*row) for row in store.every_token(catalog)]


def revoke_token(catalog: Catalog, name: str) -> Token:
    """Revoke a token by name, at once for every running server, and end the web sessions
    signed in with it; NotFound if no such name.

    Revoking a revoked token changes nothing and returns it as it is.
    """
    with catalog.transaction():
        for token_hash in store.active_hashes(catalog, name):
            end_sessions_of_token(catalog, token_hash)
        store.revoke(catalog, name, now())
        row = store.newest_named(catalog, name)
    if row is None:
        raise NotFound(_("no token named {name!r}; `kb token list` shows them", name=name))
    return Token(*row)


def verify_token(catalog: Catalog, secret: str) -> Token | None:
    """The active token whose secret this is, or None (unknown, revoked or malformed).

    Looked up by hash: the secret itself is never compared, stored or logged.
    """
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET:
        return None
    row = store.active_by_hash(catalog, hash_secret(secret))
    return None if row is None else Token(*row)


def token_by_hash(catalog: Catalog, token_hash: str) -> Token | None:
    """The active token whose secret hashes to `token_hash`, or None (unknown or revoked).

    For sessions that keep the hash, never the secret (the web pages' signed cookie): a
    revoked token ends its sessions at their next request.
    """
    if len(token_hash) != 64:
        return None
    row = store.active_by_hash(catalog, token_hash)
    return None if row is None else Token(*row)

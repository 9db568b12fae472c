"""Who is calling: bearer tokens to a role, and a role to the documents it may see.

No `Authorization` header is an anonymous caller (public documents only). A header that is
there but is not a valid, unrevoked bearer token is refused with 401, never downgraded to
anonymous: a portal with a revoked token should learn it, not silently lose documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from api.errors import Unauthorized
from indexer.messages import _
from kb.access import Access
from kb.tokens import visibilities_for

BEARER = "bearer"


@dataclass(frozen=True)
class Caller:
    """The caller of one request."""

    role: str | None  # None: anonymous
    token_name: str | None
    visibilities: frozenset[str] | None  # None: every document

    def may_see(self, visibility: Iterable[str]) -> bool:
        """Whether a document with these effective `visibility` values is visible.

        A document without any visibility value is seen by admins only: the index filter
        (`Term("visibility", ...)`) does not match it either, so both paths agree.
        """
        if self.visibilities is None:
            return True
        return any(v in self.visibilities for v in visibility)


ANONYMOUS = Caller(role=None, token_name=None, visibilities=visibilities_for(None))


def caller_from_header(access: Access, authorization: str | None) -> Caller:
    """The caller named by an `Authorization` header value; Unauthorized if it is refused."""
    if authorization is None:
        return ANONYMOUS
    scheme, _space, secret = authorization.strip().partition(" ")
    if scheme.lower() != BEARER or not secret.strip():
        raise Unauthorized(
            _("the Authorization header must be 'Bearer <token>' (a token from `kb token "
              "create`); leave it out to search public documents")
        )
    token = access.verify(secret.strip())
    if token is None:
        raise Unauthorized(_("invalid or revoked token; ask the observatory for a new one"))
    return Caller(role=token.role, token_name=token.name, visibilities=visibilities_for(token.role))

"""Who makes a change, and what each role may change.

Roles come from API tokens (`kb.tokens.ROLES`). The command line acts as the local user
with every power: whoever can write the catalog file can change anything, and the audit
trail names them.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from indexer.messages import Message, _
from kb.errors import Forbidden
from kb.tokens import ROLES, visibilities_for

CLI = "cli"
API = "api"

# Correct tags, manage collections, submit documents for validation, publish submissions.
CURATORS = frozenset({"curator", "admin"})
# Validate or reject what was submitted: the scientific council guarantees quality.
VALIDATORS = frozenset({"council", "admin"})
# Send documents they collected.
SUBMITTERS = frozenset({"network", "curator", "council", "admin"})
# Read the audit trail.
AUDITORS = frozenset({"admin"})


@dataclass(frozen=True)
class Actor:
    """The person or token behind a change."""

    name: str  # token name, or the local user's login
    role: str | None  # None: anonymous (may change nothing)
    via: str  # "cli" or "api"

    @classmethod
    def local(cls) -> Actor:
        """The user running `kb` on this machine: an administrator."""
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no login name (some containers)
            name = "local"
        return cls(name=name, role="admin", via=CLI)

    def require(self, roles: frozenset[str], doing: str | Message) -> None:
        """Forbidden unless the actor's role is one of `roles`; `doing` says what was refused."""
        if self.role not in roles:
            allowed = [r for r in ROLES if r in roles]
            raise Forbidden(_("{doing} needs a token with the role {allowed} (this one is "
                              "{role})", doing=doing, role=self.role,
                              allowed=_("{first} or {last}", first=", ".join(allowed[:-1]),
                                        last=allowed[-1]) if len(allowed) > 1 else allowed[0]))

    @property
    def scope(self) -> frozenset[str] | None:
        """The visibilities this actor works on in curation (None: every document).

        Curators and the council review documents that are not published yet (submissions
        are `internal`), so curation shows them every document; other roles see what their
        token sees everywhere else.
        """
        if self.role in CURATORS | VALIDATORS:
            return None
        return visibilities_for(self.role)

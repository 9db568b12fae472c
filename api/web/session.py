"""Web sessions: a signed, HttpOnly, SameSite=Lax cookie, and the CSRF token of every form.

Signed in, the cookie holds only a random session id; the session itself (its CSRF value,
the hash of the API token it signed in with, its expiry) is a row of the catalog
(`kb.sessions`, through `Library.access`), so that signing out (`POST /deconnexion`) and
revoking the token (`kb token revoke`) end it at once, for every copy of the cookie and
every server process.
Each request also looks the token up again. Before signing in, the cookie holds only the
CSRF value of the sign-in form (there is no identity to revoke), and nothing is written.

The cookie is signed with `itsdangerous` under a key kept in the library folder
(`web-session.key`, created on first use with mode 0600), so that every server process of
one library accepts the others' cookies.

CSRF: every form that changes something sends the session's CSRF value in a hidden field;
a POST without the right value is refused (403) before it changes anything. The cookie
being SameSite=Lax, another site cannot even send it with a cross-site POST.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from api.auth import ANONYMOUS, Caller
from indexer.messages import _
from kb.access import Access
from kb.errors import Forbidden
from kb.tokens import visibilities_for

COOKIE = "kb_session"
MAX_AGE = 12 * 3600  # seconds: a working day, then sign in again
KEY_FILE = "web-session.key"
CSRF_FIELD = "csrf"


class CsrfRefused(Forbidden):
    """A form came without this session's CSRF value (expired page or another site)."""


@dataclass(frozen=True)
class Session:
    csrf: str
    token_hash: str | None = None  # None: not signed in
    session_id: str | None = None  # the catalog's session, when signed in


def session_key(library_root: Path) -> bytes:
    """The signing key of this library's sessions, created on first use."""
    path = Path(library_root) / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if len(key) < 32:  # a file cut short by a crash: start again
        path.unlink(missing_ok=True)
        return session_key(library_root)
    return key.encode()


def _serializer(request: Request) -> URLSafeTimedSerializer:
    state = request.app.state
    if getattr(state, "web_session_key", None) is None:
        state.web_session_key = session_key(state.web_library_root)
    return URLSafeTimedSerializer(state.web_session_key, salt="kb-web-session")


def read_session(request: Request, access: Access) -> Session | None:
    """The session of this request's cookie; None without one, with a forged or expired
    one, or with a session ended since (signed out, token revoked)."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 1000:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    session_id = data.get("s")
    if isinstance(session_id, str):
        found = access.session(session_id)
        if found is None:
            return None
        return Session(csrf=found.csrf, token_hash=found.token_hash, session_id=session_id)
    if isinstance(data.get("c"), str):
        return Session(csrf=data["c"])
    return None


def new_session() -> Session:
    """A visitor's session before signing in: a CSRF value for the sign-in form."""
    return Session(csrf=secrets.token_urlsafe(24))


def sign_in_session(access: Access, token_hash: str) -> Session:
    """A new session in the catalog for this token (with a new CSRF value: one seen before
    signing in is worth nothing)."""
    session_id, found = access.open_session(token_hash, MAX_AGE)
    return Session(csrf=found.csrf, token_hash=token_hash, session_id=session_id)


def sign_out_session(access: Access, session: Session | None) -> None:
    if session is not None and session.session_id is not None:
        access.end_session(session.session_id)


def write_session(request: Request, response: Response, session: Session) -> None:
    payload = {"s": session.session_id} if session.session_id else {"c": session.csrf}
    value = _serializer(request).dumps(payload)
    response.set_cookie(
        COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="lax", path="/",
        secure=request.url.scheme == "https",
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def caller_of(access: Access, session: Session | None) -> Caller:
    """Who the session is: its token's role, or anonymous (no session, revoked token)."""
    if session is None or session.token_hash is None:
        return ANONYMOUS
    token = access.token_by_hash(session.token_hash)
    if token is None:
        return ANONYMOUS
    return Caller(role=token.role, token_name=token.name, visibilities=visibilities_for(token.role))


def check_csrf(session: Session | None, sent: object) -> None:
    """CsrfRefused unless `sent` is this session's CSRF value."""
    if session is None or not isinstance(sent, str) or not hmac.compare_digest(
        session.csrf.encode(), sent.encode()
    ):
        raise CsrfRefused(
            _("this form has expired or did not come from this site: reload the page and send "
              "it again")
        )

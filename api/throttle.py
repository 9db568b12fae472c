"""Sign-in attempts limited per client address: a token cannot be guessed at speed.

After `limit` refused tokens from one address within `window` seconds (a wrong token typed
at /connexion, or an API call with an unknown or revoked bearer token), every further
attempt from that address (any token, right or wrong) is answered 429 with `Retry-After`
until the oldest failure leaves the window. Answers with no token are never limited.

The count is kept in memory, per server process: with `kb serve --processes N` an address
may try up to N times `limit` before every process refuses it, and a restart forgets. The
address is the TCP peer's (`request.client`); behind a reverse proxy every visitor shares
the proxy's, so the proxy should limit sign-ins itself.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from api.errors import TooManyAttempts
from indexer.messages import _

LIMIT = 10  # refused tokens per address ...
WINDOW = 600.0  # ... within this many seconds
MAX_ADDRESSES = 10_000  # beyond this, the addresses with no recent failure are forgotten


class SignInLimiter:
    """Failures per address in a sliding window; thread-safe (routes run in a threadpool)."""

    def __init__(self, limit: int = LIMIT, window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str) -> None:
        """TooManyAttempts if `address` may not try a token now."""
        with self._lock:
            recent = self._recent(address)
            if recent is not None and len(recent) >= self.limit:
                wait = max(1, math.ceil(recent[0] + self.window - self._clock()))
                raise TooManyAttempts(
                    _("too many refused tokens from this address; try again in {wait} seconds",
                      wait=wait),
                    wait,
                )

    def failed(self, address: str) -> None:
        """Count a refused token from `address`."""
        with self._lock:
            if len(self._failures) >= MAX_ADDRESSES:
                for known in list(self._failures):
                    self._recent(known)
            self._failures.setdefault(address, deque()).append(self._clock())

    def _recent(self, address: str) -> deque[float] | None:
        found = self._failures.get(address)
        if found is None:
            return None
        horizon = self._clock() - self.window
        while found and found[0] <= horizon:
            found.popleft()
        if not found:
            del self._failures[address]
            return None
        return found


def address_of(client: object) -> str:
    """The peer's address of a request (`request.client`), "unknown" without one."""
    host = getattr(client, "host", None)
    return host if isinstance(host, str) and host else "unknown"

"""Settings, read from the environment (prefix `KB_`) at the edges only.

Library code never reads the environment: the CLI group and the API's `create_app` build one
`Settings` and pass explicit values down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer.index import DEFAULT_CACHE_MB

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LIBRARY = Path("var/library")
DEFAULT_VOCABULARY = PROJECT_ROOT / "corpus" / "vocabulary.toml"
# Where the public pages are served; set KB_PUBLIC_URL to the portal's address in production.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEFAULT_OAI_PAGE_SIZE = 100


@dataclass(frozen=True)
class Settings:
    library: Path = DEFAULT_LIBRARY
    vocabulary: Path = DEFAULT_VOCABULARY
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    cors_origins: tuple[str, ...] = ()
    # Base of the public URLs a document is cited and harvested by: `{public_url}/notice/{id}`
    # (its page) and `{public_url}/documents/{id}/file` (its file).
    public_url: str = DEFAULT_PUBLIC_URL
    oai_page_size: int = DEFAULT_OAI_PAGE_SIZE  # records per OAI-PMH list answer
    oai_validated_only: bool = True  # OAI-PMH exposes validated documents only
    oai_admin_email: str = "admin@localhost"  # Identify's adminEmail
    # A replica serves the copies published into this folder (`kb publish`), read-only;
    # None: the library at `library`, as its writer.
    replica_of: Path | None = None
    replica_poll: float = 2.0  # seconds between two looks for a newer published copy
    # Memory (MB) that one process's caches for searches keep at most, together.
    cache_mb: int = DEFAULT_CACHE_MB

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from `KB_*` variables; explicit overrides (not None) win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if env.get("KB_LIBRARY"):
            values["library"] = Path(env["KB_LIBRARY"])
        if env.get("KB_VOCABULARY"):
            values["vocabulary"] = Path(env["KB_VOCABULARY"])
        if env.get("KB_WORKERS"):
            values["workers"] = max(1, int(env["KB_WORKERS"]))
        if env.get("KB_CORS_ORIGINS"):
            origins = (o.strip() for o in env["KB_CORS_ORIGINS"].split(","))
            values["cors_origins"] = tuple(o for o in origins if o)
        if env.get("KB_PUBLIC_URL"):
            values["public_url"] = env["KB_PUBLIC_URL"].strip().rstrip("/")
        if env.get("KB_OAI_PAGE_SIZE"):
            values["oai_page_size"] = max(1, int(env["KB_OAI_PAGE_SIZE"]))
        if env.get("KB_OAI_ALL_STATUSES"):
            values["oai_validated_only"] = env["KB_OAI_ALL_STATUSES"].strip().lower() in (
                "0", "false", "no", "")
        if env.get("KB_OAI_ADMIN_EMAIL"):
            values["oai_admin_email"] = env["KB_OAI_ADMIN_EMAIL"].strip()
        if env.get("KB_REPLICA_OF"):
            values["replica_of"] = Path(env["KB_REPLICA_OF"])
        if env.get("KB_REPLICA_POLL"):
            values["replica_poll"] = max(0.1, float(env["KB_REPLICA_POLL"]))
        if env.get("KB_CACHE_MB"):
            values["cache_mb"] = parse_cache_mb(env["KB_CACHE_MB"], "KB_CACHE_MB")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


MIN_CACHE_MB = 1


def parse_cache_mb(text: str, name: str) -> int:
    """A cache budget in MB from `text` (the setting `name`); ValueError naming it."""
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a number of MB (e.g. 256)") from None
    if value < MIN_CACHE_MB:
        raise ValueError(f"{name}: {value} MB is too small (at least {MIN_CACHE_MB})")
    return value

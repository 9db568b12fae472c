"""One router per resource: search, documents, vocabulary, health."""

API_PREFIX = "/api/v1"  # every API route; the unversioned paths are deprecated aliases

"""One router per resource: search, documents, vocabulary, health."""

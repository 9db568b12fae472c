"""The catalog's tables, as a new library creates them.

`SCHEMA_VERSION` (in `kb.migrations`) names this shape: a change here ships a `Migration`
step there, which brings an existing catalog to it (tests/kb/test_migrations.py checks both agree).
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'missing')),
    revision INTEGER NOT NULL DEFAULT 1,
    indexed_revision INTEGER,
    report TEXT NOT NULL DEFAULT '{}',
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- indexer.fingerprint.text_fingerprint of the extracted text: equal for twin files (a report's
    -- .docx and .pdf), shown as one document; NULL for a text too short to tell.
    text_fingerprint TEXT
);
CREATE INDEX IF NOT EXISTS documents_text_fingerprint ON documents(text_fingerprint)
    WHERE text_fingerprint IS NOT NULL;
CREATE TABLE IF NOT EXISTS paths (
    path TEXT PRIMARY KEY,
    given TEXT NOT NULL,
    root TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sidecar TEXT,
    state TEXT NOT NULL DEFAULT 'present' CHECK (state IN ('present', 'missing')),
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS paths_document ON paths(document_id);
CREATE INDEX IF NOT EXISTS paths_root ON paths(root);
CREATE TABLE IF NOT EXISTS tags (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    origin TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (document_id, field, origin, value)
);
-- Why each automatic tag was set (kb.tags.TagEvidence); words and pages as JSON arrays.
CREATE TABLE IF NOT EXISTS tag_evidence (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    words TEXT NOT NULL,
    pages TEXT NOT NULL,
    PRIMARY KEY (document_id, field, value)
);
CREATE TABLE IF NOT EXISTS sections (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    page INTEGER,
    heading TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (document_id, seq)
);
CREATE TABLE IF NOT EXISTS failures (
    path TEXT PRIMARY KEY,
    given TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    first_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    size INTEGER,
    mtime_ns INTEGER,
    sidecar TEXT,
    content_hash TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
-- A name belongs to one active token; a revoked token's name may be given again.
CREATE UNIQUE INDEX IF NOT EXISTS tokens_active_name ON tokens(name) WHERE revoked_at IS NULL;
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    roots TEXT NOT NULL,
    counts TEXT
);
CREATE TABLE IF NOT EXISTS collections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS collection_entries (
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, document_id)
);
CREATE INDEX IF NOT EXISTS collection_entries_document ON collection_entries(document_id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    target_id TEXT,
    document_id TEXT,
    before TEXT,
    after TEXT,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS audit_document ON audit(document_id);
CREATE INDEX IF NOT EXISTS audit_target ON audit(target, target_id);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    submitter TEXT NOT NULL,
    file_name TEXT NOT NULL,
    stored TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    document_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('ingested', 'failed')),
    error TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    submitted_at TEXT NOT NULL,
    -- The document already holding this content, which the submitter may not see: nothing
    -- was ingested or changed; the curators decide (kb.curation.submissions).
    duplicate_of TEXT
);
CREATE INDEX IF NOT EXISTS submissions_submitter ON submissions(submitter);
CREATE TABLE IF NOT EXISTS oai_records (
    document_id TEXT PRIMARY KEY,
    exposed_at TEXT NOT NULL,
    deleted_at TEXT,
    sets TEXT NOT NULL DEFAULT '[]'
);
-- Signed-in web sessions (kb.sessions): the hash of the id the browser holds, never the id.
CREATE TABLE IF NOT EXISTS web_sessions (
    id_hash TEXT PRIMARY KEY,
    csrf TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_sessions_token ON web_sessions(token_hash);
-- Tags the evidence suggests but does not settle (kb.suggestions): open until a curator
-- accepts (the value becomes a curator's tag, the row goes) or dismisses it (kept, so
-- that re-tagging never offers it again). Never used by filters or facets.
CREATE TABLE IF NOT EXISTS tag_suggestions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    words TEXT NOT NULL,
    pages TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'dismissed')),
    decided_at TEXT,
    PRIMARY KEY (document_id, field, value)
);
"""

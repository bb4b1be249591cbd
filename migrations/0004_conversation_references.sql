-- Migration 4 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE conversation_references (conversation_id TEXT PRIMARY KEY, reference TEXT NOT NULL, tenant_id TEXT,
     channel_kind TEXT NOT NULL CHECK (channel_kind IN ('personal', 'groupChat', 'channel')), user_aad_id TEXT,
     welcomed_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, disabled_reason TEXT);
CREATE INDEX conversation_references_tenant ON conversation_references (tenant_id);
INSERT INTO schema_migrations (version, applied_at) VALUES (4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

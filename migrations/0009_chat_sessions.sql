-- Migration 9 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
ALTER TABLE chat_sessions ADD COLUMN client_hash TEXT;
CREATE INDEX chat_sessions_client ON chat_sessions (client_hash, updated_at) WHERE client_hash IS NOT NULL;
INSERT INTO schema_migrations (version, applied_at) VALUES (9, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

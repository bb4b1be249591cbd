-- Migration 16 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE chat_understanding_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, collectivite_type TEXT, themes TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX chat_understanding_log_at ON chat_understanding_log (at);
INSERT INTO schema_migrations (version, applied_at) VALUES (16, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Migration 7 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE admin_programmes (id TEXT PRIMARY KEY, json TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
     updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE programme_merges (loser_id TEXT PRIMARY KEY, winner_id TEXT NOT NULL, merged_by TEXT NOT NULL, merged_at TEXT NOT NULL);
CREATE INDEX programme_merges_winner ON programme_merges (winner_id);
INSERT INTO schema_migrations (version, applied_at) VALUES (7, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

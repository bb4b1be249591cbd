-- Migration 14 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE crawl_lease_guard (other_holders INTEGER NOT NULL, CONSTRAINT crawl_lease_held CHECK (other_holders = 0));
CREATE TABLE crawl_cursor (source_id TEXT PRIMARY KEY, picked_at TEXT NOT NULL, run_id TEXT NOT NULL);
INSERT INTO schema_migrations (version, applied_at) VALUES (14, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

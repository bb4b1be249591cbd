-- Migration 15 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
ALTER TABLE alert_deliveries ADD COLUMN lost_on TEXT;
INSERT INTO schema_migrations (version, applied_at) VALUES (15, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Migration 10 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
DROP TABLE admin_login_failures;
CREATE TABLE admin_login_limits (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at TEXT NOT NULL);
CREATE TABLE admin_unlock_tokens (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
     created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT);
CREATE INDEX admin_unlock_tokens_account ON admin_unlock_tokens (account_id, expires_at);
INSERT INTO schema_migrations (version, applied_at) VALUES (10, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

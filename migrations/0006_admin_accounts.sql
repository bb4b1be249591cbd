-- Migration 6 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE admin_accounts (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
     password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE TABLE admin_sessions (id_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
     csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);
CREATE TABLE admin_login_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at TEXT NOT NULL, locked_until TEXT);
CREATE TABLE admin_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
     before TEXT NOT NULL, after TEXT NOT NULL);
CREATE INDEX admin_audit_target ON admin_audit (target, id);
CREATE TABLE programme_overrides (programme_id TEXT PRIMARY KEY, patch TEXT NOT NULL DEFAULT '{}', hidden INTEGER NOT NULL DEFAULT 0,
     verified_by TEXT, verified_at TEXT, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE admin_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO schema_migrations (version, applied_at) VALUES (6, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

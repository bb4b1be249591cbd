-- Migration 5 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE alert_subscriptions (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE alert_progress (subscription_id TEXT PRIMARY KEY, last_digest_day TEXT, new_calls_since TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE alert_deliveries (id INTEGER PRIMARY KEY, subscription_id TEXT NOT NULL, channel TEXT NOT NULL, programme_id TEXT NOT NULL,
     kind TEXT NOT NULL, deadline TEXT NOT NULL, lead_days INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'expired')), attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
     next_attempt_at TEXT, expires_on TEXT NOT NULL, created_at TEXT NOT NULL, sent_at TEXT, item TEXT NOT NULL,
     UNIQUE (deadline, programme_id, kind, lead_days, subscription_id, channel));
CREATE INDEX alert_deliveries_open ON alert_deliveries (subscription_id) WHERE state IN ('pending', 'failed');
CREATE TABLE alert_seen_programmes (programme_id TEXT PRIMARY KEY, first_seen TEXT NOT NULL);
CREATE TABLE alert_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL, created_at TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('queued', 'failed')), error TEXT, recipient TEXT NOT NULL, subject TEXT NOT NULL,
     headers TEXT NOT NULL, text TEXT NOT NULL, html TEXT NOT NULL);
CREATE INDEX alert_outbox_subscription ON alert_outbox (subscription_id);
CREATE TABLE alert_lock (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
INSERT INTO schema_migrations (version, applied_at) VALUES (5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

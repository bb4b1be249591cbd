-- Migration 11 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
UPDATE alert_subscriptions
     SET json = json_set(json, '$.channels.webhook.confirmedAt', NULL, '$.channels.webhook.challengedAt', NULL,
       '$.channels.webhook.challengeError', 'abonnement antérieur au défi de confirmation : relancez la confirmation')
     WHERE json_type(json, '$.channels.webhook') = 'object' AND json_type(json, '$.channels.webhook.confirmedAt') IS NULL;
INSERT INTO schema_migrations (version, applied_at) VALUES (11, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

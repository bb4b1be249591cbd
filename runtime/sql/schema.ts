// The schema of Guichet's database, as numbered migrations applied once each, in order: one list for
// both runtimes (SQLite on Node, D1 on Workers; runtime/sql/migrations.ts applies it through the SQL port,
// runtime/node/sqlite.ts with better-sqlite3). Never edit a migration that has shipped: add one.

export const MIGRATIONS: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE index_builds (id INTEGER PRIMARY KEY AUTOINCREMENT, built_at TEXT NOT NULL, engine TEXT NOT NULL, documents INTEGER NOT NULL, duration_ms REAL NOT NULL, day TEXT NOT NULL);`,
  `CREATE TABLE chat_sessions (id TEXT PRIMARY KEY, state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE INDEX chat_sessions_updated ON chat_sessions (updated_at);`,
  // The crawler (crawler/crawl-store.ts port, runtime/node/sqlite-crawl-store.ts): crawled programmes
  // (never deleted by a crawl), per-source failures, the conditional-GET cache, runs, change
  // events for the alerts, and the run lock (with an expiry, so a crashed run blocks nobody).
  `CREATE TABLE crawl_programmes (id TEXT PRIMARY KEY, source_id TEXT NOT NULL, json TEXT NOT NULL, dedupe_key TEXT NOT NULL, canonical_url TEXT NOT NULL,
     first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, last_changed TEXT NOT NULL, stale INTEGER NOT NULL DEFAULT 0, gone_at TEXT);
   CREATE INDEX crawl_programmes_source ON crawl_programmes (source_id);
   CREATE INDEX crawl_programmes_dedupe ON crawl_programmes (dedupe_key);
   CREATE INDEX crawl_programmes_url ON crawl_programmes (canonical_url);
   CREATE TABLE crawl_sources (source_id TEXT PRIMARY KEY, consecutive_failures INTEGER NOT NULL DEFAULT 0, last_success_at TEXT, last_failure_at TEXT, last_error TEXT);
   CREATE TABLE crawl_http_cache (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, body TEXT NOT NULL, content_type TEXT, stored_at TEXT NOT NULL);
   CREATE TABLE crawl_runs (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, trigger TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, duration_ms REAL, status TEXT NOT NULL,
     sources TEXT NOT NULL DEFAULT '[]', errors TEXT NOT NULL DEFAULT '[]');
   CREATE INDEX crawl_runs_started ON crawl_runs (started_at, seq);
   CREATE TABLE crawl_events (id INTEGER PRIMARY KEY AUTOINCREMENT, programme_id TEXT NOT NULL, source_id TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('new', 'deadline_moved', 'closed_early', 'new_edition', 'updated')), before TEXT, after TEXT, at TEXT NOT NULL, run_id TEXT NOT NULL);
   CREATE INDEX crawl_events_at ON crawl_events (at);
   CREATE INDEX crawl_events_programme ON crawl_events (programme_id);
   CREATE TABLE crawl_lock (name TEXT PRIMARY KEY, owner TEXT NOT NULL, acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL);`,
  // Teams (bot/channels/teams/conversation-reference-store.ts port, runtime/node/teams-store.ts):
  // one conversation reference per Teams conversation (a channel thread is its own conversation),
  // kept for proactive messages; welcomed_at makes the install welcome happen once.
  `CREATE TABLE conversation_references (conversation_id TEXT PRIMARY KEY, reference TEXT NOT NULL, tenant_id TEXT,
     channel_kind TEXT NOT NULL CHECK (channel_kind IN ('personal', 'groupChat', 'channel')), user_aad_id TEXT,
     welcomed_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, disabled_reason TEXT);
   CREATE INDEX conversation_references_tenant ON conversation_references (tenant_id);`,
  // Alerts (bot/alerts/alerts-store.ts port, runtime/node/sqlite-alerts-store.ts): subscriptions (JSON) and their
  // digest progress (a narrow table: a run updates every row), the delivery ledger (one row per subscription,
  // programme, kind, deadline, lead time and channel, recorded before sending), programmes already seen,
  // the SQLite outbox, the run lock.
  `CREATE TABLE alert_subscriptions (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, json TEXT NOT NULL);
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
   CREATE TABLE alert_lock (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);`,
  // Admin desk (bot/admin/ports.ts, runtime/node/admin-store.ts): accounts (scrypt hashes), sessions stored
  // under a SHA-256 of their id, login failures and lockouts, the audit log, programme overrides, settings.
  `CREATE TABLE admin_accounts (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
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
   CREATE TABLE admin_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  // Programmes created in the back office (a curated layer beside content/programmes) and
  // merges of duplicates (the loser leaves the catalogue and redirects to the winner).
  `CREATE TABLE admin_programmes (id TEXT PRIMARY KEY, json TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
     updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE programme_merges (loser_id TEXT PRIMARY KEY, winner_id TEXT NOT NULL, merged_by TEXT NOT NULL, merged_at TEXT NOT NULL);
   CREATE INDEX programme_merges_winner ON programme_merges (winner_id);`,
  // Declarative page sources edited in the back office (crawler/declarative/page-sources.ts port,
  // runtime/node/page-sources.ts): the YAML as saved; it wins over content/sources/<id>.yaml.
  `CREATE TABLE page_sources (id TEXT PRIMARY KEY, yaml TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  // 9 — chat sessions: the owner of a web session (a keyed hash of the client's address, never the
  // address) for the per-client cap; Teams and older sessions have none.
  `ALTER TABLE chat_sessions ADD COLUMN client_hash TEXT;
   CREATE INDEX chat_sessions_client ON chat_sessions (client_hash, updated_at) WHERE client_hash IS NOT NULL;`,
  // 10 — admin login: per-account and per-address failure counters with backoff (the lock is
  // derived from failures and the last one; bot/admin/login-limits.ts), and single-use unlock
  // links e-mailed to a locked account (stored hashed).
  `DROP TABLE admin_login_failures;
   CREATE TABLE admin_login_limits (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at TEXT NOT NULL);
   CREATE TABLE admin_unlock_tokens (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
     created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT);
   CREATE INDEX admin_unlock_tokens_account ON admin_unlock_tokens (account_id, expires_at);`,
  // 11 — webhook subscriptions: confirmation challenge. A webhook is active only once its URL
  // echoed a signed challenge (channels.webhook.confirmedAt, in the subscription's JSON); those
  // created before had none, so they wait for one (POST /api/subscriptions/{id}/webhook/confirm).
  `UPDATE alert_subscriptions
     SET json = json_set(json, '$.channels.webhook.confirmedAt', NULL, '$.channels.webhook.challengedAt', NULL,
       '$.channels.webhook.challengeError', 'abonnement antérieur au défi de confirmation : relancez la confirmation')
     WHERE json_type(json, '$.channels.webhook') = 'object' AND json_type(json, '$.channels.webhook.confirmedAt') IS NULL;`,
  // 12 — job leases (runtime/node/lease.ts): one row per job (crawl, alerts) with the run that holds
  // it, its process (host, pid, boot id) and an expiry its heartbeat pushes; a dead holder is taken
  // over at once. They replace the crawl and alerts locks (a TTL only, 15 and 30 min).
  `CREATE TABLE job_leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, boot_id TEXT NOT NULL,
     acquired_at TEXT NOT NULL, renewed_at TEXT NOT NULL, expires_at INTEGER NOT NULL);
   DROP TABLE crawl_lock;
   DROP TABLE alert_lock;`,
  // 13 — alert deliveries: the id of the message that carries each ledger row, written in the
  // transaction that makes the row due (before any send) and re-used by every retry of it: the
  // webhook's Idempotency-Key, the e-mail's Message-ID. NULL only on rows not yet due.
  `ALTER TABLE alert_deliveries ADD COLUMN message_id TEXT;`,
  // 14 — the crawl on both runtimes (runtime/sql/crawl-store.ts). crawl_lease_guard stays empty: a
  // crawl write's batch opens by inserting into it how many other runs hold the crawl lease, which
  // its CHECK refuses unless 0 (the whole batch rolls back: a run that lost its lease writes
  // nothing), and closes by deleting that row. crawl_cursor: when the Workers' nightly crawl
  // (runtime/workers/crawl.ts, one source per invocation) last picked each source.
  `CREATE TABLE crawl_lease_guard (other_holders INTEGER NOT NULL, CONSTRAINT crawl_lease_held CHECK (other_holders = 0));
   CREATE TABLE crawl_cursor (source_id TEXT PRIMARY KEY, picked_at TEXT NOT NULL, run_id TEXT NOT NULL);`,
  // 15 — alert deliveries: the Paris day a row still unsent reached the end of its day (a reminder
  // whose deadline passed during an outage): lost, not merely expired. NULL for rows sent or
  // cancelled (channel closed, confirmation no longer needed). The back office and /api/ready count them.
  `ALTER TABLE alert_deliveries ADD COLUMN lost_on TEXT;`,
  // 16 — the anonymised understanding log (bot/admin/understanding-log.ts), written only while an
  // admin has turned it on in the back office (off by default): per chat turn, the collectivité's
  // type, the themes understood (JSON list) and the text with e-mails, phone numbers, collectivité
  // and person names removed (core/privacy/anonymise.ts). No session, client or conversation id.
  `CREATE TABLE chat_understanding_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, collectivite_type TEXT, themes TEXT NOT NULL, text TEXT NOT NULL);
   CREATE INDEX chat_understanding_log_at ON chat_understanding_log (at);`,
]

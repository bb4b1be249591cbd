-- Migration 3 of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.
-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE crawl_programmes (id TEXT PRIMARY KEY, source_id TEXT NOT NULL, json TEXT NOT NULL, dedupe_key TEXT NOT NULL, canonical_url TEXT NOT NULL,
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
CREATE TABLE crawl_lock (name TEXT PRIMARY KEY, owner TEXT NOT NULL, acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL);
INSERT INTO schema_migrations (version, applied_at) VALUES (3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

// The stores of the Workers runtime on D1: the ones written once against the SQL port
// (runtime/sql/), each over the D1 binding through d1Database(). The D1 database must be migrated
// (runtime/sql/migrations.ts, or `wrangler d1 migrations apply`). The admin stores' writes to what
// the catalogue reads (overrides, created programmes, merges) carry the catalogue version bump in
// their own batch (runtime/workers/catalogue-version.ts), so every isolate learns of them.
import type { AccountStore, AdminSessionStore, AuditLog, CurationStore, LoginThrottle, OverrideStore, SettingsStore } from '../../bot/admin/ports.ts'
import type { ConversationReferenceStore } from '../../bot/channels/teams/conversation-reference-store.ts'
import type { SessionStore } from '../../bot/conversation/session-store.ts'
import { createSqlLoginThrottle } from '../sql/admin-login-throttle.ts'
import { createSqlAccountStore, createSqlAdminSessionStore, createSqlAuditLog, createSqlCurationStore, createSqlOverrideStore, createSqlSettingsStore } from '../sql/admin-store.ts'
import { createSqlSessionStore } from '../sql/session-store.ts'
import { createSqlConversationReferenceStore } from '../sql/teams-store.ts'
import { bumpingCatalogueVersion } from './catalogue-version.ts'
import { d1Database, type D1Like } from './d1-database.ts'

export function createD1SessionStore(d1: D1Like): SessionStore {
  return createSqlSessionStore(d1Database(d1))
}

export function createD1ConversationReferenceStore(d1: D1Like): ConversationReferenceStore {
  return createSqlConversationReferenceStore(d1Database(d1))
}

/** The admin ports on D1 (the hasher is given apart: runtime/workers/admin.ts). */
export interface D1AdminStores {
  accounts: AccountStore
  sessions: AdminSessionStore
  throttle: LoginThrottle
  audit: AuditLog
  overrides: OverrideStore
  settings: SettingsStore
  curation: CurationStore
}

export function createD1AdminStores(d1: D1Like): D1AdminStores {
  const db = d1Database(d1)
  const curating = bumpingCatalogueVersion(db)
  return {
    accounts: createSqlAccountStore(db),
    sessions: createSqlAdminSessionStore(db),
    throttle: createSqlLoginThrottle(db),
    audit: createSqlAuditLog(db),
    overrides: createSqlOverrideStore(curating),
    settings: createSqlSettingsStore(db),
    curation: createSqlCurationStore(curating),
  }
}

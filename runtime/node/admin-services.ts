// The admin desk of the Node runtime: SQLite stores + scrypt hasher, and the overlay that
// reindex() applies on top of the merged catalogue (curated > crawled, then admin overrides).
import type { Catalogue } from '../../content/catalogue.ts'
import type { Logger } from '../../core/logger.ts'
import { overlayOverrides } from '../../bot/admin/overrides.ts'
import type { AccountStore, AdminSessionStore, AuditLog, LoginThrottle, OverrideStore, PasswordHasher, SettingsStore } from '../../bot/admin/ports.ts'
import { createScryptHasher } from './admin-hasher.ts'
import { createSqliteAccountStore, createSqliteAdminSessionStore, createSqliteAuditLog, createSqliteLoginThrottle, createSqliteOverrideStore, createSqliteSettingsStore } from './admin-store.ts'
import type { Db } from './sqlite.ts'

export interface AdminStores {
  accounts: AccountStore
  sessions: AdminSessionStore
  throttle: LoginThrottle
  audit: AuditLog
  overrides: OverrideStore
  settings: SettingsStore
  hasher: PasswordHasher
}

export function createAdminStores(db: Db, hasher: PasswordHasher = createScryptHasher()): AdminStores {
  return {
    accounts: createSqliteAccountStore(db),
    sessions: createSqliteAdminSessionStore(db),
    throttle: createSqliteLoginThrottle(db),
    audit: createSqliteAuditLog(db),
    overrides: createSqliteOverrideStore(db),
    settings: createSqliteSettingsStore(db),
    hasher,
  }
}

/** The catalogue the bot serves: overrides applied on the merged one; a broken override is logged and skipped. */
export async function withOverrides(base: Catalogue, overrides: OverrideStore, standsFor: ReadonlyMap<string, string>, logger: Logger): Promise<Catalogue> {
  const { catalogue, rejected } = overlayOverrides(base, await overrides.all(), (id) => standsFor.get(id) ?? id)
  for (const r of rejected) logger.warn('admin override not applied', r)
  return catalogue
}

/** Whether the admin left a crawl source enabled (default: enabled). */
export async function isSourceEnabled(settings: SettingsStore, sourceId: string): Promise<boolean> {
  return (await settings.get(`source:${sourceId}:enabled`)) !== '0'
}

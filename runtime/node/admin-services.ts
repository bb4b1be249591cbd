// The admin desk of the Node runtime: SQLite stores + scrypt hasher, and the curation they hand
// to the catalogue service (content/catalogue-service.ts applies it at every rebuild).
import type { CurationSource } from '../../content/curation.ts'
import type { AccountStore, AdminSessionStore, AuditLog, CurationStore, LoginThrottle, OverrideStore, PasswordHasher, SettingsStore } from '../../bot/admin/ports.ts'
import { createScryptHasher } from './admin-hasher.ts'
import { createSqliteAccountStore, createSqliteAdminSessionStore, createSqliteAuditLog, createSqliteCurationStore, createSqliteLoginThrottle, createSqliteOverrideStore, createSqliteSettingsStore } from './admin-store.ts'
import type { Db } from './sqlite.ts'

export interface AdminStores {
  accounts: AccountStore
  sessions: AdminSessionStore
  throttle: LoginThrottle
  audit: AuditLog
  overrides: OverrideStore
  settings: SettingsStore
  curation: CurationStore
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
    curation: createSqliteCurationStore(db),
    hasher,
  }
}

/** The back office's curation as the catalogue service reads it (content/catalogue-service.ts). */
export function curationSource(stores: Pick<AdminStores, 'overrides' | 'curation'>): CurationSource {
  return { overrides: () => stores.overrides.all(), createdProgrammes: () => stores.curation.createdProgrammes(), merges: () => stores.curation.merges() }
}

/** Whether the admin left a crawl source enabled (default: enabled). */
export async function isSourceEnabled(settings: SettingsStore, sourceId: string): Promise<boolean> {
  return (await settings.get(`source:${sourceId}:enabled`)) !== '0'
}

// The admin desk of the Node runtime: SQLite stores + scrypt hasher, and the overlay that
// reindex() applies on top of the merged catalogue (curated > crawled, then admin overrides).
import type { Catalogue } from '../../content/catalogue.ts'
import type { Logger } from '../../core/logger.ts'
import { ProgrammeSchema, type Programme } from '../../core/programme.ts'
import { overlayOverrides } from '../../bot/admin/overrides.ts'
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

/**
 * The catalogue the bot serves: overrides applied on the merged one, merged duplicates taken
 * out (with their redirects); a broken override is logged and skipped.
 */
export async function withOverrides(base: Catalogue, stores: Pick<AdminStores, 'overrides' | 'curation'>, standsFor: ReadonlyMap<string, string>, logger: Logger): Promise<{ catalogue: Catalogue; redirects: Map<string, string> }> {
  const { catalogue, rejected, redirects } = overlayOverrides(base, await stores.overrides.all(), (id) => standsFor.get(id) ?? id, await stores.curation.merges())
  for (const r of rejected) logger.warn('admin override not applied', r)
  return { catalogue, redirects }
}

/** Whether the admin left a crawl source enabled (default: enabled). */
export async function isSourceEnabled(settings: SettingsStore, sourceId: string): Promise<boolean> {
  return (await settings.get(`source:${sourceId}:enabled`)) !== '0'
}

/** The programmes created in the back office, checked again (a schema change may break one: logged, left out); a file of the same id wins. */
export async function loadCreatedProgrammes(curation: AdminStores['curation'], files: readonly Programme[], logger: Logger): Promise<Programme[]> {
  const fileIds = new Set(files.map((p) => p.id))
  return (await curation.createdProgrammes()).flatMap((c) => {
    if (fileIds.has(c.programme.id)) return []
    const parsed = ProgrammeSchema.safeParse(c.programme)
    if (parsed.success) return [parsed.data]
    logger.warn('back-office programme left out', { id: c.programme.id, issues: parsed.error.issues.map((i) => i.path.join('.') + ': ' + i.message) })
    return []
  })
}

// The admin ports (bot/admin/ports.ts) on the SQLite file: the stores written once against the SQL
// port (runtime/sql/admin-store.ts, runtime/sql/admin-login-throttle.ts) over better-sqlite3. The
// Workers runtime runs the same stores on D1 (runtime/workers/d1-stores.ts).
import type { AccountStore, AdminSessionStore, AuditLog, CurationStore, LoginThrottle, OverrideStore, SettingsStore } from '../../bot/admin/ports.ts'
import { createSqlLoginThrottle } from '../sql/admin-login-throttle.ts'
import { createSqlAccountStore, createSqlAdminSessionStore, createSqlAuditLog, createSqlCurationStore, createSqlOverrideStore, createSqlSettingsStore } from '../sql/admin-store.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import type { Db } from './sqlite.ts'

export const createSqliteAccountStore = (db: Db): AccountStore => createSqlAccountStore(sqliteDatabase(db))
export const createSqliteAdminSessionStore = (db: Db): AdminSessionStore => createSqlAdminSessionStore(sqliteDatabase(db))
/** Two processes on the same file can never both pass a limit: see runtime/sql/admin-login-throttle.ts. */
export const createSqliteLoginThrottle = (db: Db): LoginThrottle => createSqlLoginThrottle(sqliteDatabase(db))
export const createSqliteAuditLog = (db: Db): AuditLog => createSqlAuditLog(sqliteDatabase(db))
export const createSqliteOverrideStore = (db: Db): OverrideStore => createSqlOverrideStore(sqliteDatabase(db))
export const createSqliteSettingsStore = (db: Db): SettingsStore => createSqlSettingsStore(sqliteDatabase(db))
export const createSqliteCurationStore = (db: Db): CurationStore => createSqlCurationStore(sqliteDatabase(db))

// The first admin account of a D1 database, as SQL to run with wrangler (`npm run -s admin --
// create-user <email> --role admin --sql > compte.sql`, then `npx wrangler d1 execute guichet
// --remote --file compte.sql`): the statements the SQL stores (runtime/sql/admin-store.ts) would
// run — the account and its audit entry — recorded instead of run, their values written in as SQL
// literals. The password travels hashed only (scrypt, the stored format both runtimes verify).
import type { Role } from '../../bot/admin/ports.ts'
import { createSqlAccountStore, createSqlAuditLog } from '../sql/admin-store.ts'
import type { SqlDatabase, SqlStatement, SqlValue } from '../sql/database.ts'

/** A database that runs nothing: it keeps the statements a store sends it. */
function recordingDatabase(): SqlDatabase & { statements: SqlStatement[] } {
  const statements: SqlStatement[] = []
  const none = { rows: [], changes: 1, lastRowId: 0 }
  return {
    dialect: 'd1',
    statements,
    async query(statement) {
      statements.push(statement)
      return none
    },
    async batch(list) {
      statements.push(...list)
      return list.map(() => none)
    },
  }
}

export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`valeur SQL non finie : ${value}`)
    return String(value)
  }
  return `'${value.replaceAll("'", "''")}'`
}

/** The statement with its parameters written in (the `?` outside quoted text, in order), on one line. */
export function inlineStatement(s: SqlStatement): string {
  let out = ''
  let next = 0
  let quote: string | undefined
  for (const ch of s.sql) {
    if (quote) {
      if (ch === quote) quote = undefined
      out += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      out += ch
    } else if (ch === '?') {
      if (next >= s.params.length) throw new Error(`paramètre manquant dans : ${s.sql}`)
      out += sqlLiteral(s.params[next++]!)
    } else out += ch
  }
  if (next !== s.params.length) throw new Error(`paramètres en trop pour : ${s.sql}`)
  return out.replace(/\s+/g, ' ').trim()
}

/** The SQL that creates the account (and audits it as the CLI does), one statement a line. */
export async function createAccountSql(input: { email: string; role: Role; passwordHash: string; now: Date }): Promise<string> {
  const db = recordingDatabase()
  const account = await createSqlAccountStore(db).create(input)
  await createSqlAuditLog(db).record({ at: input.now.toISOString(), actor: 'cli', action: 'account.create', target: `account:${account.email}`, before: null, after: { email: account.email, role: input.role } })
  return db.statements.map((s) => `${inlineStatement(s)};\n`).join('')
}

// The retention the code enforces, for every table the data declaration gives an age
// (core/privacy/declaration.ts retentionRules(): a new entry is covered without touching this test),
// on a SQLite file and on D1 through Miniflare: rows just older than the declared age are deleted,
// rows just younger stay — with the `from` column as an ISO timestamp and as an ISO day — and a
// rule's `where` is honoured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { retentionRules } from '../../core/privacy/declaration.ts'
import { all, first, sql, type SqlDatabase, type SqlValue } from '../../runtime/sql/database.ts'
import { pruneRetention, pruneStatement } from '../../runtime/sql/retention.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'

const NOW = new Date('2026-03-01T08:00:00.000Z')
const ACCOUNT = 'acc-retention'
/** Columns whose CHECK or foreign key a filler value would break; a rule's `where` must hold on the rows made here. */
const FIXED: Record<string, Record<string, SqlValue>> = {
  alert_deliveries: { state: 'sent', kind: 'reminder', channel: 'email' },
  alert_outbox: { status: 'queued' },
  conversation_references: { channel_kind: 'personal' },
  crawl_events: { kind: 'new' },
  admin_sessions: { account_id: ACCOUNT },
  admin_unlock_tokens: { account_id: ACCOUNT },
}

interface Column { name: string; type: string; nn: number; pk: number }

const RULES = retentionRules().filter((r) => r.retention.days !== null)

function day(iso: string, shift: number): string {
  return new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10)
}

async function insertRow(db: SqlDatabase, table: string, from: string, value: string, n: number): Promise<void> {
  const columns = await all<Column>(db, sql(`SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(?)`, table))
  expect(columns.length, `${table} exists`).toBeGreaterThan(0)
  const values: Record<string, SqlValue> = {}
  for (const c of columns) {
    if (c.name === from) values[c.name] = value
    else if (FIXED[table]?.[c.name] !== undefined) values[c.name] = FIXED[table]![c.name]!
    else if (c.pk && /INT/i.test(c.type)) continue
    else if (/INT|REAL/i.test(c.type)) values[c.name] = n
    else values[c.name] = c.name === 'json' || c.name === 'state' || c.name === 'reference' ? '{}' : `${c.name}-${n}`
  }
  const names = Object.keys(values)
  await db.query(sql(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, ...names.map((k) => values[k]!)))
}

describe.each(SQL_DATABASES)('retention on %s', (_name, open) => {
  let opened: OpenedDatabase
  let db: SqlDatabase
  beforeAll(async () => {
    opened = await open()
    db = opened.db
    await db.query(sql(`INSERT INTO admin_accounts (id, email, role, password_hash, created_at) VALUES (?, 'a@guichet.example', 'admin', 'x', '2026-01-01T00:00:00Z')`, ACCOUNT))
  })
  afterAll(() => opened.close())

  it('declares ages for the tables that hold free text and logs', () => {
    const tables = RULES.map((r) => r.table)
    for (const t of ['chat_sessions', 'alert_deliveries', 'admin_audit', 'admin_login_limits', 'crawl_events']) expect(tables, t).toContain(t)
  })

  it.each(RULES.map((r) => [`${r.table}.${r.retention.from} (${r.retention.days} days)`, r] as const))('%s: just older goes, just younger stays', async (_label, rule) => {
    const { table, retention } = rule
    const cutoff = new Date(NOW.getTime() - retention.days! * 86_400_000).toISOString()
    const rows = {
      olderStamp: new Date(Date.parse(cutoff) - 60_000).toISOString(),
      youngerStamp: new Date(Date.parse(cutoff) + 60_000).toISOString(),
      olderDay: day(cutoff, -1),
      youngerDay: day(cutoff, 1),
    }
    let n = 0
    for (const value of Object.values(rows)) await insertRow(db, table, retention.from, value, ++n)
    const mine = `${retention.from} IN (${Object.values(rows).map(() => '?').join(', ')})`
    const countMine = async (extra = '') => (await first<{ n: number }>(db, sql(`SELECT COUNT(*) AS n FROM ${table} WHERE ${mine}${extra}`, ...Object.values(rows))))!.n
    expect(await countMine(retention.where ? ` AND (${retention.where})` : ''), 'the rows made here match the rule\'s where (add to FIXED)').toBe(4)

    const report = await pruneRetention(db, NOW)
    expect(report.find((p) => p.table === table)).toMatchObject({ cutoff, deleted: 2 })
    const left = await all<Record<string, string>>(db, sql(`SELECT ${retention.from} AS v FROM ${table} WHERE ${mine} ORDER BY 1`, ...Object.values(rows)))
    expect(left.map((r) => r['v'])).toEqual([rows.youngerStamp, rows.youngerDay].sort())
    await db.query(sql(`DELETE FROM ${table} WHERE ${mine}`, ...Object.values(rows)))
  })

  it('keeps rows outside a rule\'s where, however old', async () => {
    const rule = RULES.find((r) => r.table === 'alert_deliveries')!
    expect(rule.retention.where).toBeTruthy()
    await insertRow(db, 'alert_deliveries', rule.retention.from, '2020-01-01', 901)
    await db.query(sql(`UPDATE alert_deliveries SET state = 'pending' WHERE ${rule.retention.from} = '2020-01-01'`))
    await pruneRetention(db, NOW)
    expect((await all(db, sql(`SELECT id FROM alert_deliveries WHERE state = 'pending'`))).length).toBe(1)
  })

  it('keeps a Teams conversation while the app is installed, however old; deletes it 30 days after its uninstall', async () => {
    const rule = RULES.find((r) => r.table === 'conversation_references')!
    expect(rule.retention).toMatchObject({ days: 30, from: 'updated_at', where: 'disabled_reason IS NOT NULL' })
    await insertRow(db, 'conversation_references', 'updated_at', '2025-01-01T00:00:00.000Z', 902)
    await insertRow(db, 'conversation_references', 'updated_at', '2025-01-01T00:00:00.000Z', 903)
    await db.query(sql(`UPDATE conversation_references SET disabled_reason = NULL WHERE conversation_id = 'conversation_id-902'`))
    await pruneRetention(db, NOW)
    expect(await all(db, sql(`SELECT conversation_id FROM conversation_references WHERE conversation_id IN ('conversation_id-902', 'conversation_id-903')`))).toEqual([{ conversation_id: 'conversation_id-902' }])
  })
})

describe('pruneStatement', () => {
  it('refuses a rule whose names are not plain identifiers, and skips a rule without an age', () => {
    expect(() => pruneStatement({ table: 'chat_sessions; DROP TABLE meta', retention: { days: 1, from: 'updated_at', text: '' } }, NOW)).toThrow(/bad identifier/)
    expect(pruneStatement({ table: 'alert_subscriptions', retention: { days: null, from: 'created_at', text: '' } }, NOW)).toBeUndefined()
  })
})

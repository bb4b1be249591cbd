// A chat session's text does not outlive the session. What the session row keeps (its state) holds
// words from the messages — the project's terms, the council calendar as the mayor wrote it; a
// session ends after SESSION_TTL_DAYS idle, and the Node runtime's hourly prune job (the one
// runtime/node/main.ts schedules) deletes it with every row the data declaration says is too old,
// then scrubs the WAL: the text is in no byte of the data files afterwards.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SESSION_TTL_DAYS } from '../../bot/conversation/session-store.ts'
import { initialState } from '../../bot/conversation/state.ts'
import { silentLogger } from '../../core/logger.ts'
import { sessionPruneJob } from '../../runtime/node/cron.ts'
import { createSqliteSessionStore } from '../../runtime/node/sqlite-session-store.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'

const CALENDAR = 'conseil le premier mardi chez madame Poulidor-Anquetil'
const TERM = 'boulodrome-couvert-xyzzy'

let dir: string
let db: Db

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-retention-'))
  db = openDatabase(dir)
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const inFiles = (needle: string) =>
  ['guichet.sqlite', 'guichet.sqlite-wal', 'guichet.sqlite-shm'].map((f) => join(dir, f)).filter(existsSync).filter((f) => readFileSync(f).includes(Buffer.from(needle)))

describe('an ended chat session', () => {
  it('leaves none of its text on disk after the hourly prune', async () => {
    const sessions = createSqliteSessionStore(db)
    const start = new Date('2026-03-01T08:00:00Z')
    await sessions.save('t-ended', { ...initialState(), councilCalendar: CALENDAR, terms: [TERM] }, start, { client: '192.0.2.7', max: 50 })
    await sessions.save('t-live', { ...initialState(), terms: ['piscine-vivante'] }, new Date('2026-03-25T08:00:00Z'))
    // Older audit and ledger rows go with the same job; an admin's audit entry of last week stays.
    db.prepare(`INSERT INTO admin_audit (at, actor, action, target, before, after) VALUES ('2025-01-01T00:00:00Z', 'old@guichet.example', 'x', 'y', 'null', 'null'), ('2026-03-20T00:00:00Z', 'new@guichet.example', 'x', 'y', 'null', 'null')`).run()
    db.pragma('wal_checkpoint(PASSIVE)')
    expect(inFiles(CALENDAR).length).toBeGreaterThan(0)

    const now = new Date(start.getTime() + (SESSION_TTL_DAYS + 1) * 86_400_000)
    const job = sessionPruneJob({ sessions, clock: { now: () => now }, logger: silentLogger, db })
    expect(job.expression).toBe('15 * * * *')
    await job.run()

    expect(await sessions.load('t-ended')).toBeUndefined()
    expect(await sessions.load('t-live')).toBeDefined()
    expect(db.prepare('SELECT actor FROM admin_audit ORDER BY id').all()).toEqual([{ actor: 'new@guichet.example' }])
    for (const needle of [CALENDAR, TERM, 'Poulidor', 'old@guichet.example']) expect(inFiles(needle), needle).toEqual([])
    expect(inFiles('piscine-vivante').length).toBeGreaterThan(0)
  })
})

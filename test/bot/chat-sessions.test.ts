// Anonymous chat sessions, bounded: a row only when a turn learns something, at most
// SESSION_MAX_PER_CLIENT rows per client (its least recently used evicted), no address stored, and
// idle rows pruned by the scheduled job. Real HTTP on a port, rows counted in the real SQLite file
// through a second connection.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newSessionId, sessionCreatedAt } from '../../bot/channels/web/chat-routes.ts'
import { SESSION_TTL_DAYS } from '../../bot/conversation/session-store.ts'
import { initialState } from '../../bot/conversation/state.ts'
import type { Clock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { SESSION_PRUNE_SCHEDULE, sessionPruneJob } from '../../runtime/node/cron.ts'
import { createMemorySessionStore } from '../../runtime/workers/memory-session-store.ts'
import { sendFrom, serveOnFreePort, startServices } from '../helpers/node-services.ts'

const DAY = 86_400_000
let now = new Date('2026-03-01T09:00:00+01:00')
const clock: Clock = { now: () => new Date(now) }

let services: Awaited<ReturnType<typeof startServices>>
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let file: Database.Database

beforeAll(async () => {
  services = await startServices({ SESSION_MAX_PER_CLIENT: '5' }, { clock })
  server = await serveOnFreePort(services.app.fetch)
  file = new Database(join(services.config.GUICHET_DATA_DIR, 'guichet.sqlite'), { readonly: true })
})
afterAll(async () => {
  file.close()
  await server.close()
  services.dispose()
})

const rows = () => (file.prepare('SELECT COUNT(*) AS n FROM chat_sessions').get() as { n: number }).n
const chat = async (from: string, body: Record<string, unknown>) => {
  const r = await sendFrom(server.port, from, '/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(r.status, r.body).toBe(200)
  return r.json() as { sessionId: string; messages: { text: string }[]; question?: { slot: string; step: number; choices?: { value: string }[] }; results?: unknown[] }
}
const PROJECT = 'Bonjour, je suis maire de Vézelay, on veut passer l\'éclairage public en LED'

describe('a session row only when the turn learns something', () => {
  it('greeting, help, empty and unreadable turns write no row, however many', async () => {
    const before = rows()
    const openings = [{}, { text: '' }, { text: 'bonjour' }, { text: 'Bonjour !' }, { text: 'aide' }, { text: 'asdfgh qwerty' }, { text: '?' }]
    for (let i = 0; i < 200; i++) {
      const r = await chat('127.0.0.2', openings[i % openings.length]!)
      expect(r.question?.slot).toBe('collectivite')
      expect(r.sessionId).toMatch(/^t[0-9a-z]+_[0-9a-f]{32}$/)
    }
    expect(rows()).toBe(before)
  })

  it('the sessionId given at the greeting carries the conversation: the answer is understood as the collectivité and saved under that id', async () => {
    const before = rows()
    const greeting = await chat('127.0.0.3', {})
    expect(rows()).toBe(before)
    // Answered later (the id is younger than the idle limit): the dialogue knows which question it answers.
    now = new Date(now.getTime() + 2 * DAY)
    const answer = await chat('127.0.0.3', { sessionId: greeting.sessionId, text: 'Vézelay' })
    expect(answer.sessionId).toBe(greeting.sessionId)
    expect(answer.messages[0]!.text).toMatch(/Vézelay \(89\)/)
    expect(answer.messages.map((m) => m.text).join(' ')).not.toMatch(/expiré/)
    expect(answer.question?.slot).toBe('themes')
    expect(rows()).toBe(before + 1)
    const project = await chat('127.0.0.3', { sessionId: greeting.sessionId, text: 'éclairage public en LED' })
    expect(project.sessionId).toBe(greeting.sessionId)
    expect(project.question?.slot ?? 'results').not.toMatch(/^(collectivite|themes)$/)
    expect(rows()).toBe(before + 1)
  })

  it('an unknown or too old sessionId still says the conversation expired', async () => {
    const old = newSessionId(new Date(now.getTime() - (SESSION_TTL_DAYS + 1) * DAY))
    expect(sessionCreatedAt(old)?.getTime()).toBe(now.getTime() - (SESSION_TTL_DAYS + 1) * DAY)
    for (const sessionId of [old, '6f1c2a9e-4b7d-4e21-9a55-1d2c3b4a5f60']) {
      const r = await chat('127.0.0.3', { sessionId, text: 'bonjour' })
      expect(r.messages[0]!.text).toBe('Votre conversation précédente a expiré : reprenons.')
      expect(r.sessionId).not.toBe(sessionId)
    }
  })
})

describe('per-client cap (SESSION_MAX_PER_CLIENT=5)', () => {
  it('a client keeps at most 5 sessions: a sixth evicts its least recently used; other clients keep theirs', async () => {
    const other = await chat('127.0.0.5', { text: PROJECT })
    const mine: string[] = []
    for (let i = 0; i < 12; i++) {
      now = new Date(now.getTime() + 60_000)
      mine.push((await chat('127.0.0.4', { text: PROJECT })).sessionId)
    }
    const owners = file.prepare('SELECT client_hash AS h, COUNT(*) AS n FROM chat_sessions WHERE client_hash IS NOT NULL GROUP BY client_hash').all() as { h: string; n: number }[]
    expect(Math.max(...owners.map((o) => o.n))).toBe(5)
    const kept = new Set((file.prepare('SELECT id FROM chat_sessions').all() as { id: string }[]).map((r) => r.id))
    expect(mine.filter((id) => kept.has(id))).toEqual(mine.slice(-5))
    expect(kept.has(other.sessionId)).toBe(true)
    // Using a session makes it the most recent: it survives the next new one.
    now = new Date(now.getTime() + 60_000)
    await chat('127.0.0.4', { sessionId: mine[7]!, text: 'pourquoi le fonds vert ?' })
    now = new Date(now.getTime() + 60_000)
    await chat('127.0.0.4', { text: PROJECT })
    const after = new Set((file.prepare('SELECT id FROM chat_sessions').all() as { id: string }[]).map((r) => r.id))
    expect(after.has(mine[7]!)).toBe(true)
    expect(after.has(mine[8]!)).toBe(false)
  })

  it('stores no address: the owner is a 128-bit keyed hash, one per client', () => {
    const hashes = (file.prepare('SELECT DISTINCT client_hash AS h FROM chat_sessions WHERE client_hash IS NOT NULL').all() as { h: string }[]).map((r) => r.h)
    expect(hashes.length).toBeGreaterThanOrEqual(3)
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{32}$/)
    const dump = JSON.stringify(file.prepare('SELECT * FROM chat_sessions').all())
    expect(dump).not.toMatch(/127\.0\.0\./)
  })

  it('the Workers memory store keeps the same cap', async () => {
    const store = createMemorySessionStore()
    for (let i = 0; i < 8; i++) await store.save(`s${i}`, initialState(), new Date(now.getTime() + i), { client: '198.51.100.1', max: 3 })
    await store.save('t0', initialState(), now, { client: '198.51.100.2', max: 3 })
    expect(await store.load('s4')).toBeUndefined()
    for (const id of ['s5', 's6', 's7', 't0']) expect(await store.load(id), id).toBeDefined()
  })
})

describe('the prune job', () => {
  it('runs hourly and deletes sessions idle for more than 30 days, the others stay', async () => {
    expect(SESSION_PRUNE_SCHEDULE).toBe('15 * * * *')
    const store = services.sessions
    await store.save('idle-session-31d', initialState(), new Date(now.getTime() - 31 * DAY), { client: '198.51.100.9', max: 5 })
    await store.save('idle-session-29d', initialState(), new Date(now.getTime() - 29 * DAY), { client: '198.51.100.9', max: 5 })
    const before = rows()
    await sessionPruneJob({ sessions: store, clock, logger: silentLogger }).run()
    expect(rows()).toBe(before - 1)
    expect(await store.load('idle-session-31d')).toBeUndefined()
    expect(await store.load('idle-session-29d')).toBeDefined()
    // Two days later, the 29-day one goes too.
    now = new Date(now.getTime() + 2 * DAY)
    await sessionPruneJob({ sessions: store, clock, logger: silentLogger }).run()
    expect(await store.load('idle-session-29d')).toBeUndefined()
  })
})

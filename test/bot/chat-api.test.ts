// POST /api/chat over real HTTP (a Node server on a free port), with the SQLite session store.
import { serve, type ServerType } from '@hono/node-server'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'

const dir = mkdtempSync(join(tmpdir(), 'guichet-chat-'))
let services: NodeServices
let server: ServerType
let base = ''

async function boot(now = '2026-03-01'): Promise<void> {
  services = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: now, GUICHET_PUBLIC_URL: 'https://guichet.test' }), { logger: silentLogger })
  await new Promise<void>((resolve) => {
    server = serve({ fetch: services.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
}
async function shutdown(): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  services.close()
}
const chat = async (body: unknown, raw?: string) => {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as any }
}

beforeAll(() => boot())
afterAll(async () => {
  await shutdown()
  rmSync(dir, { recursive: true, force: true })
})

describe('POST /api/chat', () => {
  it('a mayor\'s sentence goes straight to results, shaped like /api/match, with the follow-up actions', async () => {
    const r = await chat({ text: "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED" })
    expect(r.status).toBe(200)
    expect(r.body.sessionId).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(r.body.messages[0].text).toMatch(/Vézelay \(89\)/)
    const ids = r.body.results.map((x: { id: string }) => x.id)
    expect(ids).toEqual(expect.arrayContaining(['fonds_vert']))
    for (const item of r.body.results) {
      expect(item).toMatchObject({ id: expect.any(String), name: expect.any(String), eligibility: { status: expect.stringMatching(/^(eligible|unknown)$/) }, calendar: { status: expect.any(String) } })
    }
    expect(r.body.actions.map((a: { label: string }) => a.label)).toEqual(["M'alerter des échéances", 'Affiner', 'Voir les programmes écartés'])
  })

  it('asks for the collectivité first, then uses the answer; "pourquoi ?" explains a result', async () => {
    const first = await chat({ text: 'Bonjour, on cherche des aides pour la rénovation énergétique de notre école' })
    expect(first.body.question.slot).toBe('collectivite')
    const second = await chat({ sessionId: first.body.sessionId, text: 'Saint-Amand-Montrond' })
    expect(second.body.results.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['detr', 'fonds_vert']))
    const why = await chat({ sessionId: first.body.sessionId, text: 'pourquoi la DETR ?' })
    expect(why.body.messages[0].text).toMatch(/Dotation d'équipement des territoires ruraux/)
    expect(why.body.messages[0].text).toMatch(/9\u202f899 hab\. : sous le plafond de 20\u202f000 hab\. en métropole/)
    const excluded = await chat({ sessionId: first.body.sessionId, choice: 'excluded' })
    expect(excluded.body.excluded.length).toBeGreaterThan(0)
    expect(excluded.body.messages[0].text).toMatch(/écartés/)
  })

  it('a homonym becomes a question offering every homonym; a choice answers it', async () => {
    const r = await chat({ text: 'Je suis maire de Saint-Denis, on veut rénover la piscine' })
    expect(r.body.question.slot).toBe('collectivite')
    // The communes called exactly Saint-Denis in the official geography: Aude, Gard, Seine-Saint-Denis, La Réunion.
    expect(r.body.question.choices.map((c: { value: string }) => c.value).sort()).toEqual(['11339', '30247', '93066', '97411'])
    const reunion = r.body.question.choices.find((c: { label: string }) => c.label === 'Saint-Denis (974)')
    expect(reunion).toBeTruthy()
    const next = await chat({ sessionId: r.body.sessionId, choice: reunion.value })
    expect(next.body.messages[0].text).toMatch(/Saint-Denis \(974\)/)
  })

  it('"recommencer" resets the conversation', async () => {
    const a = await chat({ text: 'maire de Vézelay, éclairage public' })
    const b = await chat({ sessionId: a.body.sessionId, text: 'recommencer' })
    expect(b.body.question.slot).toBe('collectivite')
    expect(b.body.results).toBeUndefined()
  })

  it.each([
    ['an oversized body', { text: 'x'.repeat(5000) }, 'body'],
    ['an unknown field', { text: 'bonjour', lang: 'fr' }, 'lang'],
    ['a non-string text', { text: 42 }, 'text'],
    ['both text and choice', { text: 'a', choice: 'b' }, 'choice'],
    ['a malformed session id', { sessionId: '../../etc', text: 'a' }, 'sessionId'],
  ])('%s → 400 naming the field', async (_name, body, field) => {
    const r = await chat(body)
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe(field)
  })

  it('invalid JSON → 400', async () => {
    const r = await chat(undefined, '{"text": "bonjour"')
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe('body')
  })
})

describe('sessions', () => {
  it('survive a restart of the service (SQLite), and expire after 30 idle days', async () => {
    const a = await chat({ text: 'Bonjour, je cherche des financements' })
    expect(a.body.question.slot).toBe('collectivite')
    await shutdown()
    await boot('2026-03-10')
    const b = await chat({ sessionId: a.body.sessionId, text: 'Vézelay' })
    expect(b.body.sessionId).toBe(a.body.sessionId)
    expect(b.body.messages[0].text).toMatch(/Vézelay \(89\)/)
    // The conversation remembered the question: the next step is the project, not the collectivité again.
    expect(b.body.question?.slot ?? 'results').not.toBe('collectivite')
    await shutdown()
    await boot('2026-04-10')
    const c = await chat({ sessionId: a.body.sessionId, text: 'éclairage public' })
    expect(c.body.sessionId).not.toBe(a.body.sessionId)
    expect(c.body.messages[0].text).toMatch(/expiré/)
  })
})

describe('idle session purge', () => {
  it('deletes only sessions idle for longer than the cut-off', async () => {
    const { createSqliteSessionStore } = await import('../../runtime/node/sqlite-session-store.ts')
    const { openDatabase } = await import('../../runtime/node/sqlite.ts')
    const { initialState } = await import('../../bot/conversation/state.ts')
    const db = openDatabase(mkdtempSync(join(tmpdir(), 'guichet-purge-')))
    const store = createSqliteSessionStore(db)
    await store.save('old-session-1', initialState(), new Date('2026-01-01T10:00:00Z'))
    await store.save('new-session-1', initialState(), new Date('2026-03-01T10:00:00Z'))
    expect(await store.purgeIdle(new Date('2026-02-01T00:00:00Z'))).toBe(1)
    expect(await store.load('old-session-1')).toBeUndefined()
    expect(await store.load('new-session-1')).toBeDefined()
    db.close()
  })
})

describe('« M\'alerter des échéances » from the dialogue', () => {
  it('asks for an e-mail, creates a pending subscription and puts the confirmation mail in the outbox', async () => {
    const a = await chat({ text: "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED" })
    expect(a.body.results.length).toBeGreaterThan(0)
    const b = await chat({ sessionId: a.body.sessionId, choice: 'alerts' })
    expect(b.body.question.slot).toBe('email')
    const c = await chat({ sessionId: a.body.sessionId, text: 'mon adresse : secretariat@mairie-vezelay.fr' })
    expect(c.status).toBe(200)
    expect(c.body.messages[0].text).toMatch(/e-mail de confirmation à secretariat@mairie-vezelay\.fr/)
    const outbox = services.db.prepare("SELECT * FROM alert_outbox").all() as Record<string, unknown>[]
    expect(outbox.length).toBeGreaterThan(0)
    expect(JSON.stringify(outbox.at(-1))).toMatch(/secretariat@mairie-vezelay\.fr/)
  })
})

// The council back-planning over real HTTP (a Node server on a free port, composed as in
// production, SQLite sessions): GET /api/council on the worked examples and its 400s naming the
// field, /api/match's `council` on a dated result, and a mayor's French dialogue through
// POST /api/chat that ends with the last useful council — or the flag when the deadline falls
// before the next council — and takes the council calendar the mayor gives.
// EUI-IA (appel 4) closes on Monday 15 June 2026; Auxerre (89024) has over 3,500 inhabitants: 5 clear days.
import { serve, type ServerType } from '@hono/node-server'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'

interface Server { base: string; close(): Promise<void> }
const opened: Server[] = []

async function boot(now: string, env: Record<string, string> = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-council-'))
  const services: NodeServices = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: now, ...env }), { logger: silentLogger })
  const server = await new Promise<{ s: ServerType; base: string }>((resolve) => {
    const s = serve({ fetch: services.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ s, base: `http://127.0.0.1:${info.port}` }))
  })
  const handle = {
    base: server.base,
    close: async () => {
      await new Promise<void>((resolve) => server.s.close(() => resolve()))
      services.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  opened.push(handle)
  return handle
}
afterAll(async () => {
  for (const s of opened) await s.close()
})

const getJson = async (s: Server, path: string) => {
  const res = await fetch(`${s.base}${path}`)
  return { status: res.status, body: (await res.json()) as any }
}
const chat = async (s: Server, body: unknown) => {
  const res = await fetch(`${s.base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(200)
  return (await res.json()) as any
}
const textOf = (reply: { messages: { text: string }[] }) => reply.messages.map((m) => m.text).join('\n')

describe('on 1 June 2026', () => {
  let s: Server
  it('GET /api/council: the worked example of a commune of 476 inhabitants', async () => {
    s = await boot('2026-06-01')
    // Deadline Thursday 16 July 2026, margin 3 → vote by 13 July; second Thursdays: 11 June, 9 July.
    // Last useful council Thursday 9 July; 3 clear days (6, 7, 8 July) → convocation Sunday 5 July.
    const r = await getJson(s, '/api/council?deadline=2026-07-16&kind=commune&population=476')
    expect(r.status).toBe(200)
    expect(r.body.council).toMatchObject({ deliberateBy: '2026-07-13', lastUsefulCouncil: '2026-07-09', convocationBy: '2026-07-05', nextCouncil: '2026-06-11', beforeNextCouncil: false, convocation: { clearDays: 3, article: 'CGCT L2121-11' } })
    expect(r.body.council.deliberation.text).toBe('Délibération généralement demandée — à vérifier auprès du financeur')
    // The same for a département: 12 clear days before 9 July → Friday 26 June.
    expect((await getJson(s, '/api/council?deadline=2026-07-16&kind=departement')).body.council).toMatchObject({ convocationBy: '2026-06-26', convocation: { article: 'CGCT L3121-19' } })
    // An EPCI whose largest commune has 1,175 inhabitants: 3 clear days (L5211-1); without it, 5 by prudence.
    expect((await getJson(s, '/api/council?deadline=2026-07-16&kind=epci&population=7222&largestMember=1175')).body.council).toMatchObject({ convocationBy: '2026-07-05', convocation: { clearDays: 3, article: 'CGCT L5211-1 et L2121-11' } })
    expect((await getJson(s, '/api/council?deadline=2026-07-16&kind=epci&population=7222')).body.council).toMatchObject({ convocationBy: '2026-07-03', convocation: { clearDays: 5 } })
    // The council's own dates, and a programme whose file states a deliberation.
    const own = await getJson(s, `/api/council?deadline=2026-07-16&kind=commune&population=476&calendar=${encodeURIComponent('premier mardi du mois')}&programme=dctciv_generaliste`)
    expect(own.body.council).toMatchObject({ lastUsefulCouncil: '2026-07-07', convocationBy: '2026-07-03', calendar: { text: 'premier mardi du mois', source: 'collectivite' }, deliberation: { status: 'stated' } })
  })

  it('GET /api/council: 400 naming the field, 404 for an unknown programme', async () => {
    const cases: [string, string][] = [
      ['deadline=2026-13-01&kind=commune', 'deadline'],
      ['deadline=2026-05-01&kind=commune', 'deadline'],
      ['deadline=2026-07-16&kind=mairie', 'kind'],
      ['deadline=2026-07-16&kind=commune&calendar=cinqui%C3%A8me%20jeudi', 'calendar'],
      ['deadline=2026-07-16&kind=commune&marginDays=-1', 'marginDays'],
      ['deadline=2026-07-16&kind=commune&jour=jeudi', 'jour'],
    ]
    for (const [q, field] of cases) {
      const r = await getJson(s, `/api/council?${q}`)
      expect([q, r.status, r.body.error.field]).toEqual([q, 400, field])
    }
    const missing = await getJson(s, '/api/council?deadline=2026-07-16&kind=commune&programme=inconnu')
    expect([missing.status, missing.body.error.field]).toEqual([404, 'programme'])
  })

  it('GET /api/match: the dated result carries its council, with the calendar given', async () => {
    const r = await getJson(s, `/api/match?commune=89024&q=${encodeURIComponent('projet pilote innovation urbaine logement')}`)
    const eui = r.body.results.find((x: { id: string }) => x.id === 'eui_innovative_actions')
    // Vote by 12 June; second Thursday 11 June; 5 clear days (6…10 June) → Friday 5 June.
    expect(eui.council).toMatchObject({ deadline: '2026-06-15', lastUsefulCouncil: '2026-06-11', convocationBy: '2026-06-05', convocation: { clearDays: 5, article: 'CGCT L2121-12' }, calendar: { source: 'default' } })
    const own = await getJson(s, `/api/match?commune=89024&q=${encodeURIComponent('projet pilote innovation urbaine logement')}&councilCalendar=2026-06-04,2026-06-25`)
    const mine = own.body.results.find((x: { id: string }) => x.id === 'eui_innovative_actions')
    // 4 June: 5 clear days (30, 31 May, 1, 2, 3 June) → Friday 29 May, already past on 1 June.
    expect(mine.council).toMatchObject({ lastUsefulCouncil: '2026-06-04', convocationBy: '2026-05-29', calendar: { text: '2026-06-04,2026-06-25', source: 'collectivite' } })
    expect(mine.council.label).toContain('sa convocation devait partir au plus tard le 29 mai 2026')
    const bad = await getJson(s, '/api/match?commune=89024&councilCalendar=chaque%20jour')
    expect([bad.status, bad.body.error.field]).toEqual([400, 'councilCalendar'])
  })

  it('a mayor\'s dialogue in French ends with the last useful council, then takes the council\'s own calendar', async () => {
    const asked = await chat(s, { text: 'Bonjour, je suis le maire d\'Auxerre : nous préparons un projet pilote d\'innovation urbaine pour le logement' })
    expect(asked.question.text).toBe('Votre commune est-elle retenue dans le programme Action Cœur de Ville ?')
    const first = await chat(s, { sessionId: asked.sessionId, text: 'montrez-moi les résultats' })
    expect(first.results.map((x: { id: string }) => x.id)).toContain('eui_innovative_actions')
    const said = textOf(first)
    expect(said).toContain('Votre conseil doit-il délibérer à temps ? EUI-IA (date limite le 15 juin 2026) : dernier conseil utile le jeudi 11 juin 2026 (convocation au plus tard le 5 juin 2026) ; délibération à prendre avant le 12 juin 2026 inclus (délibération généralement demandée — à vérifier).')
    expect(said).toContain('(calendrier supposé : deuxième jeudi du mois ;')
    const card = first.results.find((x: { id: string }) => x.id === 'eui_innovative_actions')
    expect(card.council.label).toBe('Dernier conseil utile le jeudi 11 juin 2026 (convocation au plus tard le 5 juin 2026)')

    const own = await chat(s, { sessionId: first.sessionId, text: 'Notre conseil municipal se réunit le premier mardi du mois' })
    const ownText = textOf(own)
    expect(ownText).toContain('C\'est noté : votre conseil se réunit le premier mardi du mois.')
    // First Tuesdays: 2 June (vote by 12 June), 7 July. 5 clear days before 2 June: 27 May — already past on 1 June.
    expect(ownText).toContain('(votre calendrier : premier mardi du mois).')
    expect(ownText).toContain('dernier conseil utile le mardi 2 juin 2026 (sa convocation devait partir au plus tard le 27 mai 2026')
  })
})

describe('on 12 June 2026', () => {
  it('the deadline of 15 June falls before the next council (9 July): flagged in the chat and on the card', async () => {
    const s = await boot('2026-06-12')
    const asked = await chat(s, { text: 'Bonjour, je suis maire d\'Auxerre, on cherche des financements pour un projet pilote d\'innovation urbaine sur le logement' })
    const r = await chat(s, { sessionId: asked.sessionId, text: 'montrez-moi les résultats' })
    const said = textOf(r)
    expect(said).toContain('Votre conseil doit-il délibérer à temps ? EUI-IA (date limite le 15 juin 2026) : la date limite tombe avant votre prochain conseil (le 9 juillet 2026) : réunion extraordinaire (CGCT L2121-9) ou délégation au maire (CGCT L2122-22, 26°) à envisager (délibération généralement demandée — à vérifier).')
    const card = r.results.find((x: { id: string }) => x.id === 'eui_innovative_actions')
    expect(card.council).toMatchObject({ beforeNextCouncil: true, lastUsefulCouncil: null, nextCouncil: '2026-07-09', deliberateBy: '2026-06-12' })
    // « M'alerter des échéances »: the deadlines list says it too.
    const deadlines = await chat(s, { sessionId: r.sessionId, choice: 'alerts' })
    expect(textOf(deadlines)).toMatch(/EUI-IA : .*— la date limite tombe avant votre prochain conseil \(le 9 juillet 2026\)/)
  })

  it('GUICHET_COUNCIL_CALENDAR and GUICHET_COUNCIL_MARGIN_DAYS change the server default', async () => {
    const s = await boot('2026-06-12', { GUICHET_COUNCIL_CALENDAR: 'dernier lundi du mois', GUICHET_COUNCIL_MARGIN_DAYS: '0' })
    // Last Mondays: 29 June 2026 is after the deadline; margin 0 → vote by 15 June; the next council is 29 June.
    const r = await getJson(s, '/api/council?deadline=2026-06-15&kind=commune&population=40000')
    expect(r.body.council).toMatchObject({ deliberateBy: '2026-06-15', nextCouncil: '2026-06-29', beforeNextCouncil: true, calendar: { text: 'dernier lundi du mois', source: 'default' }, marginDays: 0 })
    // The subscription's ICS feed follows them: no council in time, the deliberation day is the deadline itself.
    const created = await fetch(`${s.base}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89024', programmes: ['eui_innovative_actions'], channels: { email: 'dgs@auxerre.example' } }) })
    expect(created.status).toBe(201)
    const icsUrl = new URL(((await created.json()) as { icsUrl: string }).icsUrl)
    const ics = (await (await fetch(`${s.base}${icsUrl.pathname}${icsUrl.search}`)).text()).replace(/\r\n[ \t]/g, '')
    const event = ics.split('BEGIN:VEVENT').find((e) => e.includes('UID:eui_innovative_actions-2026-06-15-deliberation@guichet'))!
    expect(event).toContain('DTSTART;VALUE=DATE:20260615')
    expect(event).toContain('SUMMARY:Délibération à prendre au plus tard (aucun conseil prévu à temps) — EUI-IA')
    expect(event).toContain('la date limite tombe avant votre prochain conseil (le 29 juin 2026)')
    expect(ics).not.toContain('eui_innovative_actions-2026-06-15-conseil@guichet')
  })
})

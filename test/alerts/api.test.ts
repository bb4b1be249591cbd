// The alerts API at the edge: strict bodies with a 400 naming the field, signed links for the
// owner's read and erase (403 otherwise), a valid ICS feed (RFC 5545 structure, folded lines,
// stable UIDs, alarms at the lead times, Europe/Paris) and a well-formed Atom feed per filter.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { movableClock, nodeAlerts, pathOf, schoolCall } from './helpers.ts'

const CALL = schoolCall('test_ecoles_avril', ['2026-04-15', '2026-06-30'], { themes: ['tiers_lieux'] })
const ESTIMATED = { ...schoolCall('test_tiers_lieux_estime', ['2026-05-20'], { estimated: true, themes: ['tiers_lieux'] }), name: 'Appel, avec virgule; point-virgule et un nom assez long pour être plié sur plusieurs lignes' }
const OCCITANIE = { ...schoolCall('test_tiers_lieux_occitanie', ['2026-09-30'], { themes: ['tiers_lieux'] }), level: 'regional' as const, eligibility: { ...CALL.eligibility, territory: { label: 'Région Occitanie', regions: ['76'] } } }
const clock = movableClock('2026-03-01')
let env: ReturnType<typeof nodeAlerts>

beforeAll(() => {
  env = nodeAlerts({ programmes: [CALL, ESTIMATED], clock })
})
afterAll(() => env.dispose())

const post = (body: unknown, raw?: string) => env.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) })
const fieldOf = async (res: Response) => ((await res.json()) as { error: { field: string } }).error.field

describe('POST /api/subscriptions validation', () => {
  const ok = { collectivite: '89446', channels: { email: 'mairie@vezelay.example' } }
  it.each([
    [{ channels: { email: 'a@b.fr' } }, 'collectivite'],
    [{ ...ok, collectivite: 'Vézelay' }, 'collectivite'],
    [{ ...ok, collectivite: '99999' }, 'collectivite'],
    [{ ...ok, themes: ['piscines'] }, 'themes.0'],
    [{ ...ok, applicantType: 'mairie' }, 'applicantType'],
    [{ ...ok, leadTimes: [30, 0] }, 'leadTimes.1'],
    [{ ...ok, leadTimes: [91] }, 'leadTimes.0'],
    [{ ...ok, leadTimes: [7.5] }, 'leadTimes.0'],
    [{ ...ok, newCalls: 'monthly' }, 'newCalls'],
    [{ ...ok, programmes: ['inconnu'] }, 'programmes.0'],
    [{ ...ok, channels: {} }, 'channels'],
    [{ ...ok, channels: { email: 'pas-une-adresse' } }, 'channels.email'],
    [{ ...ok, channels: { sms: '0600000000' } }, 'channels.sms'],
    [{ ...ok, extra: true }, 'extra'],
  ])('%j → 400 on %s', async (body, field) => {
    const res = await post(body)
    expect(res.status).toBe(400)
    expect(await fieldOf(res)).toBe(field)
  })

  it('refuses invalid JSON and bodies over 8 KB', async () => {
    const bad = await post(undefined, '{"collectivite":')
    expect(bad.status).toBe(400)
    expect(await fieldOf(bad)).toBe('body')
    const big = await post({ ...ok, themes: ['ecoles'], padding: 'x'.repeat(9000) })
    expect(big.status).toBe(400)
    expect(await fieldOf(big)).toBe('body')
  })

  it('accepts an EPCI, a département and a région by code', async () => {
    for (const collectivite of ['200067130', '89', 'departement:2A', 'region:27']) {
      const res = await post({ ...ok, collectivite })
      expect(res.status, collectivite).toBe(201)
    }
  })
})

describe('the owner reads and erases through signed links', () => {
  it('GET and DELETE need the manage token of that subscription', async () => {
    const a = (await (await post({ collectivite: '89446', themes: ['tiers_lieux'], programmes: [CALL.id], channels: { email: 'dgs@vezelay.example' }, leadTimes: [14, 2], newCalls: 'daily' })).json()) as { id: string; manageUrl: string; icsUrl: string }
    const b = (await (await post({ collectivite: '89446', channels: { email: 'autre@vezelay.example' } })).json()) as { id: string; manageUrl: string }
    const res = await env.app.request(pathOf(a.manageUrl))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const view = ((await res.json()) as { subscription: Record<string, unknown> }).subscription
    expect(view).toMatchObject({ id: a.id, status: 'pending_confirmation', collectivite: { type: 'commune', code: '89446', name: 'Vézelay' }, themes: ['tiers_lieux'], programmes: [CALL.id], leadTimes: [14, 2], newCalls: 'daily', channels: { email: { address: 'dgs@vezelay.example', status: 'pending_confirmation' } } })

    const bToken = new URL(b.manageUrl).searchParams.get('token')!
    const icsToken = new URL(a.icsUrl).searchParams.get('token')!
    for (const token of [bToken, icsToken, '', 'manage.x.y.z', `${bToken.slice(0, -2)}xx`]) {
      expect((await env.app.request(`/api/subscriptions/${a.id}?token=${encodeURIComponent(token)}`)).status).toBe(403)
      expect((await env.app.request(`/api/subscriptions/${a.id}?token=${encodeURIComponent(token)}`, { method: 'DELETE' })).status).toBe(403)
    }
    const del = await env.app.request(pathOf(a.manageUrl), { method: 'DELETE' })
    expect(await del.json()).toEqual({ deleted: true })
    expect(await (await env.app.request(pathOf(a.manageUrl), { method: 'DELETE' })).json()).toEqual({ deleted: false })
    expect((await env.app.request(pathOf(a.manageUrl))).status).toBe(404)
    expect((await env.alerts.store.deliveries(a.id)).filter((d) => d.state === 'pending' || d.state === 'failed')).toEqual([])
    await env.alerts.store.purge('2026-03-01')
    expect(await env.alerts.store.deliveries(a.id)).toEqual([])
  })
})

/** RFC 5545 structure: CRLF, ≤ 75 octets a line, balanced BEGIN/END; returns unfolded lines. */
function checkIcs(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true)
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  const physical = text.slice(0, -2).split('\r\n')
  for (const line of physical) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
  const lines = text.slice(0, -2).replace(/\r\n[ \t]/g, '').split('\r\n')
  const stack: string[] = []
  for (const l of lines) {
    if (l.startsWith('BEGIN:')) stack.push(l.slice(6))
    if (l.startsWith('END:')) expect(stack.pop()).toBe(l.slice(4))
  }
  expect(stack).toEqual([])
  expect(lines[0]).toBe('BEGIN:VCALENDAR')
  return lines
}

function vevents(lines: string[]): string[][] {
  const out: string[][] = []
  let cur: string[] | undefined
  for (const l of lines) {
    if (l === 'BEGIN:VEVENT') cur = []
    else if (l === 'END:VEVENT') {
      out.push(cur!)
      cur = undefined
    } else cur?.push(l)
  }
  return out
}

describe('ICS feeds', () => {
  it('serve a subscription feed Outlook can subscribe to', async () => {
    const created = (await (await post({ collectivite: '89446', themes: ['tiers_lieux'], channels: { email: 'agenda@vezelay.example' } })).json()) as { icsUrl: string }
    const res = await env.app.request(pathOf(created.icsUrl))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    const text = await res.text()
    const lines = checkIcs(text)
    expect(lines).toContain('VERSION:2.0')
    expect(lines).toContain('X-WR-TIMEZONE:Europe/Paris')
    expect(lines).toContain('TZID:Europe/Paris')
    const events = vevents(lines)
    const april = events.find((e) => e.includes('UID:test_ecoles_avril-2026-04-15@guichet'))!
    expect(april).toContain('DTSTART;VALUE=DATE:20260415')
    expect(april).toContain('DTEND;VALUE=DATE:20260416')
    expect(april).toContain('STATUS:CONFIRMED')
    expect(april.filter((l) => l.startsWith('TRIGGER:'))).toEqual(['TRIGGER:-P30D', 'TRIGGER:-P7D', 'TRIGGER:-P1D'])
    expect(events.find((e) => e.includes('UID:test_ecoles_avril-2026-06-30@guichet'))).toBeDefined()
    const estimate = events.find((e) => e.some((l) => l.startsWith('UID:test_tiers_lieux_estime-')))!
    expect(estimate).toContain('STATUS:TENTATIVE')
    expect(estimate.some((l) => l.startsWith('TRIGGER:'))).toBe(false)
    expect(estimate.find((l) => l.startsWith('SUMMARY:'))).toContain('Date limite estimée')
    expect(text).toContain('Appel\\, avec virgule\\; point-virgule')

    // The same UIDs the next day; only DTSTAMP moves.
    clock.set('2026-03-02')
    const again = checkIcs(await (await env.app.request(pathOf(created.icsUrl))).text())
    const uids = (ls: string[]) => ls.filter((l) => l.startsWith('UID:')).sort()
    expect(uids(again)).toEqual(uids(lines))
    clock.set('2026-03-01')

    expect((await env.app.request(pathOf(created.icsUrl).replace(/token=.*/, 'token=nope'))).status).toBe(403)
  })

  it('serve one programme as an .ics download', async () => {
    const res = await env.app.request(`/api/programmes/${CALL.id}/calendar.ics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${CALL.id}.ics"`)
    const events = vevents(checkIcs(await res.text()))
    expect(events.map((e) => e.find((l) => l.startsWith('DTSTART'))))
      .toEqual(['DTSTART;VALUE=DATE:20260415', 'DTSTART;VALUE=DATE:20260630'])
    expect((await env.app.request('/api/programmes/inconnu/calendar.ics')).status).toBe(404)
  })
})

describe('the Atom feed of new programmes', () => {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'category' })
  const feed = async (query: string) => {
    const res = await env.app.request(`/feeds/new.atom${query}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8')
    const xml = await res.text()
    expect(XMLValidator.validate(xml)).toBe(true)
    return parser.parse(xml).feed as { id: string; title: string; updated: string; entry?: { id: string; title: string; link: { '@_href': string }; category: { '@_term': string }[] }[] }
  }

  it('lists programmes as they appear, per theme, level and territory', async () => {
    const grow = nodeAlerts({ programmes: [CALL], clock })
    try {
      clock.set('2026-03-01')
      await grow.alerts.runDigest() // the catalogue Guichet starts with is the baseline
      grow.setProgrammes([CALL, OCCITANIE])
      clock.set('2026-03-05')
      await grow.alerts.runDigest()
      const request = async (query: string) => {
        const res = await grow.app.request(`/feeds/new.atom${query}`)
        const xml = await res.text()
        expect(XMLValidator.validate(xml)).toBe(true)
        return parser.parse(xml).feed as { entry?: { id: string; updated: string; category: { '@_term': string }[] }[] }
      }
      const has = (f: { entry?: { id: string }[] }) => (f.entry ?? []).some((e) => e.id === `tag:guichet,2026:programme:${OCCITANIE.id}`)
      const tiers = await request('?themes=tiers_lieux')
      const first = tiers.entry![0]!
      expect(first.id).toBe(`tag:guichet,2026:programme:${OCCITANIE.id}`)
      expect(first.updated).toBe('2026-03-05T00:00:00Z')
      expect(first.category.map((c) => c['@_term'])).toContain('level:regional')
      expect(has(await request('?themes=tiers_lieux&region=76'))).toBe(true)
      expect(has(await request('?themes=tiers_lieux&region=27'))).toBe(false)
      expect(has(await request('?themes=tiers_lieux&departement=31'))).toBe(true)
      expect(has(await request('?themes=tiers_lieux&departement=89'))).toBe(false)
      expect(has(await request('?level=national&themes=tiers_lieux'))).toBe(false)
      expect(has(await request('?level=regional'))).toBe(true)
    } finally {
      grow.dispose()
      clock.set('2026-03-01')
    }
  })

  it('is well-formed with any filter, and refuses unknown values', async () => {
    const f = await feed('?themes=ecoles,sport&level=national')
    expect(f.title).toContain('Guichet — nouveaux programmes')
    for (const e of f.entry ?? []) expect(e.link['@_href']).toMatch(/^https?:\/\//)
    const bad = await env.app.request('/feeds/new.atom?level=planetary')
    expect(bad.status).toBe(400)
    expect(await fieldOf(bad)).toBe('level')
    expect(await fieldOf(await env.app.request('/feeds/new.atom?region=99'))).toBe('region')
  })
})

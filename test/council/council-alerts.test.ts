// The council dates in the alerts: the subscription's ICS feed (parsed) carries « Dernier conseil
// utile » and « Convocation du conseil au plus tard » for a firm deadline, and the reminders (the
// e-mail of a real digest run, the webhook body) say « dernier conseil utile le … » or flag a
// deadline that falls before the next council. Vézelay (89446) has 476 inhabitants: 3 clear days.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { renderWebhookBody } from '../../bot/alerts/render.ts'
import { alertsEnv, commune, movableClock, nodeAlerts, pathOf, schoolCall, type AlertsEnv } from '../alerts/helpers.ts'

// Default calendar: second Thursday of the month — 12 March, 9 April, 14 May 2026.
const CALL = schoolCall('test_conseil_avril', ['2026-04-15'], { themes: ['tiers_lieux'] })

/** The VEVENTs of an ICS text, unfolded (RFC 5545 §3.1), each as its property lines. */
function vevents(ics: string): string[][] {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n')
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
const prop = (e: string[], name: string) => e.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))

describe('the subscription ICS feed', () => {
  const clock = movableClock('2026-03-01')
  let env: ReturnType<typeof nodeAlerts>
  beforeAll(() => {
    env = nodeAlerts({ programmes: [CALL], clock })
  })
  afterAll(() => env.dispose())

  it('has the last useful council and the latest convocation of a firm deadline', async () => {
    const res = await env.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', themes: ['tiers_lieux'], programmes: [CALL.id], channels: { email: 'agenda@vezelay.example' } }) })
    expect(res.status).toBe(201)
    const { icsUrl } = (await res.json()) as { icsUrl: string }
    const ics = await (await env.app.request(pathOf(icsUrl))).text()
    expect(ics.split('\r\n').every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true)
    const events = vevents(ics)
    const council = events.find((e) => prop(e, 'UID') === `UID:${CALL.id}-2026-04-15-conseil@guichet`)!
    expect(prop(council, 'DTSTART')).toBe('DTSTART;VALUE=DATE:20260409')
    expect(prop(council, 'SUMMARY')).toBe('SUMMARY:Dernier conseil utile — TEST_CONSEIL_AVRIL')
    expect(prop(council, 'DESCRIPTION')).toContain('Délibération à prendre avant le 12 avril 2026 inclus')
    expect(prop(council, 'DESCRIPTION')).toContain('CGCT L2121-11')
    // 3 clear days before Thursday 9 April: Sunday 5 April (6, 7, 8 April in between).
    const convocation = events.find((e) => prop(e, 'UID') === `UID:${CALL.id}-2026-04-15-convocation@guichet`)!
    expect(prop(convocation, 'DTSTART')).toBe('DTSTART;VALUE=DATE:20260405')
    expect(prop(convocation, 'SUMMARY')).toBe('SUMMARY:Convocation du conseil au plus tard — TEST_CONSEIL_AVRIL')
    expect(events.find((e) => prop(e, 'UID') === `UID:${CALL.id}-2026-04-15@guichet`)).toBeDefined()
  })
})

describe('the reminders', () => {
  let env: AlertsEnv | undefined
  afterEach(() => env?.dispose())

  async function subscribe(e: AlertsEnv): Promise<void> {
    await e.service.create({ profile: commune(), themes: ['tiers_lieux'], programmes: [CALL.id], channels: { email: 'secretariat@vezelay.example' }, newCalls: 'off', source: 'api', leadTimes: [30, 7, 1] })
    const confirm = e.mail.sent.at(-1)!.text.match(/https:\/\/\S+\/alerts\/confirm\?token=\S+/)![0]
    expect((await e.service.confirm(new URL(confirm).searchParams.get('token')!)).outcome).toBe('confirmed')
  }
  const reminderAbout = (e: AlertsEnv) => e.mail.sent.filter((m) => m.text.includes('TEST_CONSEIL_AVRIL') || m.text.includes('test conseil avril')).at(-1)

  it('say « dernier conseil utile le … » in the e-mail, then flag the deadline once no council is in time', async () => {
    env = alertsEnv({ programmes: [CALL] })
    await subscribe(env)
    // J-30 (16 March): the 9 April council is in time, its convocation still to send.
    env.clock.set('2026-03-16')
    await env.digest()
    const j30 = reminderAbout(env)!
    expect(j30.text).toContain('Dernier conseil utile le jeudi 9 avril 2026 (convocation au plus tard le 5 avril 2026) ; délibération à prendre avant le 12 avril 2026 inclus.')
    expect(j30.html).toContain('Dernier conseil utile le jeudi 9 avril 2026')
    // J-1 (14 April): the next council (14 May) is after the deadline.
    env.clock.set('2026-04-14')
    await env.digest()
    const j1 = reminderAbout(env)!
    expect(j1.text).toContain('La date limite tombe avant votre prochain conseil (le 14 mai 2026) : réunion extraordinaire (CGCT L2121-9) ou délégation au maire (CGCT L2122-22, 26°) à envisager.')
  })

  it('carry the council dates in the webhook body', () => {
    const e = alertsEnv({ programmes: [CALL] })
    env = e
    const subscription = { id: 'sub-1', profile: commune(), leadTimes: [7] } as never
    const links = { icsUrl: 'https://guichet.test/ics', unsubscribeUrl: 'https://guichet.test/u', manageUrl: 'https://guichet.test/m' } as never
    const item = { kind: 'reminder' as const, programme: { id: CALL.id, name: CALL.name, funder: 'État', url: CALL.links.official }, deadline: '2026-04-15', leadDays: 7 }
    const body = renderWebhookBody({ items: [item], subscription, deliveryId: 'd-1', today: '2026-03-16', sentAt: '2026-03-16T08:00:00Z', links }) as { items: { council: Record<string, unknown> }[] }
    expect(body.items[0]!.council).toEqual({
      lastUsefulCouncil: '2026-04-09',
      convocationBy: '2026-04-05',
      deliberateBy: '2026-04-12',
      beforeNextCouncil: false,
      calendar: 'deuxième jeudi du mois',
      text: 'Dernier conseil utile le jeudi 9 avril 2026 (convocation au plus tard le 5 avril 2026) ; délibération à prendre avant le 12 avril 2026 inclus.',
    })
  })
})

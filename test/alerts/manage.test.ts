// The management page and the double opt-in, through real HTTP: the alerts routes of the Node
// composition served by @hono/node-server over a real SQLite file, e-mails read from its outbox
// (no SMTP configured). A mail scanner fetching every link of the confirmation and of a digest
// (GETs, no cookie) confirms nothing, unsubscribes nothing and changes nothing; only the
// « Confirmer » button's POST confirms. The page shows what is followed; its forms change the
// preferences, pause and resume, export and erase, each checked on the page and in the store;
// bad input is a 400 page naming the field, with nothing written; a form from another site is
// refused. The JSON API stays for integrators.
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOutbox } from '../../runtime/node/alerts-mailer.ts'
import { BASE, movableClock, nodeAlerts, schoolCall } from './helpers.ts'

const CALL = schoolCall('test_ecoles_avril', ['2026-03-31'])
const clock = movableClock('2026-03-01')
let env: ReturnType<typeof nodeAlerts>
let server: ServerType
let origin = ''

/** A link of a message (on GUICHET_PUBLIC_URL) as a URL of the local server. */
const local = (url: string) => `${origin}${url.slice(BASE.length)}`
const get = (url: string, headers: Record<string, string> = {}) => fetch(local(url), { headers, redirect: 'manual' })
const post = (path: string, fields: [string, string][], headers: Record<string, string> = {}) =>
  fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString(), redirect: 'manual' })
/** The text of a page without its tags, spaces collapsed: what a person reads. */
const readable = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, '\'').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ')
/** Every link of a message to the alerts of this Guichet (text and HTML parts; its other pages are not served here). */
const linksOf = (mail: { text: string; html: string }) =>
  [...new Set([...(mail.text.match(/https:\/\/guichet\.test\/\S+/g) ?? []), ...[...mail.html.matchAll(/href="(https:\/\/guichet\.test\/[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))])].filter((l) => /^https:\/\/guichet\.test\/(alerts|api)\//.test(l))

beforeAll(async () => {
  env = nodeAlerts({ programmes: [CALL], clock })
  await new Promise<void>((resolve) => {
    server = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  env.dispose()
})

async function subscribe(email: string, extra: Record<string, unknown> = {}): Promise<{ id: string; manageUrl: string; managePageUrl: string; unsubscribeUrl: string }> {
  const res = await fetch(`${origin}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', themes: ['ecoles'], channels: { email }, ...extra }) })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; manageUrl: string; managePageUrl: string; unsubscribeUrl: string }
}
const mailsTo = (address: string) => readOutbox(env.db, 100).filter((m) => m.recipient === address).reverse()
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!

describe('double opt-in: a GET explains, only the button\'s POST confirms', () => {
  it('the confirmation e-mail, the first a subscriber gets, links the privacy notice in its text and HTML', async () => {
    await subscribe('privacy@vezelay.example')
    const [mail] = mailsTo('privacy@vezelay.example')
    expect(mail!.subject).toBe('Confirmez votre abonnement aux alertes Guichet')
    expect(mail!.text).toContain(`Vos données personnelles et vos droits : ${BASE}/confidentialite`)
    expect(mail!.html).toContain(`<a href="${BASE}/confidentialite">Données personnelles</a>`)
  })

  it('a mail scanner fetching every link of the confirmation e-mail confirms nothing and unsubscribes nothing', async () => {
    const sub = await subscribe('scanner@vezelay.example')
    const [mail] = mailsTo('scanner@vezelay.example')
    expect(mail!.subject).toBe('Confirmez votre abonnement aux alertes Guichet')
    const links = linksOf(mail!)
    expect(links.some((l) => l.includes('/alerts/confirm?token='))).toBe(true)
    expect(links.some((l) => l.includes('/alerts/unsubscribe?token='))).toBe(true)
    for (const link of links) {
      const res = await get(link)
      expect(res.status, link).toBeLessThan(400)
      await res.text()
    }
    const stored = await env.alerts.store.getSubscription(sub.id)
    expect(stored).toBeDefined()
    expect(stored!.channels.email!.confirmedAt).toBeNull()
    // The page says what the button will confirm, and posts the token in its body.
    const page = await get(links.find((l) => l.includes('/alerts/confirm'))!)
    const html = await page.text()
    expect(readable(html)).toContain('Vous allez confirmer l\'adresse scanner@vezelay.example pour recevoir les alertes Guichet : collectivité : Vézelay (89)')
    expect(html).toMatch(/<form method="post" action="https:\/\/guichet\.test\/alerts\/confirm"><input type="hidden" name="token" value="confirm\.[^"]+"><button type="submit">Confirmer<\/button><\/form>/)
    // The click: a POST of the form.
    const confirmed = await post('/alerts/confirm', [['token', tokenOf(links.find((l) => l.includes('/alerts/confirm'))!)]])
    expect(confirmed.status).toBe(200)
    expect(readable(await confirmed.text())).toContain('Abonnement confirmé')
    expect((await env.alerts.store.getSubscription(sub.id))!.channels.email!.confirmedAt).toBe(clock.now().toISOString())
  })

  it('a scanner fetching every link of a digest changes nothing either; the RFC 8058 one-click POST still unsubscribes', async () => {
    const sub = await subscribe('digest@vezelay.example')
    const confirmLink = linksOf(mailsTo('digest@vezelay.example')[0]!).find((l) => l.includes('/alerts/confirm'))!
    expect((await post('/alerts/confirm', [['token', tokenOf(confirmLink)]])).status).toBe(200)
    const before = await env.alerts.store.getSubscription(sub.id)
    await env.alerts.runDigest()
    const digest = mailsTo('digest@vezelay.example').find((m) => !m.subject.startsWith('Confirmez'))!
    expect(digest.text).toContain('Appel test ecoles avril (TEST_ECOLES_AVRIL) — État : clôture le 31 mars 2026, dans 30 jours (J-30).')
    const links = linksOf(digest)
    expect(links.filter((l) => /\/alerts\/[\w-]+\/manage\?token=/.test(l))).toHaveLength(1)
    for (const link of links) {
      const res = await get(link, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })
      expect(res.status, link).toBeLessThan(400)
      await res.text()
    }
    const after = await env.alerts.store.getSubscription(sub.id)
    expect(after).toEqual({ ...before, lastDigestDay: '2026-03-01', newCallsSince: after!.newCallsSince })
    // The List-Unsubscribe header's URL, posted as a mail client does (RFC 8058).
    const unsubscribe = digest.headers['List-Unsubscribe']!.slice(1, -1)
    const res = await fetch(local(unsubscribe), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })
    expect(res.status).toBe(200)
    expect(readable(await res.text())).toContain('Vous êtes désabonné')
    expect(await env.alerts.store.getSubscription(sub.id)).toBeUndefined()
  })
})

describe('the management page', () => {
  let sub: { id: string; manageUrl: string; managePageUrl: string }
  let token = ''
  const path = () => `/alerts/${sub.id}/manage`
  const form = (fields: [string, string][], headers?: Record<string, string>) => post(path(), [['token', token], ...fields], headers)

  beforeAll(async () => {
    sub = await subscribe('dgs@vezelay.example', { applicantType: 'commune', programmes: [CALL.id] })
    token = tokenOf(sub.managePageUrl)
    expect(sub.managePageUrl).toBe(`${BASE}/alerts/${sub.id}/manage?token=${token}`)
  })

  it('shows what is followed and where it stands, in French', async () => {
    const res = await get(sub.managePageUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors \'none\'')
    expect(res.headers.get('referrer-policy')).toBe('same-origin')
    const html = await res.text()
    expect(html).toContain('<html lang="fr">')
    const text = readable(html)
    expect(text).toContain('État En attente de confirmation : ouvrez le lien reçu par e-mail et cliquez sur « Confirmer ».')
    expect(text).toContain('Collectivité Vézelay (89)')
    expect(text).toContain('Thèmes Écoles')
    expect(text).toContain('Programmes suivis Appel test ecoles avril')
    expect(text).toContain('Rappels J-30, J-7, J-1 avant chaque date limite')
    expect(text).toContain('Nouveaux appels chaque semaine')
    expect(text).toContain('e-mail : dgs@vezelay.example (en attente de confirmation)')
    // The stored values are the form's: J-30, J-7, J-1 and « chaque semaine » checked.
    for (const n of [30, 7, 1]) expect(html).toContain(`name="leadTimes" value="${n}" checked`)
    expect(html).not.toContain('name="leadTimes" value="15" checked')
    expect(html).toContain('name="newCalls" value="weekly" checked')
    expect(html).toContain('name="themes" value="ecoles" checked')
  })

  it('answers a wrong token with a 403 page, an erased subscription with a 404 page', async () => {
    const other = await subscribe('autre@vezelay.example')
    expect((await get(`${BASE}/alerts/${sub.id}/manage?token=${tokenOf(other.managePageUrl)}`)).status).toBe(403)
    expect((await get(`${BASE}/alerts/${sub.id}/manage`)).status).toBe(403)
    const refused = await post(path(), [['token', tokenOf(other.managePageUrl)], ['action', 'pause']])
    expect(refused.status).toBe(403)
    expect((await env.alerts.store.getSubscription(sub.id))!.pausedAt ?? null).toBeNull()
  })

  it('changes themes, lead times and frequency', async () => {
    const res = await form([['action', 'preferences'], ['themes', 'ecoles'], ['themes', 'sport'], ['leadTimes', '15'], ['leadTimes', '7'], ['leadTimeOther', '2'], ['newCalls', 'daily']])
    expect(res.status).toBe(200)
    const text = readable(await res.text())
    expect(text).toContain('Vos préférences sont enregistrées.')
    expect(text).toContain('Rappels J-15, J-7, J-2 avant chaque date limite')
    expect(text).toContain('Nouveaux appels chaque jour')
    expect(text).toContain('Thèmes Écoles et bâtiments scolaires Équipements sportifs')
    const stored = (await env.alerts.store.getSubscription(sub.id))!
    expect({ themes: stored.themes, leadTimes: stored.leadTimes, newCalls: stored.newCalls }).toEqual({ themes: ['ecoles', 'sport'], leadTimes: [15, 7, 2], newCalls: 'daily' })
  })

  it('refuses bad input with a 400 page naming the field, and writes nothing', async () => {
    const before = await env.alerts.store.getSubscription(sub.id)
    const cases: { fields: [string, string][]; field: string; label: string }[] = [
      { fields: [['leadTimes', '0'], ['newCalls', 'weekly']], field: 'leadTimes', label: 'Rappels' },
      { fields: [['newCalls', 'weekly']], field: 'leadTimes', label: 'Rappels' },
      { fields: [['leadTimes', '30'], ['leadTimeOther', 'dix'], ['newCalls', 'weekly']], field: 'leadTimeOther', label: 'Autre délai' },
      { fields: [['leadTimes', '60'], ['leadTimes', '30'], ['leadTimes', '15'], ['leadTimes', '7'], ['leadTimes', '3'], ['leadTimes', '1'], ['leadTimeOther', '45'], ['newCalls', 'weekly']], field: 'leadTimes', label: 'Rappels' },
      { fields: [['leadTimes', '30'], ['newCalls', 'monthly']], field: 'newCalls', label: 'Nouveaux appels' },
      { fields: [['themes', 'ecole'], ['leadTimes', '30'], ['newCalls', 'weekly']], field: 'themes', label: 'Thèmes' },
      { fields: [['leadTimes', '30'], ['newCalls', 'weekly'], ['couleur', 'bleu']], field: 'couleur', label: 'couleur' },
    ]
    for (const c of cases) {
      const res = await form([['action', 'preferences'], ...c.fields])
      expect(res.status, c.field).toBe(400)
      const html = await res.text()
      expect(readable(html), c.field).toContain(`Rien n'a été modifié. Champ « ${c.label} » (${c.field})`)
      expect(html, c.field).toContain('role="alert"')
    }
    // The field at fault is marked on the form, and what was sent is shown again.
    const html = await (await form([['action', 'preferences'], ['leadTimes', '30'], ['leadTimeOther', 'dix'], ['newCalls', 'daily']])).text()
    expect(html).toContain('id="leadTimeOther" name="leadTimeOther" value="dix" aria-invalid="true" aria-describedby="erreur-leadTimeOther"')
    expect(html).toContain('name="newCalls" value="daily" checked')
    expect((await form([['action', 'effacer-tout']])).status).toBe(400)
    expect((await form([['action', 'pause'], ['themes', 'ecoles']])).status).toBe(400)
    expect(await env.alerts.store.getSubscription(sub.id)).toEqual(before)
  })

  it('refuses a form sent from another site, whatever its token', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }] as Record<string, string>[]) {
      const res = await form([['action', 'pause']], headers)
      expect(res.status).toBe(403)
      expect(readable(await res.text())).toContain('Ce formulaire n\'a pas été envoyé depuis la page de votre abonnement : rien n\'a été changé.')
    }
    // The same site (what the page's own forms send) is served.
    const same = await form([['action', 'export']], { origin, 'sec-fetch-site': 'same-origin' })
    expect(same.status).toBe(200)
    expect((await env.alerts.store.getSubscription(sub.id))!.pausedAt ?? null).toBeNull()
  })

  it('pauses (the digest sends nothing) and resumes', async () => {
    // Confirmed, so that the digest would send.
    const confirmLink = linksOf(mailsTo('dgs@vezelay.example')[0]!).find((l) => l.includes('/alerts/confirm'))!
    expect((await post('/alerts/confirm', [['token', tokenOf(confirmLink)]])).status).toBe(200)
    const paused = await form([['action', 'pause']])
    expect(paused.status).toBe(200)
    const text = readable(await paused.text())
    expect(text).toContain('Vos alertes sont suspendues : rien ne vous sera envoyé jusqu\'à ce que vous les repreniez.')
    expect(text).toContain('État Suspendu : rien ne vous est envoyé jusqu\'à la reprise.')
    expect(text).toContain('Reprendre les alertes')
    // Said as setPaused does it (test/alerts/pause.test.ts).
    expect(text).toContain('Vos alertes sont suspendues et les envois qui étaient en attente ont été annulés. En les reprenant, vous recevrez une fois, pour chaque date limite encore à venir, le dernier rappel passé pendant la suspension, puis les rappels suivants.')
    expect((await env.alerts.store.getSubscription(sub.id))!.pausedAt).toBe(clock.now().toISOString())
    // J-15 of the call falls on 16 March: nothing goes while paused.
    clock.set('2026-03-16')
    const sentBefore = mailsTo('dgs@vezelay.example').length
    await env.alerts.runDigest()
    expect(mailsTo('dgs@vezelay.example')).toHaveLength(sentBefore)
    const resumed = await form([['action', 'resume']])
    const resumedText = readable(await resumed.text())
    expect(resumedText).toContain('État Actif : les alertes vous sont envoyées.')
    expect(resumedText).toContain('Les envois en attente, y compris ceux qui attendent un nouvel essai après un échec, sont annulés aussitôt et ne partiront pas à la reprise.')
    expect((await env.alerts.store.getSubscription(sub.id))!.pausedAt).toBeNull()
    // Resumed: the reminder still ahead comes, once.
    await env.alerts.runDigest()
    const after = mailsTo('dgs@vezelay.example')
    expect(after).toHaveLength(sentBefore + 1)
    expect(after.at(-1)!.text).toContain('Appel test ecoles avril (TEST_ECOLES_AVRIL) — État : clôture le 31 mars 2026, dans 15 jours (J-15).')
    await env.alerts.runDigest()
    expect(mailsTo('dgs@vezelay.example')).toHaveLength(sentBefore + 1)
  })

  it('exports everything kept: the subscription, its delivery history and its e-mails as written, as a download', async () => {
    const res = await form([['action', 'export']])
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="guichet-abonnement-${sub.id}.json"`)
    type Mail = { subscription_id: string; recipient: string; subject: string; text: string; html: string; status: string }
    const data = (await res.json()) as { exportedAt: string; subscription: Record<string, unknown>; deliveries: { kind: string; state: string; programmeId: string }[]; outbox: Mail[]; teamsConversations: unknown[] }
    expect(data.subscription).toEqual(JSON.parse(JSON.stringify(await env.alerts.store.getSubscription(sub.id))))
    expect(data.subscription).toMatchObject({ lastDigestDay: '2026-03-16' })
    expect(data.deliveries).toEqual(JSON.parse(JSON.stringify(await env.alerts.store.deliveries(sub.id))))
    expect(data.deliveries.filter((d) => d.kind === 'confirm' || d.programmeId === CALL.id).map((d) => [d.kind, d.state])).toEqual([['confirm', 'sent'], ['reminder', 'sent']])
    // The outbox copies (no SMTP here): the confirmation, then the J-15 digest, as they were written.
    const kept = mailsTo('dgs@vezelay.example')
    expect(kept.map((m) => m.subject)).toEqual(['Confirmez votre abonnement aux alertes Guichet', kept[1]!.subject])
    expect(data.outbox.map((m) => [m.subscription_id, m.recipient, m.subject, m.text, m.html])).toEqual(kept.map((m) => [sub.id, 'dgs@vezelay.example', m.subject, m.text, m.html]))
    expect(data.outbox[1]!.text).toContain('Appel test ecoles avril (TEST_ECOLES_AVRIL) — État : clôture le 31 mars 2026, dans 15 jours (J-15).')
    // Nothing of another subscriber: the one subscribed before this test has its own outbox.
    expect(JSON.stringify(data)).not.toContain('scanner@vezelay.example')
    expect(data.teamsConversations).toEqual([])
  })

  it('erases after a confirmation step, and says what was erased', async () => {
    const ask = await form([['action', 'erase']])
    expect(ask.status).toBe(200)
    const askText = readable(await ask.text())
    expect(askText).toContain('Effacer votre abonnement ?')
    expect(askText).toContain('Confirmation demandée : rien n\'est encore effacé.')
    expect(await env.alerts.store.getSubscription(sub.id)).toBeDefined()
    const history = (await env.alerts.store.deliveries(sub.id)).length
    expect(history).toBeGreaterThanOrEqual(2)
    const done = await form([['action', 'erase'], ['confirm', 'oui']])
    expect(done.status).toBe(200)
    const text = readable(await done.text())
    expect(text).toContain('Votre abonnement a été effacé.')
    expect(text).toContain('l\'adresse e-mail dgs@vezelay.example')
    expect(text).toContain(`l'historique des envois : ${history} envois passés et aucun envoi en attente`)
    expect(await env.alerts.store.getSubscription(sub.id)).toBeUndefined()
    expect(await env.alerts.store.deliveries(sub.id)).toEqual([])
    expect((await get(sub.managePageUrl)).status).toBe(404)
    expect((await form([['action', 'erase'], ['confirm', 'oui']])).status).toBe(404)
  })
})

describe('the JSON API stays for integrators', () => {
  it('answers JSON to a client, and sends a browser to the page', async () => {
    const sub = await subscribe('api@vezelay.example')
    const json = await get(sub.manageUrl, { accept: 'application/json' })
    expect(json.status).toBe(200)
    const body = (await json.json()) as { subscription: { managePageUrl: string; status: string } }
    expect(body.subscription).toMatchObject({ status: 'pending_confirmation', managePageUrl: sub.managePageUrl })
    expect((await get(sub.manageUrl)).headers.get('content-type')).toMatch(/^application\/json/)
    const browser = await get(sub.manageUrl, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' })
    expect(browser.status).toBe(303)
    expect(browser.headers.get('location')).toBe(sub.managePageUrl)
    const paused = await post(`/alerts/${sub.id}/manage`, [['token', tokenOf(sub.managePageUrl)], ['action', 'pause']])
    expect(paused.status).toBe(200)
    expect(((await (await get(sub.manageUrl)).json()) as { subscription: { status: string } }).subscription.status).toBe('paused')
  })
})

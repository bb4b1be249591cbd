// The management page in a real Chromium, from a real subscription: subscribed through the API,
// the confirmation e-mail read from the outbox of the SQLite file, its link opened (a page with
// « Confirmer », which the browser clicks), then « Gérer mon abonnement »: the themes changed,
// the alerts paused, the data exported (a download), the subscription erased after the
// confirmation step — what each page shows, and what the store holds after each step. Every
// page passes axe-core, the outcome of each step takes the focus, and the page fits 320 px.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOutbox } from '../../runtime/node/alerts-mailer.ts'
import { axeViolations, launchAgainst, serious, type BrowserSession } from '../helpers/browser.ts'
import { movableClock, nodeAlerts, schoolCall } from './helpers.ts'

const CALL = schoolCall('test_ecoles_avril', ['2026-03-31'])
const clock = movableClock('2026-03-01')
let env: ReturnType<typeof nodeAlerts> | undefined
let session: BrowserSession
let browser: Browser
let context: BrowserContext

beforeAll(async () => {
  // The server first (its port is the public URL the links are built on), the app behind it once composed.
  session = await launchAgainst((request) => env!.app.fetch(request))
  env = nodeAlerts({ programmes: [CALL], clock, publicUrl: session.base })
  browser = session.browser
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', reducedMotion: 'reduce', acceptDownloads: true })
  context.setDefaultTimeout(10_000)
}, 30_000)
afterAll(async () => {
  await context?.close()
  await session?.close()
  env?.dispose()
})

const text = async (page: Page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ')
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')

describe('the management page in a browser', () => {
  it('confirms, then changes the themes, pauses, exports and erases, each step shown and stored', async () => {
    const errors: Error[] = []
    const res = await fetch(`${session.base}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', themes: ['ecoles'], channels: { email: 'secretariat@vezelay.example' } }) })
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: string }
    const store = env!.alerts.store
    const mail = readOutbox(env!.db).find((m) => m.recipient === 'secretariat@vezelay.example')!
    const confirmUrl = mail.text.match(/https?:\/\/\S+\/alerts\/confirm\?token=\S+/)![0]
    expect(confirmUrl.startsWith(`${session.base}/alerts/confirm?token=`)).toBe(true)

    const page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err))
    // The link of the e-mail: a page explaining, nothing confirmed by opening it.
    await page.goto(confirmUrl)
    expect(await page.title()).toBe('Confirmer votre abonnement — Guichet')
    expect(await text(page)).toContain('Vous allez confirmer l\'adresse secretariat@vezelay.example pour recevoir les alertes Guichet')
    expect((await store.getSubscription(id))!.channels.email!.confirmedAt).toBeNull()
    expect(serious(await axeViolations(page))).toEqual([])
    await page.getByRole('button', { name: 'Confirmer' }).click()
    await page.getByRole('heading', { name: 'Abonnement confirmé' }).waitFor()
    expect((await store.getSubscription(id))!.channels.email!.confirmedAt).not.toBeNull()

    // « Gérer mon abonnement »: the page.
    await page.getByRole('link', { name: 'Gérer mon abonnement' }).click()
    await page.getByRole('heading', { name: 'Vos alertes Guichet' }).waitFor()
    expect(page.url()).toMatch(new RegExp(`^${session.base}/alerts/${id}/manage\\?token=manage\\.`))
    const shown = await text(page)
    expect(shown).toContain('État Actif : les alertes vous sont envoyées.')
    expect(shown).toContain('Collectivité Vézelay (89)')
    expect(shown).toContain('Thèmes Écoles et bâtiments scolaires')
    expect(shown).toContain('Rappels J-30, J-7, J-1 avant chaque date limite')
    expect(shown).toContain('Nouveaux appels chaque semaine')
    expect(serious(await axeViolations(page))).toEqual([])

    // Themes: sport added, J-1 dropped, daily news.
    await page.getByRole('group', { name: 'Thèmes' }).getByRole('checkbox', { name: 'Équipements sportifs' }).check()
    await page.getByRole('group', { name: 'Rappels avant chaque date limite' }).getByRole('checkbox', { name: 'J-1', exact: true }).uncheck()
    await page.getByRole('group', { name: 'Nouveaux appels à projets qui vous concernent' }).getByRole('radio', { name: 'chaque jour' }).check()
    await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click()
    await page.getByRole('status').filter({ hasText: 'Vos préférences sont enregistrées.' }).waitFor()
    expect(await focusedId(page)).toBe('message')
    const changed = await text(page)
    expect(changed).toContain('Thèmes Écoles et bâtiments scolaires Équipements sportifs')
    expect(changed).toContain('Rappels J-30, J-7 avant chaque date limite')
    expect(changed).toContain('Nouveaux appels chaque jour')
    const afterPrefs = (await store.getSubscription(id))!
    expect({ themes: afterPrefs.themes, leadTimes: afterPrefs.leadTimes, newCalls: afterPrefs.newCalls }).toEqual({ themes: ['ecoles', 'sport'], leadTimes: [30, 7], newCalls: 'daily' })

    // A lead time out of range: the page names the field, nothing stored changes.
    await page.getByLabel('Autre délai, en jours (facultatif)').fill('120')
    await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click()
    await page.getByRole('alert').waitFor()
    expect(await page.getByRole('alert').innerText()).toBe('Rien n\'a été modifié. Champ « Autre délai » (leadTimeOther) : autre délai : au plus 90 jours.')
    expect(await page.getByLabel('Autre délai, en jours (facultatif)').getAttribute('aria-invalid')).toBe('true')
    expect(serious(await axeViolations(page))).toEqual([])
    expect((await store.getSubscription(id))!.leadTimes).toEqual([30, 7])

    // Pause.
    await page.getByRole('button', { name: 'Suspendre les alertes' }).click()
    await page.getByRole('status').filter({ hasText: 'Vos alertes sont suspendues' }).waitFor()
    expect(await text(page)).toContain('État Suspendu : rien ne vous est envoyé jusqu\'à la reprise.')
    expect(await page.getByRole('button', { name: 'Reprendre les alertes' }).count()).toBe(1)
    expect((await store.getSubscription(id))!.pausedAt).toBe(clock.now().toISOString())

    // Export: a JSON download of the subscription and its history.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger mes données (JSON)' }).click()])
    expect(download.suggestedFilename()).toBe(`guichet-abonnement-${id}.json`)
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { subscription: { id: string; themes: string[]; pausedAt: string; channels: { email: { address: string } } }; deliveries: { kind: string }[] }
    expect(exported.subscription).toMatchObject({ id, themes: ['ecoles', 'sport'], pausedAt: clock.now().toISOString(), channels: { email: { address: 'secretariat@vezelay.example' } } })
    expect(exported.deliveries.map((d) => d.kind)).toEqual(['confirm'])
    expect(await page.getByRole('heading', { name: 'Vos alertes Guichet' }).count()).toBe(1)

    // Erase: asked first, then done, and the page says what went.
    await page.getByRole('button', { name: 'Effacer mon abonnement…' }).click()
    await page.getByRole('heading', { name: 'Effacer votre abonnement ?' }).waitFor()
    expect(await store.getSubscription(id)).toBeDefined()
    expect(serious(await axeViolations(page))).toEqual([])
    await page.getByRole('button', { name: 'Oui, effacer définitivement' }).click()
    await page.getByRole('heading', { name: 'Abonnement effacé' }).waitFor()
    const erased = await text(page)
    expect(erased).toContain('Votre abonnement a été effacé.')
    expect(erased).toContain('l\'adresse e-mail secretariat@vezelay.example')
    expect(erased).toContain('l\'historique des envois : 1 envoi passé et aucun envoi en attente')
    expect(await store.getSubscription(id)).toBeUndefined()
    expect(await store.deliveries(id)).toEqual([])
    expect(serious(await axeViolations(page))).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)

  it('fits 320 px and works with the keyboard', async () => {
    const res = await fetch(`${session.base}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { email: 'mobile@vezelay.example' } }) })
    const { managePageUrl, id } = (await res.json()) as { managePageUrl: string; id: string }
    const page = await context.newPage()
    await page.setViewportSize({ width: 320, height: 640 })
    await page.goto(managePageUrl)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    expect(await text(page)).toContain('État En attente de confirmation')
    // The pause button reached and pressed with the keyboard.
    const pause = page.getByRole('button', { name: 'Suspendre les alertes' })
    await pause.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Vos alertes sont suspendues' }).waitFor()
    expect((await env!.alerts.store.getSubscription(id))!.pausedAt).not.toBeNull()
    await page.close()
  }, 30_000)
})

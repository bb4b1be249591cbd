// The admin desk in Debian Chromium: log in, find DETR, change its deadline, and see the new
// date in /api/match (calendar.closesAt), in a POST /api/chat answer, after a replay crawl and
// in the audit log; then the same for a crawled programme whose source keeps sending its own
// date; and every admin route refused to a browser with no session.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { axeViolations, launchAgainst, serious, type BrowserSession } from '../helpers/browser.ts'
import { REPLAY_DIR } from '../crawler/replay-server.ts'
import { PASSWORD, startAdmin, type AdminHarness } from './harness.ts'

const seriousViolations = async (page: Page) => serious(await axeViolations(page))

let h: AdminHarness
let session: BrowserSession
let browser: Browser
let base = ''

beforeAll(async () => {
  h = await startAdmin()
  await h.createUser('editrice@ville.fr', 'editor')
  await h.createUser('admin@ville.fr', 'admin')
  session = await launchAgainst(h.app.fetch)
  browser = session.browser
  base = session.base
})

afterAll(async () => {
  await session?.close()
  h?.dispose()
})

describe('admin desk in a browser', () => {
  it('logs in, edits the DETR deadline, and the bot answers with the new date', async () => {
    const page = await browser.newPage()
    const errors: Error[] = []
    page.on('pageerror', (e) => errors.push(e))
    await page.goto(`${base}/admin`)
    expect(page.url()).toBe(`${base}/admin/login`)
    await page.getByLabel('E-mail').fill('editrice@ville.fr')
    await page.getByLabel('Mot de passe').fill(PASSWORD)
    await page.getByRole('button', { name: 'Se connecter' }).click()
    await page.waitForURL(`${base}/admin`)
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'guichet_admin')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' })

    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('DETR')
    await page.getByRole('button', { name: 'Filtrer' }).click()
    await page.getByRole('link', { name: /Dotation d'équipement des territoires ruraux/ }).click()
    await page.waitForURL(`${base}/admin/programmes/detr`)

    // A wrong date first: the error is next to the field and linked to it.
    await page.getByLabel('Dates limites').fill('15/05/2026')
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
    const field = page.getByLabel('Dates limites')
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#f-deadlines-error').textContent()).toMatch(/deadlines/)
    expect(await field.getAttribute('aria-describedby')).toContain('f-deadlines-error')

    await field.fill('2026-05-15')
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
    await page.waitForURL(/enregistre=1/)
    expect(await page.getByRole('status').first().textContent()).toMatch(/Modification enregistrée/)
    expect(await page.locator('.card[aria-label="Aperçu"]').textContent()).toMatch(/15 mai 2026/)

    const match = (await (await fetch(`${base}/api/match?commune=89446&applicant=commune&q=${encodeURIComponent('éclairage public LED')}`)).json()) as { results: { id: string; calendar: { closesAt?: string } }[] }
    expect(match.results.find((r) => r.id === 'detr')?.calendar.closesAt).toBe('2026-05-15')

    const chat = (await (await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED" }) })).json()) as { results: { id: string; calendar: { closesAt?: string } }[] }
    expect(chat.results.find((r) => r.id === 'detr')?.calendar.closesAt).toBe('2026-05-15')

    // The nightly crawl (here from recorded payloads) rebuilds the catalogue: the correction stays.
    const sizeBefore = h.catalogue().size
    const run = await h.services.crawler.run({ replayDir: REPLAY_DIR })
    expect(run.status).not.toBe('failed')
    expect(h.catalogue().size).toBeGreaterThan(sizeBefore)
    const after = (await (await fetch(`${base}/api/match?commune=89446&applicant=commune&q=${encodeURIComponent('éclairage public LED')}`)).json()) as { results: { id: string; calendar: { closesAt?: string } }[] }
    expect(after.results.find((r) => r.id === 'detr')?.calendar.closesAt).toBe('2026-05-15')

    await page.getByRole('link', { name: 'Journal' }).click()
    const row = page.getByRole('row').filter({ hasText: 'programme:detr' }).first()
    expect(await row.textContent()).toMatch(/editrice@ville\.fr.*programme\.override.*2026-05-15/s)

    // A crawled programme: its source sends its own deadline at every crawl; the editor's wins.
    const crawled = h.catalogue().all().find((p) => p.provenance.kind === 'crawled' && p.calendar.editions.some((e) => e.deadlines.length > 0))!
    const sourceId = crawled.provenance.kind === 'crawled' ? crawled.provenance.sourceId : ''
    await page.goto(`${base}/admin`)
    await page.getByLabel('Source').selectOption(sourceId)
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill(crawled.name.slice(0, 30))
    await page.getByRole('button', { name: 'Filtrer' }).click()
    await page.getByRole('link', { name: crawled.name }).first().click()
    await page.waitForURL(`${base}/admin/programmes/${encodeURIComponent(crawled.id)}`)
    await page.getByLabel('Dates limites').fill('2026-12-15')
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
    await page.waitForURL(/enregistre=1/)
    await h.services.crawler.run({ replayDir: REPLAY_DIR })
    const served = (await (await fetch(`${base}/api/programmes/${encodeURIComponent(crawled.id)}`)).json()) as { view: { calendar: { closesAt?: string } } }
    expect(served.view.calendar.closesAt).toBe('2026-12-15')
    await page.reload()
    expect(await page.getByLabel('Dates limites').inputValue()).toBe('2026-12-15')

    // Curation from git: the YAML of a programme pasted back with one change, simulated, then applied.
    const dsil = h.catalogue().get('dsil')!
    const yaml = await (await page.request.get(`${base}/api/admin/export/programmes/dsil.yaml`)).text()
    expect(yaml).toContain('id: dsil')
    await page.goto(`${base}/admin/import`)
    await page.getByLabel(/Ou collez le YAML/).fill(stringify({ ...parse(yaml), statusNote: 'Enveloppe 2026 notifiée aux préfectures.' }))
    await page.getByRole('button', { name: "Simuler l'import" }).click()
    expect(await page.getByRole('status').first().textContent()).toMatch(/Simulation : 1 programme\(s\) seraient créés ou modifiés/)
    expect(await page.locator('section[aria-label="Modification de dsil"]').textContent()).toContain('Enveloppe 2026 notifiée aux préfectures.')
    expect(h.catalogue().get('dsil')!.statusNote).toBe(dsil.statusNote)
    await page.getByRole('button', { name: /Appliquer ces 1 changement/ }).click()
    expect(await page.getByRole('status').first().textContent()).toMatch(/Import appliqué : 1 programme/)
    expect(h.catalogue().get('dsil')!.statusNote).toBe('Enveloppe 2026 notifiée aux préfectures.')
    expect(errors).toEqual([])
    await page.close()
  })

  it('every admin page passes axe-core (no serious or critical violation), fits 320 px, and login works with the keyboard only', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${base}/admin/login`)
    expect(await seriousViolations(page)).toEqual([])
    await page.keyboard.press('Tab')
    await page.keyboard.type('admin@ville.fr')
    await page.keyboard.press('Tab')
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${base}/admin`)
    const pages = ['/admin', '/admin?crawlErrors=1', '/admin/programmes/detr', '/admin/nouveau-programme', '/admin/import', '/admin/crawl', '/admin/audit', '/admin/accounts', '/admin/alerts', '/admin/sources/pages', '/admin/sources/pages/departement-exemple', '/admin/compte', '/admin/audit?action=programme.']
    for (const path of pages) {
      const res = await page.goto(`${base}${path}`)
      expect(res?.status(), path).toBe(200)
      expect(await seriousViolations(page), path).toEqual([])
    }
    // At 320 px (a phone), nothing but a wide table's own scroller overflows the page.
    await page.setViewportSize({ width: 320, height: 700 })
    for (const path of pages) {
      await page.goto(`${base}${path}`)
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(320)
    }
    await page.setViewportSize({ width: 1280, height: 800 })
    // A refused form: the error summary and the fields in error pass too.
    await page.goto(`${base}/admin/programmes/detr`)
    await page.getByLabel('Règle 1 : population maximale').fill('beaucoup')
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
    expect(await page.getByRole('alert').textContent()).toMatch(/eligibility\.population\.0\.max/)
    expect(await seriousViolations(page)).toEqual([])
    await context.close()
  })

  it('refuses every admin route to a browser without a session', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${base}/admin/login`)
    const routes = [...new Map(h.admin.routes.filter((r) => r.method !== 'ALL' && !r.path.endsWith('/login') && r.path !== '/admin/unlock').map((r) => [`${r.method} ${r.path}`, r])).values()]
    expect(routes.length).toBeGreaterThan(30)
    const statuses = await page.evaluate(async (list) => {
      const out: { route: string; status: number; url: string }[] = []
      for (const r of list) {
        const path = r.path.replace(/:[a-z]+\b/gi, 'x').replace(/\*$/, 'x')
        const res = await fetch(path, { method: r.method, redirect: 'follow', headers: { 'content-type': 'application/json' }, ...(r.method === 'GET' ? {} : { body: '{}' }) })
        out.push({ route: `${r.method} ${r.path}`, status: res.status, url: res.url })
      }
      return out
    }, routes.map((r) => ({ method: r.method, path: r.path })))
    for (const s of statuses) {
      // Pages send the browser to the login form; the API and every change answer 401.
      if (s.route.startsWith('GET /admin')) expect(s.url, s.route).toBe(`${base}/admin/login`)
      else expect(s.status, s.route).toBe(401)
    }
    await context.close()
  })
})

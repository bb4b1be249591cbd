// The admin desk in Debian Chromium: log in, find DETR, change its deadline, and see the new
// date in /api/match (calendar.closesAt), in a POST /api/chat answer and in the audit log.
import { serve, type ServerType } from '@hono/node-server'
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, startAdmin, type AdminHarness } from './harness.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

let h: AdminHarness
let server: ServerType
let browser: Browser
let base = ''

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium introuvable (${CHROMIUM}) : apt-get install chromium`)
  h = await startAdmin()
  await h.createUser('editrice@ville.fr', 'editor')
  await new Promise<void>((resolve) => {
    server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
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
    expect(cookies.find((c) => c.name === 'guichet_admin')).toMatchObject({ httpOnly: true, sameSite: 'Strict' })

    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('DETR')
    await page.getByRole('button', { name: 'Filtrer' }).click()
    await page.getByRole('link', { name: /Dotation d'équipement des territoires ruraux/ }).click()
    await page.waitForURL(`${base}/admin/programmes/detr`)

    // A wrong date first: the error is next to the field and linked to it.
    await page.getByLabel('Dates limites').fill('15/05/2026')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    const field = page.getByLabel('Dates limites')
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#f-deadlines-error').textContent()).toMatch(/deadlines/)
    expect(await field.getAttribute('aria-describedby')).toContain('f-deadlines-error')

    await field.fill('2026-05-15')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/enregistre=1/)
    expect(await page.getByRole('status').first().textContent()).toMatch(/Modification enregistrée/)
    expect(await page.locator('.card[aria-label="Aperçu"]').textContent()).toMatch(/15 mai 2026/)

    const match = (await (await fetch(`${base}/api/match?commune=89446&applicant=commune&q=${encodeURIComponent('éclairage public LED')}`)).json()) as { results: { id: string; calendar: { closesAt?: string } }[] }
    expect(match.results.find((r) => r.id === 'detr')?.calendar.closesAt).toBe('2026-05-15')

    const chat = (await (await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED" }) })).json()) as { results: { id: string; calendar: { closesAt?: string } }[] }
    expect(chat.results.find((r) => r.id === 'detr')?.calendar.closesAt).toBe('2026-05-15')

    await page.getByRole('link', { name: 'Journal' }).click()
    const row = page.getByRole('row').filter({ hasText: 'programme:detr' }).first()
    expect(await row.textContent()).toMatch(/editrice@ville\.fr.*programme\.override.*2026-05-15/s)
    expect(errors).toEqual([])
    await page.close()
  })
})

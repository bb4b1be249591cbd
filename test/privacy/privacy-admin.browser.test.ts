// « Données personnelles » in a real browser (Chromium): an admin types a person's address, is
// stopped by the unchecked confirmation (error summary linked to the checkbox), confirms and reads
// what was erased; turns the anonymised log on and reads an entry. Every state of the page passes
// axe-core (no serious or critical violation) and fits 320 px.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, launchAgainst, serious, type BrowserSession } from '../helpers/browser.ts'
import { PASSWORD, startAdmin, type AdminHarness } from '../admin/harness.ts'

const ADDRESS = 'agent.urbanisme@ville-navigateur.example'
let h: AdminHarness
let session: BrowserSession
let browser: Browser
let base = ''

beforeAll(async () => {
  h = await startAdmin()
  await h.createUser('dpo@ville.fr', 'admin')
  session = await launchAgainst(h.app.fetch)
  browser = session.browser
  base = session.base
})
afterAll(async () => {
  await session?.close()
  h?.dispose()
})

async function checked(page: Page, label: string): Promise<void> {
  expect(serious(await axeViolations(page)), label).toEqual([])
  await page.setViewportSize({ width: 320, height: 700 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth), label).toBeLessThanOrEqual(320)
  await page.setViewportSize({ width: 1280, height: 800 })
}

describe('« Données personnelles » in a browser', () => {
  it('erases a person\'s data after an explicit confirmation, and turns the anonymised log on', async () => {
    const res = await h.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { email: ADDRESS } }) })
    expect(res.status).toBe(201)
    const page = await browser.newPage()
    const errors: Error[] = []
    page.on('pageerror', (e) => errors.push(e))
    await page.goto(`${base}/admin/login`)
    await page.getByLabel('E-mail').fill('dpo@ville.fr')
    await page.getByLabel('Mot de passe').fill(PASSWORD)
    await page.getByRole('button', { name: 'Se connecter' }).click()
    await page.waitForURL(`${base}/admin`)
    await page.getByRole('link', { name: 'Données personnelles' }).click()
    await page.waitForURL(`${base}/admin/privacy`)
    await checked(page, 'the page')

    await page.getByLabel('Adresse e-mail de la personne').fill(ADDRESS)
    await page.getByRole('button', { name: 'Effacer' }).click()
    const alert = page.getByRole('alert')
    expect(await alert.textContent()).toContain("Cochez la confirmation pour effacer : l'effacement est définitif")
    expect(await page.getByLabel('Adresse e-mail de la personne').inputValue()).toBe(ADDRESS)
    await checked(page, 'the refused form')
    expect(h.services.db.prepare('SELECT COUNT(*) AS n FROM alert_subscriptions').get()).toEqual({ n: 1 })

    await page.getByLabel("Je confirme l'effacement définitif (pour « Effacer »)").check()
    await page.getByRole('button', { name: 'Effacer' }).click()
    expect(await page.getByRole('status').first().textContent()).toBe("Effacé pour cette adresse : 1 abonnement, 1 ligne du journal d'envoi, 1 e-mail en file, 0 conversation Teams.")
    expect(h.services.db.prepare('SELECT COUNT(*) AS n FROM alert_subscriptions').get()).toEqual({ n: 0 })
    expect(await page.locator('table').first().textContent()).toMatch(/effacement.*subject:[0-9a-f]{32}/)

    await page.getByRole('button', { name: 'Activer le journal' }).click()
    expect(await page.getByRole('status').first().textContent()).toBe('Journal anonymisé activé.')
    await h.app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Bonjour, Mme Lucie Aubrac de la mairie de Vézelay, nous cherchons une aide pour la cantine' }) })
    await page.goto(`${base}/admin/privacy`)
    expect(await page.getByRole('table', { name: 'Dernières entrées du journal' }).textContent()).toContain('Bonjour, Mme [nom] de la mairie de [collectivité], nous cherchons une aide pour la cantine')
    await checked(page, 'the log with an entry')
    expect(errors).toEqual([])
    await page.close()
  })
})

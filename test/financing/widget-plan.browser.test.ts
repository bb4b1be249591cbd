// « Voir le plan de financement » in the widget, in a real Chromium on the /demo town page served
// by the real app: a mayor says the project and its budget, the widget shows the offer as a card
// with links, and the printable plan it opens has the right sums and own share (and prints on A4).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, launchAgainst, serious, type BrowserSession } from '../helpers/browser.ts'
import { startServices } from '../helpers/node-services.ts'

let services: Awaited<ReturnType<typeof startServices>>
let session: BrowserSession
let browser: Browser
beforeAll(async () => {
  services = await startServices()
  session = await launchAgainst(services.app.fetch)
  browser = session.browser
})
afterAll(async () => {
  await session?.close()
  services?.dispose()
})

describe('the widget offers the financing plan once the budget is known', () => {
  it('a school renovation of 250 000 €: the card links to the printable plan, CSV and XLSX; the plan leaves 50 000 € to the commune', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', reducedMotion: 'reduce' })
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    const errors: Error[] = []
    page.on('pageerror', (err) => errors.push(err))
    await page.goto(`${session.base}/demo`)
    const host = page.locator('guichet-widget')
    await host.getByRole('button', { name: 'Trouver un financement' }).click()
    // The demo page gives the collectivité (Saint-Amand-Montrond): the project and its budget in one sentence.
    await host.getByText('Quel est votre projet ?', { exact: false }).waitFor()
    await host.getByRole('textbox', { name: 'Votre message à Guichet' }).fill('Rénovation de l\'école, budget de 250 000 €')
    await host.getByRole('button', { name: 'Envoyer', exact: true }).click()

    const offer = host.getByRole('link', { name: 'Voir le plan de financement : page imprimable (nouvelle fenêtre)' })
    await offer.waitFor()
    const href = (await offer.getAttribute('href'))!
    expect(href.startsWith(`${session.base}/plan?`)).toBe(true)
    expect(new URL(href).searchParams.get('budget')).toBe('250000')
    expect(await offer.getAttribute('target')).toBe('_blank')
    expect(await host.getByText(/^Pour un budget de 250\s000\s€ \(compté hors taxes\)/).count()).toBe(1)
    expect(await host.getByRole('link', { name: 'CSV (Excel) : plan de financement (nouvelle fenêtre)' }).getAttribute('href')).toMatch(/\/api\/plan\.csv\?/)
    expect(await host.getByRole('link', { name: 'XLSX : plan de financement (nouvelle fenêtre)' }).getAttribute('href')).toMatch(/\/api\/plan\.xlsx\?/)
    expect(serious(await axeViolations(page))).toEqual([])

    // The link opens the printable plan in a new tab.
    const [plan] = await Promise.all([context.waitForEvent('page'), offer.click()])
    await plan.waitForLoadState()
    expect(await plan.title()).toBe('Plan de financement — Saint-Amand-Montrond')
    const body = (await plan.textContent('body'))!
    // DETR at its 80 % ceiling: 250 000 × 80 % = 200 000 €; the commune keeps 50 000 € = 20 %.
    expect(body).toMatch(/Total des aides publiques\s*200\s000,00\s€\s*200\s000,00\s€/)
    expect(body).toMatch(/Part de la collectivité \(20,0\s% du financement public\)\s*50\s000,00\s€/)
    expect(body).toMatch(/taux inconnu/)
    expect(serious(await axeViolations(plan))).toEqual([])
    // Printed on A4, the export links are hidden.
    await plan.emulateMedia({ media: 'print' })
    expect(await plan.locator('.exports').isHidden()).toBe(true)
    const pdf = await plan.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(errors.map(String)).toEqual([])
    await context.close()
  })
})

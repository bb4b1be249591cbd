// The widget in a real Chromium on the /demo town page (Saint-Amand-Montrond, Cher, 18): the Fonds vert
// card of the results shows the Fonds vert 2023 projects of comparable communes with their amounts —
// the same ones GET /api/projects ranks first for that commune — and « qu'ont financé des communes comme
// la mienne ? » is answered in the conversation with the Cher's projects.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchAgainst, type BrowserSession } from '../helpers/browser.ts'
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

async function openDemo(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', reducedMotion: 'reduce' })
  context.setDefaultTimeout(8000)
  const page = await context.newPage()
  await page.goto(`${session.base}/demo`)
  return page
}

describe('peer projects in the widget', () => {
  it('the Fonds vert card lists comparable funded projects with amounts, and the question gets the Cher’s projects', async () => {
    const api = await (await fetch(`${session.base}/api/projects?collectivite=18197&theme=eclairage_public&limit=3`)).json() as any
    expect(api.projects[0].departement).toBe('18')

    const page = await openDemo()
    const host = page.locator('guichet-widget')
    await host.getByRole('button', { name: 'Trouver un financement' }).click()
    const input = host.getByRole('textbox', { name: 'Votre message à Guichet' })
    await input.fill('éclairage public en LED')
    await host.getByRole('button', { name: 'Envoyer', exact: true }).click()
    await host.getByRole('group', { name: 'Réponses rapides' }).getByRole('button', { name: 'Travaux', exact: true }).click()
    const results = host.getByRole('list', { name: /programmes? proposés?$/ }).last()
    await results.waitFor()

    const card = results.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: /Fonds vert/ }) })
    const summary = card.getByText('Projets financés en 2023 par le Fonds vert dans des communes comparables', { exact: true })
    await summary.click()
    const lines = card.locator('details.peers li')
    expect(await lines.count()).toBe(3)
    for (const [i, p] of api.projects.entries()) {
      const line = (await lines.nth(i).textContent())!
      expect(line).toBe(`${p.commune.name} (18) — ${p.project} : ${p.amount}`)
      expect(line).toMatch(/\d[\d\u202f]*\u00a0€$/)
    }
    expect(await card.textContent()).toContain('Source : Fonds vert 2023, données publiques de l’État. Des exemples, pas un critère d’éligibilité.')

    await input.fill('qu\'ont financé des communes comme la mienne ?')
    await host.getByRole('button', { name: 'Envoyer', exact: true }).click()
    const log = host.getByRole('log', { name: 'Conversation avec Guichet' })
    await log.getByText(/Projets financés en 2023 par le Fonds vert dans des communes comparables pour éclairage public/).waitFor()
    const text = (await log.textContent())!
    expect(text).toContain(`• ${api.projects[0].commune.name} (18) — ${api.projects[0].project} : ${api.projects[0].amount}`)
    expect(text).toMatch(/En 2023, département Cher \(18\) : Rénovation des parcs de luminaires d’éclairage public — \d+ projets?, montant médian [\d\u202f]+\u00a0€/)
  })
})

// The council line on the programme cards: in the widget, in a real Chromium on the /demo page
// of the real app, and on the Teams Adaptive Card of the same item. On 1 June 2026, Auxerre's
// EUI-IA deadline (15 June) has its last useful council on Thursday 11 June (default calendar:
// second Thursday), convocation by Friday 5 June (5 clear days: 6 to 10 June).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { programmeCard } from '../../bot/channels/teams/cards.ts'
import { launchAgainst, type BrowserSession } from '../helpers/browser.ts'
import { startServices } from '../helpers/node-services.ts'

let services: Awaited<ReturnType<typeof startServices>>
let session: BrowserSession
let browser: Browser

beforeAll(async () => {
  services = await startServices({ GUICHET_NOW: '2026-06-01' })
  session = await launchAgainst(services.app.fetch)
  browser = session.browser
})
afterAll(async () => {
  await session?.close()
  services?.dispose()
})

const LABEL = 'Dernier conseil utile le jeudi 11 juin 2026 (convocation au plus tard le 5 juin 2026)'

describe('the council on the cards', () => {
  it('the widget shows « Conseil : dernier conseil utile le … » on the dated programme', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', reducedMotion: 'reduce' })
    context.setDefaultTimeout(8000)
    const page = await context.newPage()
    await page.goto(`${session.base}/demo`)
    const host = page.locator('guichet-widget')
    await host.getByRole('button', { name: 'Trouver un financement' }).click()
    const input = host.getByRole('textbox', { name: 'Votre message à Guichet' })
    await input.fill('Bonjour, je suis le maire d\'Auxerre : projet pilote d\'innovation urbaine pour le logement')
    await host.getByRole('button', { name: 'Envoyer', exact: true }).click()
    await host.getByRole('group', { name: 'Réponses rapides' }).waitFor()
    await input.fill('montrez-moi les résultats')
    await host.getByRole('button', { name: 'Envoyer', exact: true }).click()
    const card = host.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /European Urban Initiative/ }) })
    await card.waitFor()
    await expect.poll(() => card.locator('p.council').textContent()).toBe(`Conseil : ${LABEL}`)
    expect(await card.locator('p.deliberation').textContent()).toBe('Délibération : à prendre avant le 12 juin 2026 inclus — généralement demandée, à vérifier')
    await context.close()
  })

  it('the Teams card has a « Conseil » fact', async () => {
    const res = await services.app.request(`/api/match?commune=89024&q=${encodeURIComponent('projet pilote innovation urbaine logement')}`)
    const item = ((await res.json()) as { results: Parameters<typeof programmeCard>[0][] }).results.find((r) => r.id === 'eui_innovative_actions')!
    const facts = (programmeCard(item).body as { type: string; facts?: { title: string; value: string }[] }[]).find((e) => e.type === 'FactSet')!.facts!
    expect(facts).toContainEqual({ title: 'Conseil', value: LABEL })
    expect(facts).toContainEqual({ title: 'Délibération', value: 'à prendre avant le 12 juin 2026 inclus — généralement demandée, à vérifier' })
  })
})

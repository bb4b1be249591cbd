// No third-party resource (fonts, scripts, images, styles, frames) on any page of the service nor
// in the widget: a real Chromium (playwright-core, @sparticuz/chromium) opens every page of the
// real Node app and records every request; a request to another origin fails, naming the page and
// the URL. The content security policy is bypassed so that a third-party reference shows as the
// request it would make, and every foreign request is aborted (no network). The same visit checks
// what the accessibility statement says is checked: axe-core (no serious or critical violation),
// lang="fr", a title, a skip link, no horizontal scroll at 320 px; and the footer links.
import { Hono } from 'hono'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, launchAgainst, serious, type BrowserSession } from '../helpers/browser.ts'
import { startServices } from '../helpers/node-services.ts'

let services: Awaited<ReturnType<typeof startServices>>
let session: BrowserSession
let context: BrowserContext
let links: { managePageUrl: string; unsubscribeUrl: string }
beforeAll(async () => {
  services = await startServices()
  // The real app, and one page of it with a web font a careless template would add: the check must see it.
  const app = new Hono()
  app.get('/test/with-font', async (c) => {
    const home = await (await services.app.request('/')).text()
    return c.html(home.replace('</head>', '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Marianne"><img src="https://stats.example.net/pixel.gif" alt=""></head>'))
  })
  app.route('/', services.app)
  session = await launchAgainst(app.fetch)
  context = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', reducedMotion: 'reduce', bypassCSP: true })
  context.setDefaultTimeout(10_000)
  const created = await fetch(`${session.base}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', themes: ['ecoles'], channels: { email: 'secretariat@vezelay.example.fr' } }) })
  expect(created.status).toBe(201)
  links = (await created.json()) as typeof links
})
afterAll(async () => {
  await context?.close()
  await session?.close()
  services?.dispose()
})

/** Opens `path` (then runs `act`), aborting and recording every request to another origin. */
async function visit(path: string, act?: (page: Page) => Promise<void>): Promise<{ page: Page; foreign: string[] }> {
  const page = await context.newPage()
  const origin = new URL(session.base).origin
  const foreign: string[] = []
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (/^(data|blob|about):/.test(url) || new URL(url).origin === origin) return route.continue()
    foreign.push(url)
    return route.abort()
  })
  await page.goto(`${session.base}${path}`, { waitUntil: 'networkidle' })
  if (act) await act(page)
  await page.waitForLoadState('networkidle')
  return { page, foreign }
}

/** The widget on the demo page, opened and asked one question: its script, styles and chat calls. */
async function converse(page: Page): Promise<void> {
  const host = page.locator('guichet-widget')
  await host.getByRole('button', { name: 'Trouver un financement' }).click()
  await host.getByRole('dialog').waitFor()
  await host.getByRole('textbox', { name: 'Votre message à Guichet' }).fill('éclairage public en LED')
  await host.getByRole('button', { name: 'Envoyer' }).click()
  await host.getByText('Quel est l’avancement du projet ?', { exact: false }).or(host.getByRole('button', { name: 'Travaux' })).first().waitFor()
}

const PAGES: { name: string; path: () => string; act?: (page: Page) => Promise<void>; legalFooter: boolean; skipLink?: boolean }[] = [
  { name: "page d'accueil", path: () => '/', legalFooter: true, skipLink: true },
  { name: "page d'accueil avec résultats", path: () => '/?commune=89446&themes=ecoles&q=r%C3%A9novation%20de%20l%27%C3%A9cole', legalFooter: true, skipLink: true },
  { name: 'page hôte du widget, conversation ouverte', path: () => '/demo', act: converse, legalFooter: false },
  { name: 'plan de financement', path: () => '/plan?commune=89446&budget=250000&themes=ecoles', legalFooter: true, skipLink: true },
  { name: 'politique de confidentialité', path: () => '/confidentialite', legalFooter: true, skipLink: true },
  { name: "déclaration d'accessibilité", path: () => '/accessibilite', legalFooter: true, skipLink: true },
  { name: 'gestion de l’alerte', path: () => new URL(links.managePageUrl).pathname + new URL(links.managePageUrl).search, legalFooter: true },
  { name: 'désabonnement', path: () => new URL(links.unsubscribeUrl).pathname + new URL(links.unsubscribeUrl).search, legalFooter: true },
  { name: 'connexion au back-office', path: () => '/admin/login', legalFooter: true },
]

describe('no third-party resource on any page', () => {
  for (const p of PAGES) {
    it(`${p.name}: every request stays on the service's origin; axe-core finds nothing serious; lang="fr"`, async () => {
      const { page, foreign } = await visit(p.path(), p.act)
      const status = await page.evaluate(() => document.title)
      expect(status, `${p.name} has no title`).not.toBe('')
      expect(foreign.map((url) => `${p.name} (${p.path()}) loads ${url}`)).toEqual([])
      expect(serious(await axeViolations(page)), p.name).toEqual([])
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr')
      await page.close()
    })
  }

  it('the check sees a web font and a tracking pixel a template would add, naming page and URL', async () => {
    const { page, foreign } = await visit('/test/with-font')
    await page.close()
    expect(foreign.sort()).toEqual(['https://fonts.googleapis.com/css2?family=Marianne', 'https://stats.example.net/pixel.gif'])
  })
})

describe('what the accessibility statement says the tests check', () => {
  for (const p of PAGES.filter((x) => x.legalFooter)) {
    it(`${p.name}: axe-core finds nothing serious, lang="fr", a title, ${p.skipLink ? 'a skip link to the main content, ' : ''}no horizontal scroll at 320 px, the legal links`, async () => {
      const { page } = await visit(p.path())
      expect(serious(await axeViolations(page))).toEqual([])
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr')
      expect(await page.title()).toMatch(/\S/)
      if (p.skipLink) {
        const skip = page.locator('a[href="#contenu"]').first()
        expect(await skip.textContent()).toBe('Aller au contenu')
        expect(await page.locator('main#contenu').count()).toBe(1)
      }
      const footer = page.getByRole('navigation', { name: 'Informations légales' })
      expect(await footer.getByRole('link', { name: 'Politique de confidentialité' }).getAttribute('href')).toBe('/confidentialite')
      expect(await footer.getByRole('link', { name: 'Accessibilité : non conforme' }).getAttribute('href')).toBe('/accessibilite')
      await page.setViewportSize({ width: 320, height: 640 })
      // The privacy notice's data table scrolls inside its own region (a two-dimensional table), never the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
      await page.close()
    })
  }

  it('the widget links the privacy notice and the accessibility statement of its server, in a new tab', async () => {
    const { page } = await visit('/demo', converse)
    const legal = page.locator('guichet-widget').getByRole('dialog').locator('.legal')
    const privacy = legal.getByRole('link', { name: 'Données personnelles (nouvel onglet)' })
    expect(await privacy.getAttribute('href')).toBe(`${session.base}/confidentialite`)
    expect(await privacy.getAttribute('target')).toBe('_blank')
    expect(await legal.getByRole('link', { name: 'Accessibilité : non conforme (nouvel onglet)' }).getAttribute('href')).toBe(`${session.base}/accessibilite`)
    const [opened] = await Promise.all([context.waitForEvent('page'), privacy.click()])
    await opened!.waitForLoadState()
    expect(await opened!.getByRole('heading', { level: 1 }).textContent()).toBe('Politique de confidentialité')
    await opened!.close()
    await page.close()
  })
})

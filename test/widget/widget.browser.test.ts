// The widget in a real Chromium (Debian's, never downloaded), embedded in the /demo town page
// served by the real app: a mayor's conversation by mouse and by keyboard alone, focus and
// ARIA roles, axe-core, a page change, a server error, a hostile host stylesheet, 320 px, and
// embedding from another origin.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, launchAgainst, serious, type BrowserSession } from '../helpers/browser.ts'
import { startServices } from '../helpers/node-services.ts'

let services: Awaited<ReturnType<typeof startServices>>
let session: BrowserSession
let browser: Browser
let base = ''
/** Script errors of the pages of the current test: there must be none. */
let pageErrors: Error[] = []

beforeAll(async () => {
  services = await startServices()
  session = await launchAgainst(services.app.fetch)
  browser = session.browser
  base = session.base
})

afterEach(() => {
  const errors = pageErrors
  pageErrors = []
  expect(errors.map(String)).toEqual([])
})

afterAll(async () => {
  await session?.close()
  services?.dispose()
})

async function openPage(path = '/demo', viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', reducedMotion: 'reduce' })
  // Fail on the missing element, well before the test's own timeout.
  context.setDefaultTimeout(8000)
  const page = await context.newPage()
  page.on('pageerror', (err) => pageErrors.push(err))
  if (path) await page.goto(`${base}${path}`)
  return page
}

/** The widget's parts, found by role and name as assistive technologies find them. */
function widget(page: Page) {
  const host = page.locator('guichet-widget')
  const dialog = host.getByRole('dialog', { name: 'Guichet des financements' })
  return {
    host,
    launcher: host.getByRole('button', { name: 'Trouver un financement' }),
    dialog,
    log: host.getByRole('log', { name: 'Conversation avec Guichet' }),
    status: host.getByRole('status'),
    input: host.getByRole('textbox', { name: 'Votre message à Guichet' }),
    send: host.getByRole('button', { name: 'Envoyer', exact: true }),
    close: host.getByRole('button', { name: 'Fermer Guichet' }),
    reply: (name: string) => host.getByRole('group', { name: 'Réponses rapides' }).getByRole('button', { name, exact: true }),
    results: host.getByRole('list', { name: /programmes? proposés?$/ }).last(),
  }
}

/** What has the keyboard focus, looking inside the widget's shadow root. */
function focused(page: Page) {
  return page.evaluate(() => {
    const outer = document.activeElement
    const inner = outer?.shadowRoot?.activeElement ?? null
    return {
      host: outer?.tagName.toLowerCase() ?? null,
      tag: inner?.tagName.toLowerCase() ?? null,
      text: inner?.textContent?.trim() ?? null,
      role: inner?.getAttribute('role') ?? null,
      inDialog: inner ? Boolean(inner.closest('[role="dialog"]')) : false,
    }
  })
}

async function pressUntil(page: Page, key: string, done: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 40): Promise<Awaited<ReturnType<typeof focused>>> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key)
    const f = await focused(page)
    if (done(f)) return f
  }
  throw new Error(`focus never reached the target after ${max} × ${key}`)
}

/**
 * A screenshot of a viewport rectangle, straight from the DevTools protocol, in the document
 * coordinates the protocol reports. (Playwright's own clip is off when the page is right-to-left
 * and wider than the viewport, as the hostile page is.) The caret is hidden by blurring.
 */
async function screenshot(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
  await page.evaluate(() => (document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined)?.blur())
  const cdp = await page.context().newCDPSession(page)
  const { cssLayoutViewport: layout, cssVisualViewport: visual } = await cdp.send('Page.getLayoutMetrics')
  const clip = { ...box, x: box.x + layout.pageX + visual.offsetX, y: box.y + layout.pageY + visual.offsetY, scale: 1 }
  const { data } = await cdp.send('Page.captureScreenshot', { format: 'png', clip })
  await cdp.detach()
  return Buffer.from(data, 'base64')
}

/** Answers the project question and the stage question: the conversation of the demo's mayor. */
async function toResults(page: Page): Promise<void> {
  const w = widget(page)
  await w.input.fill('éclairage public en LED')
  await w.send.click()
  await w.reply('Travaux').click()
  await w.results.waitFor()
}

describe('the widget on the sample town page', () => {
  it('opens by mouse: a labelled launcher, a dialog named by its heading, a log, a status; focus goes in and the collectivité is already known', async () => {
    const page = await openPage()
    const w = widget(page)
    expect(await w.launcher.getAttribute('aria-expanded')).toBe('false')
    expect(await w.dialog.count()).toBe(0)
    await w.launcher.click()
    await w.dialog.waitFor()
    expect(await w.launcher.isHidden()).toBe(true)
    const heading = w.dialog.getByRole('heading', { level: 2, name: 'Guichet des financements' })
    expect(await heading.getAttribute('id')).toBe(await w.dialog.getAttribute('aria-labelledby'))
    expect(await w.log.count()).toBe(1)
    expect(await w.status.count()).toBe(1)
    expect(await focused(page)).toMatchObject({ host: 'guichet-widget', tag: 'input', inDialog: true })
    // data-collectivite="18197" went first: the question is already about the project.
    await w.log.getByText(/C'est noté : Saint-Amand-Montrond \(18\), 9\s899 habitants\./).waitFor()
    await w.log.getByText('Quel est votre projet ?', { exact: false }).waitFor()
    expect(await w.reply('Éclairage public').isVisible()).toBe(true)
    expect(serious(await axeViolations(page))).toEqual([])
  })

  it('converses to results by mouse, shows « Guichet écrit… » while waiting, and renders programmes as a list with headings and links', async () => {
    const page = await openPage()
    const w = widget(page)
    await w.launcher.click()
    await w.reply('Éclairage public').waitFor()
    // Slow the server down a little to see the status.
    await page.route('**/api/chat', async (route) => {
      await new Promise((r) => setTimeout(r, 400))
      await route.continue()
    })
    await w.input.fill('éclairage public en LED')
    await w.send.click()
    await w.status.getByText('Guichet écrit…').waitFor()
    await w.reply('Travaux').click()
    await w.results.waitFor()
    expect(await w.status.textContent()).toBe('')

    const items = w.results.getByRole('listitem')
    expect(await items.count()).toBeGreaterThanOrEqual(3)
    const first = items.first()
    expect(await first.getByRole('heading', { level: 3 }).textContent()).toBe('Intracting (Banque des Territoires)')
    expect(await first.textContent()).toMatch(/Banque des Territoires \(Caisse des Dépôts\)/)
    expect(await first.textContent()).toMatch(/Éligible/)
    expect(await first.textContent()).toMatch(/Calendrier : Guichet permanent, sans date limite/)
    expect(await first.textContent()).toMatch(/Pourquoi : Ouvert aux communes/)
    const link = first.getByRole('link', { name: 'Page officielle : Intracting (Banque des Territoires) (nouvelle fenêtre)' })
    expect(await link.getAttribute('href')).toBe('https://www.banquedesterritoires.fr/')
    expect(await link.getAttribute('target')).toBe('_blank')
    expect(await link.getAttribute('rel')).toMatch(/noopener/)
    const detr = items.filter({ has: page.getByRole('heading', { name: /\(DETR\)/ }) })
    expect(await detr.textContent()).toMatch(/De 20 à 80 % du projet/)
    // What to check is one click away, and a list.
    await first.getByText(/^À vérifier \(\d+\)$/).click()
    expect(await first.getByRole('listitem').count()).toBeGreaterThan(0)
    // The text lines that repeat the cards are not shown twice.
    expect(await w.log.textContent()).not.toMatch(/• Intracting/)
    expect(await w.log.getByText(/^Vous : Travaux$/).count()).toBe(1)

    for (const action of ["M'alerter des échéances", 'Affiner', 'Voir les programmes écartés']) expect(await w.reply(action).isVisible()).toBe(true)
    expect(serious(await axeViolations(page))).toEqual([])

    await w.reply('Voir les programmes écartés').click()
    const excluded = w.log.getByRole('list', { name: 'Programmes écartés' })
    await excluded.waitFor()
    expect(await excluded.getByRole('heading', { level: 3 }).count()).toBeGreaterThan(0)

    await w.close.click()
    expect(await w.dialog.count()).toBe(0)
    expect(await focused(page)).toMatchObject({ host: 'guichet-widget', tag: 'button', text: 'Trouver un financement' })
    expect(await w.launcher.getAttribute('aria-expanded')).toBe('false')
  })

  it('converses to results by keyboard alone (Tab, Enter, Space, Esc), focus staying where it should', async () => {
    const page = await openPage()
    const w = widget(page)
    await pressUntil(page, 'Tab', (f) => f.host === 'guichet-widget' && f.text === 'Trouver un financement')
    await page.keyboard.press('Enter')
    await w.dialog.waitFor()
    expect(await focused(page)).toMatchObject({ tag: 'input', inDialog: true })
    await w.reply('Éclairage public').waitFor()

    await page.keyboard.type('éclairage public en LED')
    await page.keyboard.press('Enter')
    await w.reply('Travaux').waitFor()
    expect(await focused(page)).toMatchObject({ tag: 'input' })
    await pressUntil(page, 'Shift+Tab', (f) => f.text === 'Travaux')
    await page.keyboard.press('Space')
    await w.results.waitFor()
    // The pressed quick reply is gone: focus falls back on the message field, not on the page.
    expect(await focused(page)).toMatchObject({ host: 'guichet-widget', tag: 'input' })

    // Every control is reachable: the actions, then the programmes' links.
    await pressUntil(page, 'Shift+Tab', (f) => f.text === 'Affiner')
    const link = await pressUntil(page, 'Shift+Tab', (f) => f.tag === 'a')
    expect(link.text).toMatch(/^Page officielle : /)
    expect(link.inDialog).toBe(true)

    await page.keyboard.press('Escape')
    expect(await w.dialog.count()).toBe(0)
    expect(await focused(page)).toMatchObject({ host: 'guichet-widget', tag: 'button', text: 'Trouver un financement' })
    await page.keyboard.press('Enter')
    await w.dialog.waitFor()
    expect(await focused(page)).toMatchObject({ tag: 'input' })
    expect(await w.results.isVisible()).toBe(true)
  })

  it('keeps the conversation across a page change (sessionStorage), on the same server session', async () => {
    const page = await openPage()
    const w = widget(page)
    await w.launcher.click()
    await w.input.fill('éclairage public en LED')
    await w.send.click()
    await w.reply('Travaux').waitFor()
    const stored = await page.evaluate(() => Object.entries(sessionStorage).find(([k]) => k.startsWith('guichet:')))
    expect(stored).toBeTruthy()
    const sessionId = (JSON.parse(stored![1]) as { sessionId: string }).sessionId

    await page.goto(`${base}/demo?page=2`)
    await page.reload()
    const sent: { sessionId?: string }[] = []
    page.on('request', (r) => {
      if (r.url().endsWith('/api/chat') && r.method() === 'POST') sent.push(r.postDataJSON() as { sessionId?: string })
    })
    const again = widget(page)
    await again.launcher.click()
    expect(await again.log.getByText(/^Vous : éclairage public en LED$/).isVisible()).toBe(true)
    await again.log.getByText('Où en est le projet ?').waitFor()
    await again.reply('Travaux').click()
    await again.results.waitFor()
    expect(sent.map((b) => b.sessionId)).toEqual([sessionId])

    // « Recommencer » forgets it: a new session, starting again from the page's collectivité.
    await again.host.getByRole('button', { name: 'Recommencer la conversation' }).click()
    await again.log.getByText(/C'est noté : Saint-Amand-Montrond/).waitFor()
    expect(await again.results.count()).toBe(0)
    expect(sent.at(-1)).toEqual({ text: '18197' })
    expect(await focused(page)).toMatchObject({ tag: 'input' })
  })

  it('says politely that the server failed, and retries on its own', async () => {
    const page = await openPage('')
    let failures = 0
    await page.route('**/api/chat', async (route) => {
      if (failures++ === 0) return route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal"}}' })
      return route.continue()
    })
    await page.goto(`${base}/demo`)
    const w = widget(page)
    await w.launcher.click()
    await w.log.getByText('Désolé, Guichet ne répond pas pour le moment. Je réessaie dans un instant…').waitFor()
    await w.log.getByText(/C'est noté : Saint-Amand-Montrond \(18\), 9\s899 habitants\./).waitFor()
    expect(failures).toBe(2)
  })

  it('looks exactly the same under a hostile host stylesheet', async () => {
    async function measure(path: string) {
      const page = await openPage(path)
      const w = widget(page)
      const launcher = await w.launcher.boundingBox()
      await w.launcher.click()
      await w.reply('Éclairage public').waitFor()
      await page.mouse.move(0, 0)
      const styles = await page.evaluate(() => {
        const root = document.querySelector('guichet-widget')!.shadowRoot!
        const props = ['display', 'position', 'font-family', 'font-size', 'font-weight', 'line-height', 'color', 'background-color', 'letter-spacing', 'text-transform', 'direction', 'margin', 'padding', 'border', 'border-radius', 'width', 'height', 'opacity', 'transform', 'filter', 'visibility']
        return Array.from(root.querySelectorAll('*'), (el) => {
          const cs = getComputedStyle(el)
          const box = el.getBoundingClientRect()
          return { el: `${el.tagName}.${el.getAttribute('class') ?? ''}`, box: [box.x, box.y, box.width, box.height].map(Math.round), ...Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)])) }
        })
      })
      const panel = (await w.dialog.boundingBox())!
      // Inside the rounded corners and the shadow, so that only the widget's own pixels count.
      const shot = await screenshot(page, { x: panel.x + 14, y: panel.y + 14, width: panel.width - 28, height: panel.height - 28 })
      const hostile = await page.evaluate(() => getComputedStyle(document.body).color)
      return { launcher, styles, shot, hostile }
    }
    const normal = await measure('/demo')
    const hostile = await measure('/demo?hostile=1')
    expect(hostile.hostile).toBe('rgb(255, 0, 0)') // the stylesheet did apply to the page
    expect(hostile.launcher).toEqual(normal.launcher)
    expect(hostile.styles).toEqual(normal.styles)
    expect(hostile.shot.equals(normal.shot)).toBe(true)
  })

  it('fits a 320 px screen without horizontal scrolling', async () => {
    const page = await openPage('/demo', { width: 320, height: 640 })
    const w = widget(page)
    await w.launcher.click()
    await toResults(page)
    const overflow = await page.evaluate(() => {
      const root = document.querySelector('guichet-widget')!.shadowRoot!
      const log = root.querySelector('[role="log"]')!
      const outside = Array.from(root.querySelectorAll('*'))
        .filter((el) => !el.classList.contains('sr-only') && !el.closest('.sr-only'))
        .map((el) => ({ el: el.tagName, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.left < -0.5 || r.right > 320.5))
        .map(({ el, r }) => `${el} ${Math.round(r.left)}..${Math.round(r.right)}`)
      return { page: document.documentElement.scrollWidth, log: log.scrollWidth - log.clientWidth, outside }
    })
    expect(overflow).toEqual({ page: 320, log: 0, outside: [] })
    expect(await w.dialog.boundingBox()).toEqual({ x: 0, y: 0, width: 320, height: 640 })
    expect(serious(await axeViolations(page))).toEqual([])
  })

  it('works embedded on another site (CORS, cross-origin script), themed by data-accent', async () => {
    // A real second origin on the loopback address: a page served from nowhere would be "public",
    // and Chromium's local network access rules would then block any request to 127.0.0.1.
    const town = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Saint-Exemple</title></head><body><h1>Commune de Saint-Exemple</h1><script src="${base}/widget.js" data-collectivite="18197" data-accent="#6b2c91" defer></script></body></html>`)
    })
    await new Promise<void>((resolve) => town.listen(0, '127.0.0.1', resolve))
    try {
      const page = await openPage('')
      await page.goto(`http://localhost:${(town.address() as AddressInfo).port}/`)
      const w = widget(page)
      expect(await w.launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(107, 44, 145)')
      await w.launcher.click()
      await w.log.getByText(/C'est noté : Saint-Amand-Montrond \(18\), 9\s899 habitants\./).waitFor()
    } finally {
      await new Promise<void>((resolve) => town.close(() => resolve()))
    }
  })
})


describe('the home page in the browser', () => {
  it('moves the focus to the results after a search, writes figures the French way, and has a favicon', async () => {
    const page = await openPage('/', { width: 375, height: 740 })
    await page.getByLabel('Votre commune').fill('Saint-Amand-Montrond')
    await page.getByLabel('Votre projet, en quelques mots').fill('éclairage public en LED')
    await page.getByRole('button', { name: 'Voir les financements' }).click()
    await page.waitForURL(/#resultats$/)
    const results = page.locator('#resultats')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('resultats')
    expect(await results.getAttribute('aria-labelledby')).toBe('results-title')
    // « 9 899 habitants » never wraps: a narrow no-break space groups the thousands.
    const pop = await page.evaluate(() => document.querySelector('.profile')!.textContent!)
    expect(pop).toMatch(/\d\u202f\d{3} habitants/)
    expect(pop).not.toMatch(/\d \d{3}/)
    const icon = await page.locator('link[rel="icon"]').getAttribute('href')
    const res = await page.request.get(`${base}${icon}`)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toMatch(/^image\/svg\+xml/)
    expect((await page.request.get(`${base}/favicon.ico`)).status()).toBe(200)
    await page.context().close()
  })
})

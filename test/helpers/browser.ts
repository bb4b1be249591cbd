// Debian Chromium (never a downloaded browser) against a Hono app served on a free local port,
// and axe-core run inside the page: what every browser test needs.
import { serve, type ServerType } from '@hono/node-server'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

export interface BrowserSession {
  browser: Browser
  /** `http://127.0.0.1:<port>` */
  base: string
  close(): Promise<void>
}

export async function launchAgainst(fetch: (request: Request) => Response | Promise<Response>): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium introuvable (${CHROMIUM}) : apt-get install chromium`)
  let server: ServerType | undefined
  const base = await new Promise<string>((resolve) => {
    server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(`http://127.0.0.1:${info.port}`))
  })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  return {
    browser,
    base,
    async close() {
      await browser.close()
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    },
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's WCAG 2.1 A/AA and best-practice violations on the page (evaluated through the DevTools protocol, so a CSP does not block it). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; targets: unknown[] }[]> {
  await page.evaluate(AXE_SOURCE)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe
    const r = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target) }))
  })
}

export const serious = (vs: { impact: string | null }[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical')

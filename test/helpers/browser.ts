// Chromium (never a downloaded browser: the one named by CHROMIUM_PATH, else the one shipped in the
// @sparticuz/chromium npm package, resolved by test/helpers/chromium-setup.ts) against a Hono app
// served on a free local port, and axe-core run inside the page: what every browser test needs.
import { serve, type ServerType } from '@hono/node-server'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'

/** The browser's path: CHROMIUM_PATH (set by the global setup when not given), else the packaged one unpacked here. */
async function chromiumPath(): Promise<string> {
  const named = process.env['CHROMIUM_PATH']
  if (named) return named
  const { default: chromium } = await import('@sparticuz/chromium')
  return chromium.executablePath()
}
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

export interface BrowserSession {
  browser: Browser
  /** `http://127.0.0.1:<port>` */
  base: string
  close(): Promise<void>
}

export async function launchAgainst(fetch: (request: Request) => Response | Promise<Response>): Promise<BrowserSession> {
  const executablePath = await chromiumPath()
  // Fail at once, before any server or timeout, when the browser is not there.
  if (!existsSync(executablePath)) throw new Error(`Chromium introuvable (${executablePath}) : CHROMIUM_PATH ou @sparticuz/chromium`)
  let server: ServerType | undefined
  const base = await new Promise<string>((resolve) => {
    server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(`http://127.0.0.1:${info.port}`))
  })
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 15_000 })
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

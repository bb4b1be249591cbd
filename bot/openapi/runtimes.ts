// Where each operation of the OpenAPI document runs, said once for both runtimes' documents: the
// Node server serves every operation; the Cloudflare Workers deployment (runtime/workers) serves
// all but those of NODE_ONLY_OPERATIONS, and some of them differently (WORKERS_DIFFERENCES). The
// Node document carries these notes too, so that a reader of either knows where an operation
// answers. Each runtime's document lists only the operations its app registers (bot/app.ts,
// bot/openapi.ts `openApiDocument({ runtime, served })`), and test/workers/entry.test.ts checks
// this table against the real Worker: what it lists as Node-only the Worker does not answer, what
// it does not list the Worker answers.
import { NODE_ONLY, NODE_ONLY_NOTE, type Json } from './shorthands.ts'

/** The runtimes that serve the app (bot/app.ts `runtime`). */
export type Runtime = 'node' | 'workers'

/** Operations the Workers deployment does not serve (operationId → why), marked and noted Node-only in the Node document. */
export const NODE_ONLY_OPERATIONS = {
  postTeamsActivity: 'the Teams channel needs botbuilder, kept out of the Worker',
  listPageSources: 'page sources are YAML files, previewed by the Node crawler (its SSRF guard)',
  getPageSource: 'page sources are YAML files, previewed by the Node crawler (its SSRF guard)',
  savePageSource: 'page sources are YAML files, previewed by the Node crawler (its SSRF guard)',
  testPageSource: 'page sources are YAML files, previewed by the Node crawler (its SSRF guard)',
  // Registered by the back office's crawl module, but without a runSource it answers 404 « Relance indisponible ».
  runSource: 'the Worker crawls one source per Cron Trigger; its back office has no re-run',
} as const satisfies Record<string, string>

/** Said on the alerts operations whose channels differ on Workers (runtime/workers/alerts.ts). */
export const WORKERS_ALERTS_NOTE = 'On Cloudflare Workers: no e-mail nor Teams channel — a subscription asking for one is refused (400 naming channels.email or channels.teamsConversationId); signed webhooks, the ICS and Atom feeds as on the Node server.'
/** Said on the login (runtime/workers/admin.ts: no mailer). */
export const WORKERS_UNLOCK_NOTE = 'On Cloudflare Workers: no unlock e-mail — a locked account waits for its lock to end or is unlocked by an admin (POST /api/admin/accounts/{id}/unlock).'
/** Said on the back office's alerts view and retries. */
export const WORKERS_DELIVERIES_NOTE = 'On Cloudflare Workers: deliveries go to signed webhooks only (no e-mail nor Teams channel there).'
/** Said on the crawl's runs and events (runtime/workers/crawl.ts). */
export const WORKERS_CRAWL_NOTE = 'On Cloudflare Workers: the runs of its nightly Cron Trigger, one coded source each, read from D1 (no page sources: the Node server crawls those).'

/** Operations both runtimes serve, but not alike (operationId → the one note saying how Workers differs). */
export const WORKERS_DIFFERENCES: Record<string, string> = {
  createSubscription: WORKERS_ALERTS_NOTE,
  getConfirmPage: 'On Cloudflare Workers: no e-mail channel, so no confirmation link is sent there.',
  confirmSubscription: 'On Cloudflare Workers: no e-mail channel, so no confirmation link is sent there.',
  logIn: WORKERS_UNLOCK_NOTE,
  getAlertsOverview: WORKERS_DELIVERIES_NOTE,
  retryDelivery: WORKERS_DELIVERIES_NOTE,
  retryAllDeliveries: WORKERS_DELIVERIES_NOTE,
  listCrawlRuns: WORKERS_CRAWL_NOTE,
  getCrawlRun: WORKERS_CRAWL_NOTE,
  listCrawlEvents: WORKERS_CRAWL_NOTE,
  listAdminCrawlRuns: WORKERS_CRAWL_NOTE,
}

type Operations = Record<string, Record<string, Json>>

/**
 * Writes on each operation where it runs, in place: whatever Node-only mark or note a piece of the
 * document gave it is replaced by this table's word. Throws when the table names an operation the
 * document lacks (a renamed operationId would otherwise lose its note silently).
 */
export function placeOperations(paths: Operations): void {
  const seen = new Set<string>()
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const id = String(op['operationId'])
      seen.add(id)
      delete op[NODE_ONLY]
      const note = id in NODE_ONLY_OPERATIONS ? NODE_ONLY_NOTE : WORKERS_DIFFERENCES[id]
      const said = String(op['description'] ?? '').replace(NODE_ONLY_NOTE, '').trim()
      const description = [said, note].filter(Boolean).join(' ')
      if (description) op['description'] = description
      else delete op['description']
      if (id in NODE_ONLY_OPERATIONS) op[NODE_ONLY] = true
    }
  }
  const unknown = [...Object.keys(NODE_ONLY_OPERATIONS), ...Object.keys(WORKERS_DIFFERENCES)].filter((id) => !seen.has(id))
  if (unknown.length) throw new Error(`bot/openapi/runtimes.ts names operations the document lacks: ${unknown.join(', ')}`)
}

/** `METHOD /path` keys an app registers (an `ALL /path` route answers every method there). */
export function registers(served: ReadonlySet<string>, method: string, path: string): boolean {
  return served.has(`${method.toUpperCase()} ${path}`) || served.has(`ALL ${path}`)
}

/** Whether a runtime's document lists an operation: its app registers it, and the runtime serves it. */
export function listedOn(runtime: Runtime, served: ReadonlySet<string>, method: string, path: string, op: Json): boolean {
  return registers(served, method, path) && !(runtime === 'workers' && op[NODE_ONLY] === true)
}

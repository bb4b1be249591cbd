// The OpenAPI document integrators get, as the real apps serve it at /api/openapi.json: the Node
// composition (admin desk, alerts, crawl and Teams mounted), a bare app of the Workers runtime (the
// same createApp with none of them) and one composed like the Worker (its back office, alerts and
// crawl over the Node harness's stores; the real Worker on D1 is test/workers/entry.test.ts's). No
// operation the Workers document lists is said « Node server only » in the Node document. It passes Redocly's recommended ruleset with no error and no warning;
// every operation has a camelCase operationId, a described body with an example, and its answers
// with schemas (4xx with the shared Error schema); and the document and the routes agree both
// ways: every documented operation is answered, not 404/405, for a valid request (with a status
// it documents and a body that fits the documented schema), and every route an app registers is
// documented, but for the allow-list below.
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NODE_ONLY } from '../../bot/admin/openapi-admin.ts'
import { FeedQuerySchema } from '../../bot/alerts/alerts-routes.ts'
import { EventsQuerySchema, RunsQuerySchema } from '../../bot/api/crawl-routes.ts'
import { MatchQuerySchema } from '../../bot/api/match-query.ts'
import { createApp } from '../../bot/app.ts'
import { openApiDocument } from '../../bot/openapi.ts'
import { SOURCE_IDS } from '../../crawler/sources/index.ts'
import { NODE_ONLY_NOTE } from '../../bot/openapi/shorthands.ts'
import { workersAdmin } from '../../runtime/workers/admin.ts'
import { createMemorySessionStore } from '../../runtime/workers/memory-session-store.ts'
import { login, PASSWORD, startAdmin, type AdminHarness } from '../admin/harness.ts'

type Json = Record<string, any>
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace']
const DOC_PATH = '/api/openapi.json'
const DOC_ID = 'https://guichet.test/openapi.json'

/**
 * Routes an app registers that the API document leaves out, on purpose:
 * - GET / and /admin, /admin/...: French HTML pages and forms for people (the home page's form
 *   runs /api/match; the back office uses the session of /api/admin but is no API);
 * - GET /demo: a sample town page embedding the widget, for people trying it;
 * - GET /favicon.svg, /favicon.ico: a static asset for browsers.
 * Middleware registered for every method on a wildcard (security headers, the admin guard and
 * body limits) is not a route either.
 */
const UNDOCUMENTED: { route: RegExp; why: string }[] = [
  { route: /^GET \/$/, why: 'home page (HTML form)' },
  { route: /^GET \/demo$/, why: 'widget demo page (HTML)' },
  { route: /^GET \/favicon\.(svg|ico)$/, why: 'static asset' },
  { route: /^(GET|POST|ALL) \/admin(\/.*)?$/, why: 'back office pages and forms (HTML)' },
]

/**
 * Operations that take no input a caller can get wrong (no parameter, no body; unknown query
 * parameters are ignored, which a test below checks): their only 4xx is the rate limits' 429.
 */
const NO_CLIENT_ERROR = ['listProgrammes', 'listThemes', 'listApplicantTypes', 'listClosedLists', 'getHealth', 'getReadiness', 'getOpenApiDocument', 'getWidgetScript']

/**
 * Redocly's no-ambiguous-paths sees /api/admin/sources/{id}/run and /api/admin/sources/pages/{id}
 * both matching /api/admin/sources/pages/run. They never compete for a request: the first is POST
 * only, the second GET and PUT only (and no source is called « pages »).
 */
const AMBIGUOUS_BY_PATH_ONLY = ['/api/admin/sources/pages/{id}']

const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`
/** Hono's `:id` → OpenAPI's `{id}`. */
const toOpenApi = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')
const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase()

interface Operation {
  path: string
  method: string
  op: Json
}

let h: AdminHarness
let workers: Hono
let workersLike: Hono
let served: { node: string; workers: string }
let doc: Json
let ajv: InstanceType<typeof Ajv2020.default>
let admin: { cookie: string; csrf: string }
let self: { cookie: string; csrf: string }
/** Values only known once the app runs: ids and signed tokens. */
const real: Record<string, string> = {}

beforeAll(async () => {
  h = await startAdmin()
  const s = h.services
  // The Workers runtime's app with none of Teams, crawl, alerts, redirects or admin desk.
  const bare = { config: s.config, clock: h.clock, logger: s.logger, geography: s.geography, catalogue: s.catalogue, index: s.index, matcher: s.matcher, dialogue: s.dialogue, sessions: createMemorySessionStore(), runtime: 'workers' as const }
  workers = createApp(bare)
  // Composed like runtime/workers/index.ts: its back office (runtime/workers/admin.ts), the alerts and the crawl store.
  const desk = workersAdmin({
    stores: h.stores, hasher: h.stores.hasher, catalogues: s.catalogues, reindex: h.reindex, matcher: s.matcher, geography: s.geography, clientIp: () => 'local', clock: h.clock, logger: s.logger,
    alerts: { store: s.alerts.store, sendDue: () => s.alerts.runDigest({ retriesOnly: true }) },
    crawl: s.crawler.store, sourceIds: () => SOURCE_IDS,
  })
  workersLike = createApp({ ...bare, alerts: s.alerts.routes, crawl: s.crawler.store, admin: desk })
  const node = await h.app.request(DOC_PATH)
  const onWorkers = await workers.request(DOC_PATH)
  expect(node.status).toBe(200)
  expect(onWorkers.status).toBe(200)
  expect(mediaType(node.headers.get('content-type'))).toBe('application/json')
  served = { node: await node.text(), workers: await onWorkers.text() }
  doc = JSON.parse(served.node) as Json
  ajv = new Ajv2020.default({ strict: false, allErrors: true, validateSchema: false })
  addFormats.default(ajv)
  ajv.addSchema({ ...doc, $id: DOC_ID })

  // Accounts: the admin who calls every operation, an editor to act on, and one whose password changes.
  await h.createUser('admin@guichet.test', 'admin')
  await h.createUser('editor@guichet.test', 'editor')
  await h.createUser('self@guichet.test', 'admin')
  admin = await login(h.app, 'admin@guichet.test')
  self = await login(h.app, 'self@guichet.test', PASSWORD, '10.0.0.2')
  real['editorId'] = (await h.stores.accounts.findByEmail('editor@guichet.test'))!.id

  // A subscription (through the documented example) and its signed links.
  const example = doc.paths['/api/subscriptions'].post.requestBody.content['application/json'].example
  const created = await h.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(example) })
  expect(created.status).toBe(201)
  const sub = (await created.json()) as { id: string; manageUrl: string; icsUrl: string; unsubscribeUrl: string }
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!
  Object.assign(real, {
    subscriptionId: sub.id,
    manageToken: tokenOf(sub.manageUrl),
    icsToken: tokenOf(sub.icsUrl),
    unsubscribeToken: tokenOf(sub.unsubscribeUrl),
    confirmToken: tokenOf(await s.alerts.links.confirmUrl(sub.id, h.clock.now())),
  })
  // A webhook subscription, pending (its URL is on a documentation address: the challenge is refused unsent), for the confirmation retry.
  const hook = (await s.alerts.store.listSubscriptions())[0]!
  await s.alerts.store.createSubscription({ ...hook, id: 'webhook-openapi', channels: { webhook: { url: 'https://192.0.2.10/hook', disabledAt: null, disabledReason: null, confirmedAt: null } } })
  real['webhookManageToken'] = new URL((await s.alerts.links.links('webhook-openapi')).manageUrl).searchParams.get('token')!
  // A delivery of that subscription, for the retry.
  const [delivery] = await s.alerts.store.record(
    [{ subscriptionId: sub.id, channel: 'email', programmeId: 'detr', kind: 'reminder', deadline: '2026-04-15', leadDays: 30, expiresOn: '2026-04-15', item: { kind: 'reminder', programme: { id: 'detr', name: 'DETR', funder: 'État', url: 'https://www.example.org/detr' }, deadline: '2026-04-15', leadDays: 30 } }],
    h.clock.now().toISOString(),
  )
  real['deliveryId'] = String(delivery!.id)
  // A crawl run.
  const run = { id: 'run-openapi', trigger: 'test', startedAt: '2026-03-01T02:00:00.000Z', endedAt: null, durationMs: null, status: 'running' as const, sources: [], errors: [] }
  await s.crawler.store.startRun(run)
  await s.crawler.store.finishRun({ ...run, endedAt: '2026-03-01T02:01:00.000Z', durationMs: 60_000, status: 'ok' })
  real['crawlRunId'] = run.id
  // A duplicate to merge into detr (then unmerge).
  const programme = doc.paths['/api/admin/programmes'].post.requestBody.content['application/json'].example
  const duplicate = await h.app.request('/api/admin/programmes', { method: 'POST', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ ...programme, id: 'appel-voirie-yonne-doublon' }) })
  expect(duplicate.status).toBe(201)
  real['duplicateId'] = 'appel-voirie-yonne-doublon'
}, 60_000)
afterAll(() => h?.dispose())

function operations(): Operation[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.keys(item).filter((m) => METHODS.includes(m)).map((method) => ({ path, method, op: item[method] as Json })),
  )
}
const operationById = (id: string) => operations().find((o) => o.op.operationId === id)!

/** Real values for path parameters, by operation (default: by parameter name). */
const PATH_VALUES: Record<string, Record<string, () => string>> = {
  getCrawlRun: { id: () => real['crawlRunId']! },
  getSubscription: { id: () => real['subscriptionId']! },
  deleteSubscription: { id: () => real['subscriptionId']! },
  getSubscriptionCalendar: { id: () => real['subscriptionId']! },
  confirmSubscriptionWebhook: { id: () => 'webhook-openapi' },
  getManagePage: { id: () => real['subscriptionId']! },
  postManagePage: { id: () => real['subscriptionId']! },
  mergeProgramme: { id: () => real['duplicateId']! },
  unmergeProgramme: { id: () => real['duplicateId']! },
  setSourceEnabled: { id: () => SOURCE_IDS[0]! },
  runSource: { id: () => SOURCE_IDS[0]! },
  resetAccountPassword: { id: () => real['editorId']! },
  updateAccount: { id: () => real['editorId']! },
  unlockAccount: { id: () => real['editorId']! },
  retryDelivery: { id: () => real['deliveryId']! },
  getPageSource: { id: () => 'departement-exemple' },
  savePageSource: { id: () => 'departement-exemple' },
}
const PATH_DEFAULTS: Record<string, string> = { id: 'detr', file: 'detr.yaml' }

/** Query values a valid request needs beyond the documented required ones. */
const QUERY_VALUES: Record<string, Record<string, () => string>> = {
  matchProgrammes: { commune: () => '18197', q: () => 'rénovation énergétique de l\'école' },
  getFinancingPlan: { commune: () => '18197', programmes: () => 'detr,dsil' },
  getFinancingPlanCsv: { commune: () => '18197', programmes: () => 'detr,dsil' },
  getFinancingPlanXlsx: { commune: () => '18197', programmes: () => 'detr,dsil' },
  getFinancingPlanPage: { commune: () => '18197', programmes: () => 'detr,dsil' },
  getSubscription: { token: () => real['manageToken']! },
  deleteSubscription: { token: () => real['manageToken']! },
  getConfirmPage: { token: () => real['confirmToken']! },
  getManagePage: { token: () => real['manageToken']! },
  getUnsubscribePage: { token: () => real['unsubscribeToken']! },
  unsubscribe: { token: () => real['unsubscribeToken']! },
  getSubscriptionCalendar: { token: () => real['icsToken']! },
  confirmSubscriptionWebhook: { token: () => real['webhookManageToken']! },
}

/** Bodies that cannot be the documented example as is. */
const BODIES: Record<string, () => unknown> = {
  // The example is a message, which the bot answers at its serviceUrl: a typing activity is
  // handled without calling out (and the closed port fails fast if it ever did).
  postTeamsActivity: () => ({ ...(exampleBody(operationById('postTeamsActivity').op) as Json), type: 'typing', serviceUrl: 'http://127.0.0.1:9/' }),
  logIn: () => ({ email: 'editor@guichet.test', password: PASSWORD }),
  changeOwnPassword: () => ({ current: PASSWORD, next: 'un autre mot de passe assez long' }),
  // Form bodies (application/x-www-form-urlencoded): the real tokens.
  confirmSubscription: () => ({ token: real['confirmToken']! }),
  postManagePage: () => ({ ...(exampleBody(operationById('postManagePage').op) as Json), token: real['manageToken']! }),
}

/** Run after the others, in this order: they end what the others use. */
const LAST = ['unsubscribe', 'deleteSubscription', 'unmergeProgramme', 'changeOwnPassword', 'logOut']

function exampleBody(op: Json): unknown {
  const media = op.requestBody?.content?.['application/json'] ?? op.requestBody?.content?.['application/x-www-form-urlencoded']
  if (!media) return undefined
  return media.example !== undefined ? media.example : (Object.values(media.examples ?? {})[0] as Json | undefined)?.value
}

/** A valid request for an operation: real path values, the required query, the documented example body, a session when it is secured. */
function request({ path, method, op }: Operation): { url: string; init: RequestInit } {
  const id = op.operationId as string
  const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(PATH_VALUES[id]?.[name]?.() ?? PATH_DEFAULTS[name] ?? 'x'))
  const query = new URLSearchParams()
  for (const p of (op.parameters ?? []) as Json[]) {
    if (p.in !== 'query') continue
    const value = QUERY_VALUES[id]?.[p.name]?.() ?? (p.required ? String(p.schema?.examples?.[0] ?? p.example ?? '') : undefined)
    if (value !== undefined) query.set(p.name, value)
  }
  for (const [name, value] of Object.entries(QUERY_VALUES[id] ?? {})) if (!query.has(name)) query.set(name, value())
  const headers: Record<string, string> = {}
  const secured = ((op.security ?? doc.security) as Json[]).some((s) => 'adminSession' in s)
  if (secured) {
    const who = id === 'changeOwnPassword' ? self : admin
    headers['cookie'] = who.cookie
    if ((op.security as Json[]).some((s) => 'csrfToken' in s)) headers['x-csrf-token'] = who.csrf
  }
  const body = BODIES[id]?.() ?? exampleBody(op)
  const form = op.requestBody?.content?.['application/x-www-form-urlencoded'] !== undefined
  if (body !== undefined) headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json'
  if (id === 'logIn') headers['x-test-ip'] = '10.0.0.3'
  const qs = query.toString()
  return { url: `${url}${qs ? `?${qs}` : ''}`, init: { method: method.toUpperCase(), headers, ...(body !== undefined ? { body: form ? formBody(body as Json) : JSON.stringify(body) } : {}) } }
}

/** A form body, repeated fields for lists. */
const formBody = (fields: Json) => new URLSearchParams(Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]))).toString()

/** The documented response for a status (a $ref to components/responses followed), and a JSON pointer to it. */
function documented(path: string, method: string, status: number): { response: Json; at: string } | undefined {
  const response = doc.paths[path]?.[method]?.responses?.[String(status)] as Json | undefined
  if (!response) return undefined
  if (typeof response.$ref === 'string') return { response: doc.components.responses[response.$ref.split('/').pop()!], at: response.$ref }
  return { response, at: pointer('paths', path, method, 'responses', String(status)) }
}

/** The answer is one the document gives for this operation: status, media type and, for JSON, the schema. */
async function expectDocumentedAnswer({ path, method, op }: Operation, res: Response): Promise<void> {
  const what = `${op.operationId} (${method.toUpperCase()} ${path}) → ${res.status}`
  const found = documented(path, method, res.status)
  expect(found, `${what}: status not documented (body: ${(await res.clone().text()).slice(0, 300)})`).toBeTruthy()
  const content = (found!.response.content ?? {}) as Json
  const type = mediaType(res.headers.get('content-type'))
  if (Object.keys(content).length === 0 || res.status === 304) return
  // An empty answer (Teams: an activity handled, nothing to return) carries no media type.
  if (type === '' && (await res.clone().text()) === '') return
  expect(Object.keys(content), `${what}: media type`).toContain(type)
  if (type !== 'application/json') return
  const validate = ajv.compile({ $ref: `${DOC_ID}${found!.at}/content/application~1json/schema` })
  const body = await res.json()
  expect(validate(body), `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true)
}

/** Every route an app registers, as `METHOD /openapi/{path}`, middleware on wildcards left out. */
function routesOf(app: Hono): string[] {
  const keys = new Set<string>()
  for (const r of app.routes) {
    if (r.method === 'ALL' && r.path.includes('*')) continue
    keys.add(`${r.method} ${toOpenApi(r.path)}`)
  }
  return [...keys]
}

function documentedKeys(filter: (o: Operation) => boolean = () => true): Set<string> {
  return new Set(operations().filter(filter).map((o) => `${o.method.toUpperCase()} ${o.path}`))
}

function undocumentedRoutes(app: Hono, docs: Set<string>): string[] {
  const paths = new Set([...docs].map((k) => k.split(' ')[1]))
  return routesOf(app).filter((key) => {
    if (UNDOCUMENTED.some((u) => u.route.test(key))) return false
    const [method, path] = key.split(' ') as [string, string]
    // A route for every method on a documented path (CORS on /api/chat, the lazy Teams channel) is covered by its operations.
    if (method === 'ALL') return !paths.has(path)
    return !docs.has(key)
  })
}

describe('the OpenAPI document as served', () => {
  it('is on a runtime the Node server\'s document with only the operations its app registers (and on Workers not the Node-only ones)', async () => {
    const onWorkers = JSON.parse(served.workers) as Json
    expect(doc.openapi).toBe('3.1.0')
    const ids = (d: Json) => Object.values(d.paths as Json).flatMap((item) => Object.values(item as Json).map((op) => (op as Json).operationId as string)).sort()
    const registered = new Set(routesOf(workers))
    const shared = operations().filter((o) => registered.has(`${o.method.toUpperCase()} ${o.path}`)).map((o) => o.op.operationId as string).sort()
    expect(ids(onWorkers)).toEqual(shared)
    expect(shared.length).toBeGreaterThan(8)
    expect(shared.length).toBeLessThan(operations().length)
    expect({ ...onWorkers, paths: undefined }).toEqual({ ...doc, paths: undefined })
    // The Node server registers every operation: its document is the whole one.
    expect(ids(doc)).toEqual(ids(openApiDocument()))
    const like = (await (await workersLike.request(DOC_PATH)).json()) as Json
    expect(ids(like).length).toBeGreaterThan(shared.length)
  })

  it('says « Node server only » on no operation the Workers document lists, and on every one it leaves out', async () => {
    const like = (await (await workersLike.request(DOC_PATH)).json()) as Json
    const listed = new Set(Object.entries(like.paths as Json).flatMap(([path, item]) => Object.keys(item as Json).map((m) => `${m} ${path}`)))
    const nodeOnly: string[] = []
    for (const { path, method, op } of operations()) {
      const said = String(op.description ?? '')
      if (listed.has(`${method} ${path}`)) {
        expect(said.includes(NODE_ONLY_NOTE) || op[NODE_ONLY] === true, `${op.operationId} is listed on Workers`).toBe(false)
        expect(like.paths[path][method].description, op.operationId).toBe(op.description)
      } else {
        expect(said, `${op.operationId} is not listed on Workers`).toContain(NODE_ONLY_NOTE)
        expect(op[NODE_ONLY], op.operationId).toBe(true)
        nodeOnly.push(op.operationId)
      }
    }
    expect(nodeOnly.sort()).toEqual(['getPageSource', 'listPageSources', 'postTeamsActivity', 'runSource', 'savePageSource', 'testPageSource'])
    // The alerts and the back office run on Workers with a difference: said once, in the Node document too.
    expect(operationById('createSubscription').op.description).toMatch(/On Cloudflare Workers: no e-mail nor Teams channel/)
    expect(operationById('logIn').op.description).toMatch(/On Cloudflare Workers: no unlock e-mail/)
    for (const { op } of operations()) expect(String(op.description ?? '').split(NODE_ONLY_NOTE).length, op.operationId).toBeLessThanOrEqual(2)
  })

  it('passes Redocly\'s recommended ruleset: no error, no warning', async () => {
    const absoluteRef = 'https://guichet.test/api/openapi.json'
    const pointers = (list: string[]) => new Set(list)
    const config = await createConfig(
      {
        extends: ['recommended'],
        rules: {
          // Guichet has published no licence yet: the document must not invent one.
          'info-license': 'off',
        },
      },
      {
        // Single, explained occurrences (see AMBIGUOUS_BY_PATH_ONLY above), not whole rules.
        ignore: {
          [absoluteRef]: {
            'no-ambiguous-paths': pointers(AMBIGUOUS_BY_PATH_ONLY.map((p) => pointer('paths', p))),
          },
        },
      },
    )
    const problems: NormalizedProblem[] = await lintFromString({ source: served.node, absoluteRef, config })
    const shown = (p: NormalizedProblem) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`
    expect(problems.filter((p) => !p.ignored && p.severity === 'error').map(shown), 'errors').toEqual([])
    expect(problems.filter((p) => !p.ignored && p.severity === 'warn').map(shown), 'warnings').toEqual([])
    // Every waiver is still needed: one that no longer fires is removed from the lists above.
    expect(problems.filter((p) => p.ignored).length).toBe(AMBIGUOUS_BY_PATH_ONLY.length)
  })

  it('gives every operation a unique camelCase operationId starting with a verb, a summary and a declared tag', () => {
    const ids = operations().map((o) => o.op.operationId as string)
    expect(ids.length).toBeGreaterThan(50)
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id ?? '')), 'not camelCase').toEqual([])
    const verbs = new Set(['get', 'list', 'match', 'post', 'create', 'update', 'delete', 'set', 'save', 'change', 'reset', 'confirm', 'unsubscribe', 'log', 'override', 'hide', 'verify', 'merge', 'unmerge', 'run', 'retry', 'test', 'export', 'import', 'unlock'])
    expect(ids.filter((id) => !verbs.has(id.split(/(?=[A-Z])/)[0]!)), 'not verb-first').toEqual([])
    expect(new Set(ids).size).toBe(ids.length)
    const tags = new Set((doc.tags as Json[]).map((t) => t.name))
    for (const { path, method, op } of operations()) {
      expect(op.summary, `${method} ${path}`).toBeTruthy()
      expect(op.tags?.length, `${method} ${path} tags`).toBeGreaterThan(0)
      for (const t of op.tags) expect(tags.has(t), `${method} ${path} tag ${t}`).toBe(true)
    }
  })

  it('describes each request body with a schema, and JSON ones with an example', () => {
    let bodies = 0
    for (const { path, method, op } of operations()) {
      if (!op.requestBody) continue
      bodies++
      const at = `${op.operationId} (${method} ${path})`
      expect(typeof op.requestBody.required, `${at}: required said`).toBe('boolean')
      for (const [type, media] of Object.entries(op.requestBody.content as Json)) expect((media as Json).schema, `${at} ${type}`).toBeTruthy()
      expect(exampleBody(op), `${at}: example`).toBeDefined()
    }
    expect(bodies).toBeGreaterThan(10)
  })

  it('documents a success with its schema, and JSON client errors with the shared Error schema', () => {
    const isError = (schema: Json | undefined): boolean => schema?.$ref === '#/components/schemas/Error' || (schema?.allOf ?? []).some(isError)
    for (const { path, method, op } of operations()) {
      const at = `${op.operationId} (${method} ${path})`
      const statuses = Object.keys(op.responses)
      const successes = statuses.filter((s) => /^2\d\d$/.test(s))
      expect(successes.length, `${at}: a 2xx`).toBeGreaterThan(0)
      for (const s of successes) {
        const content = documented(path, method, Number(s))!.response.content as Json | undefined
        expect(Object.keys(content ?? {}).length, `${at} ${s}: content`).toBeGreaterThan(0)
        for (const media of Object.values(content ?? {})) expect((media as Json).schema, `${at} ${s}: schema`).toBeTruthy()
      }
      for (const s of statuses.filter((x) => /^4\d\d$/.test(x))) {
        const { response } = documented(path, method, Number(s))!
        expect(response.description, `${at} ${s}`).toBeTruthy()
        const jsonSchema = response.content?.['application/json']?.schema as Json | undefined
        if (jsonSchema) expect(isError(jsonSchema), `${at} ${s}: Error schema`).toBe(true)
        else expect(Object.keys(response.content ?? {}), `${at} ${s}: an HTML page is the only other error body`).toEqual(['text/html'])
      }
    }
  })

  it('documents exactly the query parameters the routes validate (derived from their zod schemas)', () => {
    const names = (id: string) => (operationById(id).op.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name).sort()
    expect(names('matchProgrammes')).toEqual(Object.keys(MatchQuerySchema.shape).sort())
    expect(names('listCrawlRuns')).toEqual(Object.keys(RunsQuerySchema.shape).sort())
    expect(names('listCrawlEvents')).toEqual(Object.keys(EventsQuerySchema.shape).sort())
    expect(names('getNewProgrammesFeed')).toEqual(Object.keys(FeedQuerySchema.shape).sort())
  })
})

describe('the document and the routes agree (Node server)', () => {
  it('documents every route the app registers, but for the allow-list', () => {
    expect(routesOf(h.app).length).toBeGreaterThan(60)
    expect(undocumentedRoutes(h.app, documentedKeys()), 'routes missing from the document').toEqual([])
  })

  it('answers every documented operation, for a valid request, with a documented status and body', async () => {
    const ordered = [...operations().filter((o) => !LAST.includes(o.op.operationId)), ...LAST.map(operationById)]
    expect(ordered.length).toBe(operations().length)
    const statuses: Record<string, number> = {}
    for (const o of ordered) {
      const { url, init } = request(o)
      const res = await h.app.request(url, init)
      statuses[o.op.operationId] = res.status
      expect([404, 405], `${o.op.operationId}: ${init.method} ${url} → ${res.status} ${res.status >= 400 ? await res.clone().text() : ''}`).not.toContain(res.status)
      // A valid request succeeds: every example body and real value is accepted as it is.
      expect(res.status, `${o.op.operationId}: ${init.method} ${url} → ${res.status} ${res.status >= 400 ? await res.clone().text() : ''}`).toBeLessThan(400)
      await expectDocumentedAnswer(o, res)
    }
    expect(Object.keys(statuses).length).toBe(operations().length)
  }, 120_000)

  it('answers the operations documented without a 4xx even with unknown parameters', async () => {
    for (const id of NO_CLIENT_ERROR) {
      const { path } = operationById(id)
      expect((await h.app.request(`${path}?unknown=1&limit=abc`)).status, id).toBe(200)
    }
  })

  it('refuses a Teams activity without one of the fields the document says are required, naming it', async () => {
    const o = operationById('postTeamsActivity')
    const valid = BODIES['postTeamsActivity']!() as Json
    for (const field of doc.components.schemas.TeamsActivity.required as string[]) {
      const { [field]: _left, ...rest } = valid
      const res = await h.app.request(o.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rest) })
      expect(res.status, field).toBe(400)
      expect(((await res.json()) as Json).error.field, field).toBe(field)
    }
  })
})

describe('the document and the routes agree (Workers)', () => {
  let listed: Set<string>
  beforeAll(() => {
    const d = JSON.parse(served.workers) as Json
    listed = new Set(Object.entries(d.paths as Json).flatMap(([path, item]) => Object.keys(item as Json).map((m) => `${m} ${path}`)))
  })
  const shared = (o: Operation) => listed.has(`${o.method} ${o.path}`)

  it('documents every route the Workers app registers, but for the allow-list', () => {
    expect(undocumentedRoutes(workers, documentedKeys(shared)), 'routes missing from the document').toEqual([])
  })

  it('answers every operation its document lists, and none of those it leaves out', async () => {
    const answered: string[] = []
    for (const o of operations()) {
      const { url, init } = request(o)
      const res = await workers.request(url, init)
      if (!shared(o)) {
        expect(res.status, `${o.op.operationId} is not in the Workers document: ${init.method} ${url}`).toBe(404)
        continue
      }
      expect(res.status, `${o.op.operationId}: ${init.method} ${url} → ${res.status}`).toBeLessThan(400)
      await expectDocumentedAnswer(o, res)
      answered.push(o.op.operationId)
    }
    expect(answered.length).toBeGreaterThan(8)
  }, 60_000)
})

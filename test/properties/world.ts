// The world the property tests run in, and the one oracle they share.
//
// The world: the real Node composition (test/admin/harness.ts: SQLite in a temp folder, real
// geography and catalogue, admin desk, alerts, crawl and the Teams channel in its local dev mode)
// with the rate limits off (RATE_LIMIT_PER_MINUTE=0, set by test/helpers/node-services.ts), a
// subscription and a crawl run to point at, and a fake Bot Connector on loopback for the bot's
// replies. Requests go in process (app.request), never over the network.
//
// The oracle (checkAnswer): whatever the input, the answer is
// - never a 5xx;
// - a status the OpenAPI document gives for the operation, with a documented media type, and a
//   JSON body that fits the documented schema (ajv, the served document);
// - a 400 (or a 404 from a parameter) whose JSON error names its field (`error.field`, the first
//   of `error.issues`); when the case mutated field X, the named field is X, a parent or a child
//   of X — or the unmutated request is itself refused on that field (a semantic check such as an
//   unknown commune that comes after the schema);
// - a refusal (4xx) when the mutation makes the input invalid for sure (a required field gone, a
//   wrong JSON type, an unknown key on a strict object, malformed JSON, a body over the limit).
// 401, 403 and 429 answer who is calling (session, token, limits), not a field: they carry a code.
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import { openApiDocument } from '../../bot/openapi.ts'
import { startAdmin, type AdminHarness } from '../admin/harness.ts'
import { startFakeBotConnector, type FakeBotConnector } from '../teams/fake-bot-connector.ts'

type Json = Record<string, any>

/** FC_SEED fixes every property's random stream (default fixed; FC_SEED=random draws one, printed). */
export const SEED = process.env.FC_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FC_SEED ?? 15_070)
/** FC_RUNS scales every property's number of runs (FC_RUNS=4 for a long soak, 0.1 for a smoke run). */
export const RUNS_SCALE = Number(process.env.FC_RUNS ?? 1)
export const runs = (n: number) => Math.max(1, Math.round(n * RUNS_SCALE))
export const fcParams = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs(numRuns), endOnFailure: true })

export const DOC = openApiDocument() as Json
const DOC_ID = 'https://guichet.test/openapi.json'
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace']

export interface Operation {
  id: string
  path: string
  method: string
  op: Json
}

export function documentedOperations(): Operation[] {
  return Object.entries(DOC.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.keys(item).filter((m) => METHODS.includes(m)).map((method) => ({ id: item[method].operationId as string, path, method, op: item[method] as Json })),
  )
}
export const operation = (id: string): Operation => {
  const found = documentedOperations().find((o) => o.id === id)
  if (!found) throw new Error(`no operation ${id} in the OpenAPI document`)
  return found
}

/** A JSON schema of the document, its $ref followed. */
export function resolveSchema(schema: Json | undefined): Json | undefined {
  let s = schema
  for (let i = 0; s && typeof s.$ref === 'string' && i < 10; i++) {
    s = s.$ref.split('/').slice(1).reduce((at: Json, k: string) => at?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], DOC) as Json
  }
  return s
}

/** The documented JSON schema of an operation's request body. */
export const requestSchema = (id: string): Json => resolveSchema(operation(id).op.requestBody?.content?.['application/json']?.schema)!

export interface Req {
  method: string
  path: string
  query?: [string, string][]
  /** Appended to the query string as is (undecodable percent-escapes). */
  rawQuery?: string
  headers?: Record<string, string>
  /** Text, bytes, or a stream (no Content-Length: read as it comes). */
  body?: string | Uint8Array | (() => ReadableStream<Uint8Array>)
}

export interface Case {
  req: Req
  /** What the case did to a valid request, for the counterexample. */
  label: string
  /** The fields the case broke (dotted paths; 'body' for the whole body): a 400 names one of them, a parent or a child. */
  broke?: string[]
  /** The input is invalid for sure: the answer must be a 4xx (3xx/HTML form pages: see refusedPage). */
  mustRefuse?: boolean
  /** The same request before the mutation: asked when the field named is not the one broken. */
  base?: Req
}

export interface World {
  h: AdminHarness
  connector: FakeBotConnector
  /** Real values only known once the app runs. */
  real: { subscriptionId: string; manageToken: string; icsToken: string; unsubscribeToken: string; confirmToken: string; crawlRunId: string; programmeIds: string[] }
  send(req: Req): Promise<Response>
  dispose(): Promise<void>
}

export async function startWorld(): Promise<World> {
  const connector = await startFakeBotConnector()
  const h = await startAdmin()
  const s = h.services
  const created = await h.app.request('/api/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ collectivite: '18197', themes: ['ecoles'], channels: { email: 'secretariat@mairie-exemple.fr' } }),
  })
  if (created.status !== 201) throw new Error(`subscription: ${created.status} ${await created.text()}`)
  const sub = (await created.json()) as { id: string; manageUrl: string; icsUrl: string; unsubscribeUrl: string }
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!
  const run = { id: 'run-properties', trigger: 'test', startedAt: '2026-03-01T02:00:00.000Z', endedAt: null, durationMs: null, status: 'running' as const, sources: [], errors: [] }
  await s.crawler.store.startRun(run)
  await s.crawler.store.finishRun({ ...run, endedAt: '2026-03-01T02:01:00.000Z', durationMs: 60_000, status: 'ok' })
  const real = {
    subscriptionId: sub.id,
    manageToken: tokenOf(sub.manageUrl),
    icsToken: tokenOf(sub.icsUrl),
    unsubscribeToken: tokenOf(sub.unsubscribeUrl),
    confirmToken: tokenOf(await s.alerts.links.confirmUrl(sub.id, h.clock.now())),
    crawlRunId: run.id,
    programmeIds: h.catalogue().all().map((p) => p.id),
  }
  const send = async (req: Req) => h.app.request(urlOf(req), initOf(req))
  return {
    h,
    connector,
    real,
    send,
    async dispose() {
      h.dispose()
      await connector.close()
    },
  }
}

/** Percent-encoding as a client writes it, a lone surrogate as the bytes of its UTF-8-like encoding (not decodable). */
export function encode(s: string): string {
  try {
    return encodeURIComponent(s)
  } catch {
    return [...s].map((ch) => (/^[\ud800-\udfff]$/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('')
  }
}

export function urlOf(req: Req): string {
  const qs = [...(req.query ?? []).map(([k, v]) => `${encode(k)}=${encode(v)}`), ...(req.rawQuery ? [req.rawQuery] : [])].join('&')
  return `http://localhost${req.path}${qs ? `?${qs}` : ''}`
}

function initOf(req: Req): RequestInit {
  const body = typeof req.body === 'function' ? req.body() : req.body
  return { method: req.method, headers: req.headers ?? {}, ...(body !== undefined ? { body: body as BodyInit, ...(typeof req.body === 'function' ? { duplex: 'half' } : {}) } : {}) } as RequestInit
}

let ajv: InstanceType<typeof Ajv2020.default> | undefined
function validator() {
  if (!ajv) {
    ajv = new Ajv2020.default({ strict: false, allErrors: true, validateSchema: false })
    addFormats.default(ajv)
    ajv.addSchema({ ...DOC, $id: DOC_ID })
  }
  return ajv
}
const compiled = new Map<string, ReturnType<InstanceType<typeof Ajv2020.default>['compile']>>()
function validate(at: string, value: unknown): string | undefined {
  let v = compiled.get(at)
  if (!v) compiled.set(at, (v = validator().compile({ $ref: `${DOC_ID}${at}` })))
  return v(value) ? undefined : validator().errorsText(v.errors)
}
const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`

/** The documented response of an operation for a status (a components/responses $ref followed), with its pointer. */
function documented(o: Operation, status: number): { response: Json; at: string } | undefined {
  const response = o.op.responses?.[String(status)] as Json | undefined
  if (!response) return undefined
  if (typeof response.$ref === 'string') return { response: resolveSchema(response)!, at: response.$ref }
  return { response, at: pointer('paths', o.path, o.method, 'responses', String(status)) }
}

const mediaType = (res: Response) => (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()

/** Dotted paths: is `named` the field broken, a parent or a child of it? */
export function relates(named: string, broken: string): boolean {
  return named === broken || broken.startsWith(`${named}.`) || named.startsWith(`${broken}.`) || broken === 'body' || named === 'body'
}

export class Violation extends Error {}
const fail = (what: string): never => {
  throw new Violation(what)
}

/**
 * The shared oracle (see the header). `o` is the documented operation (undefined for the pages
 * the document leaves out: home page, back-office forms). Returns the status, for the caller's
 * own extra checks.
 */
export async function checkAnswer(world: World, o: Operation | undefined, c: Case, res: Response): Promise<{ status: number; json?: Json; text: string }> {
  const text = await res.text()
  const status = res.status
  const what = `${c.req.method} ${urlOf(c.req).slice(0, 300)} [${c.label}] → ${status} ${text.slice(0, 400)}`
  if (status >= 500) fail(`5xx: ${what}`)
  const type = mediaType(res)
  let json: Json | undefined
  if (type === 'application/json') {
    try {
      json = JSON.parse(text) as Json
    } catch {
      fail(`JSON answer that does not parse: ${what}`)
    }
  }
  if (o) {
    const found = documented(o, status)
    if (!found) fail(`status not documented for ${o.id}: ${what}`)
    const content = (found!.response.content ?? {}) as Json
    if (Object.keys(content).length > 0 && status !== 304 && !(type === '' && text === '')) {
      if (!Object.keys(content).includes(type)) fail(`media type ${type} not documented for ${o.id} ${status}: ${what}`)
      if (type === 'application/json') {
        const error = validate(`${found!.at}/content/application~1json/schema`, json)
        if (error) fail(`body does not fit the documented schema (${error}): ${what}`)
      }
    }
  } else if (json?.error) {
    const error = validate('#/components/schemas/Error', json)
    if (error) fail(`error body does not fit the Error schema (${error}): ${what}`)
  }
  if (c.mustRefuse && status < 400) fail(`an invalid input was accepted: ${what}`)
  if (json?.error && (status === 400 || (status === 404 && o && (o.op.parameters?.length ?? 0) > 0))) {
    const field = json.error.field as unknown
    if (typeof field !== 'string' || field === '') fail(`a ${status} that names no field: ${what}`)
    const issues = json.error.issues as { field: string }[] | undefined
    if (issues) {
      if (!issues.length || issues[0]!.field !== field) fail(`error.field is not the first of error.issues: ${what}`)
      if (issues.some((i) => i.field === '')) fail(`an issue that names no field: ${what}`)
    }
    if (c.broke?.length && !c.broke.some((b) => relates(field as string, b))) {
      // The field named may be refused in the unmutated request too (a semantic check after the schema, hidden behind the broken one).
      const base = c.base ? await world.send(c.base) : undefined
      const baseJson = base && base.status >= 400 && mediaType(base) === 'application/json' ? ((await base.json()) as Json) : undefined
      const baseFields = [baseJson?.error?.field, ...((baseJson?.error?.issues ?? []) as { field: string }[]).map((i) => i.field)]
      if (!baseFields.includes(field)) fail(`the ${status} names « ${String(field)} », not the field broken (${c.broke.join(' | ')}): ${what}`)
    }
  }
  return { status, ...(json ? { json } : {}), text }
}

/** One property over an operation: the cases through the real app, each answer through the oracle. */
export async function assertCases(world: World, o: Operation | undefined, cases: fc.Arbitrary<Case>, numRuns: number, extra?: (c: Case, answer: { status: number; json?: Json; text: string; headers: Headers }) => void | Promise<void>): Promise<{ runs: number; statuses: Record<number, number> }> {
  const statuses: Record<number, number> = {}
  let count = 0
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const res = await world.send(c.req)
      const headers = res.headers
      const answer = await checkAnswer(world, o, c, res)
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1
      count++
      await extra?.(c, { ...answer, headers })
    }),
    fcParams(numRuns),
  )
  return { runs: count, statuses }
}

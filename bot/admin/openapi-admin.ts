// The admin API (/api/admin/...) in the OpenAPI 3.1 document served at /api/openapi.json:
// paths, security schemes, shared schemas and responses, merged in by bot/openapi.ts.
// Admin-only areas come from kit.ts and the cookie name from auth.ts, so the 403s and the
// security scheme follow the guard; the programme bodies derive from the zod model.
// test/admin/admin-openapi.test.ts checks that every /api/admin route is here and nothing else.
// Here: the login, the guard added to every other operation (openapi-admin-paths.ts, grouped by
// module) and the shared schemas; the shorthands and examples are in openapi-admin-parts.ts.
import { z } from 'zod'
import { CALENDAR_STATUSES } from '../../core/calendar.ts'
import { LEVELS, ProgrammeSchema, RULE_NAMES } from '../../core/programme.ts'
import { CHANNELS } from '../alerts/subscription.ts'
import { SESSION_COOKIE, SESSION_TTL_MS } from './auth.ts'
import { LOGIN_LIMITS, UNLOCK_TTL_MS } from './login-limits.ts'
import { ADMIN_ONLY_AREAS, isAdminOnlyPath } from './kit.ts'
import { OVERRIDABLE_FIELDS, ROLES } from './ports.ts'
import { operations, type Operation } from './openapi-admin-paths.ts'
import { arr, availabilitySchema, body, bool, dateTime, DELIVERY_KINDS, DELIVERY_STATES, error, int, json, NODE_ONLY, NODE_ONLY_NOTE, nullable, obj, ref, RUN_STATUSES, SOURCE_RUN_STATUSES, str, tooLarge, type Json } from './openapi-admin-parts.ts'

export { NODE_ONLY } from './openapi-admin-parts.ts'

/** Tags, security and the guard's answers (401, 403, 413) added to each operation from its method and path. */
function guarded(path: string, method: string, op: Operation): Json {
  const unsafe = method !== 'get'
  const adminOnly = isAdminOnlyPath(path)
  const forbidden = [unsafe ? 'missing or invalid x-csrf-token (code csrf)' : '', adminOnly ? 'an editor on an admin-only area (code forbidden)' : ''].filter(Boolean).join('; or ')
  return {
    tags: ['admin'],
    ...op,
    description: [op.description, adminOnly ? 'Admins only: an editor gets 403.' : '', NODE_ONLY_NOTE].filter(Boolean).join(' '),
    security: [unsafe ? { adminSession: [], csrfToken: [] } : { adminSession: [] }],
    ...(adminOnly ? { 'x-admin-only': true } : {}),
    [NODE_ONLY]: true,
    responses: {
      ...op.responses,
      401: { $ref: '#/components/responses/AdminUnauthorized' },
      ...(forbidden ? { 403: { description: `Forbidden: ${forbidden}`, content: json(ref('Error')) } } : {}),
      ...(op.requestBody && !op.responses['413'] ? { 413: tooLarge('1 MB') } : {}),
    },
  }
}

/** Paths, tag, security schemes, schemas and responses of the admin API. */
export function adminOpenApi() {
  const paths: Record<string, Json> = { ...loginPath() }
  for (const [path, methods] of Object.entries(operations())) {
    paths[path] = Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, guarded(path, method, op)]))
  }

  const schemas = adminSchemas()
  return {
    tag: {
      name: 'admin',
      description: `The admin desk's JSON API. Log in with POST /api/admin/login: the session travels in the ${SESSION_COOKIE} cookie (HttpOnly, SameSite=Strict, ${SESSION_TTL_MS / 3_600_000} h); every POST, PUT, PATCH and DELETE also needs the session's CSRF token in x-csrf-token. Roles: editors curate programmes; admins also reach ${ADMIN_ONLY_AREAS.map((a) => `/api/admin/${a}`).join(', ')}. Every change is audited. The French pages under /admin/... use the same session but are not part of this API.`,
    },
    paths,
    schemas,
    securitySchemes: {
      adminSession: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Session cookie set by POST /api/admin/login' },
      csrfToken: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The csrf of POST /api/admin/login or GET /api/admin/me; required on POST, PUT, PATCH and DELETE' },
    },
    responses: {
      AdminUnauthorized: { description: 'No live session (code unauthorized)', content: json(ref('Error')) },
    },
  }
}

/** The public operation: POST /api/admin/login, its limits spelled from LOGIN_LIMITS. */
function loginPath(): Record<string, Json> {
  const A = LOGIN_LIMITS.account
  const IP = LOGIN_LIMITS.address
  return {
    '/api/admin/login': {
      post: {
        tags: ['admin'],
        operationId: 'logIn',
        summary: 'Log in: sets the session cookie and returns the CSRF token to send on every POST, PUT, PATCH and DELETE',
        description: `Public. JSON only (a cross-site form cannot send it without a CORS preflight). Attempts on one account are checked one at a time. ${A.maxFailures} failures lock the account for ${A.firstLockMs / 60_000} minute, each further failure for twice as long (at most ${A.maxLockMs / 60_000} minutes); a success clears it, and the failure that locks an account e-mails it a single-use unlock link (valid ${UNLOCK_TTL_MS / 60_000} minutes; it does not log in). ${IP.maxFailures} failures from one client address (across accounts) hold that address back with the same backoff, but only for accounts that already have ${IP.heldAccountAllowance} failures or more: an account without failures is still checked from it. Unknown e-mails are counted and hashed like known ones. Counts are forgotten after ${LOGIN_LIMITS.forgetAfterMs / 3_600_000} hours without failure. The session lasts ${SESSION_TTL_MS / 3_600_000} hours. ${NODE_ONLY_NOTE}`,
        security: [],
        [NODE_ONLY]: true,
        requestBody: body(obj({ email: { type: 'string', minLength: 3, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 500 } }), { email: 'marie.dupont@mairie-exemple.fr', password: 'correct horse battery staple' }),
        responses: {
          200: {
            description: 'Logged in',
            headers: { 'Set-Cookie': { description: `${SESSION_COOKIE}=<session id>; HttpOnly; SameSite=Strict; Path=/, plus Secure over https and on loopback`, schema: str } },
            content: json(ref('AdminSession')),
          },
          400: error('Not JSON, or email/password missing (field named)'),
          401: error('Invalid credentials or disabled account (code invalid_credentials)'),
          413: tooLarge('1 MB'),
          429: {
            description: 'Refused without checking the password: the account is locked, or the client address is held back (code locked; the French message says when to retry)',
            headers: { 'Retry-After': { description: 'Seconds until the lock ends', schema: { type: 'integer', minimum: 1 } } },
            content: json({ allOf: [ref('Error'), obj({ error: obj({ until: dateTime }, []) }, [])] }),
          },
        },
      },
    },
  }
}

// Over 80 lines: one literal naming every shared schema of the admin API (each a line or two).
function adminSchemas(): Record<string, Json> {
  // What POST /api/admin/programmes accepts: the zod model's input, provenance optional (defaulted by the route).
  const programmeInput = z.toJSONSchema(ProgrammeSchema, { io: 'input', unrepresentable: 'any' }) as Json & { required?: string[]; properties?: Record<string, Json> }
  delete programmeInput['$schema']
  programmeInput.required = (programmeInput.required ?? []).filter((k) => k !== 'provenance')
  if (programmeInput.properties?.['id']) programmeInput.properties['id'] = { ...programmeInput.properties['id'], pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: 120 }
  const programmeRefs = Object.fromEntries(OVERRIDABLE_FIELDS.map((f) => [f, nullable({ $ref: `#/components/schemas/ProgrammeInput/properties/${f}` })]))
  const account = obj({ id: str, email: str, role: { enum: [...ROLES] }, disabled: bool, createdAt: dateTime })
  const override = obj({ programmeId: str, patch: ref('OverridePatch'), hidden: bool, verifiedBy: nullable(str), verifiedAt: nullable(dateTime), updatedBy: str, updatedAt: str })
  const crawlProblem = obj({ sourceId: str, at: str, field: str, message: str, raw: str, recordId: str }, ['sourceId', 'at', 'field', 'message', 'raw'])
  const sourceRun = obj({
    sourceId: str, status: { enum: SOURCE_RUN_STATUSES }, fetched: int, notModified: int, failed: int, programmes: int, new: int, updated: int, unchanged: int, gone: int,
    markedStale: int, consecutiveFailures: int, recordErrors: int, errors: arr(str),
    recordErrorDetails: arr(obj({ recordId: str, programmeId: str, field: str, message: str, raw: { type: 'string', description: 'The raw value as JSON text' } }, ['field', 'message', 'raw'])),
    durationMs: { type: 'number' },
  }, ['sourceId', 'status', 'programmes', 'new', 'updated', 'unchanged', 'gone', 'recordErrors', 'errors'])
  const sendRun = obj(
    {
      locked: { type: 'boolean', description: 'Another send job held the lock: nothing sent by this one' },
      sent: int,
      failed: int,
      problem: { type: 'string', description: 'The send job could not start (GUICHET_PUBLIC_URL missing): nothing sent, the rows stay due' },
    },
    ['locked', 'sent', 'failed'],
  )
  const schemas: Record<string, Json> = {
    ProgrammeInput: programmeInput,
    OverridePatch: { type: 'object', description: 'Overridden fields (null = field cleared)', properties: programmeRefs, additionalProperties: false },
    Account: account,
    AdminSession: obj({ account: ref('Account'), csrf: { type: 'string', description: 'Send it as x-csrf-token on every POST, PUT, PATCH and DELETE' } }),
    ProgrammeOverride: override,
    AdminProgrammeRow: obj({
      id: str, name: str, level: { enum: [...LEVELS] }, source: { type: 'string', description: 'Source id, or curated' }, status: { enum: [...CALENDAR_STATUSES] }, closesAt: nullable({ type: 'string', format: 'date' }),
      stale: bool, verifiedAt: nullable(str), hidden: bool, overridden: bool, mergedInto: nullable(str), expired: bool,
      crawlErrors: { type: 'integer', description: 'Record errors in the latest crawl (0 unless the crawlErrors filter is on)' },
    }),
    AdminProgrammeDetail: obj({
      id: str,
      version: { type: 'string', description: 'Version of the override, to send back with a change ("" = none yet)' },
      origin: { enum: ['file', 'back-office', 'crawl'] },
      curated: nullable(ref('Programme')),
      crawled: arr(obj({ sourceId: str, lastSeen: str, stale: bool, via: { type: 'string', description: 'The crawled id standing for this programme' }, programme: ref('Programme') })),
      merged: arr(obj({ id: str, programme: nullable(ref('Programme')) })),
      mergedInto: nullable(str),
      crawlErrors: arr(crawlProblem),
      duplicates: arr(obj({ id: str, name: str, score: { type: 'number' }, why: arr(str) })),
      base: ref('Programme'),
      override: nullable(ref('ProgrammeOverride')),
      effective: ref('Programme'),
      preview: ref('MatchItem'),
      today: { type: 'string', format: 'date', description: 'The server\'s day (Europe/Paris) the availability is computed on' },
      availability: availabilitySchema,
      examples: arr(obj({
        about: str, date: { type: 'string', format: 'date' }, expect: { enum: ['eligible', 'unknown', 'ineligible'] }, rule: nullable({ enum: [...RULE_NAMES] }),
        status: nullable({ enum: ['eligible', 'unknown', 'ineligible'], description: 'null when the example\'s collectivité is unknown' }), ok: bool, problem: nullable({ type: 'string', description: 'Why it does not hold, in French' }),
      }, undefined, { description: 'The programme\'s examples replayed through the evaluator' })),
      coverage: arr(obj({ rule: { enum: [...RULE_NAMES] }, positive: { type: 'boolean', description: 'Some example passes this rule' }, negative: { type: 'boolean', description: 'Some example is excluded by this rule' } })),
    }),
    AuditEntry: obj({ id: int, at: dateTime, actor: { type: 'string', description: 'E-mail of the account' }, action: { type: 'string', examples: ['programme.override', 'login', 'account.create'] }, target: str, before: {}, after: {} }),
    CrawlRun: obj({ id: str, trigger: str, startedAt: str, endedAt: nullable(str), durationMs: nullable({ type: 'number' }), status: { enum: RUN_STATUSES }, sources: arr(sourceRun), errors: arr(str) }),
    AdminSource: obj({
      sourceId: str, enabled: bool,
      state: nullable(obj({ sourceId: str, consecutiveFailures: int, lastSuccessAt: nullable(str), lastFailureAt: nullable(str), lastError: nullable(str) })),
    }),
    Delivery: obj({
      id: int, subscriptionId: str, channel: { enum: [...CHANNELS] }, to: { type: 'string', description: 'Masked' }, programme: nullable(obj({ id: str, name: str })),
      kind: { enum: DELIVERY_KINDS }, deadline: nullable({ type: 'string', format: 'date' }), leadDays: int, state: { enum: DELIVERY_STATES }, attempts: int,
      lastError: nullable({ type: 'string', description: 'Masked' }), nextAttemptAt: nullable(str), createdAt: str, expiresOn: str,
      lostOn: nullable({ type: 'string', format: 'date', description: 'Paris day it was found lost: its last day (a reminder\'s deadline) passed unsent' }), retryable: bool,
    }),
    SendRun: sendRun,
    AlertsOverview: obj({
      stats: obj({
        channels: obj(Object.fromEntries(CHANNELS.map((ch) => [ch, obj({
          subscriptions: obj({ active: int, paused: int, pendingConfirmation: int, disabled: int }),
          deliveries: obj(Object.fromEntries(DELIVERY_STATES.map((s) => [s, int]))),
        })]))),
        outbox: nullable(obj({ queued: int, failed: int })),
      }),
      health: obj({ failing: { type: 'integer', description: 'Failed rows, still retried' }, lost: { type: 'integer', description: 'Rows lost (last day passed unsent), kept a month' } }),
      deliveries: arr(ref('Delivery')),
      lost: { ...arr(ref('Delivery')), description: 'The latest lost rows' },
      mails: arr(obj({ id: int, subscriptionId: str, to: { type: 'string', description: 'Masked' }, createdAt: str, status: { enum: ['queued', 'failed'] }, error: nullable(str) })),
      limit: { type: 'integer', description: 'Rows listed per table' },
    }),
    PageSource: obj({
      id: str, label: nullable(str), url: nullable(str), enabled: bool, origin: { enum: ['file', 'admin'] }, file: nullable(str), updatedBy: nullable(str), updatedAt: nullable(str),
      error: nullable({ type: 'string', description: 'The saved version no longer validates' }),
      lastRun: nullable(obj({ runId: str, startedAt: str, status: { enum: SOURCE_RUN_STATUSES }, programmes: int, new: int, updated: int, gone: int, recordErrors: int, errors: arr(str) })),
      consecutiveFailures: int,
    }),
    RecordError: obj({ source: str, recordId: str, programmeId: str, field: str, message: str, raw: {} }, ['source', 'field', 'message']),
    ImportRequest: obj({
      files: { type: 'array', minItems: 1, maxItems: 5000, items: obj({ name: { type: 'string', minLength: 1, maxLength: 300, examples: ['content/programmes/detr.yaml'] }, text: { type: 'string', maxLength: 5 * 1024 * 1024 } }, undefined, { additionalProperties: false }) },
      dryRun: { type: 'boolean', default: true },
    }, ['files'], { additionalProperties: false }),
    ImportPlan: obj({
      dryRun: bool,
      items: arr(obj({
        id: str, file: str, action: { enum: ['create', 'update', 'unchanged'] },
        changes: arr(obj({ field: str, before: {}, after: {} }, ['field'])),
        ignored: { type: 'array', items: str, description: 'Fields an import cannot change (provenance)' },
      })),
      skipped: { type: 'array', items: str, description: 'Files that are not programme files' },
    }),
  }

  return schemas
}

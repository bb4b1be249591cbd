// The admin API (/api/admin/...) in the OpenAPI 3.1 document served at /api/openapi.json:
// paths, security schemes, shared schemas and responses, merged in by bot/openapi.ts.
// Admin-only areas come from kit.ts and the cookie name from auth.ts, so the 403s and the
// security scheme follow the guard; the programme bodies derive from the zod model.
// test/admin/admin-openapi.test.ts checks that every /api/admin route is here and nothing else.
import { z } from 'zod'
import { CALENDAR_STATUSES } from '../../core/calendar.ts'
import { AVAILABILITIES } from '../../core/availability.ts'
import { LEVELS, ProgrammeSchema, RULE_NAMES } from '../../core/programme.ts'
import type { CrawlRunStatus, SourceRunStatus } from '../../crawler/crawl-store.ts'
import type { DeliveryKind, DeliveryState } from '../alerts/delivery.ts'
import { CHANNELS } from '../alerts/subscription.ts'
import { SESSION_COOKIE, SESSION_TTL_MS } from './auth.ts'
import { LOGIN_LIMITS, UNLOCK_TTL_MS } from './login-limits.ts'
import { ADMIN_ONLY_AREAS, isAdminOnlyPath } from './kit.ts'
import { OVERRIDABLE_FIELDS, ROLES } from './ports.ts'

type Json = Record<string, unknown>

// Enums spelled once per type: tsc fails here if a member is added to or removed from the type.
const keysOf = <K extends string>(r: Record<K, true>) => Object.keys(r) as K[]
const DELIVERY_KINDS = keysOf<DeliveryKind>({ reminder: true, estimate: true, new_programme: true, deadline_moved: true, closed_early: true, new_edition: true, confirm: true })
const DELIVERY_STATES = keysOf<DeliveryState>({ pending: true, sent: true, failed: true, expired: true })
const RUN_STATUSES = keysOf<CrawlRunStatus>({ running: true, ok: true, partial: true, failed: true, interrupted: true })
const SOURCE_RUN_STATUSES = keysOf<SourceRunStatus>({ ok: true, failed: true, skipped: true })

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] })
const str = { type: 'string' }
const int = { type: 'integer' }
const bool = { type: 'boolean' }
const dateTime = { type: 'string', format: 'date-time' }
const arr = (items: Json): Json => ({ type: 'array', items })
const obj = (properties: Json, required: string[] = Object.keys(properties), extra: Json = {}): Json => ({ type: 'object', required, properties, ...extra })
const availabilityBase = { status: { enum: [...AVAILABILITIES] }, text: { type: 'string', description: 'One French sentence with the date that decides it' } }
/** core/availability.ts: a partial suspension names its themes and the availability otherwise. */
const availabilitySchema = obj(
  { ...availabilityBase, onlyFor: { type: 'array', items: str, description: 'Themes a partial suspension concerns' }, otherwise: obj(availabilityBase, ['status', 'text']) },
  ['status', 'text'],
)
const json = (schema: Json) => ({ 'application/json': { schema } })
const ok = (description: string, schema: Json) => ({ description, content: json(schema) })
const error = (description: string) => ({ description, content: json(ref('Error')) })
const pathParam = (name: string, description: string, schema: Json = str) => ({ name, in: 'path', required: true, description, schema })
const query = (name: string, description: string, schema: Json = str) => ({ name, in: 'query', required: false, description, schema })
const flag = (name: string, description: string) => query(name, `${description} (any non-empty value turns the filter on)`, { type: 'string', examples: ['1'] })
/** A JSON request body: its schema and an example a client can send as is. */
const body = (schema: Json, example: unknown, description?: string) => ({ required: true, ...(description ? { description } : {}), content: { 'application/json': { schema, example } } })

/** Marks an operation the Workers entry does not serve (it mounts neither the admin desk nor the alerts, crawl and Teams routes). */
export const NODE_ONLY = 'x-node-only'
const NODE_ONLY_NOTE = 'Node server only: the Workers deployment does not serve it.'
/** The admin desk reads whole bodies up to 1 MB (6 MB for an import): beyond, 413. */
const tooLarge = (max: string) => error(`Body over ${max} (code payload_too_large)`)

const programmeId = pathParam('id', 'Catalogue id of the programme', { type: 'string', examples: ['detr'] })

/** A small curated programme, as POST /api/admin/programmes takes it (JSON) and as an import takes it (YAML). */
const PROGRAMME_EXAMPLE = {
  id: 'appel-voirie-yonne',
  name: 'Appel à projets voirie rurale',
  funders: ['Département de l\'Yonne'],
  level: 'departemental',
  instruments: ['grant'],
  summary: 'Subvention du Département pour les travaux de voirie des petites communes.',
  themes: ['voirie'],
  eligibility: { applicants: ['commune'], territory: { label: 'Yonne', departements: ['89'] } },
  calendar: { kind: 'oneOff', editions: [{ deadlines: ['2026-06-30'] }] },
  links: { official: 'https://www.yonne.fr/aides/voirie' },
}
const PROGRAMME_YAML_EXAMPLE = `id: appel-voirie-yonne
name: Appel à projets voirie rurale
funders: [Département de l'Yonne]
level: departemental
instruments: [grant]
summary: Subvention du Département pour les travaux de voirie des petites communes.
themes: [voirie]
eligibility:
  applicants: [commune]
  territory: { label: Yonne, departements: ['89'] }
calendar:
  kind: oneOff
  editions: [{ deadlines: ['2026-06-30'] }]
links:
  official: https://www.yonne.fr/aides/voirie
provenance:
  kind: curated
  sources: [https://www.yonne.fr/aides/voirie]
`
/** A declarative page source (content/sources/departement-exemple.yaml, its recorded page beside it). */
const PAGE_SOURCE_EXAMPLE = `id: departement-exemple
label: Département exemple – aides aux communes
enabled: false
url: https://www.departement-exemple.fr/aides/
funders: [Département exemple]
level: departemental
instruments: [grant]
fallbackTheme: equipements_publics
territory: Drôme
item: article.aide
fields:
  name: h2
  link: { selector: "h2 a", attr: href }
  summary: .resume
  deadline: .date-limite
  applicants: { selector: ".publics li", all: true }
  categories: { selector: ".themes", split: "," }
  amount: .montant
`
const OK_TRUE = obj({ ok: { const: true } })
/** The outcome of a re-run (POST /api/admin/sources/{id}/run). */
const RERUN = obj(
  {
    ok: { type: 'boolean', description: 'true only when the run ended ok' },
    status: { enum: RUN_STATUSES, description: 'The run’s final status; running when it outlasted the wait' },
    runId: nullable(str),
    errors: { ...arr(str), description: 'The run’s errors and the first lines of its failed sources' },
  },
  undefined,
  { additionalProperties: false },
)

interface Operation {
  operationId: string
  summary: string
  description?: string
  parameters?: Json[]
  requestBody?: Json
  responses: Record<string, Json>
}

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

function operations(): Record<string, Record<string, Operation>> {
  const invalid = error('Invalid body or parameter (named in error.field, all in error.issues)')
  const unknownProgramme = error('Unknown programme (code not_found)')
  return {
    '/api/admin/logout': {
      post: { operationId: 'logOut', summary: 'Close the session (cookie cleared, audited)', responses: { 200: ok('Logged out', OK_TRUE) } },
    },
    '/api/admin/me': {
      get: { operationId: 'getSession', summary: 'The account of the session and its CSRF token', responses: { 200: ok('The session', ref('AdminSession')) } },
    },
    '/api/admin/me/password': {
      post: {
        operationId: 'changeOwnPassword',
        summary: 'Change my password: every other session of the account ends, this one continues under a new cookie and CSRF token (audited)',
        requestBody: body(obj({ current: { type: 'string', minLength: 1, maxLength: 500 }, next: { type: 'string', minLength: 12, maxLength: 500 } }, ['current', 'next'], { additionalProperties: false }), { current: 'ancien mot de passe', next: 'un nouveau mot de passe assez long' }),
        responses: { 200: ok('Changed', obj({ ok: { const: true }, csrf: { type: 'string' } })), 400: invalid },
      },
    },
    '/api/admin/programmes': {
      get: {
        operationId: 'listAdminProgrammes',
        summary: 'Every programme of the merged catalogue (hidden and merged ones included), with its curation state',
        parameters: [
          query('q', 'Text in the id, name, short name or funders (case-insensitive)'),
          query('source', 'Source id, or curated', { type: 'string', examples: ['curated', 'aides-territoires'] }),
          query('level', 'Level (empty = any)', { enum: [...LEVELS, ''] }),
          query('status', 'Calendar status today', { enum: [...CALENDAR_STATUSES] }),
          flag('stale', 'Only programmes whose existence is uncertain (source failing)'),
          flag('expired', 'Only closed programmes'),
          flag('crawlErrors', 'Only programmes with record errors in the latest crawl of their source'),
          flag('unverified', 'Only programmes never verified by an editor'),
          query('hidden', '1 = only hidden programmes, 0 = only visible ones', { enum: ['0', '1'] }),
          query('page', 'Page number, from 1', { type: 'string', examples: ['1'] }),
          query('perPage', 'Rows per page, 1 to 1000 (default 100)', { type: 'string', examples: ['100'] }),
        ],
        responses: { 200: ok('The rows of the page, and the count of all matching rows', obj({ programmes: arr(ref('AdminProgrammeRow')), total: { type: 'integer' }, page: { type: 'integer' }, perPage: { type: 'integer' } })), 400: invalid },
      },
      post: {
        operationId: 'createProgramme',
        summary: 'Create a curated programme in the back office (audited, reindexed)',
        description: 'keywords, aid and uncertain default to empty; provenance to { kind: curated, sources: [links.official] }. Null fields are left out. An id already in the catalogue or merged → 400 (field id).',
        requestBody: body(ref('ProgrammeInput'), PROGRAMME_EXAMPLE, 'A programme'),
        responses: { 201: ok('Created', obj({ programme: ref('Programme') })), 400: invalid },
      },
    },
    '/api/admin/programmes/{id}': {
      get: {
        operationId: 'getAdminProgramme',
        summary: 'One programme by origin: curated file or back office, crawled rows, merged duplicates, override, effective programme and its preview in the bot',
        parameters: [programmeId],
        responses: { 200: ok('The programme', ref('AdminProgrammeDetail')), 404: unknownProgramme },
      },
    },
    '/api/admin/programmes/{id}/override': {
      put: {
        operationId: 'overrideProgramme',
        summary: 'Override fields of a programme (wins over curated and crawled values; audited, reindexed)',
        description: `Only ${OVERRIDABLE_FIELDS.join(', ')}. null clears a field. Merged into the current override unless replace is true; values equal to the base are dropped. The result must pass the Programme schema.`,
        parameters: [programmeId],
        requestBody: body(
          obj({ patch: ref('OverridePatch'), replace: { type: 'boolean', default: false, description: 'Replace the whole patch instead of merging into it' }, version: { type: 'string', maxLength: 40, description: 'The version the change is based on (`version` of GET /api/admin/programmes/{id}; "" = no override yet): 409 when another change landed since' } }, ['patch'], { additionalProperties: false }),
          { patch: { statusNote: 'Enveloppe 2026 confirmée par la préfecture' } },
        ),
        responses: { 200: ok('The override and the programme it gives', obj({ override: ref('ProgrammeOverride'), programme: ref('Programme') })), 400: invalid, 404: unknownProgramme, 409: error('Changed since the given version: nothing written') },
      },
    },
    '/api/admin/programmes/{id}/hide': {
      post: {
        operationId: 'hideProgramme',
        summary: 'Hide a programme from the served catalogue, or show it again',
        parameters: [programmeId],
        requestBody: body(obj({ hidden: bool }, ['hidden'], { additionalProperties: false }), { hidden: false }),
        responses: { 200: ok('The override', obj({ override: ref('ProgrammeOverride') })), 400: invalid, 404: unknownProgramme },
      },
    },
    '/api/admin/programmes/{id}/verify': {
      post: {
        operationId: 'verifyProgramme',
        summary: 'Mark a programme verified today by the session\'s account (no body)',
        parameters: [programmeId],
        responses: { 200: ok('The override', obj({ override: ref('ProgrammeOverride') })), 404: unknownProgramme },
      },
    },
    '/api/admin/programmes/{id}/merge': {
      post: {
        operationId: 'mergeProgramme',
        summary: 'Merge this duplicate into another programme: it leaves the catalogue and its URLs redirect to the one kept',
        description: 'Programmes merged into this one before follow it. Merging into itself, an unknown or already merged programme → 400 (field into or id).',
        parameters: [pathParam('id', 'The duplicate to remove')],
        requestBody: body(obj({ into: { type: 'string', minLength: 1, description: 'Id of the programme to keep' } }, ['into'], { additionalProperties: false }), { into: 'detr' }),
        responses: { 200: ok('Merged', obj({ loser: str, winner: str, redirect: { type: 'string', examples: ['/api/programmes/detr'] } })), 400: invalid, 404: unknownProgramme },
      },
      delete: {
        operationId: 'unmergeProgramme',
        summary: 'Undo the merge of this programme',
        parameters: [pathParam('id', 'The merged programme')],
        responses: { 200: ok('Unmerged', OK_TRUE), 404: error('Not merged into any programme') },
      },
    },
    '/api/admin/audit': {
      get: {
        operationId: 'listAuditEntries',
        summary: 'The audit log, latest first (200 entries by default, 500 at most; page back with beforeId)',
        parameters: [
          query('target', 'Only entries on this target', { type: 'string', examples: ['programme:detr', 'account:marie@mairie.fr', 'source:aides-territoires'] }),
          query('actor', 'Only entries by this account (e-mail)'),
          query('action', 'Only actions starting with this text', { type: 'string', examples: ['programme.', 'login'] }),
          query('beforeId', 'Only entries older than this id (paging)', { type: 'string', examples: ['120'] }),
          query('limit', 'How many entries, 1 to 500', { type: 'string', examples: ['200'] }),
        ],
        responses: { 200: ok('Entries', obj({ entries: arr(ref('AuditEntry')) })), 400: invalid },
      },
    },
    '/api/admin/crawl/runs': {
      get: {
        operationId: 'listAdminCrawlRuns',
        summary: 'The 50 latest crawl runs and every source with its switch and failure state',
        responses: { 200: ok('Runs and sources', obj({ runs: arr(ref('CrawlRun')), sources: arr(ref('AdminSource')) })) },
      },
    },
    '/api/admin/sources/{id}': {
      put: {
        operationId: 'setSourceEnabled',
        summary: 'Enable or disable a crawl source (audited)',
        parameters: [pathParam('id', 'Source id')],
        requestBody: body(obj({ enabled: bool }, ['enabled'], { additionalProperties: false }), { enabled: true }),
        responses: { 200: ok('Saved', OK_TRUE), 400: invalid },
      },
    },
    '/api/admin/sources/{id}/run': {
      post: {
        operationId: 'runSource',
        summary: 'Crawl one source now and say how the run really ended (audited)',
        description: 'Waits for the run (up to 20 s): 200 with its final status (`ok` true only when it is `ok`), 202 when it still runs (its end shows in GET /api/admin/crawl/runs), 409 when another run holds the crawl lease (nothing done).',
        parameters: [pathParam('id', 'Source id')],
        responses: {
          200: ok('The run ended', RERUN),
          202: ok('The run goes on (status running)', RERUN),
          404: error('Re-runs unavailable on this server'),
          409: error('Another run holds the crawl lease (code conflict): nothing done'),
        },
      },
    },
    '/api/admin/accounts': {
      get: { operationId: 'listAccounts', summary: 'The back-office accounts', responses: { 200: ok('Accounts', obj({ accounts: arr(ref('Account')) })) } },
      post: {
        operationId: 'createAccount',
        summary: 'Create an account (audited)',
        requestBody: body(obj({ email: { type: 'string', format: 'email' }, role: { enum: [...ROLES] }, password: { type: 'string', minLength: 12, maxLength: 500 } }, undefined, { additionalProperties: false }), { email: 'marie.dupont@mairie-exemple.fr', role: 'editor', password: 'un mot de passe assez long' }),
        responses: { 201: ok('Created', obj({ account: ref('Account') })), 400: error('Invalid body, or an account with this e-mail exists (field email)') },
      },
    },
    '/api/admin/accounts/{id}/password': {
      post: {
        operationId: 'resetAccountPassword',
        summary: 'A forgotten password: sets a random temporary password, returned once; every session of the account ends (audited without the password)',
        parameters: [pathParam('id', 'Account id')],
        responses: { 200: ok('The temporary password', obj({ account: ref('Account'), password: str })), 404: error('Unknown account') },
      },
    },
    '/api/admin/accounts/{id}/unlock': {
      post: {
        operationId: 'unlockAccount',
        summary: 'Clears the login failures and lock of an account and revokes its e-mailed unlock links (audited); the client address keeps its own count',
        parameters: [pathParam('id', 'Account id')],
        responses: { 200: ok('The account, unlocked', obj({ account: ref('Account') })), 404: error('Unknown account') },
      },
    },
    '/api/admin/accounts/{id}': {
      patch: {
        operationId: 'updateAccount',
        summary: 'Change the role of an account, or disable it (its sessions close) or enable it again (audited)',
        parameters: [pathParam('id', 'Account id')],
        requestBody: body(obj({ role: { enum: [...ROLES] }, disabled: bool }, [], { additionalProperties: false }), { role: 'editor', disabled: false }),
        responses: { 200: ok('The account', obj({ account: ref('Account') })), 400: invalid, 404: error('Unknown account') },
      },
    },
    '/api/admin/alerts': {
      get: {
        operationId: 'getAlertsOverview',
        summary: 'Alerts: counts per channel, failed or overdue deliveries and outbox e-mails (addresses masked)',
        responses: { 200: ok('The overview', ref('AlertsOverview')) },
      },
    },
    '/api/admin/alerts/deliveries/{id}/retry': {
      post: {
        operationId: 'retryDelivery',
        summary: 'Make a failed delivery due now and run the send job (a sent row is never sent twice; audited)',
        parameters: [pathParam('id', 'Delivery id', { type: 'integer', minimum: 1 })],
        responses: {
          200: ok('The delivery after the run', obj({ delivery: ref('Delivery'), run: ref('SendRun') })),
          404: error('Unknown delivery'),
          409: error('Already sent (code already_sent) or expired (code expired): not sent again'),
        },
      },
    },
    '/api/admin/alerts/retry': {
      post: {
        operationId: 'retryAllDeliveries',
        summary: 'Make every failed delivery due now and run the send job (audited)',
        responses: { 200: ok('How many were scheduled, and the run', obj({ scheduled: int, run: ref('SendRun') })) },
      },
    },
    '/api/admin/sources/pages': {
      get: { operationId: 'listPageSources', summary: 'Declarative page sources (content/sources/*.yaml and versions saved here)', responses: { 200: ok('Sources', obj({ sources: arr(ref('PageSource')) })) } },
    },
    '/api/admin/sources/pages/{id}': {
      get: {
        operationId: 'getPageSource',
        summary: 'One page source',
        parameters: [pathParam('id', 'Page source id')],
        responses: { 200: ok('The source', obj({ source: ref('PageSource') })), 404: error('Unknown page source') },
      },
      put: {
        operationId: 'savePageSource',
        summary: 'Save the YAML of a page source (wins over its file from the next crawl on; audited)',
        description: 'The YAML id must be the id of the path; a syntax or schema error → 400 (field yaml or the YAML path).',
        parameters: [pathParam('id', 'Page source id')],
        requestBody: body(obj({ yaml: { type: 'string', maxLength: 100_000 } }, ['yaml'], { additionalProperties: false }), { yaml: PAGE_SOURCE_EXAMPLE }),
        responses: { 200: ok('Updated', obj({ source: ref('PageSource') })), 201: ok('Created', obj({ source: ref('PageSource') })), 400: invalid },
      },
    },
    '/api/admin/sources/pages/test': {
      post: {
        operationId: 'testPageSource',
        summary: 'Parse a page with a page-source YAML as typed (unsaved, no network)',
        description: 'The page is html if given, else the one recorded for the YAML\'s id (content/sources/<id>.recorded.html); none → 400 (field html).',
        requestBody: body(obj({ yaml: { type: 'string', maxLength: 100_000 }, html: { type: 'string', maxLength: 2_000_000 } }, ['yaml'], { additionalProperties: false }), { yaml: PAGE_SOURCE_EXAMPLE }),
        responses: { 200: ok('The records and record errors', obj({ page: { enum: ['recorded', 'pasted'] }, records: arr(ref('Programme')), errors: arr(ref('RecordError')) })), 400: invalid },
      },
    },
    '/api/admin/export': {
      get: {
        operationId: 'exportProgrammes',
        summary: 'Every curated programme (files, back office, corrected crawls) with its overrides, as content/programmes/<id>.yaml in a tar',
        description: 'Unpacks into the repository. Merged programmes and uncorrected crawled ones are left out.',
        responses: {
          200: {
            description: 'A tar archive (attachment guichet-programmes-<day>.tar)',
            headers: { 'Content-Disposition': { schema: str } },
            content: { 'application/x-tar': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    '/api/admin/export/programmes/{file}': {
      get: {
        operationId: 'exportProgramme',
        summary: 'One programme as its YAML file',
        parameters: [pathParam('file', 'Programme id, .yaml optional', { type: 'string', examples: ['detr.yaml'] })],
        responses: {
          200: { description: 'The YAML (attachment <id>.yaml)', headers: { 'Content-Disposition': { schema: str } }, content: { 'application/yaml': { schema: str } } },
          404: error('Nothing to export: unknown, merged, or crawled without correction'),
        },
      },
    },
    '/api/admin/import': {
      post: {
        operationId: 'importProgrammes',
        summary: 'Import programme files: a dry run listing, field by field, what would change, or applied in one transaction',
        description: 'Known ids become overrides, unknown ids new curated programmes; provenance is ignored. One broken file and nothing is applied (400, field "<file>: <path>"). JSON bodies say dryRun (default true); tar and YAML bodies (5 MB at most) are a dry run unless ?apply=1. Files outside content/programmes/ are skipped; several YAML documents (---) are several files.',
        parameters: [query('apply', '1 = apply a tar or YAML body (ignored for JSON)', { enum: ['1'] })],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: ref('ImportRequest'), example: { files: [{ name: 'content/programmes/appel-voirie-yonne.yaml', text: PROGRAMME_YAML_EXAMPLE }], dryRun: true } },
            'application/x-tar': { schema: { type: 'string', format: 'binary' } },
            'application/yaml': { schema: str },
            'application/x-yaml': { schema: str },
            'text/yaml': { schema: str },
          },
        },
        responses: { 200: ok('The plan (applied when dryRun is false)', ref('ImportPlan')), 400: error('Invalid body, content type or programme file'), 413: tooLarge('6 MB') },
      },
    },
  }
}

/** Paths, tag, security schemes, schemas and responses of the admin API. */
export function adminOpenApi() {
  // What POST /api/admin/programmes accepts: the zod model's input, provenance optional (defaulted by the route).
  const programmeInput = z.toJSONSchema(ProgrammeSchema, { io: 'input', unrepresentable: 'any' }) as Json & { required?: string[]; properties?: Record<string, Json> }
  delete programmeInput['$schema']
  programmeInput.required = (programmeInput.required ?? []).filter((k) => k !== 'provenance')
  if (programmeInput.properties?.['id']) programmeInput.properties['id'] = { ...programmeInput.properties['id'], pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: 120 }
  const A = LOGIN_LIMITS.account
  const IP = LOGIN_LIMITS.address
  const paths: Record<string, Json> = {
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
  for (const [path, methods] of Object.entries(operations())) {
    paths[path] = Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, guarded(path, method, op)]))
  }

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
  const sendRun = obj({ locked: { type: 'boolean', description: 'Another send job held the lock: nothing sent by this one' }, sent: int, failed: int })
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
      lastError: nullable({ type: 'string', description: 'Masked' }), nextAttemptAt: nullable(str), createdAt: str, expiresOn: str, retryable: bool,
    }),
    SendRun: sendRun,
    AlertsOverview: obj({
      stats: obj({
        channels: obj(Object.fromEntries(CHANNELS.map((ch) => [ch, obj({
          subscriptions: obj({ active: int, pendingConfirmation: int, disabled: int }),
          deliveries: obj(Object.fromEntries(DELIVERY_STATES.map((s) => [s, int]))),
        })]))),
        outbox: nullable(obj({ queued: int, failed: int })),
      }),
      deliveries: arr(ref('Delivery')),
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

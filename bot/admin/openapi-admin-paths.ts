// The guarded operations of the admin API (everything but the login), grouped as the desk's
// modules are; openapi-admin.ts adds tags, security and the guard's answers to each.
import { CALENDAR_STATUSES } from '../../core/calendar.ts'
import { LEVELS } from '../../core/programme.ts'
import { OVERRIDABLE_FIELDS, ROLES } from './ports.ts'
import { arr, body, bool, error, flag, int, obj, ok, OK_TRUE, pathParam, PAGE_SOURCE_EXAMPLE, programmeId, PROGRAMME_EXAMPLE, PROGRAMME_YAML_EXAMPLE, query, ref, RERUN, str, tooLarge, type Json } from './openapi-admin-parts.ts'

export interface Operation {
  operationId: string
  summary: string
  description?: string
  parameters?: Json[]
  requestBody?: Json
  responses: Record<string, Json>
}

type Paths = Record<string, Record<string, Operation>>
/** Answers several groups share (a fresh object per document). */
interface Shared { invalid: Json; unknownProgramme: Json }

/** Every guarded operation, in the document's order. */
export function operations(): Paths {
  const shared: Shared = {
    invalid: error('Invalid body or parameter (named in error.field, all in error.issues)'),
    unknownProgramme: error('Unknown programme (code not_found)'),
  }
  return { ...sessionPaths(shared), ...programmePaths(shared), ...mergePaths(shared), ...crawlAuditPaths(shared), ...accountPaths(shared), ...alertsPaths(shared), ...pageSourcePaths(shared), ...importExportPaths(shared) }
}

/** The session: logout, the session's account, one's own password. */
function sessionPaths({ invalid }: Shared): Paths {
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
  }
}

/** Programmes: listing, detail, override, hide, verify. */
function programmePaths({ invalid, unknownProgramme }: Shared): Paths {
  return {
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
  }
}

/** Merging duplicates and undoing it. */
function mergePaths({ invalid, unknownProgramme }: Shared): Paths {
  return {
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
  }
}

/** The audit log, the crawl runs, the sources' switch and re-run. */
function crawlAuditPaths({ invalid }: Shared): Paths {
  return {
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
  }
}

/** Accounts (admins only). */
function accountPaths({ invalid }: Shared): Paths {
  return {
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
  }
}

/** The alerts outbox (admins only). */
function alertsPaths(_shared: Shared): Paths {
  return {
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
  }
}

/** Page sources (admins only). */
function pageSourcePaths({ invalid }: Shared): Paths {
  return {
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
  }
}

/** YAML export and import. */
function importExportPaths(_shared: Shared): Paths {
  return {
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

// The OpenAPI 3.1 document of the HTTP API, served at /api/openapi.json by the Node server and
// the Workers entry alike. Request schemas derive from the zod schemas the routes validate with
// (query of /api/match, /api/crawl/*, /feeds/new.atom; bodies of /api/chat and
// /api/subscriptions), and the Programme schema from the zod model, so the document cannot drift
// from what the routes accept. The admin API (/api/admin/..., tag admin) is described in
// bot/admin/openapi-admin.ts. test/bot/openapi-lint.test.ts lints the served document with
// Redocly's recommended rules and checks it against the routes of both runtimes.
import { z } from 'zod'
import { EPCI_KINDS, ZONES } from '../core/applicants.ts'
import { AVAILABILITIES } from '../core/availability.ts'
import { CALENDAR_STATUSES } from '../core/calendar.ts'
import { CLOSED_LIST_IDS } from '../core/closed-lists.ts'
import type { PartnerCategory } from '../core/countries.ts'
import { PREREQUISITE_IDS } from '../core/prerequisites.ts'
import type { CollectiviteType } from '../core/profile.ts'
import { LEVELS, ProgrammeSchema } from '../core/programme.ts'
import { RANKING_SIGNALS } from '../core/ranking.ts'
import { THEME_IDS } from '../core/themes.ts'
import { CRAWL_EVENT_KINDS } from '../crawler/crawl-store.ts'
import type { SubscriptionStatus } from './alerts/subscription.ts'
import { CHANNELS } from './alerts/subscription.ts'
import { FeedQuerySchema } from './alerts/alerts-routes.ts'
import { SubscriptionRequestSchema } from './alerts/subscription-request.ts'
import { EventsQuerySchema, RunsQuerySchema } from './api/crawl-routes.ts'
import { MatchQuerySchema } from './api/match-query.ts'
import { ChatRequestSchema } from './channels/web/chat-routes.ts'
import type { ActionId, SlotName } from './conversation/reply.ts'
import { adminOpenApi, NODE_ONLY } from './admin/openapi-admin.ts'

type Json = Record<string, unknown>

// Enums spelled once per type: tsc fails here if a member is added to or removed from the type.
const keysOf = <K extends string>(r: Record<K, true>) => Object.keys(r) as K[]
const SLOTS = keysOf<SlotName>({
  collectivite: true, applicantType: true, themes: true, stage: true, budget: true, timing: true, partnerCountry: true, closedList: true, population: true, email: true,
  scope: true, foreignPartners: true, partnerCountries: true, frenchPartners: true, prerequisite: true, density: true, syndicatKind: true,
})
const ACTIONS = keysOf<ActionId>({ alerts: true, refine: true, excluded: true, restart: true })
const PROFILE_TYPES = keysOf<CollectiviteType>({ commune: true, epci: true, departement: true, region: true })
const PARTNER_CATEGORIES = keysOf<PartnerCategory>({ ldc: true, oda: true, other: true })
const SUBSCRIPTION_STATUSES = keysOf<SubscriptionStatus>({ active: true, pending_confirmation: true, inactive: true, unsubscribed: true })

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const str = { type: 'string' }
const int = { type: 'integer' }
const bool = { type: 'boolean' }
const date = { type: 'string', format: 'date' }
const arr = (items: Json): Json => ({ type: 'array', items })
const obj = (properties: Json, required: string[] = Object.keys(properties), extra: Json = {}): Json => ({ type: 'object', required, properties, ...extra })
const json = (schema: Json) => ({ 'application/json': { schema } })
const ok = (description: string, schema: Json) => ({ description, content: json(schema) })
const error = (description: string) => ({ description, content: json(ref('Error')) })
const text = (description: string, mediaType: string) => ({ description, content: { [mediaType]: { schema: str } } })
const html = (description: string) => text(description, 'text/html')
const pathParam = (name: string, description: string, schema: Json = str) => ({ name, in: 'path', required: true, description, schema })
const queryParam = (name: string, description: string, schema: Json = str, required = false) => ({ name, in: 'query', required, description, schema })

/** A zod schema as JSON Schema: what a caller may send (defaults applied by the route). */
function inputSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json
  delete out['$schema']
  return out
}

/**
 * The query parameters of a route, from the zod object it validates the query with: every key it
 * accepts and none other, with its constraints. Descriptions are required for each key (tsc fails
 * when the schema gains one); `extra` adds examples or a friendlier pattern.
 */
function queryParameters<S extends z.ZodObject>(schema: S, describe: Record<keyof S['shape'] & string, string>, extra: Partial<Record<keyof S['shape'] & string, Json>> = {}): Json[] {
  const js = inputSchema(schema) as { properties: Record<string, Json>; required?: string[] }
  return Object.entries(js.properties).map(([name, s]) => {
    const { description: _zodDescription, ...constraints } = s
    return queryParam(name, describe[name as keyof S['shape'] & string], { ...constraints, ...extra[name as keyof S['shape'] & string] }, js.required?.includes(name) ?? false)
  })
}

const csvOf = (what: string) => `Comma-separated ${what} (the parameter may also be repeated)`

const MATCH_PARAMETERS: Record<keyof (typeof MatchQuerySchema)['shape'], string> = {
  commune: 'INSEE code, postal code or name (typos tolerated; homonyms → 400 with candidates). Give exactly one of commune, epci, departement, region.',
  epci: 'SIREN or name of the intercommunalité',
  departement: 'Code or name of the département',
  region: 'Code or name of the région',
  applicant: 'Who applies (defaults to the collectivité type)',
  themes: `${csvOf('theme ids')}: see GET /api/themes`,
  q: 'The project in free French text (themes, stage, budget and partner country are read from it when not given)',
  stage: 'Project stage',
  partnerCountry: 'ISO 3166-1 alpha-2 code of the partner country (coopération; case-insensitive)',
  member: `${csvOf('closed lists the collectivité belongs to')}: ${CLOSED_LIST_IDS.join(', ')}`,
  notMember: csvOf('closed lists it does not belong to'),
  budget: 'Total cost of the project in euros (« 250 000 € » is read too); compared with programmes\' project-size rules',
  population: 'Population of the applicant when it is not the collectivité given (a syndicat)',
  members: `${csvOf('INSEE codes of the applicant\'s member communes')}: its population is their sum`,
  syndicatKind: 'Kind of syndicat',
  density: 'Density of the applicant EPCI, inhabitants per km²',
  location: 'Where the project is carried out (default: abroad with a partner outside Europe, else france)',
  partners: 'Whether the project has partners in other countries',
  partnerCountries: csvOf('ISO alpha-2 codes of the other partners\' countries'),
  frenchPartners: 'French collectivités taking part, the applicant included',
  notThemes: csvOf('theme ids the project is not about (answers « non » to a scope question)'),
  prerequisites: `${csvOf('prerequisites met')}: ${PREREQUISITE_IDS.join(', ')}`,
  missingPrerequisites: csvOf('prerequisites not met'),
  limit: 'Maximum results (default 50)',
}

/** Operations served by the Node server only: the Workers entry mounts no Teams, crawl, alerts or admin routes. */
const nodeOnly = (op: Json): Json => ({ ...op, description: [op['description'], 'Node server only: the Workers deployment does not serve it.'].filter(Boolean).join(' '), [NODE_ONLY]: true })

let cached: object | undefined

export function openApiDocument(): object {
  if (cached) return cached
  const programme = z.toJSONSchema(ProgrammeSchema, { io: 'output', unrepresentable: 'any' }) as Json
  delete programme['$schema']

  const errorSchema = obj({
    error: obj(
      {
        code: { type: 'string', examples: ['invalid_request', 'ambiguous', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'csrf', 'locked', 'payload_too_large', 'rate_limited', 'internal'] },
        message: { type: 'string', description: 'French, then English after " / "' },
        field: { type: 'string', description: 'The parameter or body field at fault (dotted path: themes.1, channels.email)' },
        issues: { type: 'array', description: 'Every invalid field (400 invalid_request)', items: obj({ field: str, message: str }) },
        suggestions: { type: 'array', description: 'Close names (404 on a collectivité)', items: obj({ label: { type: 'string', examples: ['Vézelay (89)'] }, code: str }) },
        candidates: { type: 'array', description: 'The homonyms to choose from (400 ambiguous)', items: { type: 'object' } },
        until: { type: 'string', format: 'date-time', description: 'End of a lockout (429 locked)' },
        requestId: { type: 'string', description: 'The X-Request-Id of the failed request (500 internal), to quote when reporting it' },
        retryAfter: { type: 'integer', minimum: 1, description: 'Seconds to wait, as in Retry-After (429 rate_limited)' },
      },
      ['code', 'message'],
    ),
  }, undefined, { description: 'Every JSON error: a stable code, a message in French then English, and the field at fault when there is one' })

  const profile = obj(
    {
      type: { enum: PROFILE_TYPES },
      name: str,
      code: { type: 'string', description: 'INSEE code, or SIREN for an EPCI' },
      population: int,
      departement: obj({ code: str, name: str }),
      region: obj({ code: str, name: str }),
      zone: { enum: [...ZONES] },
      epci: obj({ siren: str, name: str, kind: { enum: [...EPCI_KINDS] } }),
      postalCodes: arr(str),
      centre: obj({ code: str, name: str, population: int }, undefined, { description: 'For an EPCI: its most populous member commune' }),
    },
    ['type', 'name', 'code', 'zone'],
  )
  const calendar = obj(
    {
      status: { enum: [...CALENDAR_STATUSES] },
      opensAt: date,
      closesAt: date,
      daysLeft: { type: 'integer', description: 'Days until closesAt: the J-n' },
      deadlines: arr(date),
      estimated: bool,
      nextWindow: obj({ opensAt: date, closesAt: date, estimated: { const: true }, basis: str }, []),
      label: { type: 'string', description: 'The calendar in one French sentence' },
    },
    ['status', 'label', 'estimated'],
  )
  const matchItem = obj(
    {
      id: str,
      name: str,
      shortName: { type: ['string', 'null'] },
      funders: arr(str),
      level: { enum: [...LEVELS] },
      themes: arr({ enum: [...THEME_IDS] }),
      summary: str,
      eligibility: obj(
        {
          status: { enum: ['eligible', 'unknown', 'ineligible'], description: 'Results of /api/match are eligible or unknown; a single programme presented for a profile (GET /api/programmes/{id}, back office preview) may be ineligible' },
          reasons: arr(str),
          toCheck: { type: 'array', items: str, description: '« À vérifier »: conditions Guichet cannot decide' },
          missing: { type: 'array', items: str, description: 'Facts that would settle an unknown' },
          questions: { type: 'array', description: '« À confirmer »: for each missing fact, the French question that settles it', items: obj({ fact: str, question: str }) },
        },
        ['status', 'reasons'],
      ),
      availability: obj(
        { status: { enum: [...AVAILABILITIES] }, text: str },
        ['status', 'text'],
        { description: 'Whether applications can be made today, from the programme\'s dated facts (results are always open, upcoming or expected; the others are excluded)' },
      ),
      calendar: ref('CalendarView'),
      aid: obj(
        {
          rateMin: { type: 'number' },
          rateMax: { type: 'number', description: 'For a ceiling that depends on the partner country: the one for the country given' },
          amountMin: { type: 'number' },
          amountMax: { type: 'number' },
          notes: str,
          label: { type: ['string', 'null'] },
          uncertain: bool,
          rateByPartnerCategory: { type: 'object', description: 'Ceilings by partner-country category (least developed / other ODA recipient / other / multi-country) and the rule they come from' },
          partnerCategory: obj(
            { country: str, category: { enum: PARTNER_CATEGORIES }, label: str, list: str, asOf: date, url: { type: 'string', format: 'uri' } },
            [],
            { description: 'The partner country\'s category and the bundled list it comes from (source, date)' },
          ),
        },
        [],
      ),
      url: { type: 'string', format: 'uri' },
      applyUrl: { type: ['string', 'null'] },
      uncertain: arr(obj({ field: str, note: str }, [])),
      score: { type: 'number', minimum: 0, description: 'Relevance to the project: the sum of the weighted signals in ranking (0 when neither text nor themes were given); compare within one answer' },
      ranking: { type: 'array', description: 'Which relevance signals placed it, largest first', items: obj({ signal: { enum: Object.keys(RANKING_SIGNALS) }, label: str, points: { type: 'number' } }) },
    },
    ['id', 'name', 'funders', 'level', 'eligibility', 'calendar', 'aid', 'url', 'score'],
  )
  const excludedItem = obj({ id: str, name: str, reasons: arr(str) })
  const matchResponse = obj(
    {
      profile: { anyOf: [ref('Profile'), { type: 'null' }] },
      today: date,
      results: arr(ref('MatchItem')),
      excluded: arr(ref('ExcludedItem')),
      totals: obj({ results: int, excluded: int, excludedComplete: { type: 'boolean', description: 'false when excluded lists only part of the programmes left out' }, catalogue: int }, []),
    },
    ['profile', 'results', 'excluded'],
  )
  const chatResponse = obj(
    {
      sessionId: { type: 'string', description: 'Send it back with the next turn' },
      messages: arr(obj({ text: str })),
      question: obj(
        {
          slot: { enum: SLOTS },
          text: str,
          step: { type: 'integer', description: 'Send it back with a choice: an older step is answered as a stale card' },
          choices: { type: 'array', maxItems: 3, items: obj({ value: str, label: str }) },
        },
        ['slot', 'text'],
      ),
      results: arr(ref('MatchItem')),
      excluded: arr(ref('ExcludedItem')),
      actions: arr(obj({ value: { enum: ACTIONS }, label: str })),
    },
    ['sessionId', 'messages'],
  )
  const channelState = { enum: ['active', 'pending_confirmation', 'disabled'] }
  const subscriptionLinks = {
    icsUrl: { type: 'string', format: 'uri', description: 'The subscription\'s ICS feed (secret URL)' },
    unsubscribeUrl: { type: 'string', format: 'uri' },
  }
  const createdSubscription = obj(
    {
      id: str,
      status: { enum: SUBSCRIPTION_STATUSES },
      channels: obj(Object.fromEntries(CHANNELS.map((c) => [c, channelState])), []),
      manageUrl: { type: 'string', format: 'uri', description: 'Read or erase the subscription (signed manage token): keep it' },
      ...subscriptionLinks,
      webhookSecret: { type: 'string', description: 'Returned once, for a webhook: the receiver checks X-Guichet-Signature with it' },
      webhookConfirmation: ref('WebhookConfirmation'),
    },
    ['id', 'status', 'channels', 'manageUrl', 'icsUrl', 'unsubscribeUrl'],
  )
  const webhookConfirmation = obj(
    {
      status: { enum: ['confirmed', 'pending'], description: 'pending: no digest is sent to the webhook until it answers the challenge' },
      reason: { type: ['string', 'null'], description: 'Why it is still pending (French), null once confirmed' },
      retryUrl: { type: 'string', format: 'uri', description: 'POST here to send the challenge again (signed manage token)' },
    },
    ['status', 'reason', 'retryUrl'],
  )
  const subscriptionView = obj({
    id: str,
    status: { enum: SUBSCRIPTION_STATUSES },
    createdAt: { type: 'string', format: 'date-time' },
    source: { enum: ['api', 'dialogue', 'widget', 'teams'] },
    collectivite: obj({ type: { enum: PROFILE_TYPES }, code: str, name: str }),
    applicantType: { type: ['string', 'null'] },
    themes: arr({ enum: [...THEME_IDS] }),
    programmes: arr(str),
    leadTimes: { type: 'array', items: int, description: 'Days before a deadline when a reminder goes out' },
    newCalls: { enum: ['daily', 'weekly', 'off'] },
    channels: obj(
      {
        email: obj({ address: { type: 'string', description: 'Masked' }, status: str }),
        teams: obj({ status: str, disabledReason: { type: ['string', 'null'] } }),
        webhook: obj({ url: str, status: str, disabledReason: { type: ['string', 'null'] }, confirmationError: { type: ['string', 'null'], description: 'Why the confirmation challenge failed while pending' } }),
      },
      [],
    ),
    ...subscriptionLinks,
  })
  const crawlEvent = obj(
    {
      id: int,
      programmeId: str,
      sourceId: str,
      kind: { enum: [...CRAWL_EVENT_KINDS] },
      before: { description: 'A small JSON summary of the programme before the change' },
      after: { description: 'The same summary after it' },
      at: { type: 'string', format: 'date-time' },
      runId: str,
    },
    ['programmeId', 'sourceId', 'kind', 'at', 'runId'],
  )
  // The Teams channel's own zod schema (bot/channels/teams/teams-channel.ts) cannot be imported
  // here: that module loads botbuilder, which the Workers bundle and the lazy Node channel keep
  // out. test/bot/openapi-lint.test.ts sends the example to the real route, and the example
  // without each required field, which the route must refuse naming that field.
  const id = (max: number) => obj({ id: { type: 'string', minLength: 1, maxLength: max } }, ['id'], { additionalProperties: {} })
  const teamsActivity = {
    type: 'object',
    description: 'A Bot Framework activity: the fields Guichet relies on; every other field passes through to botbuilder',
    properties: {
      type: { type: 'string', minLength: 1, maxLength: 64 },
      id: { type: 'string', maxLength: 256 },
      channelId: { type: 'string', minLength: 1, maxLength: 64 },
      serviceUrl: { type: 'string', format: 'uri' },
      conversation: id(1024),
      from: id(256),
      recipient: id(256),
      text: { type: 'string', maxLength: 28000 },
    },
    required: ['type', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient'],
    additionalProperties: {},
  }

  const programmeId = pathParam('id', 'Catalogue id of the programme', { type: 'string', examples: ['detr'] })
  const invalid = error('Invalid parameter or body: error.field names the first one, error.issues all of them')
  const subscriptionId = pathParam('id', 'Subscription id (from manageUrl)')
  const token = (purpose: string) => queryParam('token', `Signed ${purpose} token, as in the link Guichet gave`, str, true)
  const forbidden = error('Missing, invalid or expired token (code forbidden); says nothing of whether the subscription exists')

  const paths: Record<string, Record<string, Json>> = {
    '/api/match': {
      get: {
        tags: ['matching'],
        operationId: 'matchProgrammes',
        summary: 'Programmes a collectivité can get for a project',
        description: 'Give exactly one of commune, epci, departement, region. Results: eligible first (every decidable rule passed, availability on today included), then unknown (« à confirmer »: a decidable fact is missing, `eligibility.questions` names the question that settles it), each by relevance; ineligible programmes (a rule failed, a call closed, suspended, proposed or ended) only in excluded, with reasons. Facts absent from the parameters are read from q (themes, stage, budget, partner country). An unknown parameter is a 400 naming it.',
        parameters: queryParameters(MatchQuerySchema, MATCH_PARAMETERS, {
          commune: { examples: ['18197', 'Saint-Amand-Montrond', 'Saint-Denis (974)'] },
          themes: { examples: ['ecoles,renovation_energetique'] },
          q: { examples: ['rénovation énergétique de l\'école'] },
          partnerCountry: { pattern: '^[A-Za-z]{2}$', examples: ['SN'] },
          budget: { exclusiveMinimum: 0, maximum: 1e11 },
          population: { type: 'integer', exclusiveMinimum: 0, maximum: 1e8 },
          members: { examples: ['18197,18033'] },
          partnerCountries: { examples: ['DE,IT'] },
        }),
        responses: {
          200: ok('Matched programmes', ref('MatchResponse')),
          400: error('Invalid or unknown parameter (error.field: applicant, themes.1, limit, foo…), no territory or several, or a homonym (code ambiguous, error.candidates)'),
          404: error('Unknown collectivité (error.field names it), with close names in error.suggestions'),
        },
      },
    },
    '/api/chat': {
      post: {
        tags: ['chat'],
        operationId: 'postChatMessage',
        summary: 'One turn of the eligibility dialogue (web channel)',
        description: 'Send free French text, or the value of a quick reply (choice) with the question\'s step. Omit sessionId to start; reuse the returned one. Sessions persist and expire after 30 idle days (an expired or unknown sessionId starts over, saying so). A turn that learns nothing (a greeting, words not understood) stores nothing: its sessionId still carries the conversation (the next turn answers the pending question). A client keeps at most SESSION_MAX_PER_CLIENT sessions (default 50): a new one beyond evicts its least recently used. Any origin may call it (CORS, no credentials).',
        requestBody: {
          required: false,
          description: 'At most 4 KB; unknown fields are refused. An empty body starts a conversation.',
          content: {
            'application/json': {
              schema: ref('ChatRequest'),
              examples: {
                start: { summary: 'First turn', value: { text: 'Bonjour, je suis maire de Saint-Amand-Montrond : on veut rénover l\'isolation de l\'école' } },
                choice: { summary: 'A quick reply', value: { sessionId: '6f1c2a9e-4b7d-4e21-9a55-1d2c3b4a5f60', choice: 'travaux', step: 2 } },
              },
            },
          },
        },
        responses: {
          200: ok('The reply: messages, at most one question (up to three choices), results shaped like /api/match, actions', ref('ChatResponse')),
          400: error('Invalid body: over 4 KB, not JSON, an unknown field, or text and choice together (error.field names it)'),
        },
      },
    },
    '/api/programmes': {
      get: {
        tags: ['programmes'],
        operationId: 'listProgrammes',
        summary: 'All programmes of the catalogue, with their calendar today',
        responses: {
          200: ok('The catalogue', obj({ programmes: arr(obj({ id: str, name: str, shortName: { type: ['string', 'null'] }, funders: arr(str), level: { enum: [...LEVELS] }, themes: arr({ enum: [...THEME_IDS] }), calendar: ref('CalendarView'), url: { type: 'string', format: 'uri' } }, ['id', 'name', 'funders', 'level', 'themes', 'calendar', 'url'])) })),
        },
      },
    },
    '/api/programmes/{id}': {
      get: {
        tags: ['programmes'],
        operationId: 'getProgramme',
        summary: 'One programme, and how it reads today',
        parameters: [programmeId],
        responses: {
          200: ok('The programme (the curated model) and its view (calendar, availability, aid as in /api/match)', obj({ programme: ref('Programme'), view: ref('MatchItem') })),
          301: { description: 'Merged into another programme: Location is the one that stands for it now', headers: { Location: { description: '/api/programmes/<id kept>', schema: str } } },
          404: error('Unknown programme (error.field id)'),
        },
      },
    },
    '/api/programmes/{id}/calendar.ics': {
      get: nodeOnly({
        tags: ['alerts'],
        operationId: 'getProgrammeCalendar',
        summary: 'ICS of one programme\'s deadlines',
        parameters: [programmeId],
        responses: { 200: text('The deadlines as an iCalendar file (attachment <id>.ics)', 'text/calendar'), 404: error('Unknown programme (error.field id)') },
      }),
    },
    '/api/themes': {
      get: {
        tags: ['reference'],
        operationId: 'listThemes',
        summary: 'The theme taxonomy, with French labels and the synonyms the text reading knows',
        responses: { 200: ok('Themes', obj({ themes: arr(obj({ id: { enum: [...THEME_IDS] }, label: str, synonyms: arr(str) })) })) },
      },
    },
    '/api/applicant-types': {
      get: {
        tags: ['reference'],
        operationId: 'listApplicantTypes',
        summary: 'Applicant types (the applicant parameter of /api/match)',
        responses: { 200: ok('Applicant types', obj({ applicantTypes: arr(obj({ id: str, label: str })) })) },
      },
    },
    '/api/closed-lists': {
      get: {
        tags: ['reference'],
        operationId: 'listClosedLists',
        summary: 'Closed lists (Action Cœur de Ville, Petites villes de demain…): the member parameter of /api/match',
        responses: { 200: ok('Closed lists', obj({ closedLists: arr(obj({ id: { enum: [...CLOSED_LIST_IDS] }, label: str })) })) },
      },
    },
    '/api/health': {
      get: {
        tags: ['service'],
        operationId: 'getHealth',
        summary: 'Liveness, catalogue and index size',
        responses: { 200: ok('OK', obj({ ok: { const: true }, programmes: int, index: obj({ kind: { enum: ['embedded', 'meilisearch'] }, documents: int }) })) },
      },
    },
    '/api/ready': {
      get: {
        tags: ['service'],
        operationId: 'getReadiness',
        summary: 'Readiness: database writable, index loaded, age of the last crawl and digest',
        description: 'For a load balancer or an orchestrator: 200 when this instance can serve (the database accepts a write, rolled back; the search index holds documents), 503 otherwise. The last crawl and the last alerts digest are reported with their age, without deciding readiness. /api/health only says that the process answers.',
        responses: {
          200: ok('Ready', ref('Readiness')),
          503: ok('Not ready: the checks say why', ref('Readiness')),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        tags: ['service'],
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        responses: { 200: ok('The OpenAPI 3.1 document', obj({ openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } })) },
      },
    },
    '/widget.js': {
      get: {
        tags: ['chat'],
        operationId: 'getWidgetScript',
        summary: 'The embeddable chat widget',
        // In words: Redocly's no-unsafe-markdown refuses a script tag in a description (a renderer could run it).
        description: 'Embedded in one line on a town\'s site: a script element with src set to this URL, data-collectivite set to the INSEE code or SIREN of the collectivité, and defer (GET /demo shows it). Cached an hour, strong ETag, gzip when accepted, loadable from any origin.',
        responses: {
          200: { description: 'The script', headers: { ETag: { schema: str } }, content: { 'text/javascript': { schema: str } } },
          304: { description: 'Not modified (If-None-Match)' },
        },
      },
    },
    '/api/subscriptions': {
      post: nodeOnly({
        tags: ['alerts'],
        operationId: 'createSubscription',
        summary: 'Subscribe to deadline alerts: e-mail (double opt-in), Teams conversation or signed webhook',
        description:
          'An e-mail channel is pending until the link sent by e-mail is followed (GET /alerts/confirm). ' +
          'A webhook URL must be https to a host whose every DNS address is public (no loopback, private, link-local or metadata address: 400 on channels.webhookUrl; checked again at each send, redirects never followed). ' +
          'Before answering, Guichet POSTs to it, signed like a delivery (X-Guichet-Timestamp, X-Guichet-Signature under webhookSecret), ' +
          '{"type":"confirmation","subscriptionId":…,"challenge":…,"deliveryId":…}; the webhook is active only if the receiver answers 2xx within 5 s with the JSON {"challenge":"<the same value>"}. ' +
          'Otherwise it stays pending (webhookConfirmation.reason says why) and receives nothing until POST /api/subscriptions/{id}/webhook/confirm succeeds. Keep manageUrl: it reads and erases the subscription.',
        requestBody: {
          required: true,
          description: 'At most 8 KB; unknown fields are refused. At least one channel.',
          content: {
            'application/json': {
              schema: ref('SubscriptionRequest'),
              example: { collectivite: '18197', themes: ['ecoles', 'renovation_energetique'], leadTimes: [30, 7], newCalls: 'weekly', channels: { email: 'secretariat@mairie-exemple.fr' } },
            },
          },
        },
        responses: {
          201: ok('Created', ref('CreatedSubscription')),
          400: error('Invalid body (error.field: collectivite, channels.email, leadTimes.0…), or an unknown collectivité'),
        },
      }),
    },
    '/api/subscriptions/{id}': {
      get: nodeOnly({
        tags: ['alerts'],
        operationId: 'getSubscription',
        summary: 'Read a subscription (signed manage token)',
        parameters: [subscriptionId, token('manage')],
        responses: { 200: ok('The subscription (addresses masked)', obj({ subscription: ref('Subscription') })), 403: forbidden },
      }),
      delete: nodeOnly({
        tags: ['alerts'],
        operationId: 'deleteSubscription',
        summary: 'Erase a subscription and its deliveries (signed manage token)',
        parameters: [subscriptionId, token('manage')],
        responses: { 200: ok('Erased, or already erased (deleted: false)', obj({ deleted: bool })), 403: forbidden },
      }),
    },
    '/api/subscriptions/{id}/webhook/confirm': {
      post: nodeOnly({
        tags: ['alerts'],
        operationId: 'confirmSubscriptionWebhook',
        summary: 'Send the webhook\'s signed confirmation challenge again (signed manage token)',
        description: 'One POST to the webhook URL, as at creation; the answer says whether it is now confirmed. Nothing is sent to a webhook already confirmed.',
        parameters: [subscriptionId, token('manage')],
        responses: {
          200: ok('Where the webhook stands', obj({ webhookConfirmation: ref('WebhookConfirmation') })),
          400: error('The subscription has no webhook, or it was switched off (error.field: channels.webhookUrl)'),
          403: forbidden,
          404: error('The subscription no longer exists'),
        },
      }),
    },
    '/alerts/confirm': {
      get: nodeOnly({
        tags: ['alerts'],
        operationId: 'confirmSubscription',
        summary: 'Confirm an e-mail subscription (double opt-in link, valid 7 days)',
        parameters: [token('confirm')],
        responses: { 200: html('Confirmed, or already confirmed (French page)'), 400: html('Invalid or expired link (French page)'), 404: html('The subscription no longer exists (French page)') },
      }),
    },
    '/alerts/unsubscribe': {
      get: nodeOnly({
        tags: ['alerts'],
        operationId: 'getUnsubscribePage',
        summary: 'The unsubscribe page: one button that posts to the same URL',
        parameters: [token('unsubscribe')],
        responses: { 200: html('French page with the button'), 400: html('No token (French page)') },
      }),
      post: nodeOnly({
        tags: ['alerts'],
        operationId: 'unsubscribe',
        summary: 'Unsubscribe in one click (RFC 8058: List-Unsubscribe=One-Click, or the page\'s button)',
        parameters: [token('unsubscribe')],
        responses: { 200: html('Unsubscribed, or already (French page)'), 400: html('Invalid link (French page)') },
      }),
    },
    '/alerts/{id}/calendar.ics': {
      get: nodeOnly({
        tags: ['alerts'],
        operationId: 'getSubscriptionCalendar',
        summary: 'ICS feed of a subscription\'s deadlines (secret URL: Outlook and others can subscribe to it)',
        parameters: [subscriptionId, token('ics')],
        responses: { 200: text('The deadlines as an iCalendar feed', 'text/calendar'), 403: forbidden },
      }),
    },
    '/feeds/new.atom': {
      get: nodeOnly({
        tags: ['alerts'],
        operationId: 'getNewProgrammesFeed',
        summary: 'Atom feed of the newest programmes (50), by theme, level or territory',
        parameters: queryParameters(FeedQuerySchema, {
          themes: `${csvOf('theme ids')}: a programme about any of them`,
          level: 'Level of the funder',
          region: 'Région code: programmes open to it (not with departement: 400)',
          departement: 'Département code: programmes open to it',
        }, { themes: { examples: ['ecoles,sport'] }, region: { examples: ['27'] }, departement: { pattern: '^(\\d{2,3}|2[ABab])$', examples: ['89'] } }),
        responses: { 200: text('The feed', 'application/atom+xml'), 400: invalid },
      }),
    },
    '/api/crawl/runs': {
      get: nodeOnly({
        tags: ['crawl'],
        operationId: 'listCrawlRuns',
        summary: 'Crawl runs, latest first: per-source fetched/new/updated/unchanged/failed counts and errors',
        parameters: queryParameters(RunsQuerySchema, { limit: 'How many runs' }),
        responses: { 200: ok('Runs', obj({ runs: arr(ref('CrawlRun')) })), 400: invalid },
      }),
    },
    '/api/crawl/runs/{id}': {
      get: nodeOnly({
        tags: ['crawl'],
        operationId: 'getCrawlRun',
        summary: 'One crawl run (among the latest hundred)',
        parameters: [pathParam('id', 'Run id')],
        responses: { 200: ok('The run', obj({ run: ref('CrawlRun') })), 404: error('Unknown run (error.field id)') },
      }),
    },
    '/api/crawl/events': {
      get: nodeOnly({
        tags: ['crawl'],
        operationId: 'listCrawlEvents',
        summary: 'Changes seen by crawls (new programme, deadline moved, closed early, new edition), oldest first',
        parameters: queryParameters(EventsQuerySchema, { since: 'Only events after this instant (ISO 8601 with offset)', afterId: 'Only events after this id (paging)', limit: 'How many events' }, { since: { examples: ['2026-03-01T00:00:00Z'] } }),
        responses: { 200: ok('Events', obj({ events: arr(ref('CrawlEvent')) })), 400: invalid },
      }),
    },
    '/api/messages': {
      post: nodeOnly({
        tags: ['teams'],
        operationId: 'postTeamsActivity',
        summary: 'Microsoft Teams: the Bot Framework messaging endpoint',
        description: 'Called by the Bot Connector. Authenticated (Bot Framework JWT) when MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId are set; open for local use otherwise.',
        security: [{ botFramework: [] }, {}],
        requestBody: {
          required: true,
          description: 'At most 256 KB',
          content: {
            'application/json': {
              schema: ref('TeamsActivity'),
              example: {
                type: 'message',
                id: 'f:1234567890',
                channelId: 'msteams',
                serviceUrl: 'https://smba.trafficmanager.net/emea/',
                conversation: { id: 'a:1Xb2C3d4E5f6', conversationType: 'personal' },
                from: { id: '29:1AbCdEf', name: 'Marie Dupont' },
                recipient: { id: '28:guichet-bot', name: 'Guichet' },
                text: 'Quelles aides pour rénover l\'école de Saint-Amand-Montrond ?',
              },
            },
          },
        },
        responses: {
          200: { description: 'Handled (an invoke activity gets its JSON answer)', content: json({ type: 'object' }) },
          400: error('Not an activity (error.field names the field), or over 256 KB'),
          401: error('Missing or invalid Bot Framework token (code unauthorized)'),
          403: error('Token not valid for this bot (code unauthorized)'),
        },
      }),
    },
  }

  const admin = adminOpenApi()
  // Every operation counts against its client's rate limits (bot/rate-limit.ts): the 429 is documented
  // once, with its headers, and referenced by each operation (the admin login keeps its own 429, locked).
  const tooManyRequests = {
    description: 'Too many requests from this client in the current minute (code rate_limited, French message); wait Retry-After seconds',
    headers: {
      'Retry-After': { description: 'Seconds until this client is served again', schema: { type: 'integer', minimum: 1 } },
      'RateLimit-Limit': { description: 'Requests allowed per window in the bucket that answered (general, chat, write or Teams)', schema: int },
      'RateLimit-Remaining': { description: 'Requests left in the window (0 here)', schema: int },
      'RateLimit-Reset': { description: 'Seconds until the window resets', schema: int },
      'RateLimit-Policy': { description: 'The limit and the window in seconds, e.g. 120;w=60', schema: { type: 'string', examples: ['120;w=60'] } },
    },
    content: {
      'application/json': {
        schema: ref('Error'),
        example: { error: { code: 'rate_limited', message: 'Trop de requêtes (requêtes : 120 par minute au plus) : réessayez dans 42 s. / Too many requests, retry after 42 s.', retryAfter: 42 } },
      },
    },
  }
  for (const item of Object.values({ ...paths, ...admin.paths })) {
    for (const op of Object.values(item)) {
      const responses = (op as { responses?: Record<string, unknown> }).responses
      if (responses && !responses['429']) responses['429'] = { $ref: '#/components/responses/TooManyRequests' }
    }
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Guichet API',
      version: '0.1.0',
      description: 'Le guichet unique des financements pour les collectivités françaises. / One-stop funding desk for French local authorities.\n\nErrors are JSON with the Error schema: a stable `code`, a French then English `message`, and `field` naming the parameter or body field at fault. Texts meant for people (reasons, labels, questions) are in French.\n\nRate limits: each client (its address; an IPv6 one by its /64) has per-minute buckets — every request (RATE_LIMIT_PER_MINUTE, default 120), chat turns (20), subscription writes and confirm/unsubscribe links (10), Teams activities on their own (600). Every counted answer carries RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and RateLimit-Policy (IETF draft 6); over a limit the answer is 429 with Retry-After.',
    },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    // Public unless an operation says otherwise (the admin API, Teams).
    security: [],
    tags: [
      { name: 'matching', description: 'Which programmes a collectivité can get for a project' },
      { name: 'programmes', description: 'The catalogue of funding programmes' },
      { name: 'reference', description: 'Identifiers the other operations accept, with French labels' },
      { name: 'chat', description: 'The eligibility dialogue of the web widget' },
      { name: 'alerts', description: 'Deadline alerts: subscriptions, confirmation and unsubscribe links, ICS and Atom feeds' },
      { name: 'crawl', description: 'What the crawler fetched and what changed (read-only)' },
      { name: 'teams', description: 'The Microsoft Teams channel' },
      { name: 'service', description: 'Health and this document' },
      admin.tag,
    ],
    paths: { ...paths, ...admin.paths },
    components: {
      schemas: {
        Programme: programme,
        Profile: profile,
        CalendarView: calendar,
        MatchItem: matchItem,
        ExcludedItem: excludedItem,
        MatchResponse: matchResponse,
        ChatRequest: inputSchema(ChatRequestSchema),
        ChatResponse: chatResponse,
        SubscriptionRequest: inputSchema(SubscriptionRequestSchema),
        CreatedSubscription: createdSubscription,
        WebhookConfirmation: webhookConfirmation,
        Subscription: subscriptionView,
        CrawlEvent: crawlEvent,
        TeamsActivity: teamsActivity,
        Error: errorSchema,
        Readiness: obj({
          ready: { type: 'boolean' },
          checks: obj({
            database: obj({ ok: { type: 'boolean' }, detail: str }, ['ok']),
            index: obj({ ok: { type: 'boolean' }, documents: int }),
            crawl: obj({ lastEndedAt: { type: ['string', 'null'] }, status: { type: ['string', 'null'] }, ageHours: { type: ['integer', 'null'] } }),
            digest: obj({ lastDay: { type: ['string', 'null'] }, ageDays: { type: ['integer', 'null'] } }),
          }),
        }),
        ...admin.schemas,
      },
      responses: { ...admin.responses, TooManyRequests: tooManyRequests },
      securitySchemes: {
        botFramework: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Bot Framework token of the Bot Connector (checked when the Microsoft app is configured)' },
        ...admin.securitySchemes,
      },
    },
  }
  return cached
}

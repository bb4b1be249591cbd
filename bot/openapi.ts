// The OpenAPI 3.1 document of the public HTTP API, served at /api/openapi.json. The
// Programme schema comes from the zod model itself, so the document cannot drift from it.
// The admin API (/api/admin/..., tag admin) is described in bot/admin/openapi-admin.ts.
import { z } from 'zod'
import { APPLICANT_TYPE_IDS, SYNDICAT_KINDS } from '../core/applicants.ts'
import { AVAILABILITIES } from '../core/availability.ts'
import { CALENDAR_STATUSES } from '../core/calendar.ts'
import { PREREQUISITE_IDS } from '../core/prerequisites.ts'
import { CLOSED_LIST_IDS } from '../core/closed-lists.ts'
import { ProgrammeSchema, STAGES } from '../core/programme.ts'
import { ChatRequestSchema } from './channels/web/chat-routes.ts'
import { THEME_IDS } from '../core/themes.ts'
import { adminOpenApi } from './admin/openapi-admin.ts'

let cached: object | undefined

export function openApiDocument(): object {
  if (cached) return cached
  const programme = z.toJSONSchema(ProgrammeSchema, { io: 'output', unrepresentable: 'any' })
  const chatRequest = z.toJSONSchema(ChatRequestSchema, { io: 'input', unrepresentable: 'any' })
  delete (chatRequest as { $schema?: string }).$schema
  delete (programme as { $schema?: string }).$schema
  const error = {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', examples: ['invalid_request', 'not_found', 'ambiguous'] },
          message: { type: 'string', description: 'French, then English after " / "' },
          field: { type: 'string', description: 'The parameter at fault' },
          issues: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          suggestions: { type: 'array', items: { type: 'object', properties: { label: { type: 'string', examples: ['Vézelay (89)'] }, code: { type: 'string' } } } },
          candidates: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  }
  const profile = {
    type: 'object',
    required: ['type', 'name', 'code', 'zone'],
    properties: {
      type: { enum: ['commune', 'epci', 'departement', 'region'] },
      name: { type: 'string' },
      code: { type: 'string', description: 'INSEE code, or SIREN for an EPCI' },
      population: { type: 'integer' },
      departement: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
      region: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
      zone: { enum: ['metro', 'drom', 'com'] },
      epci: { type: 'object', properties: { siren: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' } } },
      postalCodes: { type: 'array', items: { type: 'string' } },
    },
  }
  const calendar = {
    type: 'object',
    required: ['status', 'label', 'estimated'],
    properties: {
      status: { enum: [...CALENDAR_STATUSES] },
      opensAt: { type: 'string', format: 'date' },
      closesAt: { type: 'string', format: 'date' },
      daysLeft: { type: 'integer', description: 'Days until closesAt: the J-n' },
      deadlines: { type: 'array', items: { type: 'string', format: 'date' } },
      estimated: { type: 'boolean' },
      nextWindow: {
        type: 'object',
        properties: { opensAt: { type: 'string', format: 'date' }, closesAt: { type: 'string', format: 'date' }, estimated: { const: true }, basis: { type: 'string' } },
      },
      label: { type: 'string', description: 'The calendar in one French sentence' },
    },
  }
  const matchItem = {
    type: 'object',
    required: ['id', 'name', 'funders', 'level', 'eligibility', 'calendar', 'aid', 'url', 'score'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      shortName: { type: ['string', 'null'] },
      funders: { type: 'array', items: { type: 'string' } },
      level: { type: 'string' },
      themes: { type: 'array', items: { enum: [...THEME_IDS] } },
      summary: { type: 'string' },
      eligibility: {
        type: 'object',
        required: ['status', 'reasons'],
        properties: {
          status: { enum: ['eligible', 'unknown', 'ineligible'], description: 'Results of /api/match are eligible or unknown; a single programme presented for a profile (back office preview) may be ineligible' },
          reasons: { type: 'array', items: { type: 'string' } },
          toCheck: { type: 'array', items: { type: 'string' }, description: '« À vérifier »: conditions Guichet cannot decide' },
          missing: { type: 'array', items: { type: 'string' }, description: 'Facts that would settle an unknown' },
          questions: {
            type: 'array',
            description: '« À confirmer »: for each missing fact, the French question that settles it',
            items: { type: 'object', required: ['fact', 'question'], properties: { fact: { type: 'string' }, question: { type: 'string' } } },
          },
        },
      },
      availability: {
        type: 'object',
        required: ['status', 'text'],
        description: 'Whether applications can be made today, from the programme\'s dated facts (results are always open, upcoming or expected; the others are excluded)',
        properties: { status: { enum: [...AVAILABILITIES] }, text: { type: 'string' } },
      },
      calendar: { $ref: '#/components/schemas/CalendarView' },
      aid: {
        type: 'object',
        properties: {
          rateMin: { type: 'number' }, rateMax: { type: 'number', description: 'For a ceiling that depends on the partner country: the one for the country given' }, amountMin: { type: 'number' }, amountMax: { type: 'number' },
          notes: { type: 'string' }, label: { type: ['string', 'null'] }, uncertain: { type: 'boolean' },
          rateByPartnerCategory: { type: 'object', description: 'Ceilings by partner-country category (least developed / other ODA recipient / other / multi-country) and the rule they come from' },
          partnerCategory: {
            type: 'object',
            description: 'The partner country\'s category and the bundled list it comes from (source, date)',
            properties: { country: { type: 'string' }, category: { enum: ['ldc', 'oda', 'other'] }, label: { type: 'string' }, list: { type: 'string' }, asOf: { type: 'string', format: 'date' }, url: { type: 'string', format: 'uri' } },
          },
        },
      },
      url: { type: 'string', format: 'uri' },
      applyUrl: { type: ['string', 'null'] },
      uncertain: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, note: { type: 'string' } } } },
      score: { type: 'number', minimum: 0, maximum: 1 },
    },
  }
  const admin = adminOpenApi()
  const q = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema })
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Guichet API',
      version: '0.1.0',
      description: 'Le guichet unique des financements pour les collectivités françaises. / One-stop funding desk for French local authorities.',
    },
    tags: [admin.tag],
    paths: {
      '/api/match': {
        get: {
          summary: 'Programmes a collectivité can get for a project',
          description: 'Give exactly one of commune, epci, departement, region. Results: eligible first (every decidable rule passed, availability on today included), then unknown (« à confirmer »: a decidable fact is missing, `eligibility.questions` names the question that settles it), each by relevance; ineligible programmes (a rule failed, a call closed, suspended, proposed or ended) only in excluded, with reasons. Facts absent from the parameters are read from q (themes, stage, budget, partner country).',
          parameters: [
            q('commune', 'INSEE code, postal code or name (typos tolerated; homonyms → 400 with candidates)', { type: 'string', examples: ['18197', 'Saint-Amand-Montrond', 'Saint-Denis (974)'] }),
            q('epci', 'SIREN or name of the intercommunalité'),
            q('departement', 'Code or name'),
            q('region', 'Code or name'),
            q('applicant', 'Who applies (defaults to the collectivité type)', { enum: [...APPLICANT_TYPE_IDS] }),
            q('themes', 'Comma-separated theme ids', { type: 'string', examples: ['ecoles,renovation_energetique'] }),
            q('q', 'The project in free French text', { type: 'string', maxLength: 500 }),
            q('stage', 'Project stage', { enum: [...STAGES] }),
            q('partnerCountry', 'ISO 3166-1 alpha-2 code of the partner country (coopération)', { type: 'string', pattern: '^[A-Za-z]{2}$' }),
            q('member', `Closed lists the collectivité belongs to, comma-separated (${CLOSED_LIST_IDS.join(', ')})`),
            q('notMember', 'Closed lists it does not belong to'),
            q('budget', 'Total cost of the project in euros (compared with programmes\' project-size rules; read from q when absent)', { type: 'number', exclusiveMinimum: 0 }),
            q('population', 'Population of the applicant when it is not the collectivité given (a syndicat)', { type: 'integer', minimum: 1 }),
            q('members', 'INSEE codes of the applicant\'s member communes, comma-separated: its population is their sum'),
            q('syndicatKind', 'Kind of syndicat', { enum: [...SYNDICAT_KINDS] }),
            q('density', 'Density of the applicant EPCI, inhabitants per km²', { type: 'number', exclusiveMinimum: 0 }),
            q('location', 'Where the project is carried out (default: abroad with a partner outside Europe, else france)', { enum: ['france', 'abroad'] }),
            q('partners', 'Whether the project has partners in other countries', { enum: ['yes', 'no'] }),
            q('partnerCountries', 'Other partners\' countries, ISO alpha-2, comma-separated'),
            q('frenchPartners', 'French collectivités taking part, the applicant included', { type: 'integer', minimum: 1 }),
            q('notThemes', 'Theme ids the project is not about (answers « non » to a scope question)'),
            q('prerequisites', `Prerequisites met, comma-separated (${PREREQUISITE_IDS.join(', ')})`),
            q('missingPrerequisites', 'Prerequisites not met'),
            q('limit', 'Maximum results (1-200, default 50)', { type: 'integer', minimum: 1, maximum: 200 }),
          ],
          responses: {
            200: {
              description: 'Matched programmes',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['profile', 'results', 'excluded'],
                    properties: {
                      profile: { $ref: '#/components/schemas/Profile' },
                      today: { type: 'string', format: 'date' },
                      results: { type: 'array', items: { $ref: '#/components/schemas/MatchItem' } },
                      excluded: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, reasons: { type: 'array', items: { type: 'string' } } } } },
                      totals: { type: 'object', properties: { results: { type: 'integer' }, excluded: { type: 'integer' }, catalogue: { type: 'integer' } } },
                    },
                  },
                },
              },
            },
            400: { description: 'Invalid parameter (named in error.field) or ambiguous name', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            404: { description: 'Unknown collectivité, with suggestions', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
      '/api/chat': {
        post: {
          summary: 'One turn of the eligibility dialogue (web channel)',
          description: 'Send free French text, or the value of a quick reply (choice). Omit sessionId to start; reuse the returned one. Sessions persist and expire after 30 idle days. Bodies over 4 KB or with unknown fields → 400.',
          requestBody: { required: true, content: { 'application/json': { schema: chatRequest } } },
          responses: {
            200: {
              description: 'The reply: messages, at most one question (up to three choices), results shaped like /api/match, actions',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['sessionId', 'messages'],
                    properties: {
                      sessionId: { type: 'string' },
                      messages: { type: 'array', items: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } },
                      question: {
                        type: 'object',
                        required: ['slot', 'text'],
                        properties: {
                          slot: { enum: ['collectivite', 'applicantType', 'themes', 'stage', 'budget', 'timing', 'partnerCountry', 'closedList', 'population', 'email'] },
                          text: { type: 'string' },
                          step: { type: 'integer', description: 'Send it back with a choice: an older step is answered as a stale card' },
                          choices: { type: 'array', maxItems: 3, items: { type: 'object', required: ['value', 'label'], properties: { value: { type: 'string' }, label: { type: 'string' } } } },
                        },
                      },
                      results: { type: 'array', items: { $ref: '#/components/schemas/MatchItem' } },
                      excluded: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, reasons: { type: 'array', items: { type: 'string' } } } } },
                      actions: { type: 'array', items: { type: 'object', properties: { value: { enum: ['alerts', 'refine', 'excluded', 'restart'] }, label: { type: 'string' } } } },
                    },
                  },
                },
              },
            },
            400: { description: 'Invalid body (field named in error.field)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
      '/api/programmes': { get: { summary: 'All programmes with their calendar today', responses: { 200: { description: 'List' } } } },
      '/api/programmes/{id}': {
        get: {
          summary: 'One programme',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'The programme and how it reads today', content: { 'application/json': { schema: { type: 'object', properties: { programme: { $ref: '#/components/schemas/Programme' }, view: { $ref: '#/components/schemas/MatchItem' } } } } } },
            404: { description: 'Unknown id', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
      '/api/crawl/runs': {
        get: {
          summary: 'Crawl runs, latest first: per-source fetched/new/updated/unchanged/failed counts and errors',
          parameters: [q('limit', 'How many runs (default 20)', { type: 'integer', minimum: 1, maximum: 200 })],
          responses: { 200: { description: 'Runs' } },
        },
      },
      '/api/crawl/runs/{id}': { get: { summary: 'One crawl run', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'The run' }, 404: { description: 'Unknown run' } } } },
      '/api/crawl/events': {
        get: {
          summary: 'Change events recorded by crawls (new programme, deadline moved, closed early, new edition)',
          parameters: [q('since', 'ISO date-time'), q('afterId', 'Only events after this id', { type: 'integer' }), q('limit', 'How many events', { type: 'integer' })],
          responses: { 200: { description: 'Events' } },
        },
      },
      '/api/messages': { post: { summary: 'Microsoft Teams (Bot Framework activities); authenticated when MicrosoftAppId/Password/TenantId are set', responses: { 200: { description: 'Handled' }, 400: { description: 'Not an activity' }, 401: { description: 'Missing or invalid Bot Framework token' } } } },
      '/widget.js': { get: { summary: 'The embeddable chat widget (one line: <script src=".../widget.js" data-collectivite="<INSEE|SIREN>" defer>)', responses: { 200: { description: 'JavaScript' }, 304: { description: 'Not modified' } } } },
      '/api/subscriptions': { post: { summary: 'Subscribe to deadline alerts (e-mail double opt-in, Teams conversation, signed webhook)', responses: { 201: { description: 'Created: id, status, manageUrl, icsUrl, webhookSecret?' }, 400: { description: 'Invalid body (field named)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } } },
      '/api/subscriptions/{id}': {
        get: { summary: 'Read a subscription (signed manage token)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, q('token', 'Signed manage token')], responses: { 200: { description: 'The subscription' }, 403: { description: 'Bad token' } } },
        delete: { summary: 'Erase a subscription (signed manage token)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, q('token', 'Signed manage token')], responses: { 204: { description: 'Erased' }, 403: { description: 'Bad token' } } },
      },
      '/alerts/confirm': { get: { summary: 'Confirm an e-mail subscription (double opt-in)', parameters: [q('token', 'Signed confirm token')], responses: { 200: { description: 'Confirmed (HTML page)' } } } },
      '/alerts/unsubscribe': {
        get: { summary: 'Unsubscribe page', parameters: [q('token', 'Signed unsubscribe token')], responses: { 200: { description: 'HTML page with a button' } } },
        post: { summary: 'One-click unsubscribe (RFC 8058: List-Unsubscribe=One-Click)', parameters: [q('token', 'Signed unsubscribe token')], responses: { 200: { description: 'Unsubscribed' } } },
      },
      '/alerts/{id}/calendar.ics': { get: { summary: 'ICS feed of a subscription (secret URL)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, q('token', 'Signed ics token')], responses: { 200: { description: 'text/calendar' } } } },
      '/api/programmes/{id}/calendar.ics': { get: { summary: 'ICS of one programme\'s deadlines', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'text/calendar' } } } },
      '/feeds/new.atom': { get: { summary: 'Atom feed of new programmes per filter', parameters: [q('themes', 'Comma-separated theme ids'), q('level', 'Level'), q('region', 'Région code'), q('departement', 'Département code')], responses: { 200: { description: 'application/atom+xml' } } } },
      '/api/themes': { get: { summary: 'The theme taxonomy with French labels and synonyms', responses: { 200: { description: 'Themes' } } } },
      '/api/applicant-types': { get: { summary: 'Applicant types', responses: { 200: { description: 'Applicant types' } } } },
      '/api/closed-lists': { get: { summary: 'Closed lists (Action Cœur de Ville, Petites villes de demain…)', responses: { 200: { description: 'Closed lists' } } } },
      '/api/health': { get: { summary: 'Liveness and index size', responses: { 200: { description: 'OK' } } } },
      ...admin.paths,
    },
    components: {
      schemas: { Programme: programme, Profile: profile, CalendarView: calendar, MatchItem: matchItem, Error: error, ...admin.schemas },
      responses: admin.responses,
      securitySchemes: admin.securitySchemes,
    },
  }
  return cached
}

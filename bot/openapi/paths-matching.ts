// The matching paths of the OpenAPI document (bot/openapi.ts) — where each runs is said by
// bot/openapi/runtimes.ts: /api/match (its query parameters from the zod schema the route validates with), /api/chat,
// the programmes, the reference lists, and the service routes (health, readiness, this
// document, the widget script).
import { CLOSED_LIST_IDS } from '../../core/closed-lists.ts'
import { PREREQUISITE_IDS } from '../../core/prerequisites.ts'
import { LEVELS } from '../../core/programme.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { MatchQuerySchema } from '../api/match-query.ts'
import { arr, csvOf, error, int, obj, ok, type Paths, pathParam, queryParameters, ref, str, text } from './kit.ts'

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
  councilCalendar: 'The collectivité\'s council calendar, for the back-planning in each dated result\'s `council`: a French monthly rule (« deuxième jeudi du mois », « dernier lundi du mois sauf août ») or ISO dates separated by commas (default: GUICHET_COUNCIL_CALENDAR)',
  councilMarginDays: 'Days assumed from the council\'s vote to the deliberation being executory (default: GUICHET_COUNCIL_MARGIN_DAYS)',
}

/** The matching paths, in the document's order. */
export function matchingPaths(): Paths {
  return { ...matchAndChatPaths(), ...programmePaths(), ...referencePaths(), ...servicePaths() }
}

function matchAndChatPaths(): Paths {
  return {
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
  }
}

function programmePaths(): Paths {
  const programmeId = pathParam('id', 'Catalogue id of the programme', { type: 'string', examples: ['detr'] })
  return {
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
          301: { description: 'Merged into another programme, or a crawled copy of a catalogue programme: Location is the one that stands for it now', headers: { Location: { description: '/api/programmes/<id kept>', schema: str } } },
          404: error('Unknown programme (error.field id)'),
        },
      },
    },
    '/api/programmes/{id}/calendar.ics': {
      get: {
        tags: ['alerts'],
        operationId: 'getProgrammeCalendar',
        summary: 'ICS of one programme\'s deadlines',
        parameters: [programmeId],
        responses: { 200: text('The deadlines as an iCalendar file (attachment <id>.ics)', 'text/calendar'), 404: error('Unknown programme (error.field id)') },
      },
    },
  }
}

function referencePaths(): Paths {
  return {
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
  }
}

function servicePaths(): Paths {
  return {
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
  }
}

// The component schemas of the OpenAPI document (bot/openapi.ts) that the public API's
// answers share, and the 429 response every operation references. Programme derives from the
// zod model and the two request bodies from the zod schemas their routes validate with; the
// enum lists come from core/ so the document follows the code. The alerts, crawl and Teams
// schemas are in schemas-alerts-crawl.ts.
import { councilViewSchema } from './paths-council.ts'
import { z } from 'zod'
import { EPCI_KINDS, ZONES } from '../../core/applicants.ts'
import { AVAILABILITIES } from '../../core/availability.ts'
import { CALENDAR_STATUSES } from '../../core/calendar.ts'
import { LEVELS, ProgrammeSchema } from '../../core/programme.ts'
import { RANKING_SIGNALS } from '../../core/ranking.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { SubscriptionRequestSchema } from '../alerts/subscription-request.ts'
import { ChatRequestSchema } from '../channels/web/chat-routes.ts'
import { ACTIONS, arr, bool, date, inputSchema, int, type Json, obj, PARTNER_CATEGORIES, PROFILE_TYPES, ref, SLOTS, str } from './kit.ts'
import { peerListSchema } from './paths-projects.ts'
import { crawlEventSchema, createdSubscriptionSchema, subscriptionSchema, teamsActivitySchema, webhookConfirmationSchema } from './schemas-alerts-crawl.ts'

/** components.schemas of the public API, in the document's order (the admin ones follow them). */
export function publicSchemas(): Json {
  return {
    Programme: programmeSchema(),
    Profile: profileSchema(),
    CalendarView: calendarSchema(),
    MatchItem: matchItemSchema(),
    ExcludedItem: obj({ id: str, name: str, reasons: arr(str) }),
    MatchResponse: matchResponseSchema(),
    ChatRequest: inputSchema(ChatRequestSchema),
    ChatResponse: chatResponseSchema(),
    PeerList: peerListSchema(),
    SubscriptionRequest: inputSchema(SubscriptionRequestSchema),
    CreatedSubscription: createdSubscriptionSchema(),
    WebhookConfirmation: webhookConfirmationSchema(),
    Subscription: subscriptionSchema(),
    CrawlEvent: crawlEventSchema(),
    TeamsActivity: teamsActivitySchema(),
    Error: errorSchema(),
    Readiness: readinessSchema(),
  }
}

/** The curated programme, as the zod model outputs it. */
function programmeSchema(): Json {
  const programme = z.toJSONSchema(ProgrammeSchema, { io: 'output', unrepresentable: 'any' }) as Json
  delete programme['$schema']
  return programme
}

function errorSchema(): Json {
  return obj({
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
}

function profileSchema(): Json {
  return obj(
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
}

function calendarSchema(): Json {
  return obj(
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
}

/** One result of /api/match (and the view of GET /api/programmes/{id}). */
function matchItemSchema(): Json {
  return obj(
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
      peers: ref('PeerList'),
      council: { ...councilViewSchema(), description: 'The council back-planning of the deadline (dated results for a collectivité): last useful council, deliberation date, latest convocation' },
    },
    ['id', 'name', 'funders', 'level', 'eligibility', 'calendar', 'aid', 'url', 'score'],
  )
}

function matchResponseSchema(): Json {
  return obj(
    {
      profile: { anyOf: [ref('Profile'), { type: 'null' }] },
      today: date,
      results: arr(ref('MatchItem')),
      excluded: arr(ref('ExcludedItem')),
      totals: obj({ results: int, excluded: int, excludedComplete: { type: 'boolean', description: 'false when excluded lists only part of the programmes left out' }, catalogue: int }, []),
    },
    ['profile', 'results', 'excluded'],
  )
}

function chatResponseSchema(): Json {
  return obj(
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
      peers: { ...ref('PeerList'), description: 'The answer to « qu\'ont financé des communes comme la mienne ? »' },
      actions: arr(obj({ value: { enum: ACTIONS }, label: str })),
      plan: { ...obj({ label: str, text: str, page: str, csv: str, xlsx: str }), description: '« Voir le plan de financement », once the budget is known: the printable plan (GET /plan) and its CSV and XLSX exports, for the programmes shown' },
    },
    ['sessionId', 'messages'],
  )
}

function readinessSchema(): Json {
  return obj({
    ready: { type: 'boolean' },
    checks: obj({
      database: obj({ ok: { type: 'boolean' }, detail: str }, ['ok']),
      index: obj({ ok: { type: 'boolean' }, documents: int }),
      crawl: obj({ lastEndedAt: { type: ['string', 'null'] }, status: { type: ['string', 'null'] }, ageHours: { type: ['integer', 'null'] } }),
      digest: obj({ lastDay: { type: ['string', 'null'] }, ageDays: { type: ['integer', 'null'] } }),
      alerts: obj(
        {
          ok: { type: 'boolean', description: 'Able to send and nothing lost' },
          problem: { type: 'string', description: 'Why no alert can be sent (GUICHET_PUBLIC_URL missing), French then English' },
          failing: { type: 'integer', description: 'Deliveries failed and still retried' },
          lost: { type: 'integer', description: 'Deliveries whose last day (a reminder\'s deadline) passed unsent, kept a month' },
        },
        ['ok', 'failing', 'lost'],
        { description: 'The alerts\' escalation; `ready` does not depend on it' },
      ),
      catalogue: obj(
        {
          ok: { type: 'boolean', description: 'The catalogue fits the budget: nothing left out' },
          programmes: { type: 'integer', description: 'The programmes the last rebuild read: the bundled curated ones plus the crawled rows listed' },
          limit: { type: 'integer', description: 'WORKERS_MAX_PROGRAMMES: the most programmes an isolate holds (128 MB)' },
          leftOut: { type: 'integer', description: 'Crawled rows left out of the served catalogue, those changed least recently (the curated programmes are always kept)' },
          problem: { type: 'string', description: 'Why the catalogue is truncated, naming the figure and the setting, French then English' },
        },
        ['ok', 'programmes', 'limit', 'leftOut'],
        { description: 'Workers only: the catalogue against the isolate\'s memory budget; `ready` does not depend on it (the Worker serves the catalogue truncated)' },
      ),
    }, ['database', 'index', 'crawl', 'digest']),
  })
}

// Every operation counts against its client's rate limits (bot/rate-limit.ts): the 429 is documented
// once, with its headers, and referenced by each operation (the admin login keeps its own 429, locked).
export function tooManyRequestsResponse(): Json {
  return {
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
}

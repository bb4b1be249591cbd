// The council back-planning in the OpenAPI document (bot/openapi.ts): GET /api/council, and the
// `council` of a dated match item (core/council-view.ts), its query from the zod schema the route
// validates with.
import { COUNCIL_BODIES } from '../../core/council.ts'
import { CouncilQuerySchema } from '../api/council-routes.ts'
import { error, int, invalid, obj, ok, type Json, type Paths, queryParameters, str } from './kit.ts'

const date: Json = { type: 'string', format: 'date' }
const nullableDate: Json = { type: ['string', 'null'], format: 'date' }

/** A deadline's council back-planning (MatchItem.council, GET /api/council). */
export function councilViewSchema(): Json {
  return obj(
    {
      deadline: date,
      deadlineEstimated: { type: 'boolean' },
      deliberation: obj({ status: { enum: ['stated', 'usual'], description: 'stated: the programme\'s file asks for a deliberation (quoted); usual: it says nothing, « généralement demandée — à vérifier »' }, text: str }),
      deliberateBy: { ...date, description: '« Délibération à prendre avant le … » (inclusive): the deadline less the executory margin (CGCT L2131-1)' },
      lastUsefulCouncil: { ...nullableDate, description: 'The last meeting of the council calendar from today whose deliberation is executory by the deadline; null: none' },
      convocationBy: { ...nullableDate, description: 'The last day the convocation of that meeting can leave (clear days: neither the sending day nor the meeting day counts)' },
      nextCouncil: nullableDate,
      beforeNextCouncil: { type: 'boolean', description: 'true: no council in time — extraordinary meeting or delegation (CGCT L2122-22, 26°; L5211-10; L3211-2; L4221-5) to consider' },
      convocation: obj({ clearDays: int, article: str, text: str }),
      marginDays: int,
      calendar: obj({ text: str, source: { enum: ['collectivite', 'default'] } }),
      label: str,
      deliberationLabel: { ...str, description: '« à prendre avant le … inclus — exigée par le programme | généralement demandée, à vérifier »' },
      lines: { type: 'array', items: str, description: 'The plan in French lines, ready to show' },
    },
    ['deadline', 'deliberation', 'deliberateBy', 'lastUsefulCouncil', 'convocationBy', 'beforeNextCouncil', 'convocation', 'label', 'lines'],
  )
}

export function councilPaths(): Paths {
  return {
    '/api/council': {
      get: {
        tags: ['matching'],
        operationId: 'getCouncilPlan',
        summary: 'Council back-planning of a deadline: last useful council, deliberation date, latest convocation (CGCT delays)',
        description: 'Convocation delays: communes under 3,500 inhabitants 3 clear days (CGCT L2121-11), 3,500 and more 5 (L2121-12); EPCI and syndicats follow L5211-1 (5 when a member commune has 3,500+, assumed above 3,500 inhabitants); départements and régions 12 days (L3121-19, L4132-18, counted as clear days by prudence). The deliberation must be executory by the deadline (L2131-1): a margin of marginDays (default GUICHET_COUNCIL_MARGIN_DAYS) is kept.',
        parameters: queryParameters(CouncilQuerySchema, {
          deadline: 'The application deadline (YYYY-MM-DD), today or later',
          kind: `Who deliberates: ${COUNCIL_BODIES.join(', ')}`,
          population: 'Population of the commune or the groupement (decides 3 or 5 clear days)',
          largestMember: 'EPCI or syndicat: population of its most populous member commune (L5211-1: 5 clear days from 3,500, else 3)',
          calendar: 'Council calendar: a French monthly rule (« deuxième jeudi du mois », « dernier lundi du mois sauf août ») or ISO dates separated by commas (default: GUICHET_COUNCIL_CALENDAR)',
          marginDays: 'Days from the vote to the deliberation being executory (default: GUICHET_COUNCIL_MARGIN_DAYS)',
          programme: 'Programme id: whether its file states a deliberation',
        }, { deadline: { examples: ['2026-04-15'] }, kind: { examples: ['commune'] }, population: { type: 'integer', exclusiveMinimum: 0, maximum: 1e8, examples: [476] }, calendar: { examples: ['deuxième jeudi du mois'] } }),
        responses: {
          200: ok('The back-planning', obj({ today: date, programme: obj({ id: str, name: str }), council: councilViewSchema() }, ['today', 'council'])),
          400: invalid(),
          404: error('Unknown programme (error.field programme)'),
        },
      },
    },
  }
}

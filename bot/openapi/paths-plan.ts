// The financing-plan paths of the OpenAPI document (bot/openapi.ts): GET and POST /api/plan (JSON),
// GET /api/plan.csv and /api/plan.xlsx (exports) and GET /plan (the printable page). The query is
// the zod schema the routes validate with (bot/api/plan-routes.ts); the plan's schema is here.
import { PlanQuerySchema } from '../api/plan-routes.ts'
import { arr, bool, csvOf, error, html, inputSchema, int, invalid, type Json, obj, ok, type Paths, queryParameters, str } from './kit.ts'

const PLAN_PARAMETERS = {
  commune: 'Commune: INSEE code, postal code or name (exactly one of commune, epci, departement, region)',
  epci: 'Intercommunalité: SIREN or name',
  departement: 'Département: code or name',
  region: 'Région: code or name',
  budget: 'Cost of the project in euros (« 250000 », « 250 000 € », « 250k »)',
  basis: 'HT (default: aids are usually computed on the eligible expense before VAT) or TTC (then flagged as uncertain)',
  privateFunding: 'Private funding (sponsorship…) in euros: outside the public funding the 20 % minimum is counted on',
  programmes: csvOf('programme ids for the plan (otherwise the programmes matching q or themes)'),
  themes: csvOf('theme ids of the project (GET /api/themes)'),
  q: 'The project in free French text',
  partnerCountry: 'ISO alpha-2 code of the partner country (resolves country-dependent rates)',
  calamity: 'true when the project repairs damage from a public calamity (a prefect\'s derogation to the 20 % is then possible)',
  protectedMonument: 'true when the project restores a protected monument (a prefect\'s derogation is then possible)',
  limit: 'At most this many matched programmes in the plan',
}

const num = { type: 'number' }
const nullable = (s: Json): Json => ({ anyOf: [s, { type: 'null' }] })

const PLAN_LINE = obj({
  id: str,
  name: str,
  funders: arr(str),
  level: str,
  status: { type: 'string', enum: ['eligible', 'unknown'] },
  rate: obj({ min: nullable(num), max: nullable(num), label: { ...str, description: '« 20 à 80 % », « jusqu\'à 70 % (incertain) », « taux inconnu »' }, certainty: { type: 'string', enum: ['known', 'range', 'uncertain', 'unknown'] } }),
  ceiling: nullable(num),
  floor: nullable(num),
  computed: nullable(obj({ low: num, high: num })),
  planned: { ...nullable(num), description: 'Euros the plan counts after the legal cap; null when the rate is unknown' },
  notes: arr(str),
})

export const FINANCING_PLAN_SCHEMA: Json = obj({
  collectivite: obj({ type: str, name: str, code: str, zone: str }, ['type', 'name', 'code', 'zone']),
  budget: num,
  basis: { type: 'string', enum: ['HT', 'TTC'] },
  privateFunding: num,
  publicFunding: num,
  lines: arr(PLAN_LINE),
  outside: arr(obj({ id: str, name: str, reason: str })),
  totals: obj({ aidsComputed: num, aids: num, ownShare: num, ownShareRate: num, aidsRate: num }),
  rule: obj({
    article: str,
    text: str,
    minimumRate: num,
    minimumAmount: num,
    maxAids: num,
    capped: bool,
    capReason: nullable(str),
    respected: bool,
    exceptions: arr(obj({ id: str, status: { type: 'string', enum: ['applies', 'possible'] }, label: str, citation: str })),
  }),
  stacking: arr(str),
  uncertain: arr(str),
})

const LINKS = obj({ page: str, csv: str, xlsx: str, json: str })
const PLAN_RESPONSE = obj({ plan: FINANCING_PLAN_SCHEMA, links: LINKS })

const DESCRIPTION =
  'A draft financing plan. Each aid\'s amount comes from its known rate and ceiling on the budget; a rate that depends on the partner country or that the programme marks uncertain is shown as uncertain; a rate the catalogue does not know is « taux inconnu » and counts for nothing. ' +
  'The collectivité\'s own share is checked against CGCT art. L1111-10 III (at least 20 % of the total public funding): when the aids would exceed 80 % of the public funding they are reduced in proportion and rule.capReason says why; exceptions are listed with their citation, applied only when the law sets the minimum aside (overseas collectivités), otherwise « possible — à vérifier ». Amounts in euros, rounded to the cent. Stacking between aids is « à vérifier » unless a programme\'s facts state it.'

const responses = (what: Json) => ({
  200: what,
  400: invalid(),
  404: error('Unknown collectivité (error.field names it), with close names in error.suggestions'),
})

export function planPaths(): Paths {
  // The budget is required (its zod preprocessing hides it from the derived schema) and read as the French write it.
  const parameters = queryParameters(PlanQuerySchema, PLAN_PARAMETERS, {
    commune: { examples: ['18197', 'Saint-Amand-Montrond'] },
    budget: { exclusiveMinimum: 0, maximum: 1e11, examples: [250000] },
    programmes: { examples: ['detr,dsil'] },
    limit: { ...int, minimum: 1, maximum: 30 },
  }).map((p) => (p['name'] === 'budget' ? { ...p, required: true } : p))
  return {
    '/api/plan': {
      get: { tags: ['matching'], operationId: 'getFinancingPlan', summary: 'Draft financing plan of a project (own share, legal minimum, uncertainties)', description: DESCRIPTION, parameters, responses: responses(ok('The plan and the links to its page and exports', PLAN_RESPONSE)) },
      post: {
        tags: ['matching'],
        operationId: 'postFinancingPlan',
        summary: 'Draft financing plan, the same parameters in a JSON body',
        description: `${DESCRIPTION} The body takes the query's fields; numbers, booleans and arrays are accepted where the query takes text. At most 16 KB.`,
        requestBody: { required: true, content: { 'application/json': { schema: inputSchema(PlanQuerySchema), example: { commune: '18197', budget: 250000, programmes: 'detr,dsil' } } } },
        responses: responses(ok('The plan and the links to its page and exports', PLAN_RESPONSE)),
      },
    },
    '/api/plan.csv': {
      get: { tags: ['matching'], operationId: 'getFinancingPlanCsv', summary: 'The plan as CSV for French Excel (UTF-8 with BOM, « ; », decimal comma)', parameters, responses: responses({ description: 'CSV file', content: { 'text/csv': { schema: str } } }) },
    },
    '/api/plan.xlsx': {
      get: {
        tags: ['matching'],
        operationId: 'getFinancingPlanXlsx',
        summary: 'The plan as an XLSX workbook',
        parameters,
        responses: responses({ description: 'XLSX file', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', contentEncoding: 'binary' } } } }),
      },
    },
    '/plan': {
      get: { tags: ['matching'], operationId: 'getFinancingPlanPage', summary: 'The printable plan (HTML, A4 print CSS); an invalid query gives the page with the error', parameters, responses: { 200: html('The page'), 400: html('The page with the error in French'), 404: html('The page with the error in French') } },
    },
  }
}

// Property-based tests (fast-check) on every public input of Guichet (issue 15): whatever a
// client sends, no 5xx; every 400 names its field (the one the case broke); every answer is one
// the OpenAPI document gives, its JSON body fitting the documented schema. The oracle is in
// world.ts, the mutation engines in arbitraries.ts, the cases per operation in public-specs.ts
// and admin-specs.ts (the back office: admin-api.test.ts).
//
// Seeded: FC_SEED=<n> repeats a run (default fixed, printed), FC_SEED=random draws one; FC_RUNS=<x>
// scales the runs (FC_RUNS=5 for a soak). In process (app.request) against the real Node
// composition: SQLite in a temp folder, real geography and catalogue, rate limits off
// (RATE_LIMIT_PER_MINUTE=0), Teams in its dev mode (TEAMS_DEV_UNAUTHENTICATED=true) with replies
// to a fake Bot Connector on loopback — every serviceUrl sent is that one, malformed, or a
// reserved .invalid name the channel refuses before any call.
//
// Inventory of the public inputs (operationId — where — inputs → the cases):
//
// | operation                | route                                  | inputs                                        | cases (besides the valid-shaped ones)                                    |
// |--------------------------|----------------------------------------|-----------------------------------------------|--------------------------------------------------------------------------|
// | matchProgrammes          | GET /api/match                         | query: 24 parameters (MatchQuerySchema)       | bad value per parameter, no territory, unknown/repeated/huge/raw-% param |
// | postChatMessage          | POST /api/chat                         | JSON body (ChatRequestSchema), ≤ 4 KB         | JSON mutations (below); empty body = {} (allowed)                        |
// | listProgrammes           | GET /api/programmes                    | none                                          | unasked query parameters                                                 |
// | getProgramme             | GET /api/programmes/{id}               | path id                                       | known ids, hostile segments (404 names id)                               |
// | getProgrammeCalendar     | GET /api/programmes/{id}/calendar.ics  | path id                                       | same                                                                     |
// | listThemes …Lists, getHealth, getReadiness, getOpenApiDocument | GET /api/…     | none                       | unasked query parameters                                                 |
// | getWidgetScript          | GET /widget.js                         | headers If-None-Match, Accept-Encoding        | hostile header values, unasked query                                     |
// | createSubscription       | POST /api/subscriptions                | JSON body (SubscriptionRequestSchema), ≤ 8 KB | JSON mutations                                                           |
// | getSubscription          | GET /api/subscriptions/{id}            | path id, query token                          | right/other-purpose/altered/hostile/missing token × ids; 2xx only if right |
// | deleteSubscription       | DELETE /api/subscriptions/{id}         | path id, query token                          | same (run last)                                                          |
// | getConfirmPage           | GET /alerts/confirm                    | query token                                   | same tokens (HTML 200/400/404); confirms nothing                         |
// | confirmSubscription      | POST /alerts/confirm                   | form body or query token, Origin/Sec-Fetch-Site, content type | same tokens; from another site never served               |
// | getManagePage            | GET /alerts/{id}/manage                | path id, query token                          | same; 2xx only if right                                                  |
// | postManagePage           | POST /alerts/{id}/manage               | form body (token, action, themes, leadTimes…), Origin/Sec-Fetch-Site, content type | any token, action and field values, unknown and repeated fields; 2xx only with the right token from this site (never confirm=oui: the subscription stays) |
// | getUnsubscribePage       | GET /alerts/unsubscribe                | query token                                   | same                                                                     |
// | unsubscribe              | POST /alerts/unsubscribe               | query token                                   | same (run last)                                                          |
// | getSubscriptionCalendar  | GET /alerts/{id}/calendar.ics          | path id, query token                          | same; 2xx only if right                                                  |
// | getNewProgrammesFeed     | GET /feeds/new.atom                    | query themes, level, region, departement      | bad value per parameter, unknown/repeated/huge/raw-% param               |
// | listCrawlRuns            | GET /api/crawl/runs                    | query limit                                   | same                                                                     |
// | getCrawlRun              | GET /api/crawl/runs/{id}               | path id                                       | real id, hostile segments (404 names id)                                 |
// | listCrawlEvents          | GET /api/crawl/events                  | query since, afterId, limit                   | bad value per parameter, unknown/repeated/huge/raw-% param               |
// | postTeamsActivity        | POST /api/messages (dev mode)          | JSON activity (IncomingActivitySchema), 256 KB| documented fixtures × random text/type/value; JSON mutations; bad serviceUrl |
// | getFinancingPlan (+Csv, Xlsx, Page) | GET /api/plan, /api/plan.csv, /api/plan.xlsx, /plan | query (PlanQuerySchema): territory, budget, programmes/themes/q… | bad value per parameter, without budget, unknown/repeated/huge/raw-% param |
// | postFinancingPlan        | POST /api/plan                         | JSON body, ≤ 16 KB                            | JSON mutations                                                           |
// | listFundedProjects       | GET /api/projects                      | query theme, measure, departement, band, collectivite, limit | bad value per parameter, unknown/repeated/huge/raw-% param |
// | getCouncilPlan           | GET /api/council                       | query deadline, kind, population, calendar…   | bad value per parameter, without deadline, unknown/repeated/huge/raw-% param |
// | logIn                    | POST /api/admin/login                  | JSON body {email, password}, content type     | JSON mutations, wrong content type (admin-api.test.ts)                   |
// | every other admin op (35)| /api/admin/…                           | session cookie, CSRF header, body, query      | no live session: 401 only (admin-api.test.ts)                            |
// | getPrivacyNotice, getProcessingRecordCsv/Xlsx, getAccessibilityStatement | GET /confidentialite, /confidentialite/registre.csv, .xlsx, /accessibilite | none | unasked query parameters |
// | (page) home form         | GET /                                  | query: the /api/match parameters              | same as matchProgrammes; errors in the page (role=alert) naming the field |
// | (page) chat preflight    | OPTIONS /api/chat                      | Origin, Access-Control-Request-* headers      | hostile header values                                                    |
// | (page) admin login form  | GET, POST /admin/login                 | query erreur, minutes; form email, password, _csrf | any form, cookie or not, any content type (admin-api.test.ts)       |
// | (page) admin unlock      | GET, POST /admin/unlock                | query / form token                            | any token (admin-api.test.ts)                                            |
//
// JSON mutations (arbitraries.ts jsonBodyCases), at a random path of a valid-shaped body guided by
// its documented schema: wrong JSON type, field removed, unknown key (`__proto__` included),
// hostile or huge string, value 20–3000 levels deep, edge number (1e400, -0, 2^53+1…); on the
// whole body: malformed JSON, empty body, not an object, wrong content type, over the limit
// (with and without Content-Length).
//
// 401, 403 and 429 (session, signed token, lockout, limits) carry a code and no field: they
// answer who is calling, not what was sent; a token link's 403 says nothing of the subscription.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { adminSpecs } from './admin-specs.ts'
import { queryCases } from './arbitraries.ts'
import { MATCH_PICK, MATCH_QUERY_PARAMS, publicSpecs, TERRITORIES, type Spec } from './public-specs.ts'
import { assertCases, documentedOperations, fcParams, operation, SEED, checkAnswer, RUNS_SCALE, startWorld, type Case, type World } from './world.ts'

let world: World
let specs: Record<string, Spec>
const timings: string[] = []

beforeAll(async () => {
  console.log(`properties: seed ${SEED} (FC_SEED=${SEED} to repeat), runs ×${RUNS_SCALE}`)
  world = await startWorld()
  specs = publicSpecs(world)
}, 60_000)
afterAll(async () => {
  console.log(timings.join('\n'))
  await world?.dispose()
})

async function property(id: string): Promise<void> {
  const spec = specs[id]!
  const started = performance.now()
  const { runs, statuses } = await assertCases(world, operation(id), spec.cases, spec.runs, spec.extra)
  timings.push(`  ${id}: ${runs} runs in ${Math.round(performance.now() - started)} ms, statuses ${JSON.stringify(statuses)}`)
  expect(runs).toBeGreaterThan(0)
}

describe('the inventory', () => {
  it('has a property test for every operation of the OpenAPI document', () => {
    const covered = new Set([...Object.keys(specs), ...Object.keys(adminSpecs(world))])
    const documented = documentedOperations().map((o) => o.id)
    expect(documented.length).toBeGreaterThan(50)
    expect(documented.filter((id) => !covered.has(id)), 'operations with no property test').toEqual([])
    expect([...covered].filter((id) => !documented.includes(id)), 'specs for operations the document no longer has').toEqual([])
  })
})

describe('every public operation, whatever it is sent: no 5xx, a 400 names its field, a documented answer', () => {
  const order = () => Object.keys(specs)
  // The ids are only known once the world runs; the list is fixed here, checked against the specs below.
  const PUBLIC = ['matchProgrammes', 'postChatMessage', 'listProgrammes', 'getProgramme', 'getProgrammeCalendar', 'listThemes', 'listApplicantTypes', 'listClosedLists', 'getHealth', 'getReadiness', 'getOpenApiDocument', 'getWidgetScript', 'createSubscription', 'getSubscription', 'getSubscriptionCalendar', 'getConfirmPage', 'confirmSubscription', 'confirmSubscriptionWebhook', 'getManagePage', 'postManagePage', 'getUnsubscribePage', 'getNewProgrammesFeed', 'listCrawlRuns', 'getCrawlRun', 'listCrawlEvents', 'postTeamsActivity', 'getFinancingPlan', 'getFinancingPlanCsv', 'getFinancingPlanXlsx', 'getFinancingPlanPage', 'postFinancingPlan', 'listFundedProjects', 'getCouncilPlan', 'getPrivacyNotice', 'getProcessingRecordCsv', 'getProcessingRecordXlsx', 'getAccessibilityStatement', 'unsubscribe', 'deleteSubscription']

  it('lists every public spec here, the ones that end the subscription last', () => {
    expect([...PUBLIC].sort()).toEqual(order().sort())
    const last = order().filter((id) => specs[id]!.last)
    expect(PUBLIC.slice(-last.length).sort()).toEqual(last.sort())
  })

  for (const id of PUBLIC) it(id, () => property(id), 120_000)
})

describe('the pages the document leaves out', () => {
  it('GET / (the home form): always the page, an error in it naming the field', async () => {
    const started = performance.now()
    const cases = queryCases({ params: MATCH_QUERY_PARAMS, pick: MATCH_PICK, request: (query) => ({ method: 'GET', path: '/', query }), strict: true, emptyIgnored: true, together: TERRITORIES })
    let count = 0
    await fc.assert(
      fc.asyncProperty(cases, async (c: Case) => {
        const res = await world.send(c.req)
        const answer = await checkAnswer(world, undefined, { ...c, mustRefuse: false }, res)
        count++
        expect(answer.status, c.label).toBe(200)
        expect(res.headers.get('content-type'), c.label).toMatch(/^text\/html/)
        if (c.mustRefuse) {
          const alert = /<p class="alert" role="alert"[^>]*>([^<]*)<\/p>/.exec(answer.text)
          expect(alert, `${c.label}: no error in the page`).toBeTruthy()
        }
      }),
      fcParams(200),
    )
    timings.push(`  GET /: ${count} runs in ${Math.round(performance.now() - started)} ms`)
  }, 120_000)

  it('OPTIONS /api/chat (the widget\'s preflight): never a 5xx', async () => {
    const started = performance.now()
    let count = 0
    const header = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))
    await fc.assert(
      fc.asyncProperty(fc.record({ origin: header, 'access-control-request-method': fc.oneof(fc.constantFrom('POST', 'GET', 'DELETE'), header), 'access-control-request-headers': fc.oneof(fc.constant('content-type'), header) }, { requiredKeys: [] }), async (headers) => {
        const res = await world.send({ method: 'OPTIONS', path: '/api/chat', headers })
        count++
        expect(res.status).toBeLessThan(500)
        await res.text()
      }),
      fcParams(100),
    )
    timings.push(`  OPTIONS /api/chat: ${count} runs in ${Math.round(performance.now() - started)} ms`)
  })
})

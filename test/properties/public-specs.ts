// The public operations of the OpenAPI document, each with the cases of its property: valid-shaped
// inputs with random values, and mutations of them (see arbitraries.ts). inventory.test.ts checks
// that every documented operation has a spec here or in admin-specs.ts.
import fc from 'fast-check'
import { APPLICANT_TYPE_IDS, SYNDICAT_KINDS } from '../../core/applicants.ts'
import { CLOSED_LIST_IDS } from '../../core/closed-lists.ts'
import { PREREQUISITE_IDS } from '../../core/prerequisites.ts'
import { LEVELS, STAGES } from '../../core/programme.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { COUNCIL_BODIES } from '../../core/council.ts'
import { MEASURES } from '../../content/peers/measures.ts'
import { POPULATION_BAND_IDS } from '../../content/peers/comparable.ts'
import { MAX_CHAT_BODY_BYTES } from '../../bot/channels/web/chat-routes.ts'
import { MAX_SUBSCRIPTION_BODY_BYTES } from '../../bot/alerts/subscription-request.ts'
import { MAX_ACTIVITY_BODY_BYTES } from '../../bot/channels/teams/teams-channel.ts'
import { FIXTURES, place } from '../teams/teams-activities.ts'
import { jsonBodyCases, nastyString, queryCases, type QueryParam } from './arbitraries.ts'
import { encode, requestSchema, resolveSchema, type Case, type Req, type World } from './world.ts'

type Json = Record<string, any>

export interface Spec {
  /** The cases of the property. */
  cases: fc.Arbitrary<Case>
  /** Runs of the property (scaled by FC_RUNS). */
  runs: number
  /** Checks beyond the shared oracle. */
  extra?: (c: Case, answer: { status: number; json?: Json; text: string; headers: Headers }) => void | Promise<void>
  /** Run after the others (they end what the others use: the subscription). */
  last?: boolean
}

const GET = (path: string) => (query: [string, string][]): Req => ({ method: 'GET', path, query })

/** French project texts as mayors write them, and anything else. */
export const projectText = fc.oneof(
  fc.constantFrom(
    'Rénover l\'école de Vézelay pour 300 000 €',
    'rénovation énergétique de la mairie',
    'piste cyclable entre deux communes, études en cours',
    'coopération avec une ville du Sénégal',
    'terrain de foot synthétique 1,2 M€',
    'on veut refaire la toiture de l\'église avant l\'été',
    'bonjour',
    'pourquoi pas la DETR ?',
    'non',
    'je ne sais pas',
    'Petites villes de demain, 4 500 habitants',
  ),
  nastyString,
  fc.string({ unit: 'grapheme', maxLength: 200 }),
)

const csvOf = (ids: readonly string[]) => fc.subarray([...ids], { minLength: 1, maxLength: Math.min(6, ids.length) }).map((xs) => xs.join(','))
const COMMUNES = ['18197', '89446', '75056', '97411', '2A004', '13055', 'Vézelay', 'Saint-Amand-Montrond', 'saint amand montrond', 'Saint-Denis', 'Saint-Denis (974)', 'Paris', 'Lyon', 'Bourges', '89450', '18200', 'Avallon', 'vezelay']
const DEPARTEMENTS = ['89', 'Yonne', '2A', '2B', '974', 'Cher', '18', 'corse du sud', '75']
const REGIONS = ['27', 'Bourgogne-Franche-Comté', '11', '84', 'Île-de-France', 'Corse', '04']
const EPCIS = ['Avallon Vézelay Morvan', 'Communauté de communes Cœur de France', 'Métropole de Lyon', '200069052']
const frenchNumber = (min: number, max: number) => fc.oneof(fc.integer({ min, max }).map(String), fc.integer({ min, max }).map((n) => `${n.toLocaleString('fr-FR')} €`), fc.constantFrom('1,5', '250 000', '30000'))

export const MATCH_QUERY_PARAMS: QueryParam[] = [
  { name: 'commune', valid: fc.constantFrom(...COMMUNES), invalid: fc.constantFrom('', '   ', 'x'.repeat(121)) },
  { name: 'epci', valid: fc.constantFrom(...EPCIS), invalid: fc.constantFrom('', 'x'.repeat(161)) },
  { name: 'departement', valid: fc.constantFrom(...DEPARTEMENTS), invalid: fc.constantFrom('', 'x'.repeat(81)) },
  { name: 'region', valid: fc.constantFrom(...REGIONS), invalid: fc.constantFrom('', 'x'.repeat(81)) },
  { name: 'applicant', valid: fc.constantFrom(...APPLICANT_TYPE_IDS), invalid: fc.constantFrom('mairie', 'COMMUNE', '') },
  { name: 'themes', valid: csvOf(THEME_IDS), invalid: fc.constantFrom('ecole', 'ecoles,piscine', ',,,x') },
  { name: 'q', valid: projectText.map((s) => s.slice(0, 500)), invalid: fc.constant('x'.repeat(501)) },
  { name: 'stage', valid: fc.constantFrom(...STAGES), invalid: fc.constantFrom('ETUDE', 'chantier') },
  { name: 'partnerCountry', valid: fc.constantFrom('SN', 'sn', 'DE', ' ma '), invalid: fc.constantFrom('SEN', 'S1', 'é') },
  { name: 'member', valid: csvOf(CLOSED_LIST_IDS), invalid: fc.constantFrom('pvd2', 'acv,x') },
  { name: 'notMember', valid: csvOf(CLOSED_LIST_IDS), invalid: fc.constantFrom('x') },
  { name: 'budget', valid: frenchNumber(1, 100_000_000), invalid: fc.constantFrom('-1', '0', 'beaucoup', '1e12', 'Infinity', 'NaN') },
  { name: 'population', valid: frenchNumber(1, 2_000_000), invalid: fc.constantFrom('0', '-5', '1.5', '1e9', 'mille') },
  { name: 'members', valid: fc.subarray(['18197', '89446', '18033', '89025'], { minLength: 1 }).map((xs) => xs.join(',')), invalid: fc.constantFrom('1819', '99999,', 'abcde', '2C001') },
  { name: 'syndicatKind', valid: fc.constantFrom(...SYNDICAT_KINDS), invalid: fc.constantFrom('SIVOM', '') },
  { name: 'density', valid: fc.integer({ min: 1, max: 1_000_000 }).map(String), invalid: fc.constantFrom('0', '-1', '1e7', 'dense') },
  { name: 'location', valid: fc.constantFrom('france', 'abroad'), invalid: fc.constantFrom('France', 'ailleurs') },
  { name: 'partners', valid: fc.constantFrom('yes', 'no'), invalid: fc.constantFrom('oui', 'true') },
  { name: 'partnerCountries', valid: fc.subarray(['SN', 'de', 'MA', 'BF'], { minLength: 1 }).map((xs) => xs.join(',')), invalid: fc.constantFrom('SEN', 'S1,DE') },
  { name: 'frenchPartners', valid: fc.integer({ min: 1, max: 40_000 }).map(String), invalid: fc.constantFrom('0', '40001', '1.5', 'deux') },
  { name: 'notThemes', valid: csvOf(THEME_IDS), invalid: fc.constantFrom('x') },
  { name: 'prerequisites', valid: csvOf(PREREQUISITE_IDS), invalid: fc.constantFrom('pcaet2') },
  { name: 'missingPrerequisites', valid: csvOf(PREREQUISITE_IDS), invalid: fc.constantFrom('x') },
  { name: 'limit', valid: fc.integer({ min: 1, max: 200 }).map(String), invalid: fc.constantFrom('0', '201', '-1', '1.5', 'dix') },
]
export const TERRITORIES = ['commune', 'epci', 'departement', 'region']
/** A valid /api/match query: exactly one territory, any other parameters. */
export const MATCH_PICK = fc.tuple(fc.constantFrom(...TERRITORIES), fc.subarray(MATCH_QUERY_PARAMS.map((p) => p.name).filter((n) => !TERRITORIES.includes(n)), { maxLength: 6 })).map(([t, rest]) => [t, ...rest])

/** One path segment, percent-encoded; never `.` or `..` (the URL would be another path). */
export const segment = (known: string[]) =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...known) }, { weight: 3, arbitrary: nastyString }).map((s) => {
    const encoded = encode(s)
    return encoded === '' || encoded === '.' || encoded === '..' ? 'x' : encoded
  })

/** Query parameters nobody asked for, and headers a client may send, for operations that take no input. */
const noInputCases = (path: string, extraHeaders: fc.Arbitrary<Record<string, string>> = fc.constant({})) =>
  fc.tuple(fc.array(fc.tuple(fc.oneof(fc.constantFrom('limit', 'q', 'token', 'id', '__proto__'), fc.string({ maxLength: 8 })), nastyString.map((s) => s.slice(0, 200))), { maxLength: 4 }), extraHeaders).map(([query, headers]): Case => ({
    req: { method: 'GET', path, query, headers },
    label: `unasked parameters ${JSON.stringify(query).slice(0, 100)}`,
  }))

/** A token: the right one, one for another purpose, the right one with a character changed, or anything. */
const tokenFrom = (world: World, right: keyof World['real']) =>
  fc.oneof(
    fc.constant(world.real[right] as string),
    fc.constantFrom(world.real.manageToken, world.real.icsToken, world.real.unsubscribeToken, world.real.confirmToken),
    fc.tuple(fc.nat(), fc.constantFrom('A', '0', '.', '_', '')).map(([i, ch]) => {
      const t = world.real[right] as string
      const at = i % t.length
      return t.slice(0, at) + (t[at] === ch ? 'B' : ch) + t.slice(at + 1)
    }),
    nastyString,
  )

/** Cases for routes keyed by a subscription id and a signed token (with the token left out sometimes). */
const idAndToken = (world: World, method: string, path: (id: string) => string, right: keyof World['real']) =>
  fc.tuple(segment([world.real.subscriptionId]), fc.option(tokenFrom(world, right), { nil: undefined }), fc.option(fc.constantFrom(['token', 'extra'], ['token', '']), { nil: undefined })).map(([id, token, dup]): Case => ({
    req: { method, path: path(id), query: [...(token !== undefined ? [['token', token] as [string, string]] : []), ...(dup ? [dup as [string, string]] : [])] },
    label: `id ${id.slice(0, 40)}, token ${token === undefined ? 'absent' : token === world.real[right] ? 'right' : JSON.stringify(token.slice(0, 40))}`,
  }))

/** A 2xx only with the right id and token. */
const onlyWithRightToken = (world: World, right: keyof World['real']) => (c: Case, a: { status: number }) => {
  if (a.status >= 200 && a.status < 300) {
    const token = c.req.query?.find(([k]) => k === 'token')?.[1]
    const id = decodeURIComponent(c.req.path.split('/').filter(Boolean)[c.req.path.startsWith('/alerts/') ? 1 : 2] ?? '')
    if (token !== world.real[right] || id !== world.real.subscriptionId) throw new Error(`served without the right token: ${c.label} → ${a.status}`)
  }
}

/** Headers a browser adds to a form post: none (curl), same origin, or another site (refused, 403). */
const FORM_ORIGINS = fc.constantFrom<Record<string, string>>({}, { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' }, { 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' })
const FORM_TYPES = fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8', 'application/json', 'text/plain', 'multipart/form-data')
const fromAnotherSite = (headers: Record<string, string> | undefined) => {
  const site = headers?.['sec-fetch-site']
  const origin = headers?.['origin']
  return (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== 'http://localhost')
}
const notFromAnotherSite = (c: Case, a: { status: number }) => {
  if (a.status < 400 && fromAnotherSite(c.req.headers)) throw new Error(`a form from another site was served: ${c.label} → ${a.status}`)
}
const formOf = (fields: [string, string][]) => new URLSearchParams(fields).toString()

/** POST /alerts/confirm: the token in the form body or the query, from this site or another. */
const confirmFormCases = (world: World) =>
  fc.tuple(fc.option(tokenFrom(world, 'confirmToken'), { nil: undefined }), fc.boolean(), FORM_ORIGINS, FORM_TYPES).map(([token, inBody, headers, type]): Case => ({
    req: { method: 'POST', path: '/alerts/confirm', headers: { ...headers, 'content-type': type }, ...(token !== undefined && !inBody ? { query: [['token', token]] } : {}), body: token !== undefined && inBody ? formOf([['token', token]]) : '' },
    label: `token ${token === undefined ? 'absent' : token === world.real.confirmToken ? 'right' : JSON.stringify(token.slice(0, 40))} in the ${inBody ? 'body' : 'query'}, ${type}, ${JSON.stringify(headers)}`,
  }))

/** POST /alerts/{id}/manage: any action and fields (never the erasure's confirm=oui: the world's subscription stays), any token, from this site or another. */
const manageFormCases = (world: World) =>
  fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: fc.constant(world.real.subscriptionId) }, segment([world.real.subscriptionId])),
      fc.option(fc.oneof({ weight: 2, arbitrary: fc.constant(world.real.manageToken) }, tokenFrom(world, 'manageToken')), { nil: undefined }),
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom('preferences', 'pause', 'resume', 'export', 'erase') }, nastyString.map((x) => x.slice(0, 40))),
      fc.subarray([...THEME_IDS.slice(0, 8), 'ecole', ''], { maxLength: 4 }),
      fc.oneof({ weight: 3, arbitrary: fc.subarray(['60', '30', '15', '7', '3', '1'], { minLength: 1, maxLength: 5 }) }, fc.subarray(['60', '30', '15', '7', '3', '1', '0', '91', 'dix', '45', '2', '10'], { maxLength: 8 })),
      fc.option(fc.constantFrom('', '10', '0', '-1', 'dix', '90', '1e2'), { nil: undefined }),
      fc.option(fc.constantFrom('daily', 'weekly', 'off', 'monthly', ''), { nil: undefined }),
      fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constantFrom<[string, string]>(['inconnu', '1'], ['action', 'pause'], ['newCalls', 'daily'], ['confirm', 'non'], ['token', 'x'])),
      fc.oneof({ weight: 3, arbitrary: fc.constantFrom<Record<string, string>>({}, { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' }) }, FORM_ORIGINS),
      fc.oneof({ weight: 4, arbitrary: fc.constant('application/x-www-form-urlencoded') }, FORM_TYPES),
      fc.boolean(),
    )
    .map(([id, token, action, themesSent, leadsSent, other, newCallsSent, extra, headers, type, stray]): Case => {
      // The preferences' fields go with action=preferences, or astray with another action (refused, naming them).
      const prefs = action === 'preferences' || stray
      const [themes, leads, newCalls] = prefs ? [themesSent, leadsSent, newCallsSent ?? 'weekly'] : [[], [], undefined]
      const fields: [string, string][] = [
        ...(token !== undefined ? [['token', token] as [string, string]] : []),
        ['action', action],
        ...themes.map((t): [string, string] => ['themes', t]),
        ...leads.map((l): [string, string] => ['leadTimes', l]),
        ...(other !== undefined && prefs ? [['leadTimeOther', other] as [string, string]] : []),
        ...(newCalls !== undefined ? [['newCalls', newCalls] as [string, string]] : []),
        ...(extra ? [extra] : []),
      ]
      return {
        req: { method: 'POST', path: `/alerts/${id}/manage`, headers: { ...headers, 'content-type': type }, body: formOf(fields) },
        label: `id ${id.slice(0, 30)}, token ${token === undefined ? 'absent' : token === world.real.manageToken ? 'right' : JSON.stringify(token.slice(0, 30))}, ${formOf(fields.filter(([k]) => k !== 'token')).slice(0, 160)}, ${type}, ${JSON.stringify(headers)}`,
      }
    })

/** A 2xx only with the right id and token, from this site (or a client that says nothing of it), as a form. */
const manageFormServed = (world: World) => (c: Case, a: { status: number }) => {
  notFromAnotherSite(c, a)
  if (a.status >= 200 && a.status < 300) {
    const token = new URLSearchParams(String(c.req.body)).getAll('token')
    const id = decodeURIComponent(c.req.path.split('/')[2] ?? '')
    if (token.length !== 1 || token[0] !== world.real.manageToken || id !== world.real.subscriptionId) throw new Error(`served without the right token: ${c.label} → ${a.status}`)
  }
}

function teamsActivity(world: World): fc.Arbitrary<Json> {
  const conversation = fc.stringMatching(/^[A-Za-z0-9]{6,20}$/).map((s) => `a:${s}`)
  return fc
    .tuple(fc.constantFrom(...FIXTURES), conversation, fc.option(fc.constantFrom<'personal' | 'channel' | 'groupChat'>('personal', 'channel', 'groupChat'), { nil: undefined }), fc.option(projectText.map((s) => s.slice(0, 2000)), { nil: undefined }), fc.option(fc.constantFrom('message', 'typing', 'conversationUpdate', 'installationUpdate', 'invoke', 'event', 'messageReaction', 'endOfConversation', 'trace', 'x'), { nil: undefined }), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }))
    .map(([fixture, conversationId, scope, text, type, value]) => {
      const a = place(fixture, { serviceUrl: world.connector.serviceUrl, conversationId }, scope)
      return { ...a, ...(text !== undefined ? { text } : {}), ...(type !== undefined ? { type } : {}), ...(value !== undefined ? { value } : {}) }
    })
}

/** serviceUrls the channel must refuse without calling them: malformed, or not a Bot Framework host (reserved .invalid names). */
const badServiceUrl = fc.constantFrom('not a url', 'ftp://127.0.0.1/', 'https://bot.invalid/', 'https://smba.trafficmanager.net.invalid/', 'http://user:pw@bot.invalid/', 'javascript:alert(1)', '//127.0.0.1/', 'https://[::1', 'http://0x7f000001.invalid/')

/** The financing plan's query (bot/api/plan-routes.ts PlanQuerySchema): one territory, a budget, and programmes, themes or q. */
const planParams = (programmeIds: readonly string[]): QueryParam[] => [
  ...MATCH_QUERY_PARAMS.filter((p) => TERRITORIES.includes(p.name)),
  { name: 'budget', required: true, valid: frenchNumber(1_000, 10_000_000), invalid: fc.constantFrom('-1', '0', 'beaucoup', '1e12', 'Infinity') },
  { name: 'basis', valid: fc.constantFrom('HT', 'TTC'), invalid: fc.constantFrom('ht', 'HTT', '') },
  { name: 'privateFunding', valid: frenchNumber(1, 1_000_000), invalid: fc.constantFrom('-1', 'mécénat', 'Infinity') },
  { name: 'programmes', valid: csvOf(programmeIds.slice(0, 30)), invalid: fc.constantFrom('DETR!', 'a b', ',,é') },
  { name: 'themes', valid: csvOf(THEME_IDS), invalid: fc.constantFrom('ecole', 'x,y') },
  { name: 'q', valid: projectText.map((s) => s.slice(0, 500)), invalid: fc.constant('x'.repeat(501)) },
  { name: 'partnerCountry', valid: fc.constantFrom('SN', 'de'), invalid: fc.constantFrom('SEN', 'S1') },
  { name: 'calamity', valid: fc.constantFrom('true', 'false'), invalid: fc.constantFrom('oui', '1') },
  { name: 'protectedMonument', valid: fc.constantFrom('true', 'false'), invalid: fc.constantFrom('oui', '1') },
  { name: 'limit', valid: fc.integer({ min: 1, max: 30 }).map(String), invalid: fc.constantFrom('0', '31', '-1', 'dix') },
]
const PLAN_PICK = fc
  .tuple(fc.constantFrom(...TERRITORIES), fc.constantFrom('programmes', 'themes', 'q'), fc.subarray(['basis', 'privateFunding', 'partnerCountry', 'calamity', 'protectedMonument', 'limit'], { maxLength: 3 }))
  .map(([territory, what, rest]) => [territory, 'budget', what, ...rest])
const planQueryCases = (programmeIds: readonly string[], path: string) => queryCases({ params: planParams(programmeIds), pick: PLAN_PICK, request: GET(path), strict: true, together: TERRITORIES })

/** The same plan as a JSON body (POST /api/plan): numbers and arrays accepted where the query takes strings. */
const planBody = (programmeIds: readonly string[]) =>
  fc
    .tuple(
      // A commune: with no territory the 400 names commune, whichever was removed (the GET specs try the four, « together »).
      fc.constantFrom<[string, string]>(['commune', '89446'], ['commune', '18197'], ['commune', '97411'], ['commune', 'Avallon']),
      fc.oneof(fc.integer({ min: 1_000, max: 10_000_000 }), fc.constantFrom('250 000 €', '250k', '1 200 000')),
      // Programmes always: with none of programmes, themes or q the 400 names programmes, whichever was removed.
      fc.tuple(
        fc.subarray(programmeIds.slice(0, 20), { minLength: 1, maxLength: 4 }),
        fc.option(fc.subarray([...THEME_IDS], { minLength: 1, maxLength: 3 }), { nil: undefined }),
        fc.option(projectText.map((q) => q.slice(0, 500)), { nil: undefined }),
      ).map(([programmes, themes, q]) => ({ programmes, ...(themes ? { themes } : {}), ...(q !== undefined ? { q } : {}) })),
      fc.option(fc.constantFrom('HT', 'TTC'), { nil: undefined }),
    )
    .map(([[territory, code], budget, what, basis]) => ({ [territory]: code, budget, ...what, ...(basis ? { basis } : {}) }) as Json)

export function publicSpecs(world: World): Record<string, Spec> {
  const real = world.real
  const noInput = (path: string, headers?: fc.Arbitrary<Record<string, string>>): Spec => ({ cases: noInputCases(path, headers), runs: 60 })
  const chatSchema = requestSchema('postChatMessage')
  const subscriptionSchema = requestSchema('createSubscription')
  const teamsSchema = requestSchema('postTeamsActivity')
  const sessionIds: string[] = []

  const chatBody = fc
    .tuple(
      fc.option(fc.oneof(fc.constantFrom('t0_00000000000000000000000000000000', 'abcdefgh', `t${(Date.parse('2026-02-28')).toString(36)}_${'0'.repeat(32)}`), fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), fc.constant('__stored__')), { nil: undefined }),
      fc.oneof(projectText.map((text) => ({ text: text.slice(0, 1000) })), fc.string({ minLength: 1, maxLength: 200 }).map((choice) => ({ choice })), fc.constantFrom({ choice: 'alerts' }, { choice: 'refine' }, { choice: 'excluded' }, { choice: 'restart' }), fc.constant({})),
      fc.option(fc.nat({ max: 50 }), { nil: undefined }),
    )
    .map(([sessionId, turn, step]) => {
      const sid = sessionId === '__stored__' ? sessionIds[sessionIds.length - 1] : sessionId
      return { ...(sid ? { sessionId: sid } : {}), ...turn, ...(step !== undefined ? { step } : {}) } as Json
    })

  const subscriptionBody = fc
    .tuple(
      fc.constantFrom('18197', '89446', '89', 'departement:89', 'DEPARTEMENT:2a', 'region:27', '2A004', ' 75056 ', '974'),
      fc.option(fc.constantFrom(...APPLICANT_TYPE_IDS), { nil: undefined }),
      fc.option(fc.subarray([...THEME_IDS], { maxLength: 5 }), { nil: undefined }),
      fc.option(fc.subarray(real.programmeIds.slice(0, 30), { maxLength: 4 }), { nil: undefined }),
      fc.oneof(
        { weight: 3, arbitrary: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/), fc.constantFrom('mairie-exemple.fr', 'vezelay.fr', 'cc-avallon.fr')).map(([user, domain]) => ({ email: `${user}@${domain}` })) },
        fc.emailAddress().map((email) => ({ email })),
        // Public address literals (documentation ranges refused, private ones too): checked without a DNS lookup, never called at creation.
        fc.constantFrom({ webhookUrl: 'https://93.184.216.34/guichet' }, { webhookUrl: 'https://192.0.2.10/x' }, { webhookUrl: 'http://10.0.0.1/' }),
        fc.emailAddress().map((email) => ({ email, webhookUrl: 'https://93.184.216.34/a' })),
        fc.constant({ teamsConversationId: 'a:unknown-conversation' }),
      ),
      fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 6 }), { nil: undefined }),
      fc.option(fc.constantFrom('daily', 'weekly', 'off'), { nil: undefined }),
    )
    .map(([collectivite, applicantType, themes, programmes, channels, leadTimes, newCalls]) => ({
      collectivite,
      ...(applicantType ? { applicantType } : {}),
      ...(themes ? { themes } : {}),
      ...(programmes ? { programmes } : {}),
      channels,
      ...(leadTimes ? { leadTimes } : {}),
      ...(newCalls ? { newCalls } : {}),
    }))

  const teamsBody = teamsActivity(world)
  const teamsCases = fc.oneof(
    { weight: 6, arbitrary: jsonBodyCases(teamsBody, { schema: teamsSchema, resolve: resolveSchema, maxBytes: MAX_ACTIVITY_BODY_BYTES, request: (body, headers) => ({ method: 'POST', path: '/api/messages', headers, body }) }) },
    {
      weight: 1,
      arbitrary: fc.tuple(teamsBody, badServiceUrl).map(([a, serviceUrl]): Case => ({ req: { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...a, serviceUrl }) }, label: `serviceUrl ${serviceUrl}`, broke: ['serviceUrl'], mustRefuse: true })),
    },
  )

  return {
    matchProgrammes: { cases: queryCases({ params: MATCH_QUERY_PARAMS, pick: MATCH_PICK, request: GET('/api/match'), strict: true, together: TERRITORIES }), runs: 300 },
    postChatMessage: {
      cases: jsonBodyCases(chatBody, { schema: chatSchema, resolve: resolveSchema, maxBytes: MAX_CHAT_BODY_BYTES, emptyOk: true, request: (body, headers) => ({ method: 'POST', path: '/api/chat', headers, body }) }),
      runs: 300,
      extra: (_c, a) => {
        if (a.status === 200 && typeof a.json?.sessionId === 'string') sessionIds.push(a.json.sessionId)
      },
    },
    listProgrammes: noInput('/api/programmes'),
    getPrivacyNotice: noInput('/confidentialite'),
    getProcessingRecordCsv: noInput('/confidentialite/registre.csv'),
    getProcessingRecordXlsx: { ...noInput('/confidentialite/registre.xlsx'), runs: 20 },
    getAccessibilityStatement: noInput('/accessibilite'),
    getProgramme: { cases: segment(real.programmeIds).map((id): Case => ({ req: { method: 'GET', path: `/api/programmes/${id}` }, label: `id ${id.slice(0, 60)}` })), runs: 200 },
    getProgrammeCalendar: { cases: segment(real.programmeIds).map((id): Case => ({ req: { method: 'GET', path: `/api/programmes/${id}/calendar.ics` }, label: `id ${id.slice(0, 60)}` })), runs: 200 },
    listThemes: noInput('/api/themes'),
    listApplicantTypes: noInput('/api/applicant-types'),
    listClosedLists: noInput('/api/closed-lists'),
    getHealth: noInput('/api/health'),
    getReadiness: noInput('/api/ready'),
    getOpenApiDocument: { ...noInput('/api/openapi.json'), runs: 20 },
    getWidgetScript: noInput(
      '/widget.js',
      fc.record({ 'if-none-match': nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, '')), 'accept-encoding': fc.constantFrom('gzip', 'br, gzip;q=0', 'identity', '*', 'gzip;q=abc', '') }, { requiredKeys: [] }),
    ),
    createSubscription: { cases: jsonBodyCases(subscriptionBody, { schema: subscriptionSchema, resolve: resolveSchema, maxBytes: MAX_SUBSCRIPTION_BODY_BYTES, request: (body, headers) => ({ method: 'POST', path: '/api/subscriptions', headers, body }) }), runs: 300 },
    getSubscription: { cases: idAndToken(world, 'GET', (id) => `/api/subscriptions/${id}`, 'manageToken'), runs: 200, extra: onlyWithRightToken(world, 'manageToken') },
    getSubscriptionCalendar: { cases: idAndToken(world, 'GET', (id) => `/alerts/${id}/calendar.ics`, 'icsToken'), runs: 200, extra: onlyWithRightToken(world, 'icsToken') },
    getConfirmPage: { cases: idAndToken(world, 'GET', () => '/alerts/confirm', 'confirmToken'), runs: 200 },
    confirmSubscription: { cases: confirmFormCases(world), runs: 150, extra: notFromAnotherSite },
    getManagePage: { cases: idAndToken(world, 'GET', (id) => `/alerts/${id}/manage`, 'manageToken'), runs: 200, extra: onlyWithRightToken(world, 'manageToken') },
    postManagePage: { cases: manageFormCases(world), runs: 300, extra: manageFormServed(world) },
    // The world's subscription has no webhook: the right id and token get a 400 naming channels.webhookUrl, anything else a 403.
    confirmSubscriptionWebhook: { cases: idAndToken(world, 'POST', (id) => `/api/subscriptions/${id}/webhook/confirm`, 'manageToken'), runs: 200, extra: onlyWithRightToken(world, 'manageToken') },
    getUnsubscribePage: { cases: idAndToken(world, 'GET', () => '/alerts/unsubscribe', 'unsubscribeToken'), runs: 200 },
    unsubscribe: { cases: idAndToken(world, 'POST', () => '/alerts/unsubscribe', 'unsubscribeToken'), runs: 200, last: true },
    deleteSubscription: { cases: idAndToken(world, 'DELETE', (id) => `/api/subscriptions/${id}`, 'manageToken'), runs: 200, extra: onlyWithRightToken(world, 'manageToken'), last: true },
    getNewProgrammesFeed: {
      cases: queryCases({
        params: [
          { name: 'themes', valid: csvOf(THEME_IDS), invalid: fc.constantFrom('ecole', 'x,y') },
          { name: 'level', valid: fc.constantFrom(...LEVELS), invalid: fc.constantFrom('EU', 'communal') },
          { name: 'region', valid: fc.constantFrom('27', '11', ' 84 ', '04'), invalid: fc.constantFrom('Bourgogne', '2A', '1', '99') },
          { name: 'departement', valid: fc.constantFrom('89', '2a', '974', '18'), invalid: fc.constantFrom('Yonne', '2C', '1', '999', '20') },
        ],
        // A département or a région, not both (refused together, naming either).
        pick: fc.subarray(['themes', 'level', 'territory']).chain((names) => fc.constantFrom('region', 'departement').map((t) => names.map((n) => (n === 'territory' ? t : n)))),
        together: ['region', 'departement'],
        request: GET('/feeds/new.atom'),
        strict: true,
        emptyIgnored: true,
      }),
      runs: 250,
    },
    listCrawlRuns: { cases: queryCases({ params: [{ name: 'limit', valid: fc.integer({ min: 1, max: 100 }).map(String), invalid: fc.constantFrom('0', '101', '-1', '1.5', 'abc', '1e3') }], request: GET('/api/crawl/runs'), strict: true }), runs: 200 },
    getCrawlRun: { cases: segment([real.crawlRunId]).map((id): Case => ({ req: { method: 'GET', path: `/api/crawl/runs/${id}` }, label: `id ${id.slice(0, 60)}` })), runs: 200 },
    listCrawlEvents: {
      cases: queryCases({
        params: [
          { name: 'since', valid: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), invalid: fc.constantFrom('2026-03-01', 'hier', '2026-13-01T00:00:00Z', '2026-03-01T00:00:00') },
          { name: 'afterId', valid: fc.nat().map(String), invalid: fc.constantFrom('-1', '1.5', 'x') },
          { name: 'limit', valid: fc.integer({ min: 1, max: 1000 }).map(String), invalid: fc.constantFrom('0', '1001', 'x') },
        ],
        request: GET('/api/crawl/events'),
        strict: true,
      }),
      runs: 200,
    },
    postTeamsActivity: { cases: teamsCases, runs: 250 },
    getFinancingPlan: { cases: planQueryCases(real.programmeIds, '/api/plan'), runs: 200 },
    getFinancingPlanCsv: { cases: planQueryCases(real.programmeIds, '/api/plan.csv'), runs: 120 },
    getFinancingPlanXlsx: { cases: planQueryCases(real.programmeIds, '/api/plan.xlsx'), runs: 80 },
    getFinancingPlanPage: { cases: planQueryCases(real.programmeIds, '/plan'), runs: 120 },
    postFinancingPlan: { cases: jsonBodyCases(planBody(real.programmeIds), { schema: requestSchema('postFinancingPlan'), resolve: resolveSchema, maxBytes: 16 * 1024, request: (body, headers) => ({ method: 'POST', path: '/api/plan', headers, body }) }), runs: 200 },
    listFundedProjects: {
      cases: queryCases({
        params: [
          { name: 'theme', valid: fc.constantFrom(...THEME_IDS), invalid: fc.constantFrom('ecole', 'ECOLES', '') },
          { name: 'measure', valid: fc.constantFrom(...MEASURES.map((m) => m.id)), invalid: fc.constantFrom('renovation', '0', '') },
          { name: 'departement', valid: fc.constantFrom('89', '2a', '2B', '974', '01'), invalid: fc.constantFrom('Yonne', '2C', '999', '') },
          { name: 'band', valid: fc.constantFrom(...POPULATION_BAND_IDS), invalid: fc.constantFrom('petite', '') },
          { name: 'collectivite', valid: fc.constantFrom('89446', '18197', '2A004', '200069052'), invalid: fc.constantFrom('Vézelay', '8944', '12345678', '') },
          { name: 'limit', valid: fc.integer({ min: 1, max: 200 }).map(String), invalid: fc.constantFrom('0', '201', '-1', 'dix') },
        ],
        request: GET('/api/projects'),
        strict: true,
      }),
      runs: 200,
    },
    getCouncilPlan: {
      cases: queryCases({
        params: [
          { name: 'deadline', required: true, valid: fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), invalid: fc.constantFrom('2026-02-30', '15/04/2026', 'demain', '2026-4-15') },
          { name: 'kind', required: true, valid: fc.constantFrom(...COUNCIL_BODIES), invalid: fc.constantFrom('mairie', 'COMMUNE', '') },
          { name: 'population', valid: fc.integer({ min: 1, max: 3_000_000 }).map(String), invalid: fc.constantFrom('0', '-5', '1.5', 'mille') },
          { name: 'largestMember', valid: fc.integer({ min: 1, max: 3_000_000 }).map(String), invalid: fc.constantFrom('0', 'x') },
          { name: 'calendar', valid: fc.constantFrom('deuxième jeudi du mois', 'premier mardi du mois', 'dernier lundi du mois', '2026-03-12,2026-04-09'), invalid: fc.constantFrom('quand le maire veut', '2026-13-01') },
          { name: 'marginDays', valid: fc.integer({ min: 0, max: 60 }).map(String), invalid: fc.constantFrom('-1', '61', 'trois') },
          { name: 'programme', valid: fc.constantFrom(...real.programmeIds.slice(0, 20)), invalid: fc.constant('x'.repeat(201)) },
        ],
        request: GET('/api/council'),
        strict: true,
      }),
      runs: 200,
    },
  }
}

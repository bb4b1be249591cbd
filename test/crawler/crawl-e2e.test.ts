// End to end: the Node crawler (SQLite store, polite fetch, every registered source) crawls the
// recorded responses served by a local HTTP server, then the catalogue is rebuilt and swapped
// into the embedded search index. Five nightly runs tell the story: faults survived by retries
// (429 with Retry-After, 503/502, a timeout) and a robots.txt Disallow; a second night of 304s
// and unchanged counts; a host down for two nights (programmes kept, then marked stale) with a
// broken payload the same night; a moved deadline recorded as an event; the host back. Curated
// programmes keep their fields throughout, and GET /api/crawl/runs tells it all.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crawlRoutes } from '../../bot/api/crawl-routes.ts'
import { errorResponse } from '../../bot/http-errors.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import { parisDay, type Clock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import type { Programme } from '../../core/programme.ts'
import { parseCrawlOptions } from '../../crawler/crawl-options.ts'
import type { CrawlRun, SourceRunStats } from '../../crawler/crawl-store.ts'
import { parse as parseIdf } from '../../crawler/sources/idf/parse.ts'
import { createNodeCrawler, type NodeCrawler } from '../../runtime/node/crawl-job.ts'
import { createCatalogueService } from '../../content/catalogue-service.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import type { SearchIndex } from '../../search/search-index.ts'
import { buildProgramme } from '../builders/programme.ts'
import { ctx, recorded } from './helpers.ts'
import { startReplayServer, viaServer, type ReplayServer } from './replay-server.ts'

const IDF_URL = 'https://mesdemarches.iledefrance.fr/guide-des-aides/api/public/tenants/cridfprd/aides?top=2500'
const SEDIA_URL = 'https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***&pageSize=50&pageNumber=1'
const CULTURE_URL = 'https://www.culture.gouv.fr/api/online-procedures?limit=20&offset=0'
const ADEME_URL = 'https://api.agirpourlatransition.ademe.fr/dispositifs'
const SECRETS = { AT_API_TOKEN: 'jeton-at-tres-secret', ADEME_CLIENT_ID: 'ademe-id-secret', ADEME_CLIENT_SECRET: 'ademe-secret-secret', WELCOME_EUROPE_API_KEY: 'cle-we-secrete', MANCHE_API_USERNAME: 'manche-user', MANCHE_API_PASSWORD: 'manche-mot-de-passe' }

let dir: string
let db: Db
let server: ReplayServer
let crawler: NodeCrawler
let index: SearchIndex
let catalogue: Catalogue | undefined
let now = new Date('2026-03-01T02:30:00+01:00')
const waits: number[] = []
const clock: Clock = { now: () => new Date(now) }
const curatedFiles = loadCuratedProgrammes()

// A curated fiche for the IdF sport call, written without the aid figures: the crawl may fill
// them, never its name, summary or eligibility.
const idfSport = parseIdf(recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json'), ctx(IDF_URL)).records.find((r) => r.id === 'idf-s1xj5qb5n')!
const curatedSport = buildProgramme({
  id: 'idf_equipements_sportifs',
  name: 'Équipements sportifs de proximité (fiche curée)',
  summary: 'Fiche rédigée par l\'équipe Guichet : la Région aide les communes à construire leurs équipements sportifs.',
  funders: ['Région Île-de-France'],
  level: 'regional',
  themes: ['sport'],
  calendar: { kind: 'oneOff' },
  links: { official: idfSport.links.official },
  provenance: { kind: 'curated', sources: [idfSport.links.official] },
  eligibility: { applicants: ['commune', 'epci'], territory: { label: 'Île-de-France', regions: ['11'] } },
})
const curated: Programme[] = [...curatedFiles, curatedSport]

async function night(): Promise<CrawlRun> {
  const run = await crawler.run({ trigger: 'test' })
  now = new Date(now.getTime() + 86_400_000)
  return run
}

const stats = (run: CrawlRun, id: string): SourceRunStats => run.sources.find((s) => s.sourceId === id)!

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-crawl-e2e-'))
  db = openDatabase(dir)
  server = await startReplayServer()
  index = createEmbeddedSearchIndex()
  crawler = createNodeCrawler({
    db,
    settings: parseCrawlOptions({ CRAWL_DELAY_MS: '0', CRAWL_STALE_AFTER: '2', CRAWL_TIMEOUT_MS: '1000', CRAWL_CONTACT_URL: 'https://guichet.example.fr/robot', ...SECRETS }),
    clock,
    logger: silentLogger,
    fetch: viaServer(server),
    planDelays: false,
    fetchOptions: {
      backoffBaseMs: 100,
      random: () => 0.5,
      sleep: (ms) => {
        waits.push(ms)
        return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)))
      },
    },
    afterRun: async () => {
      // The production pipeline (content/catalogue-service.ts), curated files and crawled rows.
      const catalogues = createCatalogueService({ curated, crawled: crawler.store, index, today: () => parisDay(clock.now()) })
      await catalogues.rebuild()
      catalogue = catalogues.current()
    },
  })
})

afterAll(async () => {
  await server?.close()
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('replay crawl over HTTP into the embedded index', () => {
  const runs: CrawlRun[] = []

  it('night 1: every source crawled through 429, 503/502, a timeout; robots.txt keeps it off a disallowed page', async () => {
    server.failNext(IDF_URL, { status: 429, headers: { 'retry-after': '1' } })
    server.failNext(SEDIA_URL, { status: 503 }, { status: 502 })
    server.failNext(CULTURE_URL, { status: 200, body: '{}', delayMs: 2_000 })
    server.failNext('https://www.diplomatie.gouv.fr/robots.txt', { status: 200, body: 'User-agent: *\nDisallow: /fr/politique-etrangere-de-la-france/\n' })
    const run = await night()
    runs.push(run)

    expect(run.status).toBe('partial')
    expect(run.sources.map((s) => [s.sourceId, s.status])).toEqual([
      ['aides-territoires', 'ok'],
      ['eu-sedia', 'ok'],
      ['ademe-agir', 'ok'],
      ['idf', 'ok'],
      ['nouvelle-aquitaine', 'ok'],
      ['manche', 'ok'],
      ['culture', 'ok'],
      ['welcome-europe', 'ok'],
      ['afd-ficol', 'ok'],
      ['daect', 'failed'],
    ])
    expect(stats(run, 'daect').errors[0]).toMatch(/interdit par robots\.txt/)
    expect(server.requests.some((r) => r.url.startsWith('https://www.diplomatie.gouv.fr/fr/'))).toBe(false)
    // Retry-After: 1 → waited 1 s; 503 then 502 → two backoffs, then the page.
    expect(waits).toContain(1_000)
    expect(server.requests.filter((r) => r.url === SEDIA_URL).map((r) => r.status)).toEqual([503, 502, 200])
    // The first Culture answer came after the 1 s timeout: asked again (the slow answer is logged when the server sends it).
    expect(server.requests.filter((r) => r.url === CULTURE_URL).length).toBeGreaterThanOrEqual(2)
    expect(stats(run, 'culture')).toMatchObject({ status: 'ok', new: 2 })
    // Dirty records are reported; their sources still succeed.
    expect(stats(run, 'manche')).toMatchObject({ status: 'ok', recordErrors: 2, new: 3 })
    expect(stats(run, 'eu-sedia')).toMatchObject({ status: 'ok', new: 8, recordErrors: 4 })
    expect(stats(run, 'nouvelle-aquitaine')).toMatchObject({ fetched: 2, programmes: 1 })
    // One robots.txt per host, every request identified with the contact URL.
    const robots = server.requests.filter((r) => r.url.endsWith('/robots.txt')).map((r) => new URL(r.url).host)
    expect(robots.length).toBe(new Set(robots).size)
    expect(new Set(server.requests.map((r) => r.userAgent))).toEqual(new Set(['GuichetBot/0.1 (+https://guichet.example.fr/robot)']))
  })

  it('puts crawled programmes in search, dedupes them against curated ones, and leaves curated fields alone', async () => {
    expect((await index.search({ q: 'Living labs soil health' })).hits[0]?.id).toBe('eu-sedia-horizon-miss-2027-05-soil-01-two-stage')
    expect((await index.search({ q: 'radios locales' })).hits.map((h) => h.id)).toContain('idf-sy2cc9wqe')
    expect(catalogue!.get('welcome-europe-42534')).toBeDefined()

    // The AFD page crawled is the curated FICOL: no second FICOL, and the file's programme unchanged.
    expect(catalogue!.get('afd-ficol-2017')).toBeUndefined()
    expect(catalogue!.get('afd_ficol')).toEqual(curatedFiles.find((p) => p.id === 'afd_ficol'))
    // The curated sport fiche: its own name, summary and eligibility; only the aid it left out comes from the crawl.
    const sport = catalogue!.get('idf_equipements_sportifs')!
    expect(sport).toMatchObject({ name: curatedSport.name, summary: curatedSport.summary, eligibility: curatedSport.eligibility, provenance: curatedSport.provenance })
    expect(sport.aid).toEqual(idfSport.aid)
    expect(catalogue!.get('idf-s1xj5qb5n')).toBeUndefined()
    expect((await index.search({ q: 'équipements sportifs' })).hits.map((h) => h.id)).toContain('idf_equipements_sportifs')
    expect(await index.count()).toBe(catalogue!.size)
  })

  it('night 2: unchanged pages cost a 304, and every programme is counted unchanged', async () => {
    const before = server.requests.length
    const run = await night()
    runs.push(run)
    expect(run.status).toBe('ok')
    const tonight = server.requests.slice(before)
    // DAECT's page was disallowed last night: tonight is its first fetch.
    const pages = tonight.filter((r) => r.method === 'GET' && !r.url.endsWith('/robots.txt') && !r.url.includes('diplomatie.gouv.fr'))
    expect(pages.length).toBeGreaterThan(8)
    expect(pages.every((r) => r.conditional && r.status === 304)).toBe(true)
    for (const s of run.sources.filter((x) => x.sourceId !== 'daect')) expect(s).toMatchObject({ status: 'ok', new: 0, updated: 0, unchanged: s.programmes })
    expect(stats(run, 'idf')).toMatchObject({ fetched: 1, notModified: 1, unchanged: 3 })
    expect(stats(run, 'daect')).toMatchObject({ status: 'ok', new: 1, notModified: 0 })
  })

  it('night 3: a host down and a broken payload fail their sources, whose programmes stay', async () => {
    server.setDown('www.welcomeurope.com', true)
    server.override(ADEME_URL, '{"correlationId": "x", "success": true, "ListeDispositifs": [{"id": "1ed7d4')
    const run = await night()
    runs.push(run)
    expect(run.status).toBe('partial')
    expect(stats(run, 'welcome-europe')).toMatchObject({ status: 'failed', consecutiveFailures: 1, markedStale: 0 })
    expect(stats(run, 'welcome-europe').errors[0]).toMatch(/robots\.txt de www\.welcomeurope\.com injoignable/)
    expect(stats(run, 'ademe-agir')).toMatchObject({ status: 'failed', consecutiveFailures: 1 })
    expect(stats(run, 'ademe-agir').errors[0]).toMatch(/JSON illisible/)
    expect(catalogue!.get('welcome-europe-42534')!.uncertain.some((u) => u.field === 'existence')).toBe(false)
    expect(catalogue!.get('ademe-agir-1ed7d411')).toBeDefined()
    server.override(ADEME_URL, undefined)
  })

  it('night 4: still down, its programmes are marked stale but kept; a moved deadline becomes an event', async () => {
    const moved = recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json').replace('"dateFinCampagne": "2019-07-07T22:00:00.000Z"', '"dateFinCampagne": "2019-07-14T22:00:00.000Z"')
    server.override(IDF_URL, moved)
    const run = await night()
    runs.push(run)
    expect(stats(run, 'welcome-europe')).toMatchObject({ status: 'failed', consecutiveFailures: 2, markedStale: 2 })
    expect(stats(run, 'idf')).toMatchObject({ status: 'ok', updated: 1, unchanged: 2 })
    expect(stats(run, 'ademe-agir')).toMatchObject({ status: 'ok', unchanged: 5 })

    const stale = catalogue!.get('welcome-europe-42534')!
    expect(stale.uncertain).toContainEqual({ field: 'existence', note: expect.stringContaining('welcome-europe') })
    expect((await index.search({ q: 'Ouganda droits de l\'homme' })).hits.map((h) => h.id)).toContain('welcome-europe-42534')

    const events = await crawler.store.events({ since: runs[2]!.endedAt! })
    expect(events).toContainEqual(expect.objectContaining({ programmeId: 'idf-skxo55-5n', sourceId: 'idf', kind: 'deadline_moved', before: { deadline: '2019-07-08' }, after: { deadline: '2019-07-15' }, runId: run.id }))
    expect(catalogue!.get('idf-skxo55-5n')!.calendar.editions[0]!.deadlines).toEqual(['2019-07-15'])
  })

  it('night 5: the host is back, its programmes fresh again', async () => {
    server.setDown('www.welcomeurope.com', false)
    const run = await night()
    runs.push(run)
    expect(run.status).toBe('ok')
    expect(stats(run, 'welcome-europe')).toMatchObject({ status: 'ok', consecutiveFailures: 0, unchanged: 2 })
    expect(catalogue!.get('welcome-europe-42534')!.uncertain.some((u) => u.field === 'existence')).toBe(false)
    const states = await crawler.store.sourceStates()
    expect(states.every((s) => s.consecutiveFailures === 0)).toBe(true)
  })

  it('serves the runs at GET /api/crawl/runs, latest first, with counts and errors and no secret', async () => {
    const app = new Hono()
    app.onError((err, c) => errorResponse(c, err, silentLogger))
    app.route('/', crawlRoutes({ store: crawler.store }))
    const res = await app.request('/api/crawl/runs')
    expect(res.status).toBe(200)
    const text = await res.text()
    const body = JSON.parse(text) as { runs: CrawlRun[] }
    expect(body.runs.map((r) => r.id)).toEqual(runs.map((r) => r.id).reverse())
    expect(body.runs[1]!.sources.find((s) => s.sourceId === 'idf')).toMatchObject({ updated: 1, fetched: 1 })
    expect(body.runs.at(-1)!.sources.find((s) => s.sourceId === 'daect')!.errors[0]).toMatch(/robots\.txt/)
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret)
    expect((await app.request('/api/crawl/runs?limit=2')).status).toBe(200)
    expect(((await (await app.request('/api/crawl/runs?limit=2')).json()) as { runs: unknown[] }).runs).toHaveLength(2)
    const bad = await app.request('/api/crawl/runs?limit=beaucoup')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('limit')
    expect((await app.request(`/api/crawl/runs/${runs[0]!.id}`)).status).toBe(200)
    expect((await app.request('/api/crawl/runs/inconnue')).status).toBe(404)
    const events = (await (await app.request('/api/crawl/events?limit=1000')).json()) as { events: { kind: string }[] }
    expect(events.events.filter((e) => e.kind === 'new').length).toBeGreaterThan(20)
  })
})

// The runner on its own (memory store, recorded responses in memory, no delay): paging, detail
// pages that fail, credentials missing, deliberately broken payloads, a source that stops
// listing a programme, the lock, the source selection, secrets kept out of the run record.
import { describe, expect, it } from 'vitest'
import { fixedClock } from '../../core/clock.ts'
import { ParseError } from '../../core/errors.ts'
import { INTERRUPTED_RUN_ERROR, type CrawlStore } from '../../crawler/crawl-store.ts'
import { createPoliteFetch } from '../../crawler/fetch/polite-fetch.ts'
import { createReplayFetch, type ReplayManifest } from '../../crawler/fetch/replay-fetch.ts'
import { createMemoryCrawlStore } from '../../crawler/memory-crawl-store.ts'
import { CrawlLockedError, runCrawl, selectSources, type RunCrawlOptions } from '../../crawler/run-crawl.ts'
import { SOURCES, findSource } from '../../crawler/sources/index.ts'
import type { CrawlSource } from '../../crawler/types.ts'
import { handWritten, recorded } from './helpers.ts'

type Entry = ReplayManifest['entries'][number]

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  new Headers(init?.headers).forEach((value, key) => (out[key] = value))
  return out
}

function fetchFrom(entries: Partial<Entry>[], options: { maxRetries?: number } = {}) {
  const manifest: ReplayManifest = { entries: entries.map((e) => ({ method: 'GET', status: 200, headers: { 'content-type': 'application/json' }, ...e }) as Entry) }
  const calls: string[] = []
  const replay = createReplayFetch({ manifest, read: (f) => f })
  return {
    calls,
    fetch: createPoliteFetch({
      fetch: (input, init) => {
        calls.push(`${init?.method ?? 'GET'} ${input}`)
        return replay(input, init)
      },
      userAgent: 'GuichetBot/0.1 (+https://example.org)',
      perHostDelayMs: 0,
      timeoutMs: 30_000,
      maxRetries: options.maxRetries ?? 1,
      sleep: async () => {},
    }),
  }
}

function crawl(store: CrawlStore, fetch: RunCrawlOptions['fetch'], over: Partial<RunCrawlOptions> = {}) {
  return runCrawl({ sources: SOURCES, fetch, store, clock: fixedClock('2026-03-01T02:30:00+01:00'), planDelays: false, staleAfter: 3, ...over })
}

const CULTURE = 'https://www.culture.gouv.fr/api/online-procedures?limit=20&offset=0'
const CULTURE_2 = 'https://www.culture.gouv.fr/api/online-procedures?limit=20&offset=4'
const IDF = 'https://mesdemarches.iledefrance.fr/guide-des-aides/api/public/tenants/cridfprd/aides?top=2500'
const NA_FEED = 'https://les-aides.nouvelle-aquitaine.fr/fiches-rss.xml'
const NA_FICHE = 'https://les-aides.nouvelle-aquitaine.fr/amenagement-du-territoire/developpement-dune-offre-locative-destination-des-jeunes-agriculteurs'

describe('runCrawl', () => {
  it('follows the pages a plan names (Culture by offset) and keeps the records of each', async () => {
    const page1 = JSON.parse(handWritten('culture-online-procedures.json')) as { count: number; results: Record<string, unknown>[] }
    const page2 = { count: 6, results: page1.results.slice(0, 2).map((r, i) => ({ ...r, id: 9000 + i, title: `Appel numéro ${i} de la page deux`, url: `https://www.culture.gouv.fr/Demarches-en-ligne/page-2/appel-${i}` })) }
    const { fetch, calls } = fetchFrom([
      { url: CULTURE, body: JSON.stringify({ ...page1, count: 6 }) },
      { url: CULTURE_2, body: JSON.stringify(page2) },
    ])
    const store = createMemoryCrawlStore()
    const run = await crawl(store, fetch, { onlySource: 'culture' })
    expect(calls.filter((c) => c.includes('online-procedures'))).toEqual([`GET ${CULTURE}`, `GET ${CULTURE_2}`])
    expect(run.sources[0]).toMatchObject({ sourceId: 'culture', status: 'ok', fetched: 2, programmes: 4, new: 4 })
    expect((await store.rowsOfSource('culture')).map((r) => r.programme.id)).toEqual(expect.arrayContaining(['culture-9000', 'culture-9001']))
  })

  it('follows detail pages; one that fails is reported, the source goes on, and nothing is marked gone', async () => {
    const store = createMemoryCrawlStore()
    const ok = fetchFrom([
      { url: NA_FEED, body: recorded('fr-regional-and-national-feeds/nouvelle-aquitaine-rss-fiches-item.xml') },
      { url: NA_FICHE, body: handWritten('nouvelle-aquitaine-fiche.html') },
    ])
    const first = await crawl(store, ok.fetch, { onlySource: 'nouvelle-aquitaine' })
    expect(first.sources[0]).toMatchObject({ status: 'ok', fetched: 2, programmes: 1 })
    // The fiche page's richer record wins over the feed item with the same id.
    expect((await store.rowsOfSource('nouvelle-aquitaine'))[0]!.programme.aid).toMatchObject({ rateMax: 30, amountMax: 60_000 })

    const broken = fetchFrom([
      { url: NA_FEED, body: recorded('fr-regional-and-national-feeds/nouvelle-aquitaine-rss-fiches-item.xml') },
      { url: NA_FICHE, status: 500, body: 'erreur' },
    ])
    const second = await crawl(store, broken.fetch, { onlySource: 'nouvelle-aquitaine' })
    expect(second.sources[0]).toMatchObject({ status: 'ok', fetched: 1, failed: 1, gone: 0 })
    expect(second.sources[0]!.errors[0]).toMatch(/HTTP 500 après 2 tentative/)
  })

  it('skips a source whose credentials are missing, naming the variables, without a request', async () => {
    const { fetch, calls } = fetchFrom([])
    const run = await crawl(createMemoryCrawlStore(), fetch, { enabled: ['aides-territoires', 'ademe-agir'] })
    expect(run.sources).toEqual([
      expect.objectContaining({ sourceId: 'aides-territoires', status: 'skipped', errors: ['identifiants manquants : AT_API_TOKEN'] }),
      expect.objectContaining({ sourceId: 'ademe-agir', status: 'skipped', errors: ['identifiants manquants : ADEME_CLIENT_ID, ADEME_CLIENT_SECRET'] }),
    ])
    expect(run.status).toBe('ok')
    expect(calls).toEqual([])
  })

  it('says which CRAWL_SOURCES id matches no source instead of ignoring it', async () => {
    const { fetch } = fetchFrom([])
    const run = await crawl(createMemoryCrawlStore(), fetch, { enabled: ['ademe-agir', 'page-inexistante'] })
    expect(run.sources.map((s) => s.sourceId)).toEqual(['ademe-agir'])
    expect(run.errors).toEqual(['CRAWL_SOURCES : source inconnue « page-inexistante »'])
  })

  it('exchanges the Aides-territoires key for a JWT and sends it as a Bearer token', async () => {
    const seen: Record<string, string>[] = []
    const replay = createReplayFetch({
      manifest: { entries: [
        { method: 'POST', url: 'https://aides-territoires.beta.gouv.fr/api/connexion/', status: 200, headers: {}, body: '{"token":"jwt-123"}' },
        { method: 'GET', url: findSource('aides-territoires')!.plan.start[0]!.url, status: 200, headers: {}, body: recorded('fr-regional-and-national-feeds/departement-drome-aides-api.json') },
      ] },
      read: (f) => f,
    })
    const fetch = createPoliteFetch({ fetch: (input, init) => (seen.push(headersOf(init)), replay(input, init)), userAgent: 'GuichetBot/0.1', perHostDelayMs: 0, timeoutMs: 30_000, maxRetries: 3, sleep: async () => {} })
    const run = await crawl(createMemoryCrawlStore(), fetch, { onlySource: 'aides-territoires', credentials: { AT_API_TOKEN: 'cle-at' } })
    expect(run.sources[0]).toMatchObject({ status: 'ok', new: 3 })
    expect(seen.find((h) => h['x-auth-token'])).toMatchObject({ 'x-auth-token': 'cle-at' })
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer jwt-123' })
  })

  it('fails a source on a broken list payload (truncated JSON, HTML for JSON, empty body) and keeps its programmes', async () => {
    const store = createMemoryCrawlStore()
    const idf = recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json')
    await crawl(store, fetchFrom([{ url: IDF, body: idf }]).fetch, { onlySource: 'idf' })
    const variants = [idf.slice(0, 500), '<!doctype html><title>Maintenance</title>', '', '{"message": "quota dépassé"}']
    for (const [i, body] of variants.entries()) {
      const run = await crawl(store, fetchFrom([{ url: IDF, body }]).fetch, { onlySource: 'idf', staleAfter: 3 })
      expect(run.sources[0]).toMatchObject({ status: 'failed', consecutiveFailures: i + 1, markedStale: i === 2 ? 3 : 0 })
    }
    const rows = await store.rowsOfSource('idf')
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.stale && r.goneAt === null)).toBe(true)
  })

  it('refuses an empty list where programmes were known, rather than losing them', async () => {
    const store = createMemoryCrawlStore()
    await crawl(store, fetchFrom([{ url: IDF, body: recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json') }]).fetch, { onlySource: 'idf' })
    const run = await crawl(store, fetchFrom([{ url: IDF, body: '[]' }]).fetch, { onlySource: 'idf' })
    expect(run.sources[0]).toMatchObject({ status: 'failed' })
    expect(run.sources[0]!.errors[0]).toMatch(/aucune fiche lue alors que 3 étaient connues/)
    expect((await store.rowsOfSource('idf')).every((r) => !r.goneAt)).toBe(true)
  })

  it('marks a programme the source stopped listing as gone (kept), with a closed-early event when still open', async () => {
    const store = createMemoryCrawlStore()
    const data = JSON.parse(recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json')) as Record<string, unknown>[]
    await crawl(store, fetchFrom([{ url: IDF, body: JSON.stringify(data) }]).fetch, { onlySource: 'idf' })
    const run = await crawl(store, fetchFrom([{ url: IDF, body: JSON.stringify(data.slice(1)) }]).fetch, { onlySource: 'idf' })
    expect(run.sources[0]).toMatchObject({ status: 'ok', gone: 1, unchanged: 2 })
    const rows = await store.rowsOfSource('idf')
    expect(rows.filter((r) => r.goneAt)).toHaveLength(1)
    const events = await store.events()
    expect(events.filter((e) => e.kind === 'new')).toHaveLength(3)
    // The radios scheme was permanent (no deadline): no longer listed means closed early.
    expect(events.filter((e) => e.kind === 'closed_early')).toEqual([expect.objectContaining({ programmeId: 'idf-sy2cc9wqe', after: { listed: false } })])

    // The one-off 2019 call, long past its deadline, disappears without an alert.
    const third = await crawl(store, fetchFrom([{ url: IDF, body: JSON.stringify(data.slice(2)) }]).fetch, { onlySource: 'idf' })
    expect(third.sources[0]).toMatchObject({ gone: 1 })
    expect((await store.events()).filter((e) => e.kind === 'closed_early')).toHaveLength(1)
  })

  it('keeps going when one source throws something unexpected, and says so', async () => {
    const boom: CrawlSource = { ...findSource('idf')!, id: 'boom', parse: () => { throw new TypeError('cannot read properties of undefined') } }
    const fine = findSource('idf')!
    const { fetch } = fetchFrom([{ url: IDF, body: recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json') }])
    const run = await crawl(createMemoryCrawlStore(), fetch, { sources: [boom, fine] })
    expect(run.status).toBe('partial')
    expect(run.sources.map((s) => [s.sourceId, s.status])).toEqual([['boom', 'failed'], ['idf', 'ok']])
    expect(run.sources[0]!.errors[0]).toMatch(/erreur inattendue : cannot read/)
  })

  it('never writes a credential into the run record', async () => {
    const leaky: CrawlSource = {
      id: 'leaky',
      plan: { sourceId: 'leaky', label: 'Fuite', format: 'json', auth: { kind: 'headers', headers: { 'x-api-key': 'LEAKY_KEY' } }, start: [{ url: 'https://leaky.example.org/list', method: 'GET', kind: 'list' }], politenessMs: 0 },
      parse: (payload) => { throw new ParseError(`réponse inattendue : ${payload}`) },
    }
    const { fetch } = fetchFrom([{ url: 'https://leaky.example.org/list', body: 'votre clé s3cr3t-valeur est invalide' }])
    const store = createMemoryCrawlStore()
    const run = await crawl(store, fetch, { sources: [leaky], credentials: { LEAKY_KEY: 's3cr3t-valeur' } })
    expect(JSON.stringify(run)).not.toContain('s3cr3t-valeur')
    expect(run.sources[0]!.errors[0]).toContain('votre clé *** est invalide')
    expect(JSON.stringify(await store.sourceStates())).not.toContain('s3cr3t-valeur')
  })

  it('never overlaps another run: the lock turns the second one away', async () => {
    const store = createMemoryCrawlStore()
    await store.acquireLock('someone-else', new Date(), 60_000)
    await expect(crawl(store, fetchFrom([]).fetch, { onlySource: 'idf' })).rejects.toBeInstanceOf(CrawlLockedError)
    expect(await store.listRuns(10)).toEqual([])
    await store.releaseLock('someone-else')
    const run = await crawl(store, fetchFrom([{ url: IDF, body: recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json') }]).fetch, { onlySource: 'idf' })
    expect(run.status).toBe('ok')
    // Released at the end: the next run gets it.
    expect(await store.acquireLock('next', new Date(), 60_000)).toBe(true)
  })

  it('closes the record of a run cut short (its lock expired) when the next run starts', async () => {
    const store = createMemoryCrawlStore()
    await store.startRun({ id: 'crashed', trigger: 'cron', startedAt: '2026-02-28T01:30:00.000Z', endedAt: null, durationMs: null, status: 'running', sources: [], errors: [] })
    await crawl(store, fetchFrom([{ url: IDF, body: recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json') }]).fetch, { onlySource: 'idf' })
    const runs = await store.listRuns(10)
    expect(runs.map((r) => r.status)).toEqual(['ok', 'interrupted'])
    expect(runs[1]!.errors).toEqual([INTERRUPTED_RUN_ERROR])
    expect(runs[1]!.endedAt).not.toBeNull()
  })

  it('a run whose lease another run took (it froze past the expiry) stops: nothing more written, recorded as interrupted by the taker', async () => {
    const store = createMemoryCrawlStore()
    const body = recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json')
    const { fetch } = fetchFrom([{ url: IDF, body }])
    // While the page is fetched, the lease passes to another run (the memory store has no pid: a release and a take).
    const slow: RunCrawlOptions['fetch'] = async (request) => {
      await store.releaseLock('frozen')
      expect(await store.acquireLock('taker', new Date(), 60_000)).toBe(true)
      return fetch(request)
    }
    const run = await crawl(store, slow, { onlySource: 'idf', newId: () => 'frozen' })
    expect(run.status).toBe('interrupted')
    expect(run.errors.join()).toContain('perdu son bail')
    expect(await store.allRows()).toEqual([])
    expect(await store.sourceStates()).toEqual([])
    // Its record was refused (the taker holds the lease): still « en cours » until the taker closes it.
    expect((await store.listRuns(1))[0]).toMatchObject({ id: 'frozen', status: 'running' })
    expect((await store.closeInterruptedRuns('2026-03-01T03:00:00.000Z', new Date())).map((r) => r.id)).toEqual(['frozen'])
    // The taker still holds its lease: releasing it was not the stopped run's business.
    expect(await store.refreshLock('taker', new Date(), 60_000)).toBe(true)
  })

  it('the heartbeat that finds the lease gone stops the run before its next page', async () => {
    const store = createMemoryCrawlStore()
    const page1 = JSON.parse(handWritten('culture-online-procedures.json')) as { count: number; results: Record<string, unknown>[] }
    const { fetch, calls } = fetchFrom([{ url: CULTURE, body: JSON.stringify({ ...page1, count: 6 }) }])
    // Another run holds the lease now: every renewal says so.
    let beats = 0
    store.refreshLock = async () => {
      beats++
      return false
    }
    const paused: RunCrawlOptions['fetch'] = async (request) => {
      const page = await fetch(request)
      // Long enough for a beat of 5 ms to run and find the lease gone.
      await new Promise((ok) => setTimeout(ok, 40))
      return page
    }
    const run = await crawl(store, paused, { onlySource: 'culture', heartbeatMs: 5 })
    expect(beats).toBeGreaterThan(0)
    expect(run.status).toBe('interrupted')
    // The second page (offset 4) was never asked for.
    expect(calls.filter((c) => c.includes('online-procedures'))).toEqual([`GET ${CULTURE}`])
  })

  it('two runs started together: one crawls, the other is turned away', async () => {
    const store = createMemoryCrawlStore()
    const body = recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json')
    const results = await Promise.allSettled([crawl(store, fetchFrom([{ url: IDF, body }]).fetch, { onlySource: 'idf' }), crawl(store, fetchFrom([{ url: IDF, body }]).fetch, { onlySource: 'idf' })])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(CrawlLockedError)
  })

  it('selects the enabled sources, or the one asked for, and refuses an unknown one', () => {
    expect(selectSources(SOURCES, {}).map((s) => s.id)).toEqual(SOURCES.map((s) => s.id))
    expect(selectSources(SOURCES, { enabled: ['idf', 'culture'] }).map((s) => s.id)).toEqual(['idf', 'culture'])
    expect(selectSources(SOURCES, { enabled: ['idf'], onlySource: 'daect' }).map((s) => s.id)).toEqual(['daect'])
    expect(() => selectSources(SOURCES, { onlySource: 'nulle-part' })).toThrow(/source inconnue/)
  })
})

// Back-office page sources may not point the crawler into Guichet's own network: an address
// literal in a private, loopback or metadata range is refused by the schema (field url), a name
// resolving to one is refused when saved, and at crawl time the host is resolved again through the
// outbound guard: a page source whose name now resolves to 169.254.169.254 fails with a clear
// recorded error, sends nothing, and its programmes stay in the index. Real SQLite file, a real
// node:http site on 127.0.0.1 (let through as if public by the test's address policy).
import { createServer, type Server } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../../core/clock.ts'
import { ContentError } from '../../core/errors.ts'
import { blockedRange } from '../../core/ip.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseCrawlOptions } from '../../crawler/crawl-options.ts'
import { createNodeCrawler } from '../../runtime/node/crawl-job.ts'
import { createOutboundGuard, type Resolver } from '../../runtime/node/outbound-guard.ts'
import { createNodePageSources, PAGE_SOURCES_DIR } from '../../runtime/node/page-sources.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'

const fileYaml = readFileSync(join(PAGE_SOURCES_DIR, 'departement-exemple.yaml'), 'utf8')
const page = readFileSync(join(PAGE_SOURCES_DIR, 'departement-exemple.recorded.html'), 'utf8')
const yamlFor = (url: string) => fileYaml.replace('enabled: false', 'enabled: true').replace('id: departement-exemple', 'id: page-ssrf').replace('url: https://www.departement-exemple.fr/aides/', `url: ${url}`)

let dir: string
let db: Db
let site: Server
let port = 0
const requests: string[] = []
/** What aides.departement.test resolves to, as the test says. */
let answer = '127.0.0.1'
const resolve: Resolver = async (host) => [{ address: host === 'aides.departement.test' ? answer : '10.9.9.9', family: 4 }]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-page-ssrf-'))
  db = openDatabase(join(dir, 'data'))
  site = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url === '/robots.txt') return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
  })
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()))
  port = (site.address() as AddressInfo).port
})
afterAll(async () => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
  await new Promise<void>((r) => site.close(() => r()))
})

async function saveError(sources: ReturnType<typeof createNodePageSources>, yaml: string): Promise<ContentError> {
  const err = await sources.save({ yaml, create: true, by: 'admin@ville.fr', at: new Date('2026-03-01T10:00:00Z') }).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ContentError)
  return err as ContentError
}

describe('page sources and private addresses', () => {
  it('refuses a private, loopback or metadata address literal in any spelling (field url), storing nothing', async () => {
    const sources = createNodePageSources({ db, dir: join(dir, 'none'), resolve })
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'https://[::ffff:169.254.169.254]/', 'http://2130706433/', 'http://0x7f.1/', 'http://10.0.0.1/aides/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://0.0.0.0/', 'http://localhost:8787/admin']) {
      const err = await saveError(sources, yamlFor(url))
      expect(err.issues, url).toEqual([{ field: 'url', message: expect.stringMatching(/^adresse refusée : .*seules les adresses publiques sont admises$/) }])
    }
    expect(await sources.list()).toEqual([])
  })

  it('refuses on save a name that resolves to the metadata address', async () => {
    answer = '169.254.169.254'
    const sources = createNodePageSources({ db, dir: join(dir, 'none'), resolve })
    const err = await saveError(sources, yamlFor(`http://aides.departement.test:${port}/aides/`))
    expect(err.issues).toEqual([{ field: 'url', message: expect.stringContaining('aides.departement.test → 169.254.169.254, lien local ou métadonnées du nuage') }])
    expect(requests).toEqual([])
  })

  it('at crawl time, resolves again: the source fails with the reason, nothing is requested, its programmes stay', async () => {
    // Saved while the name resolved to a public address…
    answer = '93.184.215.14'
    const sources = createNodePageSources({ db, dir: join(dir, 'none'), resolve })
    await sources.save({ yaml: yamlFor(`http://aides.departement.test:${port}/aides/`), create: true, by: 'admin@ville.fr', at: new Date('2026-03-01T10:00:00Z') })
    // The test's site on 127.0.0.1 passes as public; every other non-public range is refused as in production.
    const guard = createOutboundGuard({ resolve, blocked: (ip) => (ip === '127.0.0.1' ? undefined : blockedRange(ip)) })
    const crawler = createNodeCrawler({
      db,
      settings: parseCrawlOptions({}),
      clock: fixedClock('2026-03-02T08:00:00Z'),
      logger: silentLogger,
      sources: () => sources.crawlSources(),
      fetch: guard.fetch,
      planDelays: false,
      fetchOptions: { perHostDelayMs: 0, sleep: async () => {} },
    })
    // …crawled once while it answered the test's site…
    answer = '127.0.0.1'
    const first = await crawler.run({ onlySource: 'page-ssrf' })
    expect(first.sources).toEqual([expect.objectContaining({ sourceId: 'page-ssrf', status: 'ok', programmes: 2 })])
    const seen = requests.length
    expect(seen).toBeGreaterThan(0)

    // The name now resolves to the cloud metadata address.
    answer = '169.254.169.254'
    const second = await crawler.run({ onlySource: 'page-ssrf' })
    expect(second.sources).toEqual([expect.objectContaining({ sourceId: 'page-ssrf', status: 'failed' })])
    const error = second.sources[0]!.errors.join('\n')
    expect(error).toContain('adresse refusée : aides.departement.test → 169.254.169.254, lien local ou métadonnées du nuage')
    expect(requests.length).toBe(seen)
    const state = (await crawler.store.sourceStates()).find((s) => s.sourceId === 'page-ssrf')!
    expect(state.lastError).toContain('169.254.169.254')
    const rows = await crawler.store.rowsOfSource('page-ssrf')
    expect(rows).toHaveLength(2)
    expect(rows.every((r) => r.goneAt === null)).toBe(true)
  })

  it('the crawler refuses private destinations by default (no fetch injected): localhost is not crawled', async () => {
    const sources = createNodePageSources({ db, dir: join(dir, 'none'), resolve })
    // A stored version written before the rule (straight into SQLite): the schema keeps it out of force.
    db.prepare('INSERT INTO page_sources (id, yaml, updated_by, updated_at) VALUES (?, ?, ?, ?)').run('page-ancienne', yamlFor('http://169.254.169.254/').replace('id: page-ssrf', 'id: page-ancienne'), 'x', '2026-01-01T00:00:00Z')
    const entry = await sources.get('page-ancienne')
    expect(entry?.config).toBeUndefined()
    expect(entry?.error).toContain('adresse refusée : 169.254.169.254')
    const before = requests.length
    const crawler = createNodeCrawler({
      db,
      settings: parseCrawlOptions({}),
      clock: fixedClock('2026-03-03T08:00:00Z'),
      logger: silentLogger,
      sources: async () => [...(await sources.crawlSources()).filter((s) => s.id === 'page-ssrf').map((s) => ({ ...s, plan: { ...s.plan, start: s.plan.start.map((r) => ({ ...r, url: `http://localhost:${port}/aides/` })) } }))],
      planDelays: false,
      fetchOptions: { perHostDelayMs: 0, sleep: async () => {}, maxRetries: 0 },
    })
    const run = await crawler.run({ onlySource: 'page-ssrf' })
    expect(run.sources).toEqual([expect.objectContaining({ sourceId: 'page-ssrf', status: 'failed' })])
    expect(run.sources[0]!.errors.join('\n')).toMatch(/adresse refusée : localhost → (127\.0\.0\.1|::1), boucle locale/)
    expect(requests.length).toBe(before)
  })
})

// Crawler figures for `npm run bench`: parse throughput per source (records/s over the recorded
// payloads of test/crawler/replay/, parsed again and again), the same for a synthetic 3,000-aid
// Aides-territoires list (the biggest real source), and the time of a full replay crawl into
// SQLite (first run: 200s; second: 304s) plus the catalogue refresh into the embedded index.
// Run alone: `npx tsx test/bench/crawl-bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixedClock, parisDay } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseCrawlOptions } from '../../crawler/crawl-options.ts'
import { SOURCES } from '../../crawler/sources/index.ts'
import { createCatalogueService } from '../../content/catalogue-service.ts'
import { createNodeCrawler } from '../../runtime/node/crawl-job.ts'
import { loadReplayManifest } from '../../runtime/node/crawl-replay.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'

const REPLAY_DIR = fileURLToPath(new URL('../crawler/replay/', import.meta.url))
const FETCHED_AT = '2026-03-01T09:00:00+01:00'

export interface ParseThroughput {
  source: string
  payloads: number
  records: number
  kilobytes: number
  iterations: number
  recordsPerSecond: number
  msPerPayload: number
}

export interface CrawlBenchResult {
  parse: ParseThroughput[]
  replay: { firstRunMs: number; secondRunMs: number; pages: number; notModified: number; programmes: number; refreshMs: number; documents: number }
}

function throughput(source: string, payloads: { url: string; body: string }[], parse: (body: string, url: string) => number, minMs: number): ParseThroughput {
  for (const p of payloads) parse(p.body, p.url) // warm-up
  let records = 0
  let iterations = 0
  const started = performance.now()
  while (performance.now() - started < minMs || iterations < 5) {
    for (const p of payloads) records += parse(p.body, p.url)
    iterations++
  }
  const ms = performance.now() - started
  return {
    source,
    payloads: payloads.length,
    records: records / iterations,
    kilobytes: payloads.reduce((n, p) => n + p.body.length, 0) / 1024,
    iterations,
    recordsPerSecond: records / (ms / 1000),
    msPerPayload: ms / (iterations * payloads.length),
  }
}

/** A 3,000-aid Aides-territoires list built from the Drôme feed's records (distinct ids, slugs and URLs). */
function syntheticAtList(drome: string, size = 3_000): string {
  const data = JSON.parse(drome) as { results: Record<string, unknown>[] }
  const results = Array.from({ length: size }, (_, i) => {
    const base = data.results[i % data.results.length]!
    return { ...base, id: 100_000 + i, slug: `aide-${i}`, url: `/aides/aide-${i}/`, name: `${String(base.name)} n° ${i}`, origin_url: `https://collectivites.ladrome.fr/service/aide-${i}/` }
  })
  return JSON.stringify({ count: size, next: null, previous: null, results })
}

export async function measureCrawl({ minMs = 400 }: { minMs?: number } = {}): Promise<CrawlBenchResult> {
  const { manifest, read } = loadReplayManifest(REPLAY_DIR)
  const ctx = (url: string) => ({ fetchedAt: FETCHED_AT, url })
  const parse: ParseThroughput[] = []
  for (const source of SOURCES) {
    const payloads = manifest.entries
      .filter((e) => e.source === source.id && !e.url.endsWith('/robots.txt') && !e.url.includes('/api/connexion/'))
      .map((e) => ({ url: e.url, body: e.body ?? read(e.file!) }))
    if (payloads.length) parse.push(throughput(source.id, payloads, (body, url) => source.parse(body, ctx(url)).records.length, minMs))
  }
  const at = SOURCES.find((s) => s.id === 'aides-territoires')!
  const drome = manifest.entries.find((e) => e.source === 'aides-territoires' && e.file)!
  const big = syntheticAtList(read(drome.file!))
  parse.push(throughput('aides-territoires (3 000 aides synthétiques)', [{ url: drome.url, body: big }], (body, url) => at.parse(body, ctx(url)).records.length, minMs))

  const dir = mkdtempSync(join(tmpdir(), 'guichet-crawl-bench-'))
  const db = openDatabase(dir)
  try {
    const clock = fixedClock('2026-03-01T02:30:00+01:00')
    const crawler = createNodeCrawler({ db, settings: parseCrawlOptions({}), clock, logger: silentLogger })
    const t1 = performance.now()
    const first = await crawler.run({ replayDir: REPLAY_DIR })
    const firstRunMs = performance.now() - t1
    const t2 = performance.now()
    const second = await crawler.run({ replayDir: REPLAY_DIR })
    const secondRunMs = performance.now() - t2
    const refreshed = await createCatalogueService({ curated: loadCuratedProgrammes(), crawled: crawler.store, index: createEmbeddedSearchIndex(), today: () => parisDay(clock.now()) }).rebuild()
    return {
      parse,
      replay: {
        firstRunMs,
        secondRunMs,
        pages: first.sources.reduce((n, s) => n + s.fetched, 0),
        notModified: second.sources.reduce((n, s) => n + s.notModified, 0),
        programmes: first.sources.reduce((n, s) => n + s.programmes, 0),
        refreshMs: refreshed.ms,
        documents: refreshed.documents,
      },
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatCrawlBench(r: CrawlBenchResult): string {
  const n = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
  const lines = [
    '| source | payloads | records / pass | KB | records/s | ms / payload |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.parse.map((p) => `| ${p.source} | ${p.payloads} | ${n(p.records)} | ${n(p.kilobytes, 1)} | ${n(p.recordsPerSecond)} | ${n(p.msPerPayload, 2)} |`),
    '',
    `Full replay crawl (${r.replay.pages} pages, ${r.replay.programmes} programmes, SQLite, every source): first run ${n(r.replay.firstRunMs)} ms; second run (${r.replay.notModified} × 304) ${n(r.replay.secondRunMs)} ms; catalogue refresh into the embedded index (${r.replay.documents} documents) ${n(r.replay.refreshMs)} ms.`,
  ]
  return lines.join('\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatCrawlBench(await measureCrawl()))
}

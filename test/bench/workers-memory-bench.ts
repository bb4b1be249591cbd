// What a Cloudflare Workers isolate (128 MB) holds per programme, to set WORKERS_MAX_PROGRAMMES
// (runtime/workers/catalogue-budget.ts). Each size runs in its own process, heap measured after a
// forced collection (`--expose-gc`), V8's heapUsed: the isolate's limit also counts the code, so
// the budget keeps a margin.
// What is measured is what the Worker holds with Meilisearch (production): the catalogue service's
// state (curated + crawled layers, the served and base catalogues), the matcher's tables and caches
// after the bench's queries — not the embedded index, which production Workers do not build. The
// crawled programmes are variants of the curated ones turned into distinct strings (a JSON round
// trip, a name and an address of their own) in the shape the D1 crawl store returns (CrawledRow).
// Two figures per size:
//   - held: the heap after a rebuild and the matches, minus the heap before any crawled row;
//   - rebuild peak: during the next rebuild, at the index's replaceAll — the previous catalogue,
//     the new one, its search documents and their JSON (fillWhenChanged hashes it, runtime/workers/search.ts)
//     all alive at once. This is the figure the budget follows.
// Run alone: `node --expose-gc --import tsx test/bench/workers-memory-bench.ts` (a table), or with
// `--size=<n>` (one JSON line); from test/bench/run.ts through benchWorkersMemory.
import { spawnSync } from 'node:child_process'
import { createCatalogueService } from '../../content/catalogue-service.ts'
import { createMatcher } from '../../content/matching.ts'
import { withPeerProjects } from '../../content/peers/peers.ts'
import { fixedClock } from '../../core/clock.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Programme } from '../../core/programme.ts'
import type { CrawledRow } from '../../crawler/crawl-store.ts'
import { canonicalUrl, dedupeKey } from '../../crawler/dedupe.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import type { SearchDocument, SearchIndex } from '../../search/search-index.ts'
import { generateVariants } from './variants.ts'

export const WORKERS_MEMORY_SIZES = [1_000, 5_000, 10_000, 20_000] as const
/** A Workers isolate's memory. */
export const ISOLATE_MB = 128
/** Kept for one request's working set (a chat turn, a match of 1,000 hits, a digest's page) and what heapUsed does not count (code, the runtime). */
export const REQUEST_MARGIN_MB = 24

export interface WorkersMemoryPoint {
  programmes: number
  /** The heap with the geography and the curated programmes, before any crawled row. */
  baseMb: number
  geographyMb: number
  heldMb: number
  rebuildPeakMb: number
}

export interface WorkersMemoryResult {
  points: WorkersMemoryPoint[]
  /** Least-squares slopes over the sizes, KB per programme. */
  heldKbPerProgramme: number
  peakKbPerProgramme: number
  /** The largest catalogue whose rebuild peak fits the isolate with the margins. */
  budget: number
}

const AT = '2026-11-01T03:00:00.000Z'
const QUERIES = [
  { commune: '18197', q: "rénovation énergétique de l'école" },
  { commune: '89446', q: 'éclairage public LED' },
  { commune: '97411', q: 'fibre et wifi public' },
  { commune: '29019', q: 'eau potable et assainissement' },
  { commune: '67482', q: 'piscine' },
]

function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with node --expose-gc')
  gc()
  gc()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

/** The crawled rows as D1 returns them: every string its own (parsed from the row's JSON). */
function crawledRows(curated: readonly Programme[], programmes: number): CrawledRow[] {
  const variants = generateVariants(curated, programmes).slice(curated.length)
  return variants.map((v, i) => {
    const official = `https://aides-territoires.beta.gouv.fr/aides/bench-${i}/`
    const programme = JSON.parse(JSON.stringify({ ...v, id: `at-bench-${i}`, name: `${v.name} — ${i}`, summary: `${v.summary} (${i})`, links: { ...v.links, official, apply: undefined }, provenance: { kind: 'crawled', sourceId: 'aides-territoires', originUrl: official, fetchedAt: AT } })) as Programme
    return { programme, sourceId: 'aides-territoires', dedupeKey: dedupeKey(programme), canonicalUrl: canonicalUrl(official), firstSeen: AT, lastSeen: AT, lastChanged: AT, stale: false, goneAt: null }
  })
}

/** Meilisearch as the Worker sees it: the documents leave (their JSON hashed first), only the ids' order answers searches. */
function remoteIndex(atReplace: (docs: SearchDocument[], json: string) => void): SearchIndex {
  let ids: string[] = []
  return {
    kind: 'meilisearch',
    async replaceAll(docs) {
      const json = JSON.stringify(docs)
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(json))
      atReplace(docs, json)
      ids = docs.map((d) => d.id)
    },
    upsert: async () => undefined,
    remove: async () => undefined,
    search: async (query) => ({ hits: ids.slice(0, query.limit ?? 20).map((id, i) => ({ id, score: 1 / (i + 1) })), total: ids.length, facets: {} }),
    setAside: async () => new Set<string>(),
    count: async () => ids.length,
  }
}

export async function measureWorkersMemory(programmes: number): Promise<WorkersMemoryPoint> {
  const before = heapMb()
  const geography = loadEtalabGeography()
  const curated = loadCuratedProgrammes()
  const geographyMb = heapMb() - before
  const baseMb = heapMb()
  let peak = 0
  let measurePeak = false
  // Measured while replaceAll holds the documents and their JSON (its arguments), the previous catalogue still served.
  const index = remoteIndex(() => {
    if (measurePeak) peak = heapMb()
  })
  const catalogues = createCatalogueService({ curated, crawled: { allRows: async () => crawledRows(curated, programmes) }, index, today: () => '2026-12-01' })
  await catalogues.rebuild()
  // A few variants share a curated programme's edition and title words: they fill it rather than enter (content/crawled-layers.ts).
  const served = catalogues.current().size
  if (served < programmes * 0.98) throw new Error(`expected about ${programmes} programmes, the catalogue holds ${served}`)
  const matcher = withPeerProjects(createMatcher({ catalogue: catalogues.current, index, clock: fixedClock('2026-12-01T10:00:00Z') }))
  for (const q of QUERIES) await matcher.match({ profile: geography.communeByInsee(q.commune)!, q: q.q })
  const heldMb = heapMb() - baseMb
  measurePeak = true
  await catalogues.rebuild()
  for (const q of QUERIES) await matcher.match({ profile: geography.communeByInsee(q.commune)!, q: q.q })
  return { programmes: served, baseMb, geographyMb, heldMb, rebuildPeakMb: peak - baseMb }
}

function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  return points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / points.reduce((s, p) => s + (p.x - mx) ** 2, 0)
}

/** Each size in a child process; the budget from the rebuild peak's slope and intercept. */
export function benchWorkersMemory(sizes: readonly number[] = WORKERS_MEMORY_SIZES): WorkersMemoryResult {
  const points = sizes.map((size) => {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, `--size=${size}`], { encoding: 'utf8', maxBuffer: 1 << 24 })
    const line = run.stdout.trim().split('\n').at(-1) ?? ''
    if (run.status !== 0 || !line.startsWith('{')) throw new Error(`workers memory bench at ${size}: ${run.stderr}`)
    return JSON.parse(line) as WorkersMemoryPoint
  })
  const held = slope(points.map((p) => ({ x: p.programmes, y: p.heldMb })))
  const peak = slope(points.map((p) => ({ x: p.programmes, y: p.rebuildPeakMb })))
  const intercept = points.reduce((s, p) => s + p.rebuildPeakMb - peak * p.programmes, 0) / points.length
  // Node's base heap holds tsx and the bench's own modules: the isolate's fixed part is counted as the geography plus the margin.
  const fixed = Math.max(...points.map((p) => p.geographyMb)) + REQUEST_MARGIN_MB + Math.max(0, intercept)
  const budget = Math.floor((ISOLATE_MB - fixed) / peak / 500) * 500
  return { points, heldKbPerProgramme: held * 1024, peakKbPerProgramme: peak * 1024, budget }
}

export function formatWorkersMemoryBench(r: WorkersMemoryResult): string {
  const rows = r.points.map((p) => `| ${p.programmes} | ${p.baseMb.toFixed(1)} MB (of which the geography ${p.geographyMb.toFixed(1)} MB) | ${p.heldMb.toFixed(1)} MB | ${p.rebuildPeakMb.toFixed(1)} MB |`)
  return [
    'Workers isolate heap (Meilisearch, no embedded index; heap after collection)',
    '',
    '| programmes | Node base: tsx, modules, geography, curated | held by the catalogue + matcher | rebuild peak (two catalogues + documents + their JSON) |',
    '|---:|---:|---:|---:|',
    ...rows,
    '',
    `Slope: ${r.heldKbPerProgramme.toFixed(1)} KB per programme held, ${r.peakKbPerProgramme.toFixed(1)} KB at the rebuild's peak.`,
    `Budget for a ${ISOLATE_MB} MB isolate (the geography + ${REQUEST_MARGIN_MB} MB for the app's code, a request and the runtime, then the rebuild peak's slope): ${r.budget} programmes (WORKERS_MAX_PROGRAMMES).`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizeArg = process.argv.find((a) => a.startsWith('--size='))
  if (sizeArg) console.log(JSON.stringify(await measureWorkersMemory(Number(sizeArg.slice('--size='.length)))))
  else console.log(formatWorkersMemoryBench(benchWorkersMemory()))
}

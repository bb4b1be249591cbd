// The one place a programme becomes what users see. Every runtime (Node server, `npm run crawl`,
// Workers), the tests and the bench build the served catalogue and its search index here.
//
// PRECEDENCE — per programme id and per field, highest first (the only statement of this rule;
// README and ARCHITECTURE.md point here):
//   1. the back office: an override of a field wins over everything below; a hidden programme
//      leaves the catalogue; a merged duplicate leaves it and its id redirects to the winner
//      (content/overrides.ts). Stored apart from files and crawls, re-applied at every rebuild.
//   2. the curated files (content/programmes/<id>.yaml). A programme created in the back office
//      counts as curated, but a file of the same id wins over it (content/created-programmes.ts).
//   3. crawled records (content/crawled-layers.ts): a crawled copy of a curated programme (a URL
//      only that programme claims, a dedupe key, or the same edition) only fills the fields the
//      file leaves out; a crawled programme matching no curated one enters as it is, one per group
//      of cross-source duplicates, the others kept as provenance.
//
// A rebuild reads the three layers, builds the catalogue, fills the search index (replaceAll:
// embedded = build then swap, Meilisearch = a temporary index then swap) and only then swaps the
// served catalogue, so a failure at any step keeps the previous catalogue and index together.
// Rebuilds run one at a time in call order: one started before an admin's change can never
// finish after the one that includes it and swap an older catalogue back in.
import type { Logger } from '../core/logger.ts'
import type { Programme } from '../core/programme.ts'
import type { CrawledRow } from '../crawler/crawl-store.ts'
import { toSearchDocument } from '../search/document.ts'
import type { SearchIndex } from '../search/search-index.ts'
import { createCatalogue, type Catalogue } from './catalogue.ts'
import { acceptCreatedProgrammes } from './created-programmes.ts'
import { layerCrawled, type CatalogueLayers } from './crawled-layers.ts'
import type { CurationSource } from './curation.ts'
import { overlayOverrides } from './overrides.ts'

/** The three layers' sources; crawl and curation are absent where a runtime has none (Workers, some tests). */
export interface CatalogueInputs {
  /** The curated files, validated (content/programmes). */
  curated: readonly Programme[]
  /** The stored crawl rows. */
  crawled?: { allRows(): Promise<readonly CrawledRow[]> }
  /** The back office's overrides, created programmes and merges. */
  curation?: CurationSource
  logger?: Pick<Logger, 'warn'>
}

/** A catalogue assembled from its layers, before any index. */
export interface AssembledCatalogue {
  /** What users see. */
  served: Catalogue
  /** The merged catalogue before the back office's overrides and merges (hidden programmes included), for the back office. */
  base: Catalogue
  layers: CatalogueLayers
  /** The back-office programmes that made it in. */
  created: Programme[]
  /** Merged loser id → its winner. */
  redirects: Map<string, string>
}

const quiet: Pick<Logger, 'warn'> = { warn: () => {} }

/** Reads the layers and applies the precedence above (no index, nothing swapped). */
export async function assembleCatalogue({ curated, crawled, curation, logger = quiet }: CatalogueInputs): Promise<AssembledCatalogue> {
  const created = curation ? acceptCreatedProgrammes(await curation.createdProgrammes(), curated, logger) : []
  const layers = layerCrawled({ curated: [...curated, ...created], rows: crawled ? await crawled.allRows() : [] })
  const base = createCatalogue({ curated: layers.curated, crawled: layers.crawled })
  if (!curation) return { served: base, base, layers, created, redirects: new Map() }
  const { catalogue, rejected, redirects } = overlayOverrides(base, await curation.overrides(), (id) => layers.standsFor.get(id) ?? id, await curation.merges())
  for (const r of rejected) logger.warn('admin override not applied', r)
  return { served: catalogue, base, layers, created, redirects }
}

export interface RebuildReport {
  documents: number
  ms: number
  /** The day calendar statuses were evaluated on (YYYY-MM-DD, Paris). */
  day: string
  engine: SearchIndex['kind']
}

export interface CatalogueServiceOptions extends CatalogueInputs {
  index: SearchIndex
  /** Today in Paris (YYYY-MM-DD): the index stores calendar statuses as of that day. */
  today: () => string
  /** After each successful rebuild (the Node runtime records it in index_builds and logs it). */
  onRebuilt?: (report: RebuildReport) => void
}

export interface CatalogueService {
  /** The served catalogue. */
  current(): Catalogue
  /** The merged catalogue before overrides and merges. */
  base(): Catalogue
  /** The curated files. */
  curated(): readonly Programme[]
  /** The back-office programmes in the current catalogue. */
  created(): readonly Programme[]
  /** Merged loser id → winner id. */
  redirects(): ReadonlyMap<string, string>
  /** The catalogue id that stands for an id: a crawled duplicate's curated programme or group winner; else the id itself. */
  catalogueIdOf(id: string): string
  /** Where an id leads users: crawled id → catalogue id → the winner of a merge (the same id when nothing redirects it). */
  resolveId(id: string): string
  /** Rebuilds catalogue and index and swaps both; one at a time, in call order. */
  rebuild(): Promise<RebuildReport>
}

export function createCatalogueService(options: CatalogueServiceOptions): CatalogueService {
  const { curated, index, today, onRebuilt } = options
  let state: AssembledCatalogue = (() => {
    const base = createCatalogue({ curated: [...curated] })
    return { served: base, base, layers: { curated: [...curated], crawled: [], provenance: new Map(), standsFor: new Map() }, created: [], redirects: new Map() }
  })()

  async function rebuildNow(): Promise<RebuildReport> {
    const started = performance.now()
    const day = today()
    const next = await assembleCatalogue(options)
    const docs = next.served.all().map((p) => toSearchDocument(p, day))
    await index.replaceAll(docs)
    // Swapped only once the index holds the new documents: a failure keeps the old pair.
    state = next
    const report = { documents: docs.length, ms: performance.now() - started, day, engine: index.kind }
    onRebuilt?.(report)
    return report
  }

  let queue: Promise<unknown> = Promise.resolve()
  return {
    current: () => state.served,
    base: () => state.base,
    curated: () => curated,
    created: () => state.created,
    redirects: () => state.redirects,
    catalogueIdOf: (id) => state.layers.standsFor.get(id) ?? id,
    resolveId(id) {
      const catalogueId = state.layers.standsFor.get(id) ?? id
      return state.redirects.get(catalogueId) ?? catalogueId
    },
    rebuild() {
      const next = queue.then(rebuildNow, rebuildNow)
      queue = next.catch(() => undefined)
      return next
    },
  }
}

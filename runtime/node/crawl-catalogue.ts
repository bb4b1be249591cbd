// The catalogue after a crawl: curated programmes (their gaps filled from crawled copies, their
// set fields untouched) plus the crawled programmes that match none, deduplicated across
// sources (crawler/catalogue-layers.ts). The search index is rebuilt with replaceAll (embedded:
// build then swap; Meilisearch: fill a temporary index then swap) and only then is the new
// catalogue swapped in, so a failure leaves the old catalogue and index both in place.
import { createCatalogue, type Catalogue } from '../../content/catalogue.ts'
import type { Programme } from '../../core/programme.ts'
import { layerCrawled, type CatalogueLayers } from '../../crawler/catalogue-layers.ts'
import type { CrawlStore } from '../../crawler/crawl-store.ts'
import { toSearchDocument } from '../../search/document.ts'
import type { SearchIndex } from '../../search/search-index.ts'

export interface BuiltCatalogue {
  catalogue: Catalogue
  layers: CatalogueLayers
}

export async function buildCatalogue({ curated, store }: { curated: readonly Programme[]; store: Pick<CrawlStore, 'allRows'> }): Promise<BuiltCatalogue> {
  const layers = layerCrawled({ curated, rows: await store.allRows() })
  return { catalogue: createCatalogue({ curated: layers.curated, crawled: layers.crawled }), layers }
}

export interface RefreshCatalogueOptions {
  curated: readonly Programme[]
  store: Pick<CrawlStore, 'allRows'>
  index: SearchIndex
  /** The day calendar statuses are evaluated on (YYYY-MM-DD, Paris). */
  today: string
  /** Called with the new catalogue once the index holds its documents. */
  swap: (catalogue: Catalogue) => void
}

export async function refreshCatalogue({ curated, store, index, today, swap }: RefreshCatalogueOptions): Promise<BuiltCatalogue & { documents: number; ms: number }> {
  const started = performance.now()
  const built = await buildCatalogue({ curated, store })
  const docs = built.catalogue.all().map((p) => toSearchDocument(p, today))
  await index.replaceAll(docs)
  swap(built.catalogue)
  return { ...built, documents: docs.length, ms: performance.now() - started }
}

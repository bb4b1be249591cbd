// The catalogue: a read-only set of programmes by id, built from two layers where the first
// (curated) wins outright over the second. What goes in each layer, and the back office's
// overrides on top, is decided by content/catalogue-service.ts (the precedence rule is there);
// a new catalogue is built and swapped in when content changes.
import type { Programme } from '../core/programme.ts'

export interface Catalogue {
  readonly size: number
  all(): readonly Programme[]
  get(id: string): Programme | undefined
}

/** The two lists a catalogue is made of: the first wins over the second for an id. */
export interface CatalogueParts {
  curated: Programme[]
  crawled?: Programme[]
}

export function createCatalogue({ curated, crawled = [] }: CatalogueParts): Catalogue {
  const byId = new Map<string, Programme>()
  for (const p of crawled) byId.set(p.id, p)
  // Curated files are whole, validated programmes: where one exists it wins outright.
  for (const p of curated) byId.set(p.id, p)
  const list = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))
  return {
    size: list.length,
    all: () => list,
    get: (id) => byId.get(id),
  }
}

// From stored crawl rows to the two layers the catalogue merges (content/catalogue-service.ts): curated programmes (with
// the gaps their files leave filled from a crawled copy of the same programme) and the crawled
// programmes that match no curated one, one per group of cross-source duplicates (Aides-territoires,
// a région and Welcome Europe relaying the same call), with every source kept as provenance.
//
// A crawled programme is the curated one when they share a URL that only this curated programme
// claims (official, apply or a source it cites), a dedupe key, or an edition (same deadlines,
// same level, a distinctive title word in common).
//
// Curation wins: a field set in content/ is never taken from a crawl. A curated file can leave
// out only a few fields a crawl may then fill: shortName, links.apply, aid (when the file gives no
// figure) and calendar editions (when the file lists none, for calls that have editions). A
// curated eligibility is never touched: its silences (no territory = everywhere) are decisions.
// Programmes of a source that keeps failing are marked stale (an "existence" uncertainty), never
// dropped; programmes a source stopped listing are left out (their rows are kept).
import { ProgrammeSchema, type Programme } from '../core/programme.ts'
import type { CrawledRow } from '../crawler/crawl-store.ts'
import { canonicalUrl, dedupeKey, duplicateGroups, lastDeadline, normalizeTitle, seenAt, type SeenAt } from '../crawler/dedupe.ts'

export interface CatalogueLayers {
  curated: Programme[]
  crawled: Programme[]
  /** Catalogue id → where the programme was also seen (crawl sources), beyond its own provenance. */
  provenance: Map<string, SeenAt[]>
  /** Crawled id → the catalogue id that stands for it (a curated id or the group's winner). */
  standsFor: Map<string, string>
}

export function staleNote(row: Pick<CrawledRow, 'sourceId' | 'lastSeen'>): string {
  return `La source « ${row.sourceId} » n'a pas pu être relue lors des dernières collectes (dernière lecture le ${row.lastSeen.slice(0, 10)}) : fiche peut-être périmée.`
}

function markStale(row: CrawledRow): Programme {
  return { ...row.programme, uncertain: [...row.programme.uncertain, { field: 'existence', note: staleNote(row) }] }
}

/** URL or key → curated id, only where exactly one curated programme claims it (generic pages are shared). */
function uniqueIndex(curated: readonly Programme[], keysOf: (p: Programme) => string[]): Map<string, string> {
  const owners = new Map<string, Set<string>>()
  for (const p of curated) for (const k of new Set(keysOf(p))) owners.set(k, (owners.get(k) ?? new Set()).add(p.id))
  return new Map([...owners].filter(([, ids]) => ids.size === 1).map(([k, ids]) => [k, [...ids][0]!]))
}

function curatedUrls(p: Programme): string[] {
  const urls = [p.links.official, ...(p.links.apply ? [p.links.apply] : []), ...(p.provenance.kind === 'curated' ? p.provenance.sources : [])]
  return urls.map(canonicalUrl)
}

const GENERIC_WORDS = new Set(['appel', 'appels', 'projet', 'projets', 'programme', 'aide', 'aides', 'fonds', 'soutien', 'financement', 'financements', 'subvention', 'call', 'calls', 'proposals', 'manifestation', 'interet', 'edition', 'collectivites', 'territoriales'])

/** Title words that tell one call from another ("generaliste", "jeunesse"), years and small words left out. */
function distinctiveWords(p: Programme): Set<string> {
  return new Set(normalizeTitle(`${p.name} ${p.shortName ?? ''}`).split(' ').filter((w) => w.length >= 4 && !/^\d+$/.test(w) && !GENERIC_WORDS.has(w)))
}

function editionKeys(p: Programme): string[] {
  return p.calendar.editions.filter((e) => e.deadlines.length > 0).map((e) => e.deadlines.join(','))
}

/**
 * The curated programme with an edition of the same deadlines, the same level and a title word
 * in common: how "Appel à projets généraliste 2024-2026" on diplomatie.gouv.fr finds the curated
 * DCTCIV call whose file lists that edition. Only when exactly one curated programme fits.
 */
function byEdition(curated: readonly Programme[]): (p: Programme) => string | undefined {
  const index = new Map<string, Programme[]>()
  for (const c of curated) for (const k of new Set(editionKeys(c))) index.set(k, [...(index.get(k) ?? []), c])
  return (p) => {
    const words = distinctiveWords(p)
    const fits = new Set<string>()
    for (const k of editionKeys(p)) {
      for (const c of index.get(k) ?? []) {
        if (c.level === p.level && [...distinctiveWords(c)].some((w) => words.has(w))) fits.add(c.id)
      }
    }
    return fits.size === 1 ? [...fits][0] : undefined
  }
}

function crawledUrls(p: Programme): string[] {
  return [p.links.official, ...(p.provenance.kind === 'crawled' ? [p.provenance.originUrl] : [])].map(canonicalUrl)
}

/** The curated programme with the gaps its file leaves filled from crawled copies (freshest first). */
export function fillCuratedGaps(curated: Programme, copies: readonly Programme[]): Programme {
  const out: Programme = structuredClone(curated)
  const freshest = [...copies].sort((a, b) => lastDeadline(b).localeCompare(lastDeadline(a)))
  for (const c of freshest) {
    if (!out.shortName && c.shortName) out.shortName = c.shortName
    if (!out.links.apply && c.links.apply) out.links.apply = c.links.apply
    if (Object.keys(out.aid).length === 0 && Object.keys(c.aid).length > 0) out.aid = structuredClone(c.aid)
    if (out.calendar.editions.length === 0 && c.calendar.editions.length > 0 && (out.calendar.kind === 'oneOff' || out.calendar.kind === 'recurring')) {
      out.calendar.editions = structuredClone(c.calendar.editions)
    }
  }
  const checked = ProgrammeSchema.safeParse(out)
  return checked.success ? checked.data : curated
}

export function layerCrawled({ curated, rows }: { curated: readonly Programme[]; rows: readonly CrawledRow[] }): CatalogueLayers {
  const listed = rows.filter((r) => !r.goneAt)
  const programmes = listed.map((r) => (r.stale ? markStale(r) : r.programme))
  const byUrl = uniqueIndex(curated, curatedUrls)
  const byKey = uniqueIndex(curated, (p) => [dedupeKey(p)])
  const sameEdition = byEdition(curated)
  const curatedById = new Map(curated.map((p) => [p.id, p]))

  const copiesOf = new Map<string, Programme[]>()
  const provenance = new Map<string, SeenAt[]>()
  const standsFor = new Map<string, string>()
  const crawled: Programme[] = []

  for (const group of duplicateGroups(programmes)) {
    const members = group.map((i) => programmes[i]!)
    const candidates = new Set<string>()
    for (const m of members) {
      for (const url of crawledUrls(m)) {
        const id = byUrl.get(url)
        if (id) candidates.add(id)
      }
      const id = byKey.get(dedupeKey(m)) ?? sameEdition(m)
      if (id) candidates.add(id)
    }
    // A group that points at two curated programmes is left as crawled: better a visible
    // duplicate than a programme's dates pinned on the wrong one.
    const target = candidates.size === 1 ? [...candidates][0]! : undefined
    if (target) {
      copiesOf.set(target, [...(copiesOf.get(target) ?? []), ...members])
      provenance.set(target, [...(provenance.get(target) ?? []), ...members.map(seenAt)])
      for (const m of members) standsFor.set(m.id, target)
    } else {
      const winner = members[0]!
      crawled.push(winner)
      provenance.set(winner.id, members.slice(1).map(seenAt))
      for (const m of members) standsFor.set(m.id, winner.id)
    }
  }

  const layered = curated.map((p) => {
    const copies = copiesOf.get(p.id)
    return copies ? fillCuratedGaps(curatedById.get(p.id)!, copies) : p
  })
  return { curated: layered, crawled, provenance, standsFor }
}

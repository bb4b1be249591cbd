// Comparable funded projects and per-département statistics over the Fonds vert 2023 projects:
// same measure (or theme), similar population (bands), the same département first, then the région,
// then France. Pure functions over PeerProject lists; never an eligibility judgement.
import type { ThemeId } from '../../core/themes.ts'
import type { PeerProject } from './projects.ts'

export const POPULATION_BANDS = [
  { id: '0-499', min: 0, max: 499, label: 'moins de 500 habitants' },
  { id: '500-1999', min: 500, max: 1999, label: 'de 500 à 1 999 habitants' },
  { id: '2000-3499', min: 2000, max: 3499, label: 'de 2 000 à 3 499 habitants' },
  { id: '3500-9999', min: 3500, max: 9999, label: 'de 3 500 à 9 999 habitants' },
  { id: '10000-49999', min: 10000, max: 49999, label: 'de 10 000 à 49 999 habitants' },
  { id: '50000+', min: 50000, max: Number.POSITIVE_INFINITY, label: '50 000 habitants et plus' },
] as const
export type PopulationBandId = (typeof POPULATION_BANDS)[number]['id']
export const POPULATION_BAND_IDS = POPULATION_BANDS.map((b) => b.id) as [PopulationBandId, ...PopulationBandId[]]

export function populationBand(population: number | undefined): PopulationBandId | undefined {
  if (population === undefined) return undefined
  return POPULATION_BANDS.find((b) => population >= b.min && population <= b.max)?.id
}

function bandIndex(id: PopulationBandId | undefined): number | undefined {
  const i = POPULATION_BANDS.findIndex((b) => b.id === id)
  return i < 0 ? undefined : i
}

export type PeerScope = 'departement' | 'region' | 'france'

export interface ComparableQuery {
  /** The collectivité asking: its département, région and population. */
  departement?: string
  region?: string
  population?: number
  /** One measure (démarche number), else any measure funding one of these themes. */
  measure?: string
  themes?: readonly ThemeId[]
  /** A population band asked for explicitly (else the one of `population`). */
  band?: PopulationBandId
  limit?: number
}

export interface ComparableProject extends PeerProject {
  /** Where it stands from the collectivité: its département, its région, elsewhere in France. */
  scope: PeerScope
  band?: PopulationBandId
}

/** The projects of a measure, or of any measure funding one of the themes (all when neither is given). */
export function ofMeasureOrThemes(projects: readonly PeerProject[], q: Pick<ComparableQuery, 'measure' | 'themes'>): PeerProject[] {
  if (q.measure) return projects.filter((p) => p.measure.id === q.measure)
  if (q.themes?.length) return projects.filter((p) => p.themes.some((t) => q.themes!.includes(t)))
  return [...projects]
}

/**
 * The most comparable projects, best first: same département, then same région, then France; within
 * each, the closest population band first (an explicit band keeps only that band), then the closest
 * population, then the larger amount. Projects with no commune (département-wide) come last in their scope.
 * France-wide ones are kept only in the same band (there are too many otherwise).
 */
export function comparableProjects(projects: readonly PeerProject[], q: ComparableQuery): ComparableProject[] {
  const wanted = q.band ?? populationBand(q.population)
  const wantedIndex = bandIndex(wanted)
  const scored: Array<{ p: PeerProject; scope: PeerScope; band: PopulationBandId | undefined; rank: number[] }> = []
  for (const p of ofMeasureOrThemes(projects, q)) {
    const scope: PeerScope = q.departement && p.departement === q.departement ? 'departement' : q.region && p.region === q.region ? 'region' : 'france'
    const band = populationBand(p.commune?.population)
    if (q.band && band !== q.band) continue
    const index = bandIndex(band)
    const distance = wantedIndex === undefined ? 0 : index === undefined ? 9 : Math.abs(index - wantedIndex)
    if (scope === 'france' && wantedIndex !== undefined && distance > 0) continue
    const closeness = q.population && p.commune?.population ? Math.abs(Math.log(p.commune.population / q.population)) : 99
    scored.push({ p, scope, band, rank: [SCOPE_RANK[scope], distance, closeness, -p.amountCents] })
  }
  scored.sort((a, b) => compareRanks(a.rank, b.rank))
  // Only the projects returned are copied with their scope and band.
  return scored.slice(0, q.limit ?? 5).map(({ p, scope, band }) => ({ ...p, scope, ...(band ? { band } : {}) }))
}

const SCOPE_RANK: Record<PeerScope, number> = { departement: 0, region: 1, france: 2 }

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

export interface MeasureStats {
  departement: string
  measure: { id: string; label: string }
  count: number
  /** The median amount (of an even count, the mean of the two middle amounts, rounded to the cent). */
  medianCents: number
  totalCents: number
}

/** The median of integer cents (even count: the two middle values' mean, rounded). */
export function medianCents(amounts: readonly number[]): number {
  const s = [...amounts].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2)
}

/** Per département and measure: how many projects, the median and the total amount; by département, then most projects first. */
export function statsByDepartementAndMeasure(projects: readonly PeerProject[]): MeasureStats[] {
  const groups = new Map<string, PeerProject[]>()
  for (const p of projects) {
    const key = `${p.departement}|${p.measure.id}`
    const list = groups.get(key)
    if (list) list.push(p)
    else groups.set(key, [p])
  }
  return [...groups.values()]
    .map((list) => ({
      departement: list[0]!.departement,
      measure: list[0]!.measure,
      count: list.length,
      medianCents: medianCents(list.map((p) => p.amountCents)),
      totalCents: list.reduce((t, p) => t + p.amountCents, 0),
    }))
    .sort((a, b) => a.departement.localeCompare(b.departement) || b.count - a.count || a.measure.id.localeCompare(b.measure.id))
}

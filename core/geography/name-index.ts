// The geography's lookup tables and the searches over them: départements and régions by name
// (aliases included), the commune name keys and their trigram index, the EPCI name keys, and the
// code lookups (a commune by any of its codes, a département or région by code or name). Searches
// answer ranked hits on Etalab records; resolve.ts turns them into answers.
import { DEPARTEMENT_CODE } from '../codes.ts'
import type { CollectiviteProfile } from '../profile.ts'
import type { GeographyRecords, Profiles } from './build.ts'
import { pushTo } from './build.ts'
import { FAMILY_OF_KIND, parseEpciKey, type EpciKey } from './epci-names.ts'
import { boundedDistance, maxTypos, normalizeName, stripLeadingArticle, withoutParenthesis } from './normalize.ts'
import { TrigramIndex } from './trigram-index.ts'
import type { EtalabCommune, EtalabDepartement, EtalabEpci, EtalabRegion, GeographyData, MatchKind } from './types.ts'

const REGION_ALIASES: Record<string, string> = {
  paca: '93',
  idf: '11',
  aura: '84',
  bfc: '27',
  hdf: '32',
  centre: '24',
  // Collectivités à statut particulier that hold the région's (and département's) competences:
  // named as such, they are the région (a programme may admit them by that code).
  'collectivite de corse': '94',
  'collectivite territoriale de corse': '94',
  'collectivite territoriale de guyane': '03',
  'collectivite territoriale de martinique': '02',
}

/** A département code as the lookups read one (in capitals): DEPARTEMENT_CODE, or one digit for "05". */
export const isDeptCode = (s: string): boolean => /^\d$/.test(s) || DEPARTEMENT_CODE.test(s)

export const TIER: Record<MatchKind, number> = { exact: 0, variant: 1, partial: 2, fuzzy: 3 }

export interface Hit<T> {
  item: T
  match: MatchKind
  distance: number
  /** Extra tie-breaker before population (EPCI: 0 when the kind named in the query matches). */
  bonus: number
}

function rankHits<T>(hits: Hit<T>[], population: (t: T) => number, name: (t: T) => string): Hit<T>[] {
  return hits.sort(
    (a, b) =>
      TIER[a.match] - TIER[b.match] ||
      a.distance - b.distance ||
      a.bonus - b.bonus ||
      population(b.item) - population(a.item) ||
      name(a.item).localeCompare(name(b.item), 'fr'),
  )
}

export type Filter = (c: EtalabCommune) => boolean

export interface NameIndex {
  regionByName: Map<string, EtalabRegion>
  deptByName: Map<string, EtalabDepartement>
  epciByFullKey: Map<string, EtalabEpci[]>
  /** A current commune by its code, or by the code of what it absorbed (old, delegated, associated, arrondissement). */
  findCommuneRecord(code: string): EtalabCommune | undefined
  /** By code ("89", "2A", "5" for "05") or name. */
  findDept(codeOrName: string): EtalabDepartement | undefined
  /** By code ("76", "4" for "04") or name. */
  findRegion(codeOrName: string): EtalabRegion | undefined
  /** Communes matching a normalised key; fuzzy hits fill up to limit after every exact/variant one. */
  searchCommunes(query: string, filter: Filter | undefined, limit: number): Hit<EtalabCommune>[]
  searchEpci(input: string, limit: number): Hit<EtalabEpci>[]
  /** Départements and régions within maxTypos of the query, as suggestions. */
  fuzzyDeptsAndRegions(query: string): { profile: CollectiviteProfile; distance: number }[]
}

/** Régions and départements by normalised name, and by the name without its article. */
function territoryNames(data: GeographyData, regionByCode: Map<string, EtalabRegion>): Pick<NameIndex, 'regionByName' | 'deptByName'> {
  const regionByName = new Map<string, EtalabRegion>()
  for (const r of data.regions) {
    const key = normalizeName(r.nom)
    regionByName.set(key, r)
    if (!regionByName.has(stripLeadingArticle(key))) regionByName.set(stripLeadingArticle(key), r)
  }
  for (const [alias, code] of Object.entries(REGION_ALIASES)) {
    const r = regionByCode.get(code)
    if (r && !regionByName.has(alias)) regionByName.set(alias, r)
  }
  const deptByName = new Map<string, EtalabDepartement>()
  for (const d of data.departements) {
    const key = normalizeName(d.nom)
    deptByName.set(key, d)
    if (!deptByName.has(stripLeadingArticle(key))) deptByName.set(stripLeadingArticle(key), d)
  }
  return { regionByName, deptByName }
}

interface CommuneNames {
  /** Each commune's normalised name. */
  communeKey: string[]
  keyIds: Map<string, number>
  /** The communes (indexes) each key leads to. */
  keyCommunes: number[][]
  communeIndex: TrigramIndex
}

/**
 * Name keys: the normalised name, its article-less variant, and for "Château-Chinon (Ville)"
 * the name without the parenthesis. Each key lists the communes (indexes) it leads to.
 */
function communeNames(communes: readonly EtalabCommune[]): CommuneNames {
  const communeKey: string[] = new Array<string>(communes.length)
  const keyIds = new Map<string, number>()
  const keys: string[] = []
  const keyCommunes: number[][] = []
  const addKey = (key: string, ci: number): void => {
    if (!key) return
    let id = keyIds.get(key)
    if (id === undefined) {
      id = keys.length
      keyIds.set(key, id)
      keys.push(key)
      keyCommunes.push([ci])
    } else {
      const list = keyCommunes[id]!
      if (list[list.length - 1] !== ci) list.push(ci)
    }
  }
  for (let ci = 0; ci < communes.length; ci++) {
    const nom = communes[ci]!.nom
    const key = normalizeName(nom)
    communeKey[ci] = key
    addKey(key, ci)
    addKey(stripLeadingArticle(key), ci)
    if (nom.includes('(')) {
      const bareKey = normalizeName(withoutParenthesis(nom))
      addKey(bareKey, ci)
      addKey(stripLeadingArticle(bareKey), ci)
    }
  }
  return { communeKey, keyIds, keyCommunes, communeIndex: new TrigramIndex(keys) }
}

interface EpciNames {
  epciKeys: Map<EtalabEpci, EpciKey>
  /** Full name, "cc pays fontainebleau", acronym. */
  epciByFullKey: Map<string, EtalabEpci[]>
  epciByCore: Map<string, EtalabEpci[]>
}

function epciNames(data: GeographyData): EpciNames {
  const epciKeys = new Map<EtalabEpci, EpciKey>()
  const epciByFullKey = new Map<string, EtalabEpci[]>()
  const epciByCore = new Map<string, EtalabEpci[]>()
  for (const e of data.epci) {
    const full = normalizeName(withoutParenthesis(e.nom))
    const parsed = parseEpciKey(full)
    const family = FAMILY_OF_KIND[e.type]
    epciKeys.set(e, { ...parsed, family })
    pushTo(epciByFullKey, full, e)
    pushTo(epciByFullKey, `${family} ${parsed.core}`, e)
    const paren = /\(([^)]*)\)\s*$/.exec(e.nom)
    if (paren) pushTo(epciByFullKey, normalizeName(paren[1]!), e)
    if (parsed.core) pushTo(epciByCore, parsed.core, e)
  }
  return { epciKeys, epciByFullKey, epciByCore }
}

/** The built tables the searches read. */
interface NameTables extends CommuneNames, EpciNames, Pick<NameIndex, 'regionByName' | 'deptByName'> {
  records: GeographyRecords
  profiles: Profiles
}

export function createNameIndex(data: GeographyData, records: GeographyRecords, profiles: Profiles): NameIndex {
  const n: NameTables = { records, profiles, ...territoryNames(data, records.regionByCode), ...communeNames(records.communes), ...epciNames(data) }
  return {
    regionByName: n.regionByName,
    deptByName: n.deptByName,
    epciByFullKey: n.epciByFullKey,
    findCommuneRecord: (code) => findCommuneRecord(n, code),
    findDept: (codeOrName) => findDept(n, codeOrName),
    findRegion: (codeOrName) => findRegion(n, codeOrName),
    searchCommunes: (query, filter, limit) => searchCommunes(n, query, filter, limit),
    searchEpci: (input, limit) => searchEpci(n, input, limit),
    fuzzyDeptsAndRegions: (query) => fuzzyDeptsAndRegions(n, query),
  }
}

function findCommuneRecord(n: NameTables, code: string): EtalabCommune | undefined {
  let c = code.trim().toUpperCase()
  for (let hops = 0; hops < 4; hops++) {
    const found = n.records.communeByCode.get(c)
    if (found) return found
    const next = n.records.aliasCode.get(c)
    if (!next) return undefined
    c = next
  }
  return undefined
}

function findDept(n: NameTables, codeOrName: string): EtalabDepartement | undefined {
  const s = codeOrName.trim()
  if (isDeptCode(s.toUpperCase())) return n.records.deptByCode.get(s.length === 1 ? `0${s}` : s.toUpperCase())
  const key = normalizeName(s)
  return n.deptByName.get(key) ?? n.deptByName.get(stripLeadingArticle(key))
}

function findRegion(n: NameTables, codeOrName: string): EtalabRegion | undefined {
  const s = codeOrName.trim()
  if (/^\d{1,3}$/.test(s)) return n.records.regionByCode.get(s.length === 1 ? `0${s}` : s)
  const key = normalizeName(s)
  return n.regionByName.get(key) ?? n.regionByName.get(stripLeadingArticle(key))
}

const population = (c: EtalabCommune): number => c.population ?? 0

function searchCommunes(n: NameTables, query: string, filter: Filter | undefined, limit: number): Hit<EtalabCommune>[] {
  if (!query) return []
  const hits = new Map<number, Hit<EtalabCommune>>()
  const consider = (ci: number, match: MatchKind, distance: number): void => {
    const c = n.records.communes[ci]!
    if (filter && !filter(c)) return
    const prev = hits.get(ci)
    if (prev && (TIER[prev.match] < TIER[match] || (prev.match === match && prev.distance <= distance))) return
    hits.set(ci, { item: c, match, distance, bonus: 0 })
  }
  for (const key of new Set([query, stripLeadingArticle(query)])) {
    const id = n.keyIds.get(key)
    if (id === undefined) continue
    for (const ci of n.keyCommunes[id]!) consider(ci, n.communeKey[ci] === query ? 'exact' : 'variant', 0)
  }
  const sure = hits.size
  const maxDist = maxTypos(query)
  if (maxDist > 0) {
    n.communeIndex.search(query, maxDist, (k, d) => {
      for (const ci of n.keyCommunes[k]!) if (!hits.has(ci)) consider(ci, 'fuzzy', d)
    })
  }
  const ranked = rankHits([...hits.values()], population, (c) => c.nom)
  return ranked.slice(0, Math.max(limit, sure))
}

const epciPopulation = (e: EtalabEpci): number => e.populationTotale

function searchEpci(n: NameTables, input: string, limit: number): Hit<EtalabEpci>[] {
  const full = normalizeName(withoutParenthesis(input))
  const q = parseEpciKey(full)
  const hits = new Map<EtalabEpci, Hit<EtalabEpci>>()
  const add = (e: EtalabEpci, match: MatchKind, distance: number): void => {
    const prev = hits.get(e)
    if (prev && (TIER[prev.match] < TIER[match] || (prev.match === match && prev.distance <= distance))) return
    const bonus = q.family && q.family !== FAMILY_OF_KIND[e.type] ? 1 : 0
    hits.set(e, { item: e, match, distance, bonus })
  }
  const paren = /\(([^)]*)\)\s*$/.exec(input)
  for (const key of [full, q.family && `${q.family} ${q.core}`, paren && normalizeName(paren[1]!)]) {
    if (!key) continue
    for (const e of n.epciByFullKey.get(key) ?? []) add(e, 'exact', 0)
  }
  if (!q.core) return rankHits([...hits.values()], epciPopulation, (e) => e.nom).slice(0, limit)
  for (const e of n.epciByCore.get(q.core) ?? []) add(e, q.family === FAMILY_OF_KIND[e.type] ? 'exact' : 'variant', 0)
  const maxDist = maxTypos(q.core)
  for (const [e, k] of n.epciKeys) {
    if (hits.get(e)?.match === 'exact' || !k.core) continue
    if (q.tokens.every((t) => k.tokens.includes(t))) add(e, 'partial', k.tokens.length - q.tokens.length)
    else if (maxDist > 0) {
      const d = boundedDistance(q.core, k.core, maxDist)
      if (d <= maxDist) add(e, 'fuzzy', d)
    }
  }
  return rankHits([...hits.values()], epciPopulation, (e) => e.nom).slice(0, limit)
}

function fuzzyDeptsAndRegions(n: NameTables, query: string): { profile: CollectiviteProfile; distance: number }[] {
  const maxDist = maxTypos(query)
  if (maxDist === 0) return []
  const out: { profile: CollectiviteProfile; distance: number }[] = []
  const seen = new Set<unknown>()
  const scan = <T>(byName: Map<string, T>, toProfile: (t: T) => CollectiviteProfile): void => {
    for (const [key, item] of byName) {
      if (seen.has(item)) continue
      const d = boundedDistance(query, key, maxDist)
      if (d <= maxDist) {
        seen.add(item)
        out.push({ profile: toProfile(item), distance: d })
      }
    }
  }
  scan(n.deptByName, n.profiles.departement)
  scan(n.regionByName, n.profiles.region)
  return out
}

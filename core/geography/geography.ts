// French geography from the official Etalab data (@etalab/decoupage-administratif): communes,
// EPCI à fiscalité propre, départements and régions turned into CollectiviteProfile, with the
// lookups a mayor's words need (INSEE code, postal code, SIREN, names with typos, homonyms).
//
// Pure: the data is passed in (core/geography/etalab-data.ts loads the package's JSON), every map
// is built once in createGeography, profiles are made on demand (fresh objects, safe to mutate).
//
// Matching rule, shared by every name lookup:
// - names are compared on normalised keys (normalize.ts): case, accents, hyphens, apostrophes and
//   "St"/"Ste" do not matter;
// - 'exact': the normalised keys are equal; 'variant': equal once a leading article ("le", "la",
//   "les", "l'") or a trailing parenthesis is dropped on either side ("Havre" = "Le Havre",
//   "Réunion" = "La Réunion"); for EPCI, 'variant' also means the same name with another kind
//   ("CC du Pays de Fontainebleau" names the CA du Pays de Fontainebleau);
// - 'partial' (EPCI only): every word of the query is in the EPCI's name;
// - 'fuzzy': within maxTypos(query) edits (Damerau-Levenshtein): 0 up to 3 letters, 1 up to 5,
//   2 up to 10, 3 beyond. Candidates come from a trigram index (q-gram filter: a name within d
//   edits shares at least |trigrams(query)| - 3d trigrams with the query), so a lookup touches
//   only the posting lists of the query's trigrams and computes distances on the few survivors.
// findCommunes/findEpci return all of these, ranked by tier, distance, population. resolve()
// answers 'found' only for exact or variant matches (one candidate) and never auto-corrects a
// typo: a fuzzy-only match is 'notFound' with suggestions ("Vezelai" → "Vézelay (89)"), so that the
// API answers 404 with a "did you mean", and the dialogue asks rather than guesses.
import type { EpciKind, Zone } from '../applicants.ts'
import type { CollectiviteProfile, CollectiviteType } from '../profile.ts'
import { boundedDistance, maxTypos, normalizeName, stripLeadingArticle, withoutParenthesis } from './normalize.ts'

// ---------------------------------------------------------------------------------------------
// Etalab data, as found in @etalab/decoupage-administratif/data/*.json (v6)

export type EtalabCommuneType = 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal'

export interface EtalabCommune {
  code: string
  nom: string
  type: EtalabCommuneType
  zone: Zone
  departement: string
  region: string
  arrondissement?: string
  typeLiaison?: number
  rangChefLieu?: number
  siren?: string
  codesPostaux?: string[]
  /** Population municipale. */
  population?: number
  /** Codes of the communes merged into this one (commune nouvelle). */
  anciensCodes?: string[]
  /** Commune déléguée / associée: the code of the commune it now belongs to. */
  chefLieu?: string
  /** Arrondissement municipal: the code of its commune (Paris, Lyon, Marseille). */
  commune?: string
}

export interface EtalabEpciMember {
  code: string
  siren: string
  nom: string
  populationTotale?: number
  populationMunicipale?: number
}

export interface EtalabEpci {
  /** SIREN. */
  code: string
  nom: string
  type: EpciKind
  modeFinancement?: string
  populationTotale: number
  populationMunicipale: number
  membres: EtalabEpciMember[]
}

export interface EtalabDepartement {
  code: string
  nom: string
  region: string
  chefLieu?: string
  typeLiaison?: number
  zone: Zone
}

export interface EtalabRegion {
  code: string
  nom: string
  chefLieu?: string
  typeLiaison?: number
  zone: Zone
}

export interface GeographyData {
  communes: readonly EtalabCommune[]
  epci: readonly EtalabEpci[]
  departements: readonly EtalabDepartement[]
  regions: readonly EtalabRegion[]
}

// ---------------------------------------------------------------------------------------------
// Public API

export type MatchKind = 'exact' | 'variant' | 'partial' | 'fuzzy'

export interface NameMatch {
  profile: CollectiviteProfile
  match: MatchKind
  /** Edits between the query and the name (0 for exact and variant matches). */
  distance: number
}

/** A "did you mean": label reads "Vézelay (89)"; code is the INSEE code, SIREN or département/région code. */
export interface Suggestion {
  label: string
  code: string
  type: CollectiviteType
}

export type Resolution =
  | { kind: 'found'; profile: CollectiviteProfile }
  | { kind: 'ambiguous'; candidates: CollectiviteProfile[] }
  | { kind: 'notFound'; suggestions: Suggestion[] }
/** Same as Resolution (the name bot/api uses). */
export type ResolveResult = Resolution

export interface Geography {
  /** A current commune by INSEE code; an old, delegated or associated commune's code, or a Paris/Lyon/Marseille arrondissement's, gives the commune it belongs to now. */
  communeByInsee(code: string): CollectiviteProfile | undefined
  /** Every current commune served by a postal code, most populous first. */
  communesByPostalCode(postalCode: string): CollectiviteProfile[]
  /** An EPCI à fiscalité propre by SIREN. */
  epciBySiren(siren: string): CollectiviteProfile | undefined
  /** By code ("89", "2A", "974", "5" for "05") or name ("yonne", "Côte-d'Or", "Réunion"). */
  departement(codeOrName: string): CollectiviteProfile | undefined
  /** By code ("76", "04") or name ("occitanie", "PACA"). */
  region(codeOrName: string): CollectiviteProfile | undefined
  /**
   * Current communes whose name matches, best first (exact, variant, then fuzzy; then fewer edits,
   * then larger population). Every exact and variant match is returned; fuzzy ones fill up to
   * `limit` (default 10). An unknown `departement` (code or name) gives no result.
   */
  findCommunes(name: string, opts?: { departement?: string; limit?: number }): NameMatch[]
  /** EPCI by name, abbreviations understood ("com com du Pays de…", "agglo de…", "CA…", "Métropole de…"). */
  findEpci(name: string, opts?: { limit?: number }): NameMatch[]
  /**
   * One entry point for whatever a user typed: INSEE code, postal code, SIREN (or SIRET), département
   * code or name, région name, EPCI name, commune name optionally qualified by a département,
   * région or postal code ("Saint-Denis (93)", "Saint-Denis, La Réunion", "Vézelay 89").
   * Explicit prefixes remove the doubt: "insee 18200", "cp 18200", "siren …", "région 76", "département 76".
   */
  resolve(input: string): Resolution
}

/**
 * "Vézelay (89)", "CA du Pays de Fontainebleau (77)", "Château-Chinon (Ville, 58)",
 * "Yonne (département 89)", "Occitanie (région)".
 */
export function profileLabel(p: CollectiviteProfile): string {
  switch (p.type) {
    case 'commune':
    case 'epci':
      if (!p.departement) return p.name
      return p.name.endsWith(')') ? `${p.name.slice(0, -1)}, ${p.departement.code})` : `${p.name} (${p.departement.code})`
    case 'departement':
      return `${p.name} (département ${p.code})`
    case 'region':
      return `${p.name} (région)`
  }
}

export function toSuggestion(p: CollectiviteProfile): Suggestion {
  return { label: profileLabel(p), code: p.code, type: p.type }
}

// ---------------------------------------------------------------------------------------------
// Trigram index over normalised keys (alphabet [a-z0-9 ]: 37 symbols, 37³ trigram codes).

const ALPHABET = 37
const TRIGRAMS = ALPHABET * ALPHABET * ALPHABET

function symbol(code: number): number {
  if (code >= 97 && code <= 122) return code - 96 // a-z → 1..26
  if (code >= 48 && code <= 57) return code - 21 // 0-9 → 27..36
  return 0 // space (and anything else, which normalised keys do not hold)
}

/** Distinct trigram codes of " key " (padded, so first and last letters weigh). */
function trigramsOf(key: string, seen: Int32Array, stamp: number, out: number[]): number[] {
  out.length = 0
  const padded = ` ${key} `
  let a = symbol(padded.charCodeAt(0))
  let b = symbol(padded.charCodeAt(1))
  for (let i = 2; i < padded.length; i++) {
    const c = symbol(padded.charCodeAt(i))
    const t = (a * ALPHABET + b) * ALPHABET + c
    if (seen[t] !== stamp) {
      seen[t] = stamp
      out.push(t)
    }
    a = b
    b = c
  }
  return out
}

class TrigramIndex {
  private readonly offsets = new Int32Array(TRIGRAMS + 1)
  private readonly postings: Int32Array
  private readonly counts: Uint8Array
  private readonly seen = new Int32Array(TRIGRAMS).fill(-1)
  private stamp = 0

  constructor(private readonly keys: readonly string[]) {
    // Pass 1: every key's distinct trigrams, in one flat list, and how many keys hold each trigram.
    let flat = new Int32Array(keys.length * 24)
    const ends = new Int32Array(keys.length)
    const tris: number[] = []
    let n = 0
    for (let k = 0; k < keys.length; k++) {
      trigramsOf(keys[k]!, this.seen, k, tris)
      if (n + tris.length > flat.length) {
        const bigger = new Int32Array(Math.max(flat.length * 2, n + tris.length))
        bigger.set(flat)
        flat = bigger
      }
      for (const t of tris) {
        flat[n++] = t
        this.offsets[t + 1]!++
      }
      ends[k] = n
    }
    for (let t = 0; t < TRIGRAMS; t++) this.offsets[t + 1]! += this.offsets[t]!
    // Pass 2: fill the posting lists (CSR layout: one Int32Array for all).
    this.postings = new Int32Array(n)
    const cursor = this.offsets.slice(0, TRIGRAMS)
    for (let k = 0, i = 0; k < keys.length; k++) {
      for (const end = ends[k]!; i < end; i++) this.postings[cursor[flat[i]!]!++] = k
    }
    this.stamp = keys.length
    this.counts = new Uint8Array(keys.length)
  }

  /** Calls visit(keyId, distance) for every key within maxDist edits of query. */
  search(query: string, maxDist: number, visit: (keyId: number, distance: number) => void): void {
    const qTris = trigramsOf(query, this.seen, ++this.stamp, [])
    const need = Math.max(1, qTris.length - 3 * maxDist)
    const touched: number[] = []
    const { counts, postings, offsets, keys } = this
    for (const t of qTris) {
      for (let p = offsets[t]!, end = offsets[t + 1]!; p < end; p++) {
        const k = postings[p]!
        if (counts[k] === 0) touched.push(k)
        counts[k]!++
      }
    }
    for (const k of touched) {
      if (counts[k]! >= need) {
        const key = keys[k]!
        if (Math.abs(key.length - query.length) <= maxDist) {
          const d = boundedDistance(query, key, maxDist)
          if (d <= maxDist) visit(k, d)
        }
      }
      counts[k] = 0
    }
  }
}

// ---------------------------------------------------------------------------------------------
// EPCI names: "CC du Pays de Fontainebleau", "com com du pays de…", "agglo de…", "Bordeaux Métropole".

type EpciFamily = 'cc' | 'ca' | 'cu' | 'metro'

const EPCI_PREFIXES: [string[], EpciFamily | undefined][] = [
  [['communaute', 'de', 'communes'], 'cc'],
  [['communaute', 'des', 'communes'], 'cc'],
  [['communaute', 'communes'], 'cc'],
  [['com', 'com'], 'cc'],
  [['comcom'], 'cc'],
  [['cdc'], 'cc'],
  [['cc'], 'cc'],
  [['communaute', 'd', 'agglomeration'], 'ca'],
  [['communaute', 'd', 'agglo'], 'ca'],
  [['communaute', 'agglomeration'], 'ca'],
  [['communaute', 'agglo'], 'ca'],
  [['agglomeration'], 'ca'],
  [['agglo'], 'ca'],
  [['ca'], 'ca'],
  [['communaute', 'urbaine'], 'cu'],
  [['cu'], 'cu'],
  [['eurometropole'], 'metro'],
  [['metropole'], 'metro'],
  [['communaute'], undefined],
  [['intercommunalite'], undefined],
  [['interco'], undefined],
]
const EPCI_SUFFIXES: [string[], EpciFamily | undefined][] = [
  [['communaute', 'd', 'agglomeration'], 'ca'],
  [['communaute', 'urbaine'], 'cu'],
  [['agglomeration'], 'ca'],
  [['agglo'], 'ca'],
  [['metropole'], 'metro'],
  [['communaute'], undefined],
]
const EPCI_STOPWORDS = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l', 'et'])

const FAMILY_OF_KIND: Record<EpciKind, EpciFamily> = { CC: 'cc', CA: 'ca', CU: 'cu', METRO: 'metro', MET69: 'metro' }

interface EpciKey {
  /** The kind the words name, if any. */
  family?: EpciFamily
  /** Whether the name carried EPCI words at all (prefix or suffix). */
  marked: boolean
  /** The distinctive part, stopwords dropped: "pays fontainebleau". */
  core: string
  /** The core's words. */
  tokens: string[]
}

function startsWith(tokens: string[], at: number, words: string[]): boolean {
  return words.every((w, i) => tokens[at + i] === w)
}

/** Splits a normalised EPCI name into its kind words and its distinctive core. */
export function parseEpciKey(key: string): EpciKey {
  let tokens = key.split(' ').filter(Boolean)
  let family: EpciFamily | undefined
  let marked = false
  for (const [words, fam] of EPCI_PREFIXES) {
    if (tokens.length > words.length && startsWith(tokens, 0, words)) {
      tokens = tokens.slice(words.length)
      family = fam
      marked = true
      break
    }
  }
  for (const [words, fam] of EPCI_SUFFIXES) {
    const at = tokens.length - words.length
    if (at > 0 && startsWith(tokens, at, words)) {
      tokens = tokens.slice(0, at)
      family ??= fam
      marked = true
      break
    }
  }
  const words = tokens.filter((t) => !EPCI_STOPWORDS.has(t))
  return { family, marked, core: words.join(' '), tokens: words }
}

// ---------------------------------------------------------------------------------------------

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

const KIND_ORDER: Record<CollectiviteType, number> = { commune: 0, departement: 1, region: 2, epci: 3 }

const TIER: Record<MatchKind, number> = { exact: 0, variant: 1, partial: 2, fuzzy: 3 }

interface Hit<T> {
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

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) {
    if (!list.includes(value)) list.push(value)
  } else map.set(key, [value])
}

type Filter = (c: EtalabCommune) => boolean

export function createGeography(data: GeographyData): Geography {
  // --- régions and départements -----------------------------------------------------------------
  const regionByCode = new Map<string, EtalabRegion>()
  const regionByName = new Map<string, EtalabRegion>()
  for (const r of data.regions) {
    regionByCode.set(r.code, r)
    const key = normalizeName(r.nom)
    regionByName.set(key, r)
    if (!regionByName.has(stripLeadingArticle(key))) regionByName.set(stripLeadingArticle(key), r)
  }
  for (const [alias, code] of Object.entries(REGION_ALIASES)) {
    const r = regionByCode.get(code)
    if (r && !regionByName.has(alias)) regionByName.set(alias, r)
  }
  const deptByCode = new Map<string, EtalabDepartement>()
  const deptByName = new Map<string, EtalabDepartement>()
  for (const d of data.departements) {
    deptByCode.set(d.code, d)
    const key = normalizeName(d.nom)
    deptByName.set(key, d)
    if (!deptByName.has(stripLeadingArticle(key))) deptByName.set(stripLeadingArticle(key), d)
  }

  // --- communes ------------------------------------------------------------------------------------
  const communes: EtalabCommune[] = [] // current communes only
  const communeByCode = new Map<string, EtalabCommune>()
  let communeBySiren: Map<string, EtalabCommune> | undefined // built on the first SIREN that is not an EPCI's
  const aliasCode = new Map<string, string>() // old / delegated / associated / arrondissement → current
  const byPostalCode = new Map<string, EtalabCommune[]>()
  const deptPopulation = new Map<string, number>()
  const regionPopulation = new Map<string, number>()
  for (const c of data.communes) {
    if (c.type !== 'commune-actuelle') {
      const target = c.type === 'arrondissement-municipal' ? c.commune : c.chefLieu
      if (target && target !== c.code && !aliasCode.has(c.code)) aliasCode.set(c.code, target)
      continue
    }
    communes.push(c)
    communeByCode.set(c.code, c)
    if (c.anciensCodes) for (const old of c.anciensCodes) if (old !== c.code) aliasCode.set(old, c.code)
    if (c.codesPostaux) for (const cp of c.codesPostaux) pushTo(byPostalCode, cp, c)
    if (c.population !== undefined) {
      deptPopulation.set(c.departement, (deptPopulation.get(c.departement) ?? 0) + c.population)
      regionPopulation.set(c.region, (regionPopulation.get(c.region) ?? 0) + c.population)
    }
  }
  for (const list of byPostalCode.values()) list.sort((a, b) => (b.population ?? 0) - (a.population ?? 0))

  // Name keys: the normalised name, its article-less variant, and for "Château-Chinon (Ville)"
  // the name without the parenthesis. Each key lists the communes (indexes) it leads to.
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
  const communeIndex = new TrigramIndex(keys)

  // --- EPCI ----------------------------------------------------------------------------------------
  const epciBySirenMap = new Map<string, EtalabEpci>()
  const epciOfCommune = new Map<string, EtalabEpci>()
  const epciSeat = new Map<EtalabEpci, EtalabCommune>()
  const epciKeys = new Map<EtalabEpci, EpciKey>()
  const epciByFullKey = new Map<string, EtalabEpci[]>() // full name, "cc pays fontainebleau", acronym
  const epciByCore = new Map<string, EtalabEpci[]>()
  for (const e of data.epci) {
    epciBySirenMap.set(e.code, e)
    let seat: EtalabCommune | undefined
    for (const m of e.membres) {
      const c = communeByCode.get(m.code)
      if (!c) continue
      epciOfCommune.set(c.code, e)
      if (!seat || (c.population ?? 0) > (seat.population ?? 0)) seat = c
    }
    if (seat) epciSeat.set(e, seat)
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

  // --- profiles ------------------------------------------------------------------------------------
  const deptRef = (code: string): { code: string; name: string } | undefined => {
    const d = deptByCode.get(code)
    return d && { code: d.code, name: d.nom }
  }
  const regionRef = (code: string): { code: string; name: string } | undefined => {
    const r = regionByCode.get(code)
    return r && { code: r.code, name: r.nom }
  }

  function communeProfile(c: EtalabCommune): CollectiviteProfile {
    const departement = deptRef(c.departement)
    const region = regionRef(c.region)
    const e = epciOfCommune.get(c.code)
    return {
      type: 'commune',
      name: c.nom,
      code: c.code,
      ...(c.population !== undefined && { population: c.population }),
      ...(departement && { departement }),
      ...(region && { region }),
      zone: c.zone,
      ...(e && { epci: { siren: e.code, name: e.nom, kind: e.type } }),
      ...(c.codesPostaux && { postalCodes: [...c.codesPostaux] }),
    }
  }

  function epciProfile(e: EtalabEpci): CollectiviteProfile {
    // Département, région and zone: those of the most populous member commune. An EPCI may
    // straddle a départemental border; its most populous commune is nearly always its seat and
    // the département whose prefect oversees it, and a profile carries one département.
    const seat = epciSeat.get(e)
    const departement = seat && deptRef(seat.departement)
    const region = seat && regionRef(seat.region)
    return {
      type: 'epci',
      name: e.nom,
      code: e.code,
      // Population totale (municipale + comptée à part), the figure the DGCL and most programme
      // thresholds for EPCI use; populationMunicipale is slightly lower.
      population: e.populationTotale,
      ...(departement && { departement }),
      ...(region && { region }),
      zone: seat?.zone ?? 'metro',
      epci: { siren: e.code, name: e.nom, kind: e.type },
      ...(seat?.population !== undefined && { centre: { code: seat.code, name: seat.nom, population: seat.population } }),
    }
  }

  function departementProfile(d: EtalabDepartement): CollectiviteProfile {
    const population = deptPopulation.get(d.code)
    const region = regionRef(d.region)
    return {
      type: 'departement',
      name: d.nom,
      code: d.code,
      // Sum of its current communes' populations municipales (none for TAAF, which has no inhabitants on record).
      ...(population !== undefined && { population }),
      // The département is its own: territory rules naming a département match it.
      departement: { code: d.code, name: d.nom },
      ...(region && { region }),
      zone: d.zone,
    }
  }

  // A région made of a single département (the DROM, the COM) is also that département's territory:
  // rules that name or exclude the département apply to it.
  const singleDepartement = new Map<string, EtalabDepartement>()
  for (const r of data.regions) {
    const depts = data.departements.filter((d) => d.region === r.code)
    if (depts.length === 1) singleDepartement.set(r.code, depts[0]!)
  }

  function regionProfile(r: EtalabRegion): CollectiviteProfile {
    const population = regionPopulation.get(r.code)
    const only = singleDepartement.get(r.code)
    return {
      type: 'region',
      name: r.nom,
      code: r.code,
      ...(population !== undefined && { population }),
      ...(only && { departement: { code: only.code, name: only.nom } }),
      region: { code: r.code, name: r.nom },
      zone: r.zone,
    }
  }

  // --- lookups -------------------------------------------------------------------------------------
  function findCommuneRecord(code: string): EtalabCommune | undefined {
    let c = code.trim().toUpperCase()
    for (let hops = 0; hops < 4; hops++) {
      const found = communeByCode.get(c)
      if (found) return found
      const next = aliasCode.get(c)
      if (!next) return undefined
      c = next
    }
    return undefined
  }

  function findDept(codeOrName: string): EtalabDepartement | undefined {
    const s = codeOrName.trim()
    if (/^(\d{1,3}|2[ab])$/i.test(s)) return deptByCode.get(s.length === 1 ? `0${s}` : s.toUpperCase())
    const key = normalizeName(s)
    return deptByName.get(key) ?? deptByName.get(stripLeadingArticle(key))
  }

  function findRegion(codeOrName: string): EtalabRegion | undefined {
    const s = codeOrName.trim()
    if (/^\d{1,3}$/.test(s)) return regionByCode.get(s.length === 1 ? `0${s}` : s)
    const key = normalizeName(s)
    return regionByName.get(key) ?? regionByName.get(stripLeadingArticle(key))
  }

  const population = (c: EtalabCommune): number => c.population ?? 0

  /** Communes matching a normalised key; fuzzy hits fill up to limit after every exact/variant one. */
  function searchCommunes(query: string, filter: Filter | undefined, limit: number): Hit<EtalabCommune>[] {
    if (!query) return []
    const hits = new Map<number, Hit<EtalabCommune>>()
    const consider = (ci: number, match: MatchKind, distance: number): void => {
      const c = communes[ci]!
      if (filter && !filter(c)) return
      const prev = hits.get(ci)
      if (prev && (TIER[prev.match] < TIER[match] || (prev.match === match && prev.distance <= distance))) return
      hits.set(ci, { item: c, match, distance, bonus: 0 })
    }
    for (const key of new Set([query, stripLeadingArticle(query)])) {
      const id = keyIds.get(key)
      if (id === undefined) continue
      for (const ci of keyCommunes[id]!) consider(ci, communeKey[ci] === query ? 'exact' : 'variant', 0)
    }
    const sure = hits.size
    const maxDist = maxTypos(query)
    if (maxDist > 0) {
      communeIndex.search(query, maxDist, (k, d) => {
        for (const ci of keyCommunes[k]!) if (!hits.has(ci)) consider(ci, 'fuzzy', d)
      })
    }
    const ranked = rankHits([...hits.values()], population, (c) => c.nom)
    return ranked.slice(0, Math.max(limit, sure))
  }

  const epciPopulation = (e: EtalabEpci): number => e.populationTotale

  function searchEpci(input: string, limit: number): Hit<EtalabEpci>[] {
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
      for (const e of epciByFullKey.get(key) ?? []) add(e, 'exact', 0)
    }
    if (!q.core) return rankHits([...hits.values()], epciPopulation, (e) => e.nom).slice(0, limit)
    for (const e of epciByCore.get(q.core) ?? []) add(e, q.family === FAMILY_OF_KIND[e.type] ? 'exact' : 'variant', 0)
    const maxDist = maxTypos(q.core)
    for (const [e, k] of epciKeys) {
      if (hits.get(e)?.match === 'exact' || !k.core) continue
      if (q.tokens.every((t) => k.tokens.includes(t))) add(e, 'partial', k.tokens.length - q.tokens.length)
      else if (maxDist > 0) {
        const d = boundedDistance(q.core, k.core, maxDist)
        if (d <= maxDist) add(e, 'fuzzy', d)
      }
    }
    return rankHits([...hits.values()], epciPopulation, (e) => e.nom).slice(0, limit)
  }

  /** Départements and régions within maxTypos of the query, as suggestions. */
  function fuzzyDeptsAndRegions(query: string): { profile: CollectiviteProfile; distance: number }[] {
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
    scan(deptByName, departementProfile)
    scan(regionByName, regionProfile)
    return out
  }

  // --- resolve -------------------------------------------------------------------------------------
  const found = (profile: CollectiviteProfile): Resolution => ({ kind: 'found', profile })
  const notFound = (suggestions: Suggestion[] = []): Resolution => ({ kind: 'notFound', suggestions })
  const oneOrMany = (profiles: CollectiviteProfile[]): Resolution => {
    const unique = profiles.filter((p, i) => profiles.findIndex((q) => q.type === p.type && q.code === p.code) === i)
    if (unique.length === 0) return notFound()
    if (unique.length === 1) return found(unique[0]!)
    return { kind: 'ambiguous', candidates: unique }
  }
  const SUGGESTIONS = 5

  /** A qualifier after a commune name: a département, a région or a postal code. */
  function qualifierFilter(text: string): Filter | undefined {
    const s = text.trim()
    if (/^\d{5}$/.test(s)) return byPostalCode.has(s) ? (c) => c.codesPostaux?.includes(s) === true : undefined
    const d = findDept(s)
    if (d) return (c) => c.departement === d.code
    const r = /^\d+$/.test(s) ? undefined : findRegion(s)
    if (r) return (c) => c.region === r.code
    return undefined
  }

  function splitQualifier(input: string): { name: string; filter: Filter } | undefined {
    const forms = [/^(.+?)\s*\(([^()]+)\)$/, /^(.+),\s*([^,]+)$/, /^(.+?)\s+(\d{2,3}|2[ab]|\d{5})$/i]
    for (const form of forms) {
      const m = form.exec(input)
      if (!m || !m[1]!.trim()) continue
      const filter = qualifierFilter(m[2]!)
      if (filter) return { name: m[1]!.trim(), filter }
    }
    return undefined
  }

  function communeSuggestions(hits: Hit<EtalabCommune>[]): Suggestion[] {
    return hits.slice(0, SUGGESTIONS).map((h) => toSuggestion(communeProfile(h.item)))
  }

  function resolveQualified(name: string, filter: Filter): Resolution {
    const key = normalizeName(name)
    const hits = searchCommunes(key, filter, SUGGESTIONS)
    const sure = hits.filter((h) => h.match !== 'fuzzy')
    const best = sure.some((h) => h.match === 'exact') ? sure.filter((h) => h.match === 'exact') : sure
    if (best.length > 0) return oneOrMany(best.map((h) => communeProfile(h.item)))
    // Nothing there: suggest close names in the place asked for, then the name anywhere.
    const elsewhere = searchCommunes(key, undefined, SUGGESTIONS)
    const suggestions = communeSuggestions([...hits, ...elsewhere])
    return notFound(suggestions.filter((s, i) => suggestions.findIndex((t) => t.code === s.code) === i).slice(0, SUGGESTIONS))
  }

  function resolveName(input: string): Resolution {
    const key = normalizeName(input)
    if (!key) return notFound()
    const epciKey = parseEpciKey(normalizeName(withoutParenthesis(input)))
    const epciHits = epciKey.marked || epciKey.core ? searchEpci(input, SUGGESTIONS) : []
    const epciSure = epciHits.filter((h) => h.match === 'exact' || h.match === 'variant')
    if (epciKey.marked && epciSure.length > 0) {
      const best = epciSure.filter((h) => h.match === epciSure[0]!.match && h.bonus === epciSure[0]!.bonus)
      return oneOrMany(best.map((h) => epciProfile(h.item)))
    }

    const exact: CollectiviteProfile[] = []
    const dept = deptByName.get(key) ?? deptByName.get(stripLeadingArticle(key))
    const region = regionByName.get(key) ?? regionByName.get(stripLeadingArticle(key))
    if (dept) exact.push(departementProfile(dept))
    // Guadeloupe, Martinique, Guyane, La Réunion, Mayotte and the COM are both a département and
    // a région of the same name: the département answers ("région Guadeloupe" asks for the other).
    if (region && !(dept && normalizeName(dept.nom) === normalizeName(region.nom))) exact.push(regionProfile(region))
    for (const e of epciByFullKey.get(key) ?? []) exact.push(epciProfile(e))
    const communeHits = searchCommunes(key, undefined, SUGGESTIONS)
    const communeSure = communeHits.filter((h) => h.match !== 'fuzzy')
    const communeBest = communeSure.some((h) => h.match === 'exact') ? communeSure.filter((h) => h.match === 'exact') : communeSure
    for (const h of communeBest) exact.push(communeProfile(h.item))
    if (exact.length > 0) {
      exact.sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || KIND_ORDER[a.type] - KIND_ORDER[b.type])
      return oneOrMany(exact)
    }
    // An EPCI named without its kind ("Pays de Fontainebleau", "Grand Paris") when nothing else is.
    if (epciSure.length > 0) return oneOrMany(epciSure.filter((h) => h.match === epciSure[0]!.match).map((h) => epciProfile(h.item)))

    // Not found: the closest names of every kind, fewest edits first, communes before other
    // kinds at equal distance ("Toulousse": Toulouse before Toulouse Métropole), then the most populous.
    const ranked: { profile: CollectiviteProfile; distance: number }[] = [
      ...communeHits.map((h) => ({ profile: communeProfile(h.item), distance: h.distance })),
      ...fuzzyDeptsAndRegions(key),
      ...epciHits.map((h) => ({ profile: epciProfile(h.item), distance: h.match === 'partial' ? 1 : h.distance })),
    ]
    ranked.sort((a, b) => a.distance - b.distance || KIND_ORDER[a.profile.type] - KIND_ORDER[b.profile.type] || (b.profile.population ?? 0) - (a.profile.population ?? 0))
    return notFound(ranked.slice(0, SUGGESTIONS).map((r) => toSuggestion(r.profile)))
  }

  function resolve(input: string): Resolution {
    const raw = input.trim().replace(/\s+/g, ' ')
    if (!raw) return notFound()

    // Explicit prefixes.
    const prefixed = /^(code insee|insee|code postal|cp|siren|siret|r[ée]gion|d[ée]partement|d[ée]pt|d[ée]p)(?:\s*:\s*|\s+)(.+)$/i.exec(raw)
    if (prefixed) {
      const what = normalizeName(prefixed[1]!)
      const rest = prefixed[2]!
      const compact = rest.replace(/[\s.]/g, '')
      if (what === 'insee' || what === 'code insee') {
        const c = findCommuneRecord(compact)
        return c ? found(communeProfile(c)) : notFound()
      }
      if (what === 'cp' || what === 'code postal') return oneOrMany((byPostalCode.get(compact) ?? []).map(communeProfile))
      if (what === 'siren' || what === 'siret') return resolveSiren(compact.slice(0, 9))
      if (what === 'region') {
        const r = findRegion(rest)
        if (r) return found(regionProfile(r))
        return notFound(fuzzyDeptsAndRegions(normalizeName(rest)).filter((x) => x.profile.type === 'region').map((x) => toSuggestion(x.profile)))
      }
      const d = findDept(rest)
      if (d) return found(departementProfile(d))
      return notFound(fuzzyDeptsAndRegions(normalizeName(rest)).filter((x) => x.profile.type === 'departement').map((x) => toSuggestion(x.profile)))
    }

    // Codes.
    const compact = raw.replace(/[\s.]/g, '').toUpperCase()
    if (/^\d{9}$/.test(compact) || /^\d{14}$/.test(compact)) return resolveSiren(compact.slice(0, 9))
    if (/^(\d{5}|2[AB]\d{3})$/.test(compact)) {
      // Five digits are an INSEE code or a postal code, and some 3,000 strings are both (18200 is
      // Saint-Bouize's INSEE code and Saint-Amand-Montrond's postal code): both are offered,
      // postal code first, since that is what people type. "insee …"/"cp …" decide.
      const byCp = byPostalCode.get(compact) ?? []
      const byInsee = findCommuneRecord(compact)
      return oneOrMany([...byCp, ...(byInsee ? [byInsee] : [])].map(communeProfile))
    }
    if (/^(\d{1,3}|2[AB])$/.test(compact)) {
      // Région codes are all département codes too: a bare code is a département ("région 76" for the région).
      const d = findDept(compact)
      if (d) return found(departementProfile(d))
      const r = findRegion(compact)
      return r ? found(regionProfile(r)) : notFound()
    }

    // Names.
    const qualified = splitQualifier(raw)
    if (qualified) {
      const answer = resolveQualified(qualified.name, qualified.filter)
      if (answer.kind !== 'notFound') return answer
      // "Paris 15", an EPCI whose name ends in "(Savoie)": the whole text may be the name.
      const whole = resolveName(raw)
      return whole.kind === 'notFound' ? answer : whole
    }
    return resolveName(raw)
  }

  function resolveSiren(siren: string): Resolution {
    const e = epciBySirenMap.get(siren)
    if (e) return found(epciProfile(e))
    communeBySiren ??= new Map(communes.filter((c) => c.siren).map((c) => [c.siren!, c]))
    const c = communeBySiren.get(siren)
    return c ? found(communeProfile(c)) : notFound()
  }

  const toMatch = <T>(toProfile: (t: T) => CollectiviteProfile) => (h: Hit<T>): NameMatch => ({
    profile: toProfile(h.item),
    match: h.match,
    distance: h.distance,
  })

  return {
    communeByInsee(code) {
      const c = findCommuneRecord(code)
      return c && communeProfile(c)
    },
    communesByPostalCode(postalCode) {
      return (byPostalCode.get(postalCode.trim()) ?? []).map(communeProfile)
    },
    epciBySiren(siren) {
      const e = epciBySirenMap.get(siren.replace(/\s/g, ''))
      return e && epciProfile(e)
    },
    departement(codeOrName) {
      const d = findDept(codeOrName)
      return d && departementProfile(d)
    },
    region(codeOrName) {
      const r = findRegion(codeOrName)
      return r && regionProfile(r)
    },
    findCommunes(name, opts = {}) {
      let filter: Filter | undefined
      if (opts.departement !== undefined) {
        const d = findDept(opts.departement)
        if (!d) return []
        filter = (c) => c.departement === d.code
      }
      return searchCommunes(normalizeName(name), filter, opts.limit ?? 10).map(toMatch(communeProfile))
    },
    findEpci(name, opts = {}) {
      return searchEpci(name, opts.limit ?? 10).map(toMatch(epciProfile))
    },
    resolve,
  }
}

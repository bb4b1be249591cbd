// The geography's entry points for what a user typed or a form sent: resolve() (a code, a prefixed
// code, a name with or without a qualifier) and byCode() (the one code-to-collectivité resolver).
// resolve() answers 'found' only for exact or variant matches and never auto-corrects a typo: a
// fuzzy-only match is 'notFound' with suggestions (see geography.ts for the matching rule).
import { COMMUNE_CODE, DEPARTEMENT_CODE, SIREN } from '../codes.ts'
import type { CollectiviteProfile, CollectiviteType } from '../profile.ts'
import type { GeographyRecords, Profiles } from './build.ts'
import { parseEpciKey } from './epci-names.ts'
import { toSuggestion } from './labels.ts'
import { isDeptCode, type Filter, type Hit, type NameIndex } from './name-index.ts'
import { normalizeName, stripLeadingArticle, withoutParenthesis } from './normalize.ts'
import type { EtalabCommune, Resolution, Suggestion } from './types.ts'

/** A pattern of core/codes.ts without its anchors, to compose a longer one. */
const bare = (pattern: RegExp): string => pattern.source.slice(1, -1)

/**
 * What byCode reads without a type (and what a subscription names its collectivité by): an INSEE
 * code, a SIREN, a département code (« 89 », « departement:89 ») or « region:<code> »; any case.
 */
export const COLLECTIVITE_CODE = new RegExp(`^(${bare(COMMUNE_CODE)}|${bare(SIREN)}|(departement:)?${bare(DEPARTEMENT_CODE)}|region:\\d{2,3})$`, 'i')

const KIND_ORDER: Record<CollectiviteType, number> = { commune: 0, departement: 1, region: 2, epci: 3 }

const SUGGESTIONS = 5

const found = (profile: CollectiviteProfile): Resolution => ({ kind: 'found', profile })
const notFound = (suggestions: Suggestion[] = []): Resolution => ({ kind: 'notFound', suggestions })
const oneOrMany = (profiles: CollectiviteProfile[]): Resolution => {
  const unique = profiles.filter((p, i) => profiles.findIndex((q) => q.type === p.type && q.code === p.code) === i)
  if (unique.length === 0) return notFound()
  if (unique.length === 1) return found(unique[0]!)
  return { kind: 'ambiguous', candidates: unique }
}

/** A commune name followed by its qualifier: "Saint-Denis (93)", "Saint-Denis, La Réunion", "Vézelay 89", "Paris 75015". */
const QUALIFIED_FORMS = [/^(.+?)\s*\(([^()]+)\)$/, /^(.+),\s*([^,]+)$/, new RegExp(`^(.+?)\\s+(${bare(DEPARTEMENT_CODE)}|\\d{5})$`, 'i')]

/** What the resolver reads: the records, the name index, the profiles, and a lazy SIREN table. */
interface Tables {
  records: GeographyRecords
  index: NameIndex
  profiles: Profiles
  /** Communes by SIREN, built on the first SIREN that is not an EPCI's. */
  communeBySiren?: Map<string, EtalabCommune>
}

export interface Resolver {
  resolve(input: string): Resolution
  byCode(code: string, type?: CollectiviteType): CollectiviteProfile | undefined
}

export function createResolver(records: GeographyRecords, index: NameIndex, profiles: Profiles): Resolver {
  const t: Tables = { records, index, profiles }
  return { resolve: (input) => resolve(t, input), byCode: (code, type) => byCode(t, code, type) }
}

function byCode(t: Tables, raw: string, type?: CollectiviteType): CollectiviteProfile | undefined {
  switch (type) {
    case undefined: {
      const code = raw.trim().toUpperCase()
      if (COMMUNE_CODE.test(code)) return byCode(t, code, 'commune')
      if (SIREN.test(code)) return byCode(t, code, 'epci')
      if (code.startsWith('REGION:')) return byCode(t, code.slice('REGION:'.length), 'region')
      return byCode(t, code.replace(/^DEPARTEMENT:/, ''), 'departement')
    }
    case 'commune': {
      const c = t.index.findCommuneRecord(raw)
      return c && t.profiles.commune(c)
    }
    case 'epci': {
      const e = t.records.epciBySiren.get(raw.replace(/\s/g, ''))
      return e && t.profiles.epci(e)
    }
    case 'departement': {
      const d = t.index.findDept(raw)
      return d && t.profiles.departement(d)
    }
    case 'region': {
      const r = t.index.findRegion(raw)
      return r && t.profiles.region(r)
    }
  }
}

/** A qualifier after a commune name: a département, a région or a postal code. */
function qualifierFilter(t: Tables, text: string): Filter | undefined {
  const s = text.trim()
  if (/^\d{5}$/.test(s)) return t.records.byPostalCode.has(s) ? (c) => c.codesPostaux?.includes(s) === true : undefined
  const d = t.index.findDept(s)
  if (d) return (c) => c.departement === d.code
  const r = /^\d+$/.test(s) ? undefined : t.index.findRegion(s)
  if (r) return (c) => c.region === r.code
  return undefined
}

function splitQualifier(t: Tables, input: string): { name: string; filter: Filter } | undefined {
  for (const form of QUALIFIED_FORMS) {
    const m = form.exec(input)
    if (!m || !m[1]!.trim()) continue
    const filter = qualifierFilter(t, m[2]!)
    if (filter) return { name: m[1]!.trim(), filter }
  }
  return undefined
}

function communeSuggestions(t: Tables, hits: Hit<EtalabCommune>[]): Suggestion[] {
  return hits.slice(0, SUGGESTIONS).map((h) => toSuggestion(t.profiles.commune(h.item)))
}

function resolveQualified(t: Tables, name: string, filter: Filter): Resolution {
  const key = normalizeName(name)
  const hits = t.index.searchCommunes(key, filter, SUGGESTIONS)
  const sure = hits.filter((h) => h.match !== 'fuzzy')
  const best = sure.some((h) => h.match === 'exact') ? sure.filter((h) => h.match === 'exact') : sure
  if (best.length > 0) return oneOrMany(best.map((h) => t.profiles.commune(h.item)))
  // Nothing there: suggest close names in the place asked for, then the name anywhere.
  const elsewhere = t.index.searchCommunes(key, undefined, SUGGESTIONS)
  const suggestions = communeSuggestions(t, [...hits, ...elsewhere])
  return notFound(suggestions.filter((s, i) => suggestions.findIndex((t) => t.code === s.code) === i).slice(0, SUGGESTIONS))
}

function resolveName(t: Tables, input: string): Resolution {
  const key = normalizeName(input)
  if (!key) return notFound()
  const epciKey = parseEpciKey(normalizeName(withoutParenthesis(input)))
  const epciHits = epciKey.marked || epciKey.core ? t.index.searchEpci(input, SUGGESTIONS) : []
  const epciSure = epciHits.filter((h) => h.match === 'exact' || h.match === 'variant')
  if (epciKey.marked && epciSure.length > 0) {
    const best = epciSure.filter((h) => h.match === epciSure[0]!.match && h.bonus === epciSure[0]!.bonus)
    return oneOrMany(best.map((h) => t.profiles.epci(h.item)))
  }

  const exact: CollectiviteProfile[] = []
  const dept = t.index.deptByName.get(key) ?? t.index.deptByName.get(stripLeadingArticle(key))
  const region = t.index.regionByName.get(key) ?? t.index.regionByName.get(stripLeadingArticle(key))
  if (dept) exact.push(t.profiles.departement(dept))
  // Guadeloupe, Martinique, Guyane, La Réunion, Mayotte and the COM are both a département and
  // a région of the same name: the département answers ("région Guadeloupe" asks for the other).
  if (region && !(dept && normalizeName(dept.nom) === normalizeName(region.nom))) exact.push(t.profiles.region(region))
  for (const e of t.index.epciByFullKey.get(key) ?? []) exact.push(t.profiles.epci(e))
  const communeHits = t.index.searchCommunes(key, undefined, SUGGESTIONS)
  const communeSure = communeHits.filter((h) => h.match !== 'fuzzy')
  const communeBest = communeSure.some((h) => h.match === 'exact') ? communeSure.filter((h) => h.match === 'exact') : communeSure
  for (const h of communeBest) exact.push(t.profiles.commune(h.item))
  if (exact.length > 0) {
    exact.sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || KIND_ORDER[a.type] - KIND_ORDER[b.type])
    return oneOrMany(exact)
  }
  // An EPCI named without its kind ("Pays de Fontainebleau", "Grand Paris") when nothing else is.
  if (epciSure.length > 0) return oneOrMany(epciSure.filter((h) => h.match === epciSure[0]!.match).map((h) => t.profiles.epci(h.item)))

  // Not found: the closest names of every kind, fewest edits first, communes before other
  // kinds at equal distance ("Toulousse": Toulouse before Toulouse Métropole), then the most populous.
  const ranked: { profile: CollectiviteProfile; distance: number }[] = [
    ...communeHits.map((h) => ({ profile: t.profiles.commune(h.item), distance: h.distance })),
    ...t.index.fuzzyDeptsAndRegions(key),
    ...epciHits.map((h) => ({ profile: t.profiles.epci(h.item), distance: h.match === 'partial' ? 1 : h.distance })),
  ]
  ranked.sort((a, b) => a.distance - b.distance || KIND_ORDER[a.profile.type] - KIND_ORDER[b.profile.type] || (b.profile.population ?? 0) - (a.profile.population ?? 0))
  return notFound(ranked.slice(0, SUGGESTIONS).map((r) => toSuggestion(r.profile)))
}

/** "insee 18200", "cp 18200", "siren …", "région 76", "département 76": the prefix decides. */
function resolvePrefixed(t: Tables, prefix: string, rest: string): Resolution {
  const what = normalizeName(prefix)
  const compact = rest.replace(/[\s.]/g, '')
  if (what === 'insee' || what === 'code insee') {
    const c = t.index.findCommuneRecord(compact)
    return c ? found(t.profiles.commune(c)) : notFound()
  }
  if (what === 'cp' || what === 'code postal') return oneOrMany((t.records.byPostalCode.get(compact) ?? []).map(t.profiles.commune))
  if (what === 'siren' || what === 'siret') return resolveSiren(t, compact.slice(0, 9))
  if (what === 'region') {
    const r = t.index.findRegion(rest)
    if (r) return found(t.profiles.region(r))
    return notFound(t.index.fuzzyDeptsAndRegions(normalizeName(rest)).filter((x) => x.profile.type === 'region').map((x) => toSuggestion(x.profile)))
  }
  const d = t.index.findDept(rest)
  if (d) return found(t.profiles.departement(d))
  return notFound(t.index.fuzzyDeptsAndRegions(normalizeName(rest)).filter((x) => x.profile.type === 'departement').map((x) => toSuggestion(x.profile)))
}

/** A bare code (spaces and dots dropped, in capitals), or undefined when the text is no code. */
function resolveCode(t: Tables, compact: string): Resolution | undefined {
  if (SIREN.test(compact) || /^\d{14}$/.test(compact)) return resolveSiren(t, compact.slice(0, 9))
  if (COMMUNE_CODE.test(compact)) {
    // Five digits are an INSEE code or a postal code, and some 3,000 strings are both (18200 is
    // Saint-Bouize's INSEE code and Saint-Amand-Montrond's postal code): both are offered,
    // postal code first, since that is what people type. "insee …"/"cp …" decide.
    const byCp = t.records.byPostalCode.get(compact) ?? []
    const byInsee = t.index.findCommuneRecord(compact)
    return oneOrMany([...byCp, ...(byInsee ? [byInsee] : [])].map(t.profiles.commune))
  }
  if (isDeptCode(compact)) {
    // Région codes are all département codes too: a bare code is a département ("région 76" for the région).
    const d = t.index.findDept(compact)
    if (d) return found(t.profiles.departement(d))
    const r = t.index.findRegion(compact)
    return r ? found(t.profiles.region(r)) : notFound()
  }
  return undefined
}

function resolve(t: Tables, input: string): Resolution {
  const raw = input.trim().replace(/\s+/g, ' ')
  if (!raw) return notFound()
  const prefixed = /^(code insee|insee|code postal|cp|siren|siret|r[ée]gion|d[ée]partement|d[ée]pt|d[ée]p)(?:\s*:\s*|\s+)(.+)$/i.exec(raw)
  if (prefixed) return resolvePrefixed(t, prefixed[1]!, prefixed[2]!)
  const byCodeAnswer = resolveCode(t, raw.replace(/[\s.]/g, '').toUpperCase())
  if (byCodeAnswer) return byCodeAnswer
  // Names.
  const qualified = splitQualifier(t, raw)
  if (qualified) {
    const answer = resolveQualified(t, qualified.name, qualified.filter)
    if (answer.kind !== 'notFound') return answer
    // "Paris 15", an EPCI whose name ends in "(Savoie)": the whole text may be the name.
    const whole = resolveName(t, raw)
    return whole.kind === 'notFound' ? answer : whole
  }
  return resolveName(t, raw)
}

function resolveSiren(t: Tables, siren: string): Resolution {
  const e = t.records.epciBySiren.get(siren)
  if (e) return found(t.profiles.epci(e))
  t.communeBySiren ??= new Map(t.records.communes.filter((c) => c.siren).map((c) => [c.siren!, c]))
  const c = t.communeBySiren.get(siren)
  return c ? found(t.profiles.commune(c)) : notFound()
}

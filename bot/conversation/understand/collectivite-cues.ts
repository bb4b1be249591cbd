// Cues of the collectivité reader (collectivite.ts): the words that introduce a collectivité's name
// (« maire de », « com com », « département de », « région », « à ») and how each kind of cue reads
// the name after it (step 3 of detectCollectivite).
import type { ApplicantType } from '../../../core/applicants.ts'
import { done, type CollectiviteDetection, type Detection } from './collectivite-detection.ts'
import { fromMatches, fromTypo, longestExactEpci, lookupCommune } from './collectivite-lookup.ts'
import { abroadAfter, CONNECTORS, isVocabulary, nameSpan, NOT_A_NAME, qualifierAfter, skipConnectors, trailingTerritory, typedA } from './collectivite-names.ts'
import { findTerritoryHints, territoryAt, withRegion } from './territory.ts'
import { rawSpan, type Text, type Token } from './text.ts'

interface Cue {
  kind: 'commune' | 'weak' | 'epci' | 'departement' | 'region' | 'code'
  /** Tokens of the cue words. */
  start: number
  end: number
  /** A cue typed loosely ("ca", "cc", "cu" in lowercase): it counts only when the geography knows the name exactly. */
  verify?: boolean
}

const EPCI_CUES: [string[], boolean][] = [
  [['communaute', 'de', 'communes'], false], [['communaute', 'des', 'communes'], false], [['communaute', 'd', 'agglomeration'], false],
  [['communaute', 'd', 'agglo'], false], [['communaute', 'urbaine'], false], [['communaute', 'agglomeration'], false], [['com', 'com'], false],
  [['comcom'], false], [['cdc'], false], [['agglo'], false], [['agglomeration'], false], [['metropole'], false], [['eurometropole'], false],
  [['intercommunalite'], false], [['interco'], false], [['epci'], false], [['cc'], true], [['ca'], true], [['cu'], true],
]
const COMMUNE_NOUNS = new Set(['maire', 'mairie', 'commune', 'ville', 'village', 'municipalite', 'bourg'])
const WEAK_CUES = new Set(['a', 'pour', 'chez'])
const DEPT_CUES: string[][] = [['conseil', 'departemental'], ['conseil', 'general'], ['departement']]
// « Collectivité de Corse », « collectivité territoriale de Guyane / Martinique »: the collectivités à
// statut particulier that hold the région's competences.
const REGION_CUES: string[][] = [['conseil', 'regional'], ['region'], ['collectivite', 'territoriale'], ['collectivite', 'unique'], ['collectivite']]
/** Before a département or région cue, these make it a place, not the collectivité speaking. */
const PLACE_WORDS = new Set(['dans', 'en', 'du', 'notre', 'vers', 'par'])
/** Before "du département de …", these make the département where some other body is ("une commune rurale du département de l'Yonne"). */
const OTHER_BODIES = new Set([...COMMUNE_NOUNS, 'communes', 'villes', 'villages', 'epci', 'intercommunalite', 'communaute', 'syndicat', 'association', 'ccas', 'petr', 'groupement', 'entreprise', 'college', 'ecole', 'habitants'])
/** Applicant nouns that may name their commune: "CCAS de Voiron", "l'association de Lodève". */
export const BODY_NOUNS = new Set(['ccas', 'cias', 'association', 'petr', 'groupement', 'ehpad', 'office', 'club', 'comite', 'foyer', 'entreprise', 'societe'])

function matchWords(tokens: Token[], at: number, words: string[], upper: boolean): boolean {
  return words.every((w, k) => {
    const t = tokens[at + k]
    return t !== undefined && t.word === w && (k === 0 || !t.breakBefore) && (!upper || t.upper)
  })
}

function findCues(text: Text): Cue[] {
  const { tokens } = text
  const cues: Cue[] = []
  for (let i = 0; i < tokens.length; i++) {
    if (text.consumed[i]) continue
    const t = tokens[i]!
    const epci = EPCI_CUES.find(([words, upper]) => matchWords(tokens, i, words, upper))
    if (epci && tokens[i - 1]?.word !== 'en') {
      cues.push({ kind: 'epci', start: i, end: i + epci[0].length })
      i += epci[0].length - 1
      continue
    }
    // "Cu perpignan mediterranee metropole", "slt ca du grand cahors": the kind typed without capitals.
    if ((t.word === 'cc' || t.word === 'ca' || t.word === 'cu') && !t.upper && tokens[i - 1]?.word !== 'en') {
      cues.push({ kind: 'epci', start: i, end: i + 1, verify: true })
      continue
    }
    const dept = DEPT_CUES.find((words) => matchWords(tokens, i, words, false)) ?? (t.word === 'cd' && t.upper ? ['cd'] : undefined)
    if (dept) {
      cues.push({ kind: 'departement', start: i, end: i + dept.length })
      i += dept.length - 1
      continue
    }
    const region = REGION_CUES.find((words) => matchWords(tokens, i, words, false))
    if (region) {
      cues.push({ kind: 'region', start: i, end: i + region.length })
      i += region.length - 1
      continue
    }
    // "Bourg-de-Péage", "Ville-d'Avray": a noun hyphen-joined to what follows is a name, no cue.
    if (COMMUNE_NOUNS.has(t.word) && /^(de|d|du|des)$/.test(tokens[i + 1]?.word ?? '') && !tokens[i + 1]!.breakBefore && tokens[i + 1]!.before !== '-') {
      cues.push({ kind: 'commune', start: i, end: i + 2 })
      continue
    }
    if (t.word === 'municipal' || t.word === 'municipale' || t.word === 'adjoint' || t.word === 'adjointe' || t.word === 'elu' || t.word === 'elue') {
      const next = tokens[i + 1]
      if (next && /^(de|d|du|des|a)$/.test(next.word) && !next.breakBefore && (next.word !== 'a' || typedA(text, next))) cues.push({ kind: 'commune', start: i, end: i + 2 })
      continue
    }
    if (BODY_NOUNS.has(t.word)) {
      // "CCAS de Voiron", "au CCAS (établissement public) de Voiron", "PETR autour de Figeac": the
      // body's commune, read like "à Voiron" (a capitalised name, exactly a commune); the noun stays the applicant's.
      let k = i + 1
      if (tokens[k]?.before.endsWith('(')) while (k < tokens.length && !tokens[k]!.before.includes(')')) k++
      if (tokens[k]?.word === 'autour' && !tokens[k]!.breakBefore) k++
      const de = tokens[k]
      if (de && /^(de|d|du)$/.test(de.word) && (!de.breakBefore || de.before === ')')) cues.push({ kind: 'weak', start: k, end: k + 1 })
      continue
    }
    if (WEAK_CUES.has(t.word) && (t.word !== 'a' || typedA(text, t))) cues.push({ kind: 'weak', start: i, end: i + 1 })
  }
  return cues
}

const HINT_OF: Record<Cue['kind'], ApplicantType | undefined> = { commune: 'commune', weak: undefined, epci: 'epci', departement: 'departement', region: 'region', code: undefined }

function communeCueHint(text: Text, cue: Cue): ApplicantType | undefined {
  const w = text.tokens[cue.start]!.word
  return COMMUNE_NOUNS.has(w) || w === 'municipal' || w === 'municipale' ? 'commune' : undefined
}

/** 3. Cues, left to right: the first that names something decides. */
export function readCues(d: Detection): CollectiviteDetection | undefined {
  const { tokens } = d.text
  for (const cue of findCues(d.text)) {
    const prev = tokens[cue.start - 1]?.word ?? ''
    const prev2 = tokens[cue.start - 2]?.word ?? ''
    const asPlace = PLACE_WORDS.has(prev) || (PLACE_WORDS.has(prev2) && /^(le|la|l)$/.test(prev))
    let read: CollectiviteDetection | undefined
    if (cue.kind === 'departement' || cue.kind === 'region') read = readTerritoryCue(d, cue, prev, asPlace)
    else if (cue.kind === 'epci') read = readEpciCue(d, cue, prev, asPlace)
    else if (cue.kind === 'commune' || cue.kind === 'weak') read = readCommuneCue(d, cue)
    if (read) return read
  }
  return undefined
}

/** « département de l'Yonne », « région Bourgogne-Franche-Comté », « conseil départemental 89 ». */
function readTerritoryCue(d: Detection, cue: Cue, prev: string, asPlace: boolean): CollectiviteDetection | undefined {
  const { text, geo } = d
  const { tokens } = text
  const at = skipConnectors(text, cue.end)
  if (asPlace) {
    // "la direction des finances du département de l'Isère", "au nom du Département de la Creuse": who
    // speaks, unless another body is named before it or another collectivité anywhere (kept for the end).
    if (prev === 'du' && !d.ofDepartement && !tokens.slice(Math.max(0, cue.start - 5), cue.start - 1).some((x) => OTHER_BODIES.has(x.word))) {
      const h = territoryAt(text, geo, at, { codes: true, departement: cue.kind === 'departement', region: cue.kind === 'region', qualifier: true })
      const profile = h && (cue.kind === 'departement' ? h.departement : h.region)
      if (h && profile) d.ofDepartement = { outcome: { kind: 'found', profile }, from: cue.start, to: h.end, hint: HINT_OF[cue.kind]! }
    }
    return undefined // "dans le département de la Drôme": a place, read as a hint below
  }
  const sud = cue.kind === 'region' && tokens[at]?.word === 'sud' ? geo.region('93') : undefined
  const h = sud ? { region: sud, start: at, end: at + 1 } : territoryAt(text, geo, at, { codes: true, departement: cue.kind === 'departement', region: cue.kind === 'region', qualifier: true })
  if (!h) {
    // « ma collectivité » names no région: it says nothing of who applies.
    if (tokens[cue.start]!.word !== 'collectivite') d.applicantHint ??= HINT_OF[cue.kind]
    return undefined
  }
  d.applicantHint = HINT_OF[cue.kind]
  const profile = (cue.kind === 'departement' ? h.departement : h.region)!
  return done(d, { kind: 'found', profile }, cue.start, h.end)
}

/** « com com du Pays de… », « CA du Grand Sénonais », « Bordeaux Métropole », « l'agglo de Bourges ». */
function readEpciCue(d: Detection, cue: Cue, prev: string, asPlace: boolean): CollectiviteDetection | undefined {
  const { text, geo } = d
  const { tokens } = text
  if (asPlace && prev === 'en') return undefined
  const at = skipConnectors(text, cue.end, ['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l'])
  const span = nameSpan(text, at)
  // "l'intercommunalité CU Perpignan Méditerranée Métropole": the next cue has the name.
  if (span && EPCI_CUES.some(([words]) => matchWords(tokens, span[0], words, false))) return undefined
  // Official EPCI names hold commas, spaced dashes, digits and quotes (« CC Faucigny - Glières »,
  // « CC des 4B Sud Charente », « CC Forêts, Seine et Suzon »): the longest run the geography knows
  // exactly, over up to two more parts after the name, wins; a loose cue (« cc » in lowercase) needs it.
  const exact = longestExactEpci(text, geo, cue.start, at)
  if (exact) {
    d.applicantHint = 'epci'
    return done(d, exact.outcome, cue.start, exact.end)
  }
  if (cue.verify) return undefined
  let from = cue.start
  let to = span?.[1] ?? cue.end
  if (!span) {
    // "Bordeaux Métropole", "Grand Paris Agglo": the name before the kind.
    let k = cue.start
    while (k > 0 && cue.start - k < 4 && tokens[k - 1]!.capitalized && !tokens[k]!.breakBefore && !text.consumed[k - 1]) k--
    if (k === cue.start && /^(metropole|agglo|agglomeration|eurometropole)$/.test(tokens[cue.start]!.word)) {
      // "slt dijon metropole", "grenoble-alpes-metropole": in lowercase, only a name the geography knows exactly.
      for (let j = Math.max(0, cue.start - 4); j < cue.start; j++) {
        if (tokens.slice(j + 1, cue.start + 1).some((x) => x.breakBefore) || text.consumed[j]) continue
        const query = rawSpan(text, j, cue.end)
        const outcome = fromMatches(query, geo.findEpci(query, { limit: 6 }), true)
        if (outcome) {
          d.applicantHint = 'epci'
          return done(d, outcome, j, cue.end)
        }
      }
    }
    if (k === cue.start || !/^(metropole|agglo|agglomeration|eurometropole)$/.test(tokens[cue.start]!.word)) {
      d.applicantHint ??= 'epci'
      return undefined
    }
    from = k
    to = cue.end
  }
  const query = rawSpan(text, from, to)
  d.applicantHint = 'epci'
  // « l'intercommunalité de Ciran (Indre-et-Loire) », « l'agglo de Bourges »: a member commune named,
  // not the EPCI's own name — the intercommunalité that commune belongs to.
  if (span && from === cue.start) {
    const name = rawSpan(text, span[0], span[1])
    const epciHits = geo.findEpci(query, { limit: 6 }).filter((h) => h.match === 'exact' || h.match === 'variant')
    if (epciHits.length === 0) {
      const hint = qualifierAfter(text, geo, span[1])
      const commune = lookupCommune(geo, name, hint && withRegion(hint, geo), true)
      const epci = commune?.kind === 'found' && commune.profile.epci ? geo.epciBySiren(commune.profile.epci.siren) : undefined
      if (epci) return done(d, { kind: 'found', profile: epci }, from, span[1], hint)
    }
  }
  const outcome = fromMatches(query, geo.findEpci(query, { limit: 6 }), false)
  if (outcome) return done(d, outcome, from, to)
  return undefined
}

/** « maire de Vézelay », « commune de Tonnerre (89) », and the weak cues « à Vézelay », « pour Saint-Denis (974) ». */
function readCommuneCue(d: Detection, cue: Cue): CollectiviteDetection | undefined {
  const { text, geo, ctx } = d
  const { tokens } = text
  const span = nameSpan(text, cue.end)
  if (cue.kind === 'commune') d.applicantHint ??= communeCueHint(text, cue)
  if (!span) return undefined
  const first = tokens[span[0]]!
  const second = tokens[span[0] + 1]
  // "maire de la commune de X": the next cue has the name ("Bourg-en-Bresse", hyphen-joined, is a name).
  if ((COMMUNE_NOUNS.has(first.word) && second?.before !== '-') || (/^(la|le|l)$/.test(first.word) && second && COMMUNE_NOUNS.has(second.word) && tokens[span[0] + 2]?.before !== '-')) return undefined
  if (NOT_A_NAME.has(first.word) && !first.capitalized) return undefined
  const connector = tokens[cue.end - 1]!.word
  const typed = rawSpan(text, span[0], span[1])
  const query = cue.kind === 'commune' && connector === 'du' ? `Le ${typed}` : cue.kind === 'commune' && connector === 'des' ? `Les ${typed}` : typed
  const lead = /^(l|la|le|les)$/.test(first.word) ? second : first
  // "la commune de Kita (Mali)", "à Ouagadougou au Burkina Faso": a partner city abroad.
  if (abroadAfter(text, span[1])) return undefined
  if (cue.kind === 'weak') {
    // "à Vézelay", "pour Saint-Denis (974)": a capitalised name that is no project word, exact
    // only, or one clear typo when a qualifier places it ("à Vezlay (89)").
    if (!lead?.capitalized || isVocabulary(typed)) return undefined
    const hint = qualifierAfter(text, geo, span[1])
    const outcome = lookupCommune(geo, query, hint && withRegion(hint, geo), true) ?? (hint ? fromTypo(lookupCommune(geo, query, withRegion(hint, geo), false)) : undefined)
    if (outcome) return done(d, outcome, cue.start, span[1], hint)
    return undefined
  }
  const byMayor = tokens[cue.start]!.word === 'maire' || tokens[cue.start]!.word === 'mairie'
  // "une ville du Sénégal", "une commune de la Drôme": a country or a project word is no commune name.
  if (!byMayor && isVocabulary(typed)) return undefined
  // A département or région after "commune de" / "village de" is where the commune is, not its name.
  const territory = territoryAt(text, geo, span[0], { codes: false })
  if (territory && territory.end >= span[1] && !byMayor) {
    // … unless a commune has that very name ("commune de Paris").
    const same = lookupCommune(geo, query, undefined, true)
    if (same?.kind !== 'found') return undefined
    return done(d, same, cue.start, span[1])
  }
  // "MAIRIE DE AUTUN SAONE-ET-LOIRE", "mairie de le port la reunion": the name, then its département
  // or région without punctuation; the whole span is tried first ("Saint Just sur Loire" stays whole).
  const split = trailingTerritory(text, geo, span)
  if (split && !lookupCommune(geo, query, undefined, true)) {
    const nameTyped = rawSpan(text, span[0], split.nameEnd)
    const nameQuery = cue.kind === 'commune' && connector === 'du' ? `Le ${nameTyped}` : cue.kind === 'commune' && connector === 'des' ? `Les ${nameTyped}` : nameTyped
    const named = lookupCommune(geo, nameQuery, withRegion(split.hint, geo), true)
    if (named) return done(d, named, cue.start, split.hint.end)
  }
  const hint = qualifierAfter(text, geo, span[1]) ?? findTerritoryHints(text, geo)
  // Lowercase names after "commune de"/"ville de" are often no names ("ville de taille moyenne").
  const sure = byMayor || lead?.capitalized === true || ctx.expectedSlot === 'collectivite'
  let outcome = lookupCommune(geo, query, hint && withRegion(hint, geo), false)
  if (outcome?.kind === 'notFound' && span[1] - span[0] >= 2) {
    // "maire de vezelay en bourgogne", "maire de Vézelay Yonne": try the name without its last words
    // (never inside a hyphenated name: "Saint-Martin-de-Fontenay" is not "Saint-Martin").
    for (let end = span[1] - 1; end > span[0] && end >= span[1] - 2 && tokens[end]!.before === ''; end--) {
      let e = end
      while (e > span[0] && CONNECTORS.has(tokens[e - 1]!.word)) e--
      if (e <= span[0]) break
      const shorter = lookupCommune(geo, rawSpan(text, span[0], e), hint && withRegion(hint, geo), true)
      if (shorter) {
        outcome = shorter
        span[1] = e
        break
      }
    }
  }
  if (!outcome) return undefined
  if (outcome.kind === 'notFound' && !sure) return undefined
  return done(d, outcome, cue.start, span[1], hint)
}

// Which collectivité is speaking, through the Geography API (never a scan of the communes).
//
// A name counts only when something introduces it, so that project words never become communes
// ("École" and "Piscine" are communes too):
// - codes: "18197" (INSEE), "18200" (postal: several communes → ambiguous), with "insee"/"cp" cues,
//   or as the whole answer;
// - cues: "maire de/d'/du", "mairie de", "commune de", "ville de", "village de" (a commune);
//   "com com", "comcom", "CC", "CA", "CU", "communauté de communes/d'agglomération/urbaine", "agglo",
//   "métropole", "interco", "EPCI" (an EPCI, through findEpci); "département de", "conseil
//   départemental de" (a département); "région", "conseil régional" (a région); and, weaker, "à",
//   "pour", "chez" before a capitalised name that is no vocabulary word ("à Vézelay", not "pour l'école");
// - the whole message when the dialogue just asked for the collectivité (expectedSlot), or when a
//   short message is nothing but a capitalised name.
// The name runs from the cue to punctuation, a clause word ("et", "on", "nous", "qui", "pour",
// "avec", "dans"…), a number, or, when typed with capitals, the first lowercase word that is no
// name connector ("de", "sur", "en", "lès"…). "Saint-Pierre et Miquelon": "et" before a capital goes on.
// Homonyms take a qualifier: "(974)", "(Cher)", ", La Réunion", " 89", "dans le 93", "en Corse".
// Results: one exact name → found; several → ambiguous; a typo → found when one candidate is
// clearly the closest (one edit, two from twelve letters, no other candidate as close; `corrected`
// then holds what was typed, for the dialogue to confirm), else notFound with suggestions. With no
// name, a population ("400 hab.") or a place ("dans l'Yonne") gives a partial profile.
import type { ApplicantType } from '../../../core/applicants.ts'
import type { Geography, NameMatch } from '../../../core/geography/geography.ts'
import { profileLabel } from '../../../core/geography/geography.ts'
import { boundedDistance, normalizeName } from '../../../core/geography/normalize.ts'
import type { CollectiviteProfile } from '../../../core/profile.ts'
import { APPLICANT_VOCABULARY } from './applicant.ts'
import { CLOSED_LIST_VOCABULARY } from './closed-lists.ts'
import { COUNTRY_VOCABULARY } from './country.ts'
import { detectIntents } from './intents.ts'
import { detectPopulation } from './population.ts'
import { STAGE_VOCABULARY } from './stage.ts'
import { findTerritoryHints, territoryAt, withRegion, type TerritoryHint } from './territory.ts'
import { analyse, asText, consume, rawSpan, type Text, type Token } from './text.ts'
import { THEME_VOCABULARY } from './themes.ts'
import type { CollectiviteUnderstanding, SlotName } from './types.ts'

export interface CollectiviteContext {
  geography: Geography
  expectedSlot?: SlotName
}

export interface CollectiviteDetection {
  collectivite?: CollectiviteUnderstanding
  /** The applicant type the cue itself names ("maire de" → commune, "com com" → epci), if any. */
  applicantHint?: ApplicantType
  /** The tokens of a body's own name (« syndicat des eaux », « SIVU scolaire »), from its head to its territory. */
  bodyName?: readonly [number, number]
}

// ---------------------------------------------------------------------------------------------
// Name spans

/** Words that may sit inside a place name. */
const CONNECTORS = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l', 'sur', 'sous', 'en', 'et', 'les', 'lez', 'aux', 'au', 'a', 'y', 'saint', 'sainte', 'saints', 'saintes', 'st', 'ste'])
/** Lowercase words that end a name: a new clause or a project word begins. */
const STOP = new Set(`et on nous je j qui que qu pour avec dans mais car donc ou ca c est sommes suis etes depuis afin voudrait voudrions
  voudrais veut veux voulons souhaite souhaitons souhaiterait aimerait aimerions aimerais cherche cherchons ai avons ont il elle ils
  elles nb merci svp stp par vers pres proche entre quand comme environ hab habitants soit ici projet commune ville village mairie
  une un notre ma mon nos cette ce ces tres bien alors voila bonjour bonsoir salut oui non pas ne n merci cordialement aussi deja
  situe situee qui dont ayant avait actuellement donc puis lors`.split(/\s+/).filter(Boolean))
/** Words that make a commune cue mean something else ("commune de montagne", "ville de taille moyenne"). */
const NOT_A_NAME = new Set(['montagne', 'taille', 'moins', 'plus', 'environ', 'pres', 'campagne', 'banlieue', 'zone', 'type', 'caractere', 'france', 'littoral'])

function typedA(text: Text, t: Token): boolean {
  return text.raw[text.rawOffset[t.start]!] === 'à' || text.raw[text.rawOffset[t.start]!] === 'À'
}

/** The name that starts at token `from`: [from, end), or undefined. */
function nameSpan(text: Text, from: number, max = 8, afterBreak = false): [number, number] | undefined {
  const { tokens } = text
  const first = tokens[from]
  if (!first || text.consumed[from] || /\d/.test(first.word)) return undefined
  if (!first.capitalized && STOP.has(first.word)) return undefined
  // "Métropole : plan de rénovation", "Commune de : …": a heading, no name after it.
  if (from > 0 && first.breakBefore && !afterBreak && !first.before.endsWith('(')) return undefined
  const lead = first.word === 'l' || first.word === 'la' || first.word === 'le' || first.word === 'les' ? tokens[from + 1] : first
  const capitalMode = lead?.capitalized === true
  let end = from
  while (end < tokens.length && end - from < max) {
    const t = tokens[end]!
    if (end > from && t.breakBefore) break
    if (text.consumed[end] || /\d/.test(t.word)) break
    // A word joined by a hyphen is part of the name, whatever its case (« Wy-dit-Joli-Village », « Palau-del-Vidre »).
    // So is a letter after an apostrophe inside a word (« Plouezoc'h », « Loc'h »).
    if (end > from && (t.before === '-' || (/^['’]$/.test(t.before) && t.word.length === 1 && tokens[end - 1]!.word.length > 2))) {
      end++
      continue
    }
    if (t.word === 'et') {
      const next = tokens[end + 1]
      if (!next || !next.capitalized || next.breakBefore || !capitalMode) break
    } else if (t.word === 'a' && !typedA(text, t)) break
    else if (!t.capitalized && STOP.has(t.word) && end > from) break
    else if (capitalMode && end > from && !t.capitalized && !CONNECTORS.has(t.word)) break
    end++
  }
  while (end > from && CONNECTORS.has(tokens[end - 1]!.word) && !tokens[end - 1]!.capitalized) end--
  return end > from ? [from, end] : undefined
}

/**
 * A département or région ending a name span with no punctuation ("riom puy-de-dome", "LE GUA ISERE",
 * "saint-pierre saint-pierre-et-miquelon"): where the name stops and the territory that qualifies it.
 * Only at a space (never inside a hyphenated name) and not after a connector ("… sur Loire" is a name).
 */
function trailingTerritory(text: Text, geo: Geography, span: [number, number]): { nameEnd: number; hint: TerritoryHint } | undefined {
  const { tokens } = text
  for (let k = span[0] + 1; k < span[1]; k++) {
    const t = tokens[k]!
    if (t.before !== '' || CONNECTORS.has(tokens[k - 1]!.word)) continue
    const hint = territoryAt(text, geo, k, { codes: false, qualifier: true })
    if (hint && hint.end >= span[1]) return { nameEnd: k, hint }
  }
  return undefined
}

/** Skips connector words ("de", "du", "d'", "la"…) after a cue; returns the first token after them. */
function skipConnectors(text: Text, from: number, words = ['de', 'du', 'des', 'd']): number {
  let i = from
  // "DEPARTEMENT DE L'ISERE": in capitals a connector is still one; punctuation ends the cue ("Métropole : la …").
  while (i < text.tokens.length && words.includes(text.tokens[i]!.word) && (!text.tokens[i]!.capitalized || text.tokens[i]!.upper || allCapitals(text)) && !text.tokens[i]!.breakBefore) i++
  return i
}

/** Whether the message is typed in capitals (most of its words). */
function allCapitals(text: Text): boolean {
  const long = text.tokens.filter((t) => t.word.length >= 2 && /[a-z]/.test(t.word))
  return long.length > 0 && long.filter((t) => t.upper).length >= long.length * 0.8
}

/** Whether the span is nothing but vocabulary (project words, intents, countries…): no place name. */
function isVocabulary(raw: string): boolean {
  const sub = analyse(raw)
  const core = sub.tokens.filter((t) => !['l', 'la', 'le', 'les', 'd', 'de', 'du', 'des'].includes(t.word))
  if (core.length === 0) return true
  if (detectIntents(sub).intents.length > 0) return true
  const covered = new Uint8Array(sub.tokens.length)
  for (const matcher of [THEME_VOCABULARY, STAGE_VOCABULARY, COUNTRY_VOCABULARY, APPLICANT_VOCABULARY, CLOSED_LIST_VOCABULARY] as const) {
    // Only words said exactly: « changey » is a commune, not « changer » mistyped.
    for (const m of matcher.match(sub)) if (!m.fuzzy) for (let k = m.start; k < m.end; k++) covered[k] = 1
  }
  return core.every((t) => covered[t.index] === 1)
}

// ---------------------------------------------------------------------------------------------
// Lookups

const OF_WORDS = new Set(['de', 'd', 'du'])

/** The longest run from an EPCI cue that names an EPCI exactly, across commas, spaced dashes, digits and quotes. */
function longestExactEpci(text: Text, geo: Geography, cueStart: number, nameStart: number): { outcome: CollectiviteUnderstanding; end: number } | undefined {
  const { tokens } = text
  if (nameStart >= tokens.length || text.consumed[nameStart]) return undefined
  let far = nameStart
  for (let parts = 0, k = nameStart; k < tokens.length && k - nameStart < 14; k++) {
    const t = tokens[k]!
    if (text.consumed[k]) break
    if (k > nameStart && t.breakBefore) {
      const sep = t.before.replace(/"/g, '')
      if (!(sep === ',' || sep === '-' || sep === '') || ++parts > 2) break
    }
    far = k + 1
  }
  for (let end = far; end > nameStart; end--) {
    const query = rawSpan(text, cueStart, end).replace(/"/g, '')
    const hits = geo.findEpci(query, { limit: 6 }).filter((h) => h.match === 'exact' || h.match === 'variant')
    const outcome = fromMatches(query, hits, true)
    if (outcome && outcome.kind === 'found') return { outcome, end }
  }
  return undefined
}

/** A known commune name, capitalised, right after « de / d' / du / à » (see step 5a). */
function placeAfterOf(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number; hint?: TerritoryHint } | undefined {
  const { tokens } = text
  for (let i = 0; i < tokens.length; i++) {
    const prev = tokens[i - 1]
    const t = tokens[i]!
    const afterOf = !!prev && (OF_WORDS.has(prev.word) || (prev.word === 'a' && typedA(text, prev))) && !t.breakBefore
    // Typed in lowercase, a name counts only right after a body's noun (« ccas de montferrat »).
    const afterBody = afterOf && i >= 2 && BODY_NOUNS.has(tokens[i - 2]!.word)
    // At the head of the message only with its territory (« Saint-Denis de la Réunion, … »).
    if (!(afterOf || i === 0) || !(t.capitalized || afterBody) || text.consumed[i]) continue
    const span = nameSpan(text, i, 8, i === 0)
    if (!span) continue
    // « Saint-Denis de la Réunion »: the last words may be the territory that tells homonyms apart.
    const tail = trailingOfTerritory(text, geo, span)
    if (i === 0 && !tail) continue
    const typed = rawSpan(text, span[0], tail ? tail.nameEnd : span[1])
    if (isVocabulary(typed)) continue
    const outcome = lookupCommune(geo, typed, tail && withRegion(tail.hint, geo), true)
    // An exact homonym is offered as such (« de Clamecy »: Nièvre or Aisne).
    if (outcome?.kind === 'found' || outcome?.kind === 'ambiguous') return { outcome, from: span[0], to: span[1], ...(tail && { hint: tail.hint }) }
  }
  return undefined
}

/** « … de la Réunion », « … de Guadeloupe » ending a name span: the territory named after « de ». */
function trailingOfTerritory(text: Text, geo: Geography, span: [number, number]): { nameEnd: number; hint: TerritoryHint } | undefined {
  const { tokens } = text
  for (let k = span[0] + 1; k < span[1]; k++) {
    if (!OF_WORDS.has(tokens[k]!.word) || tokens[k]!.before !== '') continue
    let at = k + 1
    while (at < span[1] && /^(la|le|les|l)$/.test(tokens[at]!.word)) at++
    const hint = territoryAt(text, geo, at, { codes: false, qualifier: true })
    if (hint && hint.end >= span[1]) return { nameEnd: k, hint }
  }
  return undefined
}

const TYPO_QUERY_MIN = 5

/** Edits a typo may cost: one, two from twelve letters. */
function typoBudget(key: string): number {
  return key.length >= 12 ? 2 : 1
}

function suggestionsOf(profiles: CollectiviteProfile[]): { label: string; code: string }[] {
  const out: { label: string; code: string }[] = []
  for (const p of profiles) if (!out.some((s) => s.code === p.code)) out.push({ label: profileLabel(p), code: p.code })
  return out.slice(0, 5)
}

type Outcome = CollectiviteUnderstanding | undefined

/** Ranks name matches into an outcome (see the header). `strict`: exact answers only. */
function fromMatches(query: string, hits: NameMatch[], strict: boolean): Outcome {
  const exact = hits.filter((h) => h.match === 'exact')
  const sure = exact.length ? exact : hits.filter((h) => h.match === 'variant')
  if (sure.length === 1) return { kind: 'found', profile: sure[0]!.profile }
  if (sure.length > 1) return { kind: 'ambiguous', query, candidates: sure.map((h) => h.profile) }
  if (strict) return undefined
  const partial = hits.filter((h) => h.match === 'partial')
  if (partial.length) {
    if (partial.length === 1 || partial[0]!.distance < partial[1]!.distance) return { kind: 'found', profile: partial[0]!.profile }
    return { kind: 'ambiguous', query, candidates: partial.filter((h) => h.distance === partial[0]!.distance).map((h) => h.profile) }
  }
  const fuzzy = hits.filter((h) => h.match === 'fuzzy')
  const key = normalizeName(query)
  if (fuzzy.length && key.length >= TYPO_QUERY_MIN && fuzzy[0]!.distance <= typoBudget(key)) {
    const best = fuzzy.filter((h) => h.distance === fuzzy[0]!.distance)
    if (best.length === 1) return { kind: 'found', profile: best[0]!.profile, corrected: query }
    const names = new Set(best.map((h) => normalizeName(h.profile.name)))
    if (names.size === 1) return { kind: 'ambiguous', query, candidates: best.map((h) => h.profile) }
  }
  return { kind: 'notFound', query, suggestions: suggestionsOf(hits.map((h) => h.profile)) }
}

function filterByHint(hits: NameMatch[], hint: TerritoryHint | undefined): NameMatch[] {
  if (!hint) return hits
  return hits.filter(
    (h) =>
      (!hint.region || h.profile.region?.code === hint.region.code) &&
      (!hint.postalCode || h.profile.postalCodes?.includes(hint.postalCode) === true),
  )
}

function lookupCommune(geo: Geography, query: string, hint: TerritoryHint | undefined, strict: boolean): Outcome {
  const opts = hint?.departement ? { departement: hint.departement.code, limit: 6 } : { limit: 6 }
  const hits = filterByHint(geo.findCommunes(query, opts), hint && { ...hint, departement: undefined })
  const outcome = fromMatches(query, hits, strict)
  if (hint && (!outcome || outcome.kind === 'notFound')) {
    // Nothing of that name there: say what exists elsewhere.
    const anywhere = geo.findCommunes(query, { limit: 6 })
    const suggestions = suggestionsOf([...hits, ...anywhere].map((h) => h.profile))
    return strict ? undefined : { kind: 'notFound', query, suggestions }
  }
  return outcome
}

const pop = (p: CollectiviteProfile): number => p.population ?? 0

/**
 * One name, several kinds: "Paris" (commune and département of one size) is the commune; "La
 * Réunion" or "Bretagne" (a département or région, and villages of that name) is the big one.
 */
function pickAcrossKinds(candidates: CollectiviteProfile[]): CollectiviteProfile | undefined {
  const communes = candidates.filter((c) => c.type === 'commune')
  const others = candidates.filter((c) => c.type !== 'commune')
  if (others.length === 0) return undefined
  if (communes.length === 1 && others.every((o) => normalizeName(o.name) === normalizeName(communes[0]!.name) && pop(communes[0]!) * 2 >= pop(o))) return communes[0]
  if (others.length === 1 && communes.every((c) => pop(others[0]!) >= 10 * pop(c))) return others[0]
  return undefined
}

/** resolve() for a whole answer, with the typo rule above (resolve itself never corrects). */
function resolveWhole(geo: Geography, query: string, strict: boolean): Outcome {
  const r = geo.resolve(query)
  if (r.kind === 'found') return { kind: 'found', profile: r.profile }
  if (r.kind === 'ambiguous') {
    const picked = pickAcrossKinds(r.candidates)
    return picked ? { kind: 'found', profile: picked } : { kind: 'ambiguous', query, candidates: r.candidates }
  }
  if (strict) return undefined
  const key = normalizeName(query.replace(/\s*\([^)]*\)\s*$/, ''))
  const scored = r.suggestions.map((s) => ({ s, d: boundedDistance(key, normalizeName(s.label.replace(/\s*\([^)]*\)\s*$/, '')), 3) }))
  const best = scored.filter((x) => x.d === Math.min(...scored.map((y) => y.d)))
  if (key.length >= TYPO_QUERY_MIN && best.length === 1 && best[0]!.d > 0 && best[0]!.d <= typoBudget(key)) {
    const profile = geo.byCode(best[0]!.s.code, best[0]!.s.type)
    if (profile) return { kind: 'found', profile, corrected: query }
  }
  return { kind: 'notFound', query, suggestions: r.suggestions.map((s) => ({ label: s.label, code: s.code })) }
}

/** A country named right after a name ("Kita (Mali)", "Ouagadougou au Burkina Faso"): a partner city abroad, not us. */
function abroadAfter(text: Text, end: number): boolean {
  const t = text.tokens[end]
  if (!t) return false
  const gap = t.breakBefore ? t.before : ''
  if (gap && !/^[,(]$/.test(gap) && gap !== '-') return false
  let at = end
  if (/^(au|aux|en|du|de|d|des|la|le|l)$/.test(t.word) && !t.capitalized) at++
  if (/^(la|le|l)$/.test(text.tokens[at]?.word ?? '')) at++
  const next = text.tokens[at]
  if (!next) return false
  const sub = analyse(rawSpan(text, at, Math.min(text.tokens.length, at + 4)))
  return COUNTRY_VOCABULARY.match(sub).some((m) => m.start === 0)
}

// ---------------------------------------------------------------------------------------------
// The leading name: "Dijon, rénovation des écoles", "Vezelay : éclairage", "Bonjour, Tonnerre
// dans l'Yonne, …", "SAINT AMAND MONTROND - VOIRIE". A message may open with its collectivité's
// bare name, as a letter's heading: a capitalised name, at the very start or after a greeting,
// followed by punctuation, a qualifier or the end. Headings that are words ("Métropole : …",
// "Commune : …", "Objet : …", "Projet : …") and project words are not places.

const GREETINGS = new Set(['bonjour', 'bonsoir', 'salut', 'hello', 'coucou', 'madame', 'monsieur', 'messieurs', 'mesdames', 'cher', 'chere', 'chers', 'bjr', 're', 'oui', 'alors', 'donc', 'voila', 'ici', 'c', 'est', 'nous', 'sommes', 'je', 'suis', 'a', 'de', 'depuis', 'on', 'bien', 'euh'])
const HEADINGS = new Set(['objet', 'sujet', 'projet', 'projets', 'demande', 'question', 'contexte', 'titre', 'info', 'infos', 'urgent', 'important', 'besoin', 'aide', 'subvention', 'subventions', 'financement', 'financements', 'dossier', 'rappel', 'merci', 'commune', 'ville', 'village', 'mairie', 'metropole', 'collectivite', 'territoire', 'nom', 'lieu', 'localisation', 'budget', 'montant', 'theme', 'description', 'resume', 'note', 'ps', 'nb', 'france', 'europe', 'idee', 'precision', 'precisions', 'suite', 'reponse'])

function leadingName(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number; hint?: TerritoryHint } | undefined {
  const { tokens } = text
  let from = 0
  while (from < tokens.length && GREETINGS.has(tokens[from]!.word)) from++
  if (from >= tokens.length) return undefined
  // Only greeting words (and their punctuation) may stand before the name.
  const lead = /^(l|la|le|les)$/.test(tokens[from]!.word) ? tokens[from + 1] : tokens[from]
  if (!lead || !lead.capitalized || text.consumed[from] || STOP.has(lead.word) || HEADINGS.has(lead.word)) return undefined
  const span = nameSpan(text, from, 6, true)
  if (!span) return undefined
  const allCaps = tokens.slice(span[0], span[1]).every((t) => t.upper || t.word.length === 1)
  // Prefixes, longest first: an all-capitals message runs on ("SAINT AMAND MONTROND VOIRIE").
  for (let end = span[1]; end > span[0]; end--) {
    if (end < span[1] && (!allCaps || CONNECTORS.has(tokens[end - 1]!.word))) continue
    const typed = rawSpan(text, span[0], end)
    if (isVocabulary(typed) || HEADINGS.has(tokens[end - 1]!.word)) continue
    const next = tokens[end]
    const hint = qualifierAfter(text, geo, end)
    const after = hint ? tokens[hint.end] : next
    const separated = !after || after.breakBefore || (!after.capitalized && STOP.has(after.word) && after.word !== 'et')
    if (!separated && !allCaps) continue
    if (abroadAfter(text, end)) return undefined
    const clean = end === span[1] && (!after || after.breakBefore)
    let outcome: Outcome
    if (hint) outcome = lookupCommune(geo, typed, withRegion(hint, geo), true) ?? fromTypo(lookupCommune(geo, typed, withRegion(hint, geo), false))
    else outcome = resolveWhole(geo, typed, true) ?? (clean && end - span[0] <= 4 ? fromTypo(resolveWhole(geo, typed, false)) : undefined)
    if (outcome) return { outcome, from: span[0], to: end, ...(hint && { hint }) }
  }
  return undefined
}

/** A typo counts at the head of a message only when one place is clearly meant. */
function fromTypo(outcome: Outcome): Outcome {
  return outcome?.kind === 'found' ? outcome : undefined
}

// ---------------------------------------------------------------------------------------------
// Bodies that are no collectivité of the geography: syndicats ("syndicat d'énergie du Cher", "SDE 18",
// "SIAEP de la région de Joigny", "syndicat des eaux du Val de Loire dans le Loiret") and public
// establishments ("SDIS de la Côte-d'Or", "SDIS 21", "CCAS de Grenoble", "hôpital public de Vienne
// (Isère)", "centre hospitalier de Mende"). Their territory (a département or a commune) stands for
// them, and the applicant is the body.

const BODY_HEADS = /^(syndicat|syndicats|sivu|sivom|sivos|sde|sdee|sdec|siaep|smaep|sictom|smictom|sirtom|smirtom|sydev|sdesm|syane|siel|sieeen|syded|sieda|sidec|sied|te|sdis|ccas|cias|chu|chr|oph|ehpad)(\d\d)?$/
/** Heads read in lowercase too: words, not acronyms that could be something else. */
const LOWERCASE_HEADS = new Set(['syndicat', 'syndicats', 'sdis', 'ccas', 'cias', 'ehpad'])
/** Heads of two words: "hôpital public", "centre hospitalier". */
const TWO_WORD_HEADS: [string, string][] = [['hopital', 'public'], ['centre', 'hospitalier'], ['etablissement', 'public'], ['office', 'public']]
const ESTABLISHMENT_HEADS = new Set(['sdis', 'ccas', 'cias', 'chu', 'chr', 'oph', 'ehpad', 'hopital', 'centre', 'etablissement', 'office'])
/** Words of a body's own name before its territory: "intercommunal d'alimentation en eau potable", "mixte", "des eaux". */
const SYNDICAT_NAME_WORDS = new Set(`intercommunal intercommunale mixte departemental departementale d de des du l la le les energie energies electricite
  electrification eau eaux adduction alimentation en potable assainissement riviere rivieres scolaire ordures menageres collecte traitement
  dechets a vocation unique multiple multiples gestion production distribution transport numerique eclairage public et ferme ouvert intercommunaux
  region secteur canton vallee bassin pays agglomeration territoire aire zone
  publique hospitalier hospitaliere universitaire regional communal action sociale incendie secours habitat logement`.split(/\s+/).filter(Boolean))

function bodyTerritory(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number; applicant: ApplicantType; name: [number, number] } | undefined {
  const { tokens } = text
  const capitals = allCapitals(text)
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const pair = TWO_WORD_HEADS.find(([a, b]) => t.word === a && tokens[i + 1]?.word === b && !tokens[i + 1]!.breakBefore)
    const m = pair ? ([t.word, t.word, undefined] as unknown as RegExpExecArray) : BODY_HEADS.exec(t.word)
    if (!m || text.consumed[i] || (m[1] === 'te' && !m[2] && !(t.upper && /^\d\d$/.test(tokens[i + 1]?.word ?? '')))) continue
    if (!pair && !LOWERCASE_HEADS.has(m[1]!) && !t.upper && !m[2]) continue // acronyms in capitals only ("SDE", not "sde")
    let at = i + (pair ? 2 : 1)
    const found = (r: { outcome: CollectiviteUnderstanding; from: number; to: number }) => ({
      ...r,
      applicant: (ESTABLISHMENT_HEADS.has(m[1]!) ? 'etablissement_public' : 'syndicat') as ApplicantType,
      name: [i, Math.max(at, i + 1)] as [number, number],
    })
    if (m[2]) {
      const d = geo.departement(m[2])
      if (d) return found({ outcome: { kind: 'found', profile: d }, from: i, to: i })
    }
    // "le CCAS (établissement public) de Vendée": a bracket after the head says what the body is.
    let bracketEnd = -1
    if (tokens[at]?.before.endsWith('(')) {
      let k = at
      while (k < tokens.length && k - at < 6 && !tokens[k]!.before.includes(')')) k++
      if (k < tokens.length && tokens[k]!.before.includes(')')) at = bracketEnd = k
    }
    while (at < tokens.length && (at === bracketEnd || !tokens[at]!.breakBefore) && SYNDICAT_NAME_WORDS.has(tokens[at]!.word) && (!tokens[at]!.capitalized || capitals)) at++
    const next = tokens[at]
    // "SDE 18", not "syndicat intercommunal de 60 000 habitants" (a number, not a département).
    const after = tokens[at + 1]
    const aNumber = after !== undefined && !after.breakBefore && (/^\d{3}$/.test(after.word) || /^hab/.test(after.word))
    if (next && !next.breakBefore && !aNumber && /^(\d{2}|2a|2b|97\d)$/.test(next.word)) {
      const d = geo.departement(next.word)
      if (d) return found({ outcome: { kind: 'found', profile: d }, from: at, to: at + 1 })
    }
    // Back to the article of the territory ("du Cher", "de la Nièvre", "de l'Yonne").
    let name = at
    while (name > i + (pair ? 2 : 1) && /^(la|le|les|l)$/.test(tokens[name - 1]!.word)) name--
    if (next && !next.breakBefore && name > i + (pair ? 2 : 1)) {
      const dept = territoryAt(text, geo, name, { codes: false, qualifier: true })
      const span = next.capitalized ? nameSpan(text, at) : undefined
      // "centre hospitalier de Vienne (Isère)": a bracketed département makes the name a commune of it.
      const bracketed = span && qualifierAfter(text, geo, span[1])
      const otherDepartement = bracketed && dept?.departement && bracketed.departement && bracketed.departement.code !== dept.departement.code
      // In lowercase ("ccas de lozere"), only an exact département or région name is a territory.
      if (dept && !otherDepartement && (!span || dept.end >= span[1])) {
        const profile = dept.departement ?? dept.region
        if (profile) return found({ outcome: { kind: 'found', profile }, from: name, to: dept.end })
      }
      if (span) {
        const hint = qualifierAfter(text, geo, span[1])
        const commune = lookupCommune(geo, rawSpan(text, span[0], span[1]), hint && withRegion(hint, geo), true)
        if (commune?.kind === 'found' || commune?.kind === 'ambiguous') return found({ outcome: commune, from: span[0], to: hint?.end ?? span[1] })
      }
    }
    // No territory in its name: a commune named with its département ("syndicat des eaux, Lodève
    // (Hérault)"), else one said elsewhere ("… dans le Loiret"), taken by findTerritoryHints.
    const qualified = qualifiedName(text, geo)
    if (qualified) return found(qualified)
    const place = findTerritoryHints(text, geo)
    const profile = place?.departement ?? place?.region
    if (profile) return found({ outcome: { kind: 'found', profile }, from: place!.start, to: place!.start })
    return undefined
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// A name with its département or région in brackets ("Lodève (Hérault)", "nantes (loire-atlantique)",
// "Fort-de-France (972)"), wherever it stands: "association, Lodève (Hérault)", "PETR autour de
// Figeac (Lot)", "un groupement dont fait partie Montreuil (Seine-Saint-Denis)". The bracket says it
// is a place of ours; the name is the longest run of words before it (no punctuation inside) that
// is exactly a commune there. Who applies is left to the words that say it.

function qualifiedName(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number } | undefined {
  const { tokens } = text
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!
    if (!t.breakBefore || !t.before.endsWith('(') || text.consumed[i]) continue
    const hint = territoryAt(text, geo, i, { codes: true, qualifier: true })
    if (!hint) continue
    let first = i - 1
    while (first > 0 && i - first < 6 && !tokens[first]!.breakBefore && !text.consumed[first - 1]) first--
    for (let from = first; from < i; from++) {
      if (text.consumed[from] || (!tokens[from]!.capitalized && STOP.has(tokens[from]!.word))) continue
      const typed = rawSpan(text, from, i)
      // "la rénovation de l'école (Savoie)": a project word in lowercase is no name.
      if (!tokens[from]!.capitalized && isVocabulary(typed)) continue
      const outcome = lookupCommune(geo, typed, withRegion(hint, geo), true)
      if (outcome) return { outcome, from, to: hint.end }
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Cues

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
const BODY_NOUNS = new Set(['ccas', 'cias', 'association', 'petr', 'groupement', 'ehpad', 'office', 'club', 'comite', 'foyer', 'entreprise', 'societe'])

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

/** Qualifier right after a name: "(974)", "(Cher)", ", La Réunion", " 89", " 18200", "dans le 93", "en Corse". */
function qualifierAfter(text: Text, geo: Geography, end: number): TerritoryHint | undefined {
  const t = text.tokens[end]
  if (!t) return undefined
  if (t.breakBefore && t.before.endsWith('(')) {
    if (/^\d{5}$/.test(t.word)) return { postalCode: t.word, start: end, end: end + 1 }
    const h = territoryAt(text, geo, end, { codes: true, qualifier: true })
    return h
  }
  if (t.breakBefore && t.before === ',') {
    // ", commune de la Nièvre", ", commune de La Réunion", ", ville du Cher": the commune's département.
    const of = text.tokens[end + 1]
    if (/^(commune|ville|village)$/.test(t.word) && of && /^(de|d|du|des)$/.test(of.word) && !of.breakBefore) {
      const h = territoryAt(text, geo, end + 2, { codes: false, qualifier: true })
      if (h) return { ...h, start: end }
    }
    return territoryAt(text, geo, end, { codes: false, qualifier: true })
  }
  if (!t.breakBefore && /^\d{5}$/.test(t.word)) return { postalCode: t.word, start: end, end: end + 1 }
  if (!t.breakBefore && /^(\d{2,3}|2a|2b)$/.test(t.word)) return territoryAt(text, geo, end, { codes: true })
  if (!t.breakBefore && (t.word === 'dans' || t.word === 'en')) {
    let at = end + 1
    if (t.word === 'dans' && /^(le|la|les|l)$/.test(text.tokens[at]?.word ?? '') && /^\d/.test(text.tokens[at + 1]?.word ?? '')) at++
    const h = territoryAt(text, geo, at, { codes: t.word === 'dans' })
    return h && { ...h, start: end }
  }
  return undefined
}

const HINT_OF: Record<Cue['kind'], ApplicantType | undefined> = { commune: 'commune', weak: undefined, epci: 'epci', departement: 'departement', region: 'region', code: undefined }

function communeCueHint(text: Text, cue: Cue): ApplicantType | undefined {
  const w = text.tokens[cue.start]!.word
  return COMMUNE_NOUNS.has(w) || w === 'municipal' || w === 'municipale' ? 'commune' : undefined
}

// ---------------------------------------------------------------------------------------------

export function detectCollectivite(input: string | Text, ctx: CollectiviteContext): CollectiviteDetection {
  const text = asText(input)
  const geo = ctx.geography
  const { tokens } = text
  const population = detectPopulation(text, { bare: ctx.expectedSlot === 'population' })
  let applicantHint: ApplicantType | undefined

  const done = (collectivite: CollectiviteUnderstanding, from: number, to: number, hint?: TerritoryHint): CollectiviteDetection => {
    consume(text, from, to)
    if (hint) consume(text, hint.start, hint.end)
    // A collectivité d'outre-mer (Saint-Barthélemy, Polynésie française…) named as such applies as one,
    // not as the région or département the geography files it under.
    if (collectivite.kind === 'found' && collectivite.profile.zone === 'com' && collectivite.profile.type !== 'commune' && (!applicantHint || applicantHint === 'region')) {
      applicantHint = 'collectivite_outre_mer'
    }
    return { collectivite, ...(applicantHint && { applicantHint }) }
  }

  // 1. Codes: "code postal 18200", "insee 18197", or a code as the whole answer.
  for (const t of tokens) {
    if (text.consumed[t.index] || !/^(\d{5}|2a\d{3}|2b\d{3}|\d{9})$/.test(t.word)) continue
    const before = tokens.slice(Math.max(0, t.index - 3), t.index).map((x) => x.word)
    const cp = before.includes('postal') || before.includes('cp')
    const insee = before.includes('insee')
    // "Marseille 13001", "Saint-Denis (93200)": the code qualifies the name, read with it below.
    const prev = tokens[t.index - 1]
    if (!cp && !insee && prev && /^[a-z]/.test(prev.word) && (!t.breakBefore || t.before.endsWith('('))) continue
    const alone = tokens.length <= 3 && ctx.expectedSlot !== 'budget' && !/^\s*(?:€|euros?|k|hab)/.test(text.lower.slice(t.end))
    if (!cp && !insee && !alone && ctx.expectedSlot !== 'collectivite') continue
    const r = geo.resolve(insee ? `insee ${t.word}` : cp ? `cp ${t.word}` : t.word)
    const from = Math.max(0, t.index - (cp || insee ? before.length : 0))
    if (r.kind === 'found') return done({ kind: 'found', profile: r.profile }, from, t.index + 1)
    if (r.kind === 'ambiguous') return done({ kind: 'ambiguous', query: t.word, candidates: r.candidates }, from, t.index + 1)
    if (cp || insee) return done({ kind: 'notFound', query: t.word, suggestions: [] }, from, t.index + 1)
  }

  // 2. A syndicat or a public establishment named with its territory: the territory, applied for by the body.
  const body = bodyTerritory(text, geo)
  if (body) {
    applicantHint = body.applicant
    return { ...done(body.outcome, body.from, body.to), bodyName: body.name }
  }

  // 3. Cues, left to right: the first that names something decides.
  let ofDepartement: { outcome: CollectiviteUnderstanding; from: number; to: number; hint: ApplicantType } | undefined
  for (const cue of findCues(text)) {
    const prev = tokens[cue.start - 1]?.word ?? ''
    const prev2 = tokens[cue.start - 2]?.word ?? ''
    const asPlace = PLACE_WORDS.has(prev) || (PLACE_WORDS.has(prev2) && /^(le|la|l)$/.test(prev))
    if (cue.kind === 'departement' || cue.kind === 'region') {
      const at = skipConnectors(text, cue.end)
      if (asPlace) {
        // "la direction des finances du département de l'Isère", "au nom du Département de la Creuse": who
        // speaks, unless another body is named before it or another collectivité anywhere (kept for the end).
        if (prev === 'du' && !ofDepartement && !tokens.slice(Math.max(0, cue.start - 5), cue.start - 1).some((x) => OTHER_BODIES.has(x.word))) {
          const h = territoryAt(text, geo, at, { codes: true, departement: cue.kind === 'departement', region: cue.kind === 'region', qualifier: true })
          const profile = h && (cue.kind === 'departement' ? h.departement : h.region)
          if (h && profile) ofDepartement = { outcome: { kind: 'found', profile }, from: cue.start, to: h.end, hint: HINT_OF[cue.kind]! }
        }
        continue // "dans le département de la Drôme": a place, read as a hint below
      }
      const sud = cue.kind === 'region' && tokens[at]?.word === 'sud' ? geo.region('93') : undefined
      const h = sud ? { region: sud, start: at, end: at + 1 } : territoryAt(text, geo, at, { codes: true, departement: cue.kind === 'departement', region: cue.kind === 'region', qualifier: true })
      if (!h) {
        // « ma collectivité » names no région: it says nothing of who applies.
        if (tokens[cue.start]!.word !== 'collectivite') applicantHint ??= HINT_OF[cue.kind]
        continue
      }
      applicantHint = HINT_OF[cue.kind]
      const profile = (cue.kind === 'departement' ? h.departement : h.region)!
      return done({ kind: 'found', profile }, cue.start, h.end)
    }
    if (cue.kind === 'epci') {
      if (asPlace && prev === 'en') continue
      const at = skipConnectors(text, cue.end, ['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l'])
      const span = nameSpan(text, at)
      // "l'intercommunalité CU Perpignan Méditerranée Métropole": the next cue has the name.
      if (span && EPCI_CUES.some(([words]) => matchWords(tokens, span[0], words, false))) continue
      // Official EPCI names hold commas, spaced dashes, digits and quotes (« CC Faucigny - Glières »,
      // « CC des 4B Sud Charente », « CC Forêts, Seine et Suzon »): the longest run the geography knows
      // exactly, over up to two more parts after the name, wins; a loose cue (« cc » in lowercase) needs it.
      const exact = longestExactEpci(text, geo, cue.start, at)
      if (exact) {
        applicantHint = 'epci'
        return done(exact.outcome, cue.start, exact.end)
      }
      if (cue.verify) continue
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
              applicantHint = 'epci'
              return done(outcome, j, cue.end)
            }
          }
        }
        if (k === cue.start || !/^(metropole|agglo|agglomeration|eurometropole)$/.test(tokens[cue.start]!.word)) {
          applicantHint ??= 'epci'
          continue
        }
        from = k
        to = cue.end
      }
      const query = rawSpan(text, from, to)
      applicantHint = 'epci'
      // « l'intercommunalité de Ciran (Indre-et-Loire) », « l'agglo de Bourges »: a member commune named,
      // not the EPCI's own name — the intercommunalité that commune belongs to.
      if (span && from === cue.start) {
        const name = rawSpan(text, span[0], span[1])
        const epciHits = geo.findEpci(query, { limit: 6 }).filter((h) => h.match === 'exact' || h.match === 'variant')
        if (epciHits.length === 0) {
          const hint = qualifierAfter(text, geo, span[1])
          const commune = lookupCommune(geo, name, hint && withRegion(hint, geo), true)
          const epci = commune?.kind === 'found' && commune.profile.epci ? geo.epciBySiren(commune.profile.epci.siren) : undefined
          if (epci) return done({ kind: 'found', profile: epci }, from, span[1], hint)
        }
      }
      const outcome = fromMatches(query, geo.findEpci(query, { limit: 6 }), false)
      if (outcome) return done(outcome, from, to)
      continue
    }
    if (cue.kind === 'commune' || cue.kind === 'weak') {
      const span = nameSpan(text, cue.end)
      if (cue.kind === 'commune') applicantHint ??= communeCueHint(text, cue)
      if (!span) continue
      const first = tokens[span[0]]!
      const second = tokens[span[0] + 1]
      // "maire de la commune de X": the next cue has the name ("Bourg-en-Bresse", hyphen-joined, is a name).
      if ((COMMUNE_NOUNS.has(first.word) && second?.before !== '-') || (/^(la|le|l)$/.test(first.word) && second && COMMUNE_NOUNS.has(second.word) && tokens[span[0] + 2]?.before !== '-')) continue
      if (NOT_A_NAME.has(first.word) && !first.capitalized) continue
      const connector = tokens[cue.end - 1]!.word
      const typed = rawSpan(text, span[0], span[1])
      const query = cue.kind === 'commune' && connector === 'du' ? `Le ${typed}` : cue.kind === 'commune' && connector === 'des' ? `Les ${typed}` : typed
      const lead = /^(l|la|le|les)$/.test(first.word) ? second : first
      // "la commune de Kita (Mali)", "à Ouagadougou au Burkina Faso": a partner city abroad.
      if (abroadAfter(text, span[1])) continue
      if (cue.kind === 'weak') {
        // "à Vézelay", "pour Saint-Denis (974)": a capitalised name that is no project word, exact
        // only, or one clear typo when a qualifier places it ("à Vezlay (89)").
        if (!lead?.capitalized || isVocabulary(typed)) continue
        const hint = qualifierAfter(text, geo, span[1])
        const outcome = lookupCommune(geo, query, hint && withRegion(hint, geo), true) ?? (hint ? fromTypo(lookupCommune(geo, query, withRegion(hint, geo), false)) : undefined)
        if (outcome) return done(outcome, cue.start, span[1], hint)
        continue
      }
      const byMayor = tokens[cue.start]!.word === 'maire' || tokens[cue.start]!.word === 'mairie'
      // "une ville du Sénégal", "une commune de la Drôme": a country or a project word is no commune name.
      if (!byMayor && isVocabulary(typed)) continue
      // A département or région after "commune de" / "village de" is where the commune is, not its name.
      const territory = territoryAt(text, geo, span[0], { codes: false })
      if (territory && territory.end >= span[1] && !byMayor) {
        // … unless a commune has that very name ("commune de Paris").
        const same = lookupCommune(geo, query, undefined, true)
        if (same?.kind !== 'found') continue
        return done(same, cue.start, span[1])
      }
      // "MAIRIE DE AUTUN SAONE-ET-LOIRE", "mairie de le port la reunion": the name, then its département
      // or région without punctuation; the whole span is tried first ("Saint Just sur Loire" stays whole).
      const split = trailingTerritory(text, geo, span)
      if (split && !lookupCommune(geo, query, undefined, true)) {
        const nameTyped = rawSpan(text, span[0], split.nameEnd)
        const nameQuery = cue.kind === 'commune' && connector === 'du' ? `Le ${nameTyped}` : cue.kind === 'commune' && connector === 'des' ? `Les ${nameTyped}` : nameTyped
        const named = lookupCommune(geo, nameQuery, withRegion(split.hint, geo), true)
        if (named) return done(named, cue.start, split.hint.end)
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
      if (!outcome) continue
      if (outcome.kind === 'notFound' && !sure) continue
      return done(outcome, cue.start, span[1], hint)
    }
  }

  // 3b. A name with its département in brackets, wherever it stands ("association, Lodève (Hérault)").
  const qualified = qualifiedName(text, geo)
  if (qualified) return done(qualified.outcome, qualified.from, qualified.to)

  // 4. The message opens with the name ("Vezelay : éclairage", "Bonjour, Tonnerre dans l'Yonne, …").
  const leading = ctx.expectedSlot === undefined || ctx.expectedSlot === 'collectivite' ? leadingName(text, geo) : undefined
  if (leading) return done(leading.outcome, leading.from, leading.to, leading.hint)

  // 5. The whole message as the answer ("Saint-Denis (974)", "Vezelai", "CC Coeur de France").
  const whole = wholeAnswer(text)
  if (whole) {
    const [from, to] = whole
    let typed = rawSpan(text, from, to)
    if ((typed.match(/\(/g) ?? []).length > (typed.match(/\)/g) ?? []).length) typed += ')'
    const short = to - from <= 6 && tokens.length <= 7
    if (ctx.expectedSlot === 'collectivite' && to - from <= 10 && !isVocabulary(typed)) {
      const outcome = resolveWhole(geo, typed, false)
      if (outcome) return done(outcome, from, to)
    } else if (ctx.expectedSlot === undefined && short && tokens[from]!.capitalized && !isVocabulary(typed)) {
      const outcome = resolveWhole(geo, typed, true)
      if (outcome) return done(outcome, from, to)
    }
  }

  // 5b. "du département de l'Isère" when no other collectivité is named.
  if (ofDepartement) {
    applicantHint ??= ofDepartement.hint
    return done(ofDepartement.outcome, ofDepartement.from, ofDepartement.to)
  }

  // 5a. A capitalised commune name after « de », « d' », « du » or « à », anywhere, when nothing else
  // named the collectivité: the body or person it belongs to comes first (« adjoint à l'urbanisme de
  // Besançon », « association sportive de Tulle », « office de tourisme de Vézelay », « Saint-Denis de
  // la Réunion »). Only a name the geography knows exactly or as a variant, with no homonym left.
  const afterOf = ctx.expectedSlot === undefined || ctx.expectedSlot === 'collectivite' ? placeAfterOf(text, geo) : undefined
  if (afterOf) return done(afterOf.outcome, afterOf.from, afterOf.to, afterOf.hint)

  // 6. No name: what is known (population, département, région).
  const place = findTerritoryHints(text, geo)
  if (population || place) {
    const hint = place && withRegion(place, geo)
    return {
      collectivite: {
        kind: 'partial',
        ...(population && { population: population.population }),
        ...(hint?.departement && { departement: hint.departement }),
        ...(hint?.region && { region: hint.region }),
        ...(applicantHint && applicantHint !== 'commune' && PARTIAL_TYPES.has(applicantHint) && { type: applicantHint as 'epci' | 'departement' | 'region' }),
      },
      ...(applicantHint && { applicantHint }),
    }
  }
  return applicantHint ? { applicantHint } : {}
}

/** The bodies a partial profile may describe ("une communauté de communes de 12 000 habitants"). */
const PARTIAL_TYPES = new Set<ApplicantType>(['epci', 'departement', 'region'])

/** Leading and trailing words of an answer that are not the name ("c'est", "je suis à", "merci"). */
const LEAD = new Set(['c', 'est', 'je', 'suis', 'nous', 'sommes', 'on', 'ici', 'moi', 'a', 'de', 'd', 'depuis', 'alors', 'euh', 'bah', 'ben', 'donc', 'bonjour', 'oui', 'sur'])
const TRAIL = new Set(['merci', 'svp', 'stp', 'bien', 'sur', 'voila'])

/** The part of a short answer that may be a name: [from, to) without fillers, or undefined. */
function wholeAnswer(text: Text): [number, number] | undefined {
  const { tokens } = text
  let from = 0
  while (from < tokens.length && LEAD.has(tokens[from]!.word) && !tokens[from]!.capitalized) from++
  while (from < tokens.length && LEAD.has(tokens[from]!.word) && from < tokens.length - 1 && tokens[from + 1]!.capitalized && tokens[from]!.word.length <= 2 && /^(c|a|d)$/.test(tokens[from]!.word)) from++
  let to = tokens.length
  while (to > from && TRAIL.has(tokens[to - 1]!.word)) to--
  // Stop at a sentence break that is not a qualifier ("Saint-Denis (974)" and "Saint-Denis, La Réunion" stay whole).
  for (let k = from + 1; k < to; k++) {
    const t = tokens[k]!
    if (t.breakBefore && !t.before.endsWith('(') && t.before !== ',' && t.before !== ')') {
      to = k
      break
    }
    if (t.breakBefore && t.before === ',' && k - from > 0) {
      const rest = tokens.slice(k, to)
      if (rest.length > 4) {
        to = k
        break
      }
    }
  }
  return to > from ? [from, to] : undefined
}

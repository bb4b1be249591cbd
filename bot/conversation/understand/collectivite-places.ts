// Places the collectivité reader (collectivite.ts) finds without a cue: a body named with its
// territory (a syndicat, a public establishment), a name with its département in brackets, the
// name a message opens with, a known commune after « de / du / à », and the whole short answer.
import type { ApplicantType } from '../../../core/applicants.ts'
import type { Geography } from '../../../core/geography/geography.ts'
import { BODY_NOUNS } from './collectivite-cues.ts'
import { fromTypo, lookupCommune, resolveWhole, type Outcome } from './collectivite-lookup.ts'
import { abroadAfter, allCapitals, CONNECTORS, isVocabulary, nameSpan, qualifierAfter, STOP, typedA } from './collectivite-names.ts'
import { findTerritoryHints, territoryAt, withRegion, type TerritoryHint } from './territory.ts'
import { rawSpan, type Text } from './text.ts'
import type { CollectiviteUnderstanding } from './types.ts'

const OF_WORDS = new Set(['de', 'd', 'du'])

/** A known commune name, capitalised, right after « de / d' / du / à » (see step 5a). */
export function placeAfterOf(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number; hint?: TerritoryHint } | undefined {
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

// ---------------------------------------------------------------------------------------------
// The leading name: "Dijon, rénovation des écoles", "Vezelay : éclairage", "Bonjour, Tonnerre
// dans l'Yonne, …", "SAINT AMAND MONTROND - VOIRIE". A message may open with its collectivité's
// bare name, as a letter's heading: a capitalised name, at the very start or after a greeting,
// followed by punctuation, a qualifier or the end. Headings that are words ("Métropole : …",
// "Commune : …", "Objet : …", "Projet : …") and project words are not places.

const GREETINGS = new Set(['bonjour', 'bonsoir', 'salut', 'hello', 'coucou', 'madame', 'monsieur', 'messieurs', 'mesdames', 'cher', 'chere', 'chers', 'bjr', 're', 'oui', 'alors', 'donc', 'voila', 'ici', 'c', 'est', 'nous', 'sommes', 'je', 'suis', 'a', 'de', 'depuis', 'on', 'bien', 'euh'])
const HEADINGS = new Set(['objet', 'sujet', 'projet', 'projets', 'demande', 'question', 'contexte', 'titre', 'info', 'infos', 'urgent', 'important', 'besoin', 'aide', 'subvention', 'subventions', 'financement', 'financements', 'dossier', 'rappel', 'merci', 'commune', 'ville', 'village', 'mairie', 'metropole', 'collectivite', 'territoire', 'nom', 'lieu', 'localisation', 'budget', 'montant', 'theme', 'description', 'resume', 'note', 'ps', 'nb', 'france', 'europe', 'idee', 'precision', 'precisions', 'suite', 'reponse'])

export function leadingName(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number; hint?: TerritoryHint } | undefined {
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

export function bodyTerritory(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number; applicant: ApplicantType; name: [number, number] } | undefined {
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

export function qualifiedName(text: Text, geo: Geography): { outcome: CollectiviteUnderstanding; from: number; to: number } | undefined {
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

/** Leading and trailing words of an answer that are not the name ("c'est", "je suis à", "merci"). */
const LEAD = new Set(['c', 'est', 'je', 'suis', 'nous', 'sommes', 'on', 'ici', 'moi', 'a', 'de', 'd', 'depuis', 'alors', 'euh', 'bah', 'ben', 'donc', 'bonjour', 'oui', 'sur'])
const TRAIL = new Set(['merci', 'svp', 'stp', 'bien', 'sur', 'voila'])

/** The part of a short answer that may be a name: [from, to) without fillers, or undefined. */
export function wholeAnswer(text: Text): [number, number] | undefined {
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

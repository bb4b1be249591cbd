// Name spans for the collectivité reader (collectivite.ts): where a place name starts and stops in
// a message, the qualifier that may follow it ("(974)", ", La Réunion", " 89", "dans le 93"), and
// whether a span is vocabulary (project words, intents, countries) rather than a place.
import type { Geography } from '../../../core/geography/geography.ts'
import { APPLICANT_VOCABULARY } from './applicant.ts'
import { CLOSED_LIST_VOCABULARY } from './closed-lists.ts'
import { COUNTRY_VOCABULARY } from './country.ts'
import { detectIntents } from './intents.ts'
import { STAGE_VOCABULARY } from './stage.ts'
import { territoryAt, type TerritoryHint } from './territory.ts'
import { analyse, rawSpan, type Text, type Token } from './text.ts'
import { THEME_VOCABULARY } from './themes.ts'


/** Words that may sit inside a place name. */
export const CONNECTORS = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l', 'sur', 'sous', 'en', 'et', 'les', 'lez', 'aux', 'au', 'a', 'y', 'saint', 'sainte', 'saints', 'saintes', 'st', 'ste'])
/** Lowercase words that end a name: a new clause or a project word begins. */
export const STOP = new Set(`et on nous je j qui que qu pour avec dans mais car donc ou ca c est sommes suis etes depuis afin voudrait voudrions
  voudrais veut veux voulons souhaite souhaitons souhaiterait aimerait aimerions aimerais cherche cherchons ai avons ont il elle ils
  elles nb merci svp stp par vers pres proche entre quand comme environ hab habitants soit ici projet commune ville village mairie
  une un notre ma mon nos cette ce ces tres bien alors voila bonjour bonsoir salut oui non pas ne n merci cordialement aussi deja
  situe situee qui dont ayant avait actuellement donc puis lors`.split(/\s+/).filter(Boolean))
/** Words that make a commune cue mean something else ("commune de montagne", "ville de taille moyenne"). */
export const NOT_A_NAME = new Set(['montagne', 'taille', 'moins', 'plus', 'environ', 'pres', 'campagne', 'banlieue', 'zone', 'type', 'caractere', 'france', 'littoral'])

export function typedA(text: Text, t: Token): boolean {
  return text.raw[text.rawOffset[t.start]!] === 'à' || text.raw[text.rawOffset[t.start]!] === 'À'
}

/** The name that starts at token `from`: [from, end), or undefined. */
export function nameSpan(text: Text, from: number, max = 8, afterBreak = false): [number, number] | undefined {
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
export function trailingTerritory(text: Text, geo: Geography, span: [number, number]): { nameEnd: number; hint: TerritoryHint } | undefined {
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
export function skipConnectors(text: Text, from: number, words = ['de', 'du', 'des', 'd']): number {
  let i = from
  // "DEPARTEMENT DE L'ISERE": in capitals a connector is still one; punctuation ends the cue ("Métropole : la …").
  while (i < text.tokens.length && words.includes(text.tokens[i]!.word) && (!text.tokens[i]!.capitalized || text.tokens[i]!.upper || allCapitals(text)) && !text.tokens[i]!.breakBefore) i++
  return i
}

/** Whether the message is typed in capitals (most of its words). */
export function allCapitals(text: Text): boolean {
  const long = text.tokens.filter((t) => t.word.length >= 2 && /[a-z]/.test(t.word))
  return long.length > 0 && long.filter((t) => t.upper).length >= long.length * 0.8
}

/** Whether the span is nothing but vocabulary (project words, intents, countries…): no place name. */
export function isVocabulary(raw: string): boolean {
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

/** A country named right after a name ("Kita (Mali)", "Ouagadougou au Burkina Faso"): a partner city abroad, not us. */
export function abroadAfter(text: Text, end: number): boolean {
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

/** Qualifier right after a name: "(974)", "(Cher)", ", La Réunion", " 89", " 18200", "dans le 93", "en Corse". */
export function qualifierAfter(text: Text, geo: Geography, end: number): TerritoryHint | undefined {
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

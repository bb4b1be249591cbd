// EPCI names: "CC du Pays de Fontainebleau", "com com du pays de…", "agglo de…", "Bordeaux Métropole"
// split into the kind their words name and their distinctive core, for the name index.
import type { EpciKind } from '../applicants.ts'

export type EpciFamily = 'cc' | 'ca' | 'cu' | 'metro'

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

export const FAMILY_OF_KIND: Record<EpciKind, EpciFamily> = { CC: 'cc', CA: 'ca', CU: 'cu', METRO: 'metro', MET69: 'metro' }

export interface EpciKey {
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


// The French text analyser of the embedded search engine: lowercase, accent folding, elision
// (l', d', qu'…), French stop words and a Snowball French stemmer. Documents, queries and
// synonym expressions all go through it, so "Écoles", "ecole" and "l'école" meet on one term.
import { stemmer as snowballFrench } from '@orama/stemmers/french'
import { foldFrench } from '../core/french.ts'

/** One word of analysed text: `word` is the folded surface form, `stem` its Snowball stem. */
export interface AnalysedToken {
  word: string
  stem: string
}

// Articles, pronouns, prepositions, conjunctions and the forms of être and avoir: the Snowball
// French list, less « est » (Grand Est) and « eu » (EU), plus common function words a mayor
// types in a sentence ("je cherche des aides pour la rénovation de l'école"), and the
// conversational verbs around them ("je cherche", "nous souhaitons").
const STOP_WORDS_SOURCE = `
  a à au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais
  me même mêmes mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta
  te tes toi ton tu un une vos votre vous c d j l m n s t y ça
  été étée étées étés étant suis es sommes êtes sont serai seras sera serons serez seront serais
  serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois
  soit soyons soyez soient fusse fusses fût fussions fussiez fussent
  ayant eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait
  aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait
  ayons ayez aient eusse eusses eût eussions eussiez eussent
  ceci cela celà cet cette ici quel quels quelle quelles sans soi
  dont lors alors aussi donc car ni si comme celui celle ceux celles chez vers entre sous selon
  depuis pendant parmi afin ainsi tout tous toute toutes autre autres lequel laquelle lesquels
  lesquelles duquel auquel auxquels auxquelles quoi dès puis déjà etc
  cherche cherchons voudrais voudrions souhaite souhaitons souhaiterais
`

/** Lowercase, strip diacritics, expand the ligatures œ and æ: the one French fold (core/french.ts). */
export function foldAccents(text: string): string {
  return foldFrench(text)
}

/** The stop words as written (accents kept), for engines that take a list (Meilisearch). */
export const FRENCH_STOP_WORD_LIST: readonly string[] = STOP_WORDS_SOURCE.trim().split(/\s+/)

/** The stop words, folded: what analyseFrench compares against. */
export const FRENCH_STOP_WORDS: ReadonlySet<string> = new Set(FRENCH_STOP_WORD_LIST.map(foldAccents))

// Elided forms: the part before the apostrophe is dropped ("l'école" → "école", "qu'il" → "il").
const ELISIONS = new Set(['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu', 'quelqu'])

// After folding, a word is a run of ASCII letters and digits; anything else separates words
// (hyphens too, as Meilisearch does: "tiers-lieu" is "tiers lieu").
const WORD = /[a-z0-9]+/g
const APOSTROPHES = new Set(["'", '’', 'ʼ', '`', '´'])
const ALNUM = /[a-z0-9]/

/** Folded words of a text, elisions removed, stop words kept. */
export function frenchWords(text: string): string[] {
  const folded = foldAccents(text)
  const words: string[] = []
  for (const m of folded.matchAll(WORD)) {
    const word = m[0]
    const end = m.index + word.length
    // An elided article or pronoun glued to the next word: "l'école", "qu'il", "jusqu'au".
    if (ELISIONS.has(word) && APOSTROPHES.has(folded[end] ?? '') && ALNUM.test(folded[end + 1] ?? '')) continue
    words.push(word)
  }
  return words
}

export function isStopWord(word: string): boolean {
  return FRENCH_STOP_WORDS.has(word)
}

const stemCache = new Map<string, string>()

/**
 * Snowball French stem of a folded word. Words are folded before stemming so that a query typed
 * without accents ("renovation energetique") meets the accented text on the same stem; acronyms,
 * numbers and words of three letters or less are left alone ("thd", "led", "5g").
 */
export function stemFrench(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word
  let stem = stemCache.get(word)
  if (stem === undefined) {
    stem = snowballFrench(word)
    if (stemCache.size > 50_000) stemCache.clear()
    stemCache.set(word, stem)
  }
  return stem
}

/** The analysed words of a text, stop words removed, in order. */
export function analyseFrench(text: string): AnalysedToken[] {
  const tokens: AnalysedToken[] = []
  for (const word of frenchWords(text)) {
    if (isStopWord(word)) continue
    tokens.push({ word, stem: stemFrench(word) })
  }
  return tokens
}

// Phrase matching over a message's tokens, the engine under every vocabulary (themes, stages,
// applicant types, closed lists, countries): phrases are compared word by word on stems (accents,
// case and plurals do not matter), on word boundaries only ("eau" never matches inside "réseau"),
// longest phrase first (a longer phrase wins over the shorter ones it overlaps), never across punctuation. A word of six letters or more may carry one typo
// (not on its first letter) when the vocabulary word has six letters or more too ("eclairrage",
// "videoprotecion", "piscinne"), unless it is a common word that merely looks like a vocabulary word
// ("habitants" is not "habitat", "intérêt" is not "internet"). Blockers are phrases that take their words and yield nothing
// ("conseil municipal" keeps "conseil" from meaning engineering advice).
import { boundedDistance } from '../../../core/geography/normalize.ts'
import { analyse, consume, type Text, type Token } from './text.ts'

export interface PhraseOptions {
  /** Only when typed in capitals ("CA", "CC": not "ça"). */
  upper?: boolean
  /** The phrase only counts when one of these words stands right before it ("la Dominique"). */
  after?: readonly string[]
}

/** [phrase, value (null: a blocker), options]. */
export type PhraseSpec<T> = readonly [phrase: string, value: T | null, options?: PhraseOptions]

export interface PhraseMatch<T> {
  value: T
  /** The phrase as written in the vocabulary. */
  phrase: string
  /** Token range [start, end). */
  start: number
  end: number
  /** The first word is inside a negation's scope. */
  negated: boolean
  /** A word matched with a typo. */
  fuzzy: boolean
}

interface Entry<T> {
  stems: string[]
  /** The phrase's words as written (folded), for typos a stem hides (« travuax » is « travaux »). */
  words: string[]
  value: T | null
  phrase: string
  options: PhraseOptions
}

/**
 * Common words one typo away from a vocabulary word: never corrected ("habitants" ≠ "habitat",
 * "donner" ≠ "données"). Checked against a French word list when the vocabularies were written.
 */
export const NEVER_CORRECTED: ReadonlySet<string> = new Set(
  `habitant habitants habite habiter commune communes communal communale projet projets travail maintenant
  donner donne donnee donnees sportive information informations innovation renovation renover equipe equipes
  moment payer paye solaires classee classees coutera couter cherche chercher routier station stations eclaire
  eclairer ecoute ecouter former formee forme formes formation former cultiver cultive culturel culturelle
  chaudes chauffe chauffer chauffe isole isolee isoles voiture voitures lumiere lumieres sentir sentiment
  pompier pompiers parent parents mairie maires marie mariee salles sale sales place places placer jeune
  partie parties partir parti porter porte portes portail montant montants montre montrer centre centres
  region regions reseau reseaux ecrire ecrit tourner tournee touristes poste postes postal postale
  fibreux batiment batiments achats acheter acheteur animer animee entree entrees sortie sorties etudier
  etudiant etudiants ecolier ecoliers collegue collegues forets foret arbre vieux vieille agricole agricoles
  emplois employe employes logements loger logeur education educatif educative scolaires enfants enfance
  mobile mobiles mobilier securise securiser santes medecins medical medicale sportif sportifs interet interets
  interne internes internat salarie salaries sainte saintes chasse chasses clause clauses classer commence commences
  commencer achever cocher collage combler comblee fraiche fraiches mobilise mobilises mobiliser verser verse venger
  habitait habita habitais habitai materielle materielles donnez abimer abime abimee lacune lacunes rouges roules
  charger chanter salaire salaires solaire solaires ebauche ebauches ebaucher`
    .split(/\s+/)
    .filter(Boolean),
)

/**
 * One typo allowed between words of six letters or more, not
 * on the first letter (people seldom mistype it, and changing it makes other words: "rachat",
 * "échanger", "marbre").
 */
function typoMatch(word: string, stem: string, vocab: string): boolean {
  if (word.length < 6 || vocab.length < 6 || /\d/.test(word) || stem[0] !== vocab[0]) return false
  if (Math.abs(stem.length - vocab.length) > 1) return false
  return boundedDistance(stem, vocab, 1) <= 1
}

/**
 * A typo in the word as typed, where stems would hide it (« travuax », « etdue », « fonctionemment »):
 * same first letter; an inversion of two neighbours in a five-letter word, one edit from six
 * letters, two from ten (a substitution in five letters would turn « porte » into « poste »).
 */
function wordTypo(typed: string, word: string): boolean {
  if (typed === word || typed[0] !== word[0] || /\d/.test(typed)) return false
  const shortest = Math.min(typed.length, word.length)
  if (shortest < 5) return false
  if (shortest === 5) return typed.length === 5 && word.length === 5 && isSwap(typed, word)
  const max = shortest >= 10 ? 2 : 1
  return Math.abs(typed.length - word.length) <= max && boundedDistance(typed, word, max) <= max
}

function isSwap(a: string, b: string): boolean {
  const diff: number[] = []
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i)
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!]
}

export class PhraseMatcher<T> {
  private readonly byFirst = new Map<string, Entry<T>[]>()
  private readonly known = new Set<string>()
  private readonly firstByLength = new Map<number, string[]>()
  private readonly byFirstWord = new Map<string, Entry<T>[]>()
  private readonly firstWordByLength = new Map<number, string[]>()

  constructor(specs: Iterable<PhraseSpec<T>>, private readonly opts: { fuzzy?: boolean } = {}) {
    const seen = new Set<string>()
    for (const [phrase, value, options] of specs) {
      const tokens = analyse(phrase).tokens
      const stems = tokens.map((t) => t.stem)
      const words = tokens.map((t) => t.word)
      if (stems.length === 0) continue
      const key = `${stems.join(' ')}|${options?.upper ? 'U' : ''}|${options?.after?.join(',') ?? ''}`
      if (seen.has(key)) continue // the first spelling of a phrase is its canonical one
      seen.add(key)
      const entry: Entry<T> = { stems, words, value, phrase, options: options ?? {} }
      const byWord = this.byFirstWord.get(words[0]!)
      if (byWord) byWord.push(entry)
      else {
        this.byFirstWord.set(words[0]!, [entry])
        const lengths = this.firstWordByLength.get(words[0]!.length)
        if (lengths) lengths.push(words[0]!)
        else this.firstWordByLength.set(words[0]!.length, [words[0]!])
      }
      const list = this.byFirst.get(stems[0]!)
      if (list) list.push(entry)
      else {
        this.byFirst.set(stems[0]!, [entry])
        const byLen = this.firstByLength.get(stems[0]!.length)
        if (byLen) byLen.push(stems[0]!)
        else this.firstByLength.set(stems[0]!.length, [stems[0]!])
      }
      for (const s of stems) this.known.add(s)
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length)
  }

  private fuzzable(t: Token): boolean {
    return this.opts.fuzzy === true && t.word.length >= 5 && !this.known.has(t.stem) && !NEVER_CORRECTED.has(t.word) && !NEVER_CORRECTED.has(t.stem)
  }

  private wordMatches(t: Token, stem: string, word: string): { ok: boolean; fuzzy: boolean } {
    if (t.stem === stem || t.word === stem || t.word === word) return { ok: true, fuzzy: false }
    if (this.fuzzable(t) && (typoMatch(t.word, t.stem, stem) || wordTypo(t.word, word))) return { ok: true, fuzzy: true }
    return { ok: false, fuzzy: false }
  }

  private candidates(t: Token): Entry<T>[] {
    const exact = this.byFirst.get(t.stem) ?? []
    if (!this.fuzzable(t)) return exact
    const out = [...exact]
    for (let len = t.stem.length - 1; len <= t.stem.length + 1; len++) {
      for (const first of this.firstByLength.get(len) ?? []) {
        if (first !== t.stem && typoMatch(t.word, t.stem, first)) out.push(...this.byFirst.get(first)!)
      }
    }
    for (let len = t.word.length - 2; len <= t.word.length + 2; len++) {
      for (const first of this.firstWordByLength.get(len) ?? []) {
        if (wordTypo(t.word, first)) for (const e of this.byFirstWord.get(first)!) if (!out.includes(e)) out.push(e)
      }
    }
    return out
  }

  /** The best phrase starting at token i (longest, exact before fuzzy), or undefined. */
  private bestAt(text: Text, i: number): { entry: Entry<T>; fuzzy: boolean } | undefined {
    const { tokens } = text
    const t = tokens[i]!
    if (text.consumed[i]) return undefined
    let best: { entry: Entry<T>; fuzzy: boolean } | undefined
    for (const entry of this.candidates(t)) {
      const n = entry.stems.length
      if (i + n > tokens.length) continue
      let ok = true
      let fuzzy = false
      for (let k = 0; k < n && ok; k++) {
        const tk = tokens[i + k]!
        if (text.consumed[i + k] || (k > 0 && tk.breakBefore)) ok = false
        else {
          const m = this.wordMatches(tk, entry.stems[k]!, entry.words[k]!)
          ok = m.ok
          fuzzy ||= m.fuzzy
        }
      }
      if (!ok) continue
      if (entry.options.upper && !tokens.slice(i, i + n).every((x) => x.upper || /^\d+$/.test(x.word))) continue
      // The word before, read through one typo when it is long enough (« parteanire Jordanie »).
      if (entry.options.after && !(i > 0 && !t.breakBefore && afterWord(entry.options.after, tokens[i - 1]!.word))) continue
      if (!best || n > best.entry.stems.length || (n === best.entry.stems.length && best.fuzzy && !fuzzy)) best = { entry, fuzzy }
    }
    return best
  }

  /**
   * Every phrase found, in message order, skipping consumed tokens. Longer phrases win over the
   * shorter ones they overlap, wherever those start: "alimentation en eau potable" is one phrase
   * (water), not "alimentation" (food) then "eau potable"; "eau chaude sanitaire" is not "eau".
   * A blocker is a phrase too: it takes its words and yields nothing. With `consume`, the matched
   * tokens (blockers excepted) are marked consumed for the detectors that run later.
   */
  match(text: Text, opts: { consume?: boolean } = {}): PhraseMatch<T>[] {
    const { tokens } = text
    const all: { entry: Entry<T>; fuzzy: boolean; start: number; end: number }[] = []
    for (let i = 0; i < tokens.length; i++) {
      const b = this.bestAt(text, i)
      if (b) all.push({ ...b, start: i, end: i + b.entry.stems.length })
    }
    // Longest first (then exact before fuzzy, then leftmost); a phrase overlapping a chosen one is dropped.
    const order = [...all].sort((a, b) => b.end - b.start - (a.end - a.start) || Number(a.fuzzy) - Number(b.fuzzy) || a.start - b.start)
    const taken = new Uint8Array(tokens.length)
    const chosen: typeof all = []
    for (const m of order) {
      let free = true
      for (let k = m.start; k < m.end && free; k++) if (taken[k]) free = false
      if (!free) continue
      for (let k = m.start; k < m.end; k++) taken[k] = 1
      chosen.push(m)
    }
    chosen.sort((a, b) => a.start - b.start)
    const out: PhraseMatch<T>[] = []
    for (const m of chosen) {
      if (m.entry.value === null) continue
      out.push({ value: m.entry.value, phrase: m.entry.phrase, start: m.start, end: m.end, negated: tokens[m.start]!.negated, fuzzy: m.fuzzy })
      if (opts.consume) consume(text, m.start, m.end)
    }
    return out
  }
}

function afterWord(words: readonly string[], word: string): boolean {
  return words.includes(word) || (word.length >= 6 && words.some((w) => w.length >= 6 && wordTypo(word, w)))
}

// What the anonymised understanding log keeps of a chat message's text: the words that tell how a
// mayor phrases a need, without what identifies a person or a collectivité. Replaced, in order:
// - e-mail addresses → [e-mail]; web addresses → [lien]; phone numbers (French, or + and 8 digits
//   or more) → [téléphone]; SIREN/SIRET-like runs of 9 or 14 digits → [code];
// - the collectivité names and codes given (the one understood and its homonyms offered), found
//   without regard to case, accents, hyphens or apostrophes → [collectivité];
// - person names: the word(s) after a civility (M., Mme, Monsieur…) or « je m'appelle », whatever
//   their case; any capitalised word inside a sentence (French capitalises proper nouns only);
//   a capitalised word that opens a sentence when another capitalised word follows it (« Jean
//   Dupont, maire ») → [nom]. An acronym in capitals (DETR, FEDER) stays unless it stands beside
//   a capitalised name (« Jean DUPONT »).
// What it cannot see: a name typed in lower case without a civility, or a lone capitalised name
// opening a sentence. The log is off by default and pruned at its declared age.

export interface AnonymiseOptions {
  /** Collectivité names and codes to remove (the understood one, its homonyms). */
  collectivites?: readonly string[]
}

const EMAIL = /[^\s@<>()[\]{},;:"'«»]+@[^\s@<>()[\]{},;:"'«»]+\.[^\s@<>()[\]{},;:"'«».]{2,}/gu
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"«»]+/giu
const PHONE = /(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b|\+\d{1,3}(?:[\s.-]?\d){8,}/gu
const COMPANY_CODE = /\b(?:\d{3}[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{5})?)\b/gu
const WORD = /[\p{L}\p{M}\p{N}]+/gu
const CIVILITIES = new Set(['mr', 'mme', 'mmes', 'mlle', 'monsieur', 'madame', 'mademoiselle', 'dr', 'docteur', 'maitre'])
/** « M. Dupont », « M Dupont »: a lone M counts only in capital (« 2 m de haut » is a metre). */
const isCivility = (t: Token) => CIVILITIES.has(t.folded) || t.text === 'M'
/** Common words: never a name (« Notre SIREN », « Pour la DETR »), nor the second word of a name after a civility. */
const COMMON = new Set(('je j nous vous on il elle ils elles ce c cette ces cet notre nos votre vos mon ma mes son sa ses leur leurs le la les l un une des du de d ' +
  'et ou mais donc pour par sur sous dans avec sans chez en au aux a y est sont suis avons avez pouvez peut existe quel quelle quels quelles qui que quoi ' +
  'comment combien ou bonjour merci oui non si madame monsieur maire adjoint adjointe secretaire directeur directrice dgs elu elue conseiller conseillere').split(' '))
// Labels stand as private-use characters while names are looked for (they are no word), then are spelled out.
const LABELS: Record<string, string> = { '\uE000': '[e-mail]', '\uE001': '[lien]', '\uE002': '[téléphone]', '\uE003': '[code]' }

interface Token {
  start: number
  end: number
  text: string
  folded: string
}

/** Lower case, no accents: « Vézelay » and « vezelay » compare equal. */
export function foldWord(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

function tokens(text: string): Token[] {
  return Array.from(text.matchAll(WORD), (m) => ({ start: m.index, end: m.index + m[0].length, text: m[0], folded: foldWord(m[0]) }))
}

const isCapitalised = (t: Token) => /^\p{Lu}/u.test(t.text)
const isAcronym = (t: Token) => t.text.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(t.text) && /\p{Lu}/u.test(t.text)
const isTitle = (t: Token) => isCapitalised(t) && !isAcronym(t) && !COMMON.has(t.folded) && !isCivility(t)
/** Only blanks, hyphens or apostrophes between two tokens: one name. */
const joined = (text: string, a: Token, b: Token) => /^[\s\-'’]*$/u.test(text.slice(a.end, b.start))
/** A token opens a sentence: nothing before it but punctuation ending a sentence, quotes or blanks. */
const opensSentence = (text: string, t: Token, previous: Token | undefined) => {
  const gap = text.slice(previous ? previous.end : 0, t.start)
  return !previous || /[.!?…\n]/u.test(gap)
}

/** Indexes of the tokens that spell one of the names (as folded word sequences). */
function nameSpans(list: Token[], names: readonly string[]): Set<number> {
  const hits = new Set<number>()
  for (const name of names) {
    const words = tokens(name).map((t) => t.folded)
    if (!words.length) continue
    for (let i = 0; i + words.length <= list.length; i++) {
      if (words.every((w, k) => list[i + k]!.folded === w)) for (let k = 0; k < words.length; k++) hits.add(i + k)
    }
  }
  return hits
}

/** Indexes of the tokens taken for person names (see the header). */
function personNames(text: string, list: Token[], skip: Set<number>): Set<number> {
  const names = new Set<number>()
  list.forEach((t, i) => {
    if (skip.has(i)) return
    const previous = list[i - 1]
    const next = list[i + 1]
    const nextJoined = next !== undefined && joined(text, t, next) && !skip.has(i + 1)
    const afterCivility = previous !== undefined && isCivility(previous) && /^\.?\s+$/u.test(text.slice(previous.end, t.start))
    const afterIntro = i >= 2 && list[i - 2]!.folded === 'm' && previous!.folded === 'appelle'
    if (afterCivility || afterIntro) {
      names.add(i)
      if (nextJoined && !COMMON.has(next.folded)) names.add(i + 1)
      return
    }
    if (!isCapitalised(t) || COMMON.has(t.folded) || isCivility(t)) return
    if (names.has(i)) return
    const neighbourTitle = (nextJoined && isTitle(next)) || (previous !== undefined && joined(text, previous, t) && isTitle(previous) && !skip.has(i - 1))
    if (isAcronym(t)) {
      if (neighbourTitle) names.add(i)
      return
    }
    if (!opensSentence(text, t, previous) || (nextJoined && (isTitle(next) || isAcronym(next)))) names.add(i)
  })
  return names
}

/** Replaces each run of marked tokens (joined by blanks, hyphens, apostrophes) by one label. */
function replaceRuns(text: string, list: Token[], marks: Map<number, string>): string {
  let out = ''
  let cursor = 0
  for (let i = 0; i < list.length; i++) {
    const label = marks.get(i)
    if (!label) continue
    let j = i
    while (marks.get(j + 1) === label && joined(text, list[j]!, list[j + 1]!)) j++
    out += `${text.slice(cursor, list[i]!.start)}${label}`
    cursor = list[j]!.end
    i = j
  }
  return out + text.slice(cursor)
}

/** The text with e-mails, links, phone numbers, company codes, collectivité names and person names replaced by labels. */
export function anonymiseText(text: string, { collectivites = [] }: AnonymiseOptions = {}): string {
  const masked = text
    .replace(/[\uE000-\uE003]/gu, '')
    .replace(EMAIL, '\uE000')
    .replace(URL, '\uE001')
    .replace(PHONE, '\uE002')
    .replace(COMPANY_CODE, '\uE003')
  const list = tokens(masked)
  const places = nameSpans(list, collectivites)
  const persons = personNames(masked, list, places)
  const marks = new Map<number, string>()
  for (const i of persons) marks.set(i, '[nom]')
  for (const i of places) marks.set(i, '[collectivité]')
  return replaceRuns(masked, list, marks).replace(/[\uE000-\uE003]/gu, (c) => LABELS[c]!)
}

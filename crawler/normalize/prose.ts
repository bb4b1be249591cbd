// French prose → facts: call windows ("ouvertes du 1er mars au 6 mai 2024", "jusqu'au 13
// septembre", "dates limites : 31 mars et 15 juin 2017"), amounts ("entre 200 000 € et 1,5 M€")
// and aid rates ("jusqu'à 80 %"). Pure and conservative: a sentence that does not say clearly
// what a figure is (a total budget, a co-financing share owed by the applicant) gives nothing.
import { inferYear, isoDay } from './dates.ts'
import { fold } from './text.ts'

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS = '(janvier|janv\\.?|fevrier|fevr\\.?|fev\\.?|mars|avril|avr\\.?|mai|juin|juillet|juil\\.?|aout|septembre|sept\\.?|octobre|oct\\.?|novembre|nov\\.?|decembre|dec\\.?)'
const MONTH_NUMBER: Record<string, number> = {
  janvier: 1, janv: 1, fevrier: 2, fevr: 2, fev: 2, mars: 3, avril: 4, avr: 4, mai: 5, juin: 6, juillet: 7, juil: 7,
  aout: 8, septembre: 9, sept: 9, octobre: 10, oct: 10, novembre: 11, nov: 11, decembre: 12, dec: 12,
}
const MENTION = new RegExp(`\\b(?:(\\d{1,2})(?:er|e)?\\s+${MONTHS}(?:\\s+(\\d{4}))?|(\\d{1,2})/(\\d{1,2})/(\\d{4}))(?![\\w/])`, 'g')
const JOINER = /^\s*(,|et|au|a|-|–|ou)\s*(le\s+)?$/

const DEADLINE_CUE = /(jusqu'?\s?(au|a|le)|avant le|au plus tard( le)?|dates? limites?[^|]*?|date de (cloture|fin)[^|]*?|clotur\w*( le)?|clos(e|es)? le|fin (de l'appel|des candidatures|des depots?)[^|]*?|deadline[^|]*?|echeances?[^|]*?|depots? des (dossiers|candidatures)[^|]*?(avant|jusqu'?au|le))\s*:?\s*(le\s*)?$/
const OPENING_CUE = /(date de (lancement|debut|d'ouverture)|ouverture( des candidatures| de l'appel| du depot)?( le)?|ouvert(e|es|s)?( le| a partir du| depuis le)|a partir du|des le|lancement( le)?|lance(e)? le)\s*:?\s*(le\s*)?$/
const RANGE_START = /(\bdu|entre le|\bde)\s*$/

interface Mention {
  start: number
  end: number
  day: number
  month: number
  year?: number
}

export interface ProseWindow {
  opensAt?: string
  deadlines: string[]
  /** true when a day was written without its year and the year was deduced from the reference day. */
  yearInferred: boolean
}

/** Call window stated in French prose; `referenceDay` (YYYY-MM-DD) places year-less dates. */
export function extractWindow(text: string, referenceDay: string): ProseWindow {
  const folded = fold(text)
  const mentions: Mention[] = []
  for (const m of folded.matchAll(MENTION)) {
    const day = Number(m[1] ?? m[4])
    const month = m[2] ? MONTH_NUMBER[m[2].replace(/\.$/, '')]! : Number(m[5])
    const year = m[3] ? Number(m[3]) : m[6] ? Number(m[6]) : undefined
    if (!isoDay(year ?? 2000, month, day)) continue
    mentions.push({ start: m.index, end: m.index + m[0].length, day, month, ...(year ? { year } : {}) })
  }

  // Mentions joined by "et", "au", "," share the year written last ("31 mars et 15 juin 2017").
  const groups: { mentions: Mention[]; joiner: string }[] = []
  for (const mention of mentions) {
    const last = groups.at(-1)
    const between = last ? folded.slice(last.mentions.at(-1)!.end, mention.start) : ''
    const join = last && JOINER.exec(between)
    if (last && join) {
      last.mentions.push(mention)
      if (last.mentions.length === 2) last.joiner = join[1]!
    } else groups.push({ mentions: [mention], joiner: '' })
  }

  let yearInferred = false
  const opens: string[] = []
  const deadlines: string[] = []
  for (const group of groups) {
    const ms = group.mentions
    // Years flow right to left; a later month earlier in the list means the year before.
    for (let i = ms.length - 1; i >= 0; i--) {
      const m = ms[i]!
      if (m.year !== undefined) continue
      const next = ms[i + 1]
      if (next?.year !== undefined) m.year = next.month < m.month ? next.year - 1 : next.year
      else {
        m.year = inferYear(m.month, m.day, referenceDay)
        yearInferred = true
      }
    }
    const days = ms.map((m) => isoDay(m.year!, m.month, m.day)!)
    const context = contextBefore(folded, ms[0]!.start)
    const isRange = ms.length === 2 && ['au', 'a', '-', '–'].includes(group.joiner) || (ms.length === 2 && group.joiner === 'et' && /entre le\s*$/.test(context))
    if (isRange && RANGE_START.test(context)) {
      opens.push(days[0]!)
      deadlines.push(days[1]!)
    } else if (DEADLINE_CUE.test(context)) deadlines.push(...days)
    else if (OPENING_CUE.test(context)) opens.push(days[0]!)
    else if (isRange && OPENING_CUE.test(context.replace(/\s*\b(du|de)\s*$/, ' ')) ) {
      opens.push(days[0]!)
      deadlines.push(days[1]!)
    }
  }
  const sortedDeadlines = [...new Set(deadlines)].sort()
  const opensAt = opens.sort()[0]
  return { ...(opensAt ? { opensAt } : {}), deadlines: sortedDeadlines, yearInferred }
}

/** The words before a date, back to the previous sentence end, bar or line (at most 100 chars). */
function contextBefore(folded: string, index: number): string {
  const window = folded.slice(Math.max(0, index - 100), index)
  const cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('|'), window.lastIndexOf('\n'), window.lastIndexOf('•'))
  return cut >= 0 ? window.slice(cut + 1) : window
}

// ---------------------------------------------------------------------------------------------
// Amounts

const NUMBER = '(\\d[\\d .\\u00a0\\u202f]*\\d(?:,\\d+)?|\\d(?:,\\d+)?)'
const UNIT = "(k€|k ?euros?|m€|m ?euros?|md€|millions? d'euros?|millions? €|millions?|milliards? d'euros?|€|euros?|eur\\b)"
const AMOUNT_RANGE = new RegExp(`(?:\\b(?:compris entre|entre|de)\\s+)${NUMBER}\\s*${UNIT}?\\s*(?:et|a|-)\\s*${NUMBER}\\s*${UNIT}`, 'g')
const AMOUNT_MAX = new RegExp(`(?:jusqu'?\\s?a|plafon\\w*[^.%€]{0,40}?|dans la limite (?:de|d'un plafond de)|maximum(?: de)?|max\\.?|au plus)\\s*:?\\s*${NUMBER}\\s*${UNIT}`, 'g')
const AMOUNT_MIN = new RegExp(`(?:minimum(?: de)?|min\\.?|au moins|a partir de|plancher de)\\s*:?\\s*${NUMBER}\\s*${UNIT}`, 'g')

export interface ProseAmount {
  min?: number
  max?: number
  /** The raw words when a figure was found but could not be read safely ("400 00 et 600 000 euros"). */
  unclear?: string
}

/** "1,5" → 1.5, "200 000" → 200000, "2.200.000" → 2200000; undefined when the digit groups are not of three. */
export function parseFrenchNumber(raw: string): number | undefined {
  const text = raw.trim().replace(/[\u00a0\u202f]/g, ' ')
  const [intPart, decimals] = text.split(',') as [string, string | undefined]
  const groups = intPart.split(/[ .]/).filter((g) => g !== '')
  if (groups.length === 0) return undefined
  if (groups.length > 1 && (groups[0]!.length > 3 || groups.slice(1).some((g) => g.length !== 3))) return undefined
  const value = Number(`${groups.join('')}${decimals ? `.${decimals}` : ''}`)
  return Number.isFinite(value) ? value : undefined
}

function unitFactor(unit: string | undefined): number {
  if (!unit) return 1
  const u = unit.replace(/\s/g, '')
  if (u.startsWith('k')) return 1_000
  if (u.startsWith('md') || u.startsWith('milliard')) return 1_000_000_000
  if (u.startsWith('m')) return 1_000_000
  return 1
}

/** Per-project amount bounds stated with a cue ("entre … et …", "jusqu'à", "plafonné à", "Min."). */
export function extractAmounts(text: string): ProseAmount {
  const folded = fold(text)
  const out: ProseAmount = {}
  const unclear: string[] = []
  for (const m of folded.matchAll(AMOUNT_RANGE)) {
    const secondFactor = unitFactor(m[4])
    const first = parseFrenchNumber(m[1]!)
    const second = parseFrenchNumber(m[3]!)
    if (first === undefined || second === undefined) {
      unclear.push(m[0].trim())
      continue
    }
    // "entre 750 000 et 1 million": a bare first figure in thousands is already in euros.
    const firstFactor = m[2] ? unitFactor(m[2]) : first >= 1000 ? 1 : secondFactor
    const lo = first * firstFactor
    const hi = second * secondFactor
    if (lo > hi) {
      unclear.push(m[0].trim())
      continue
    }
    out.min ??= lo
    out.max ??= hi
  }
  for (const m of folded.matchAll(AMOUNT_MAX)) {
    const n = parseFrenchNumber(m[1]!)
    if (n === undefined) unclear.push(m[0].trim())
    else out.max ??= n * unitFactor(m[2])
  }
  for (const m of folded.matchAll(AMOUNT_MIN)) {
    const n = parseFrenchNumber(m[1]!)
    if (n === undefined) unclear.push(m[0].trim())
    else out.min ??= n * unitFactor(m[2])
  }
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) {
    unclear.push(`min ${out.min} > max ${out.max}`)
    delete out.min
  }
  if (unclear.length) out.unclear = unclear.join(' ; ')
  return out
}

// ---------------------------------------------------------------------------------------------
// Aid rates

const RATE = '(\\d{1,3}(?:,\\d+)?)'
const RATE_CUE = /(taux|subvention|aide|cofinancement|co-financement|financ|prise en charge|atteindre|plafonn|dotation)/
const RATE_EXCLUDED = /(apport\w* par|autofinancement|part du porteur|fonds propres|reste a charge)/
const RATE_RANGE = new RegExp(`(?:\\b(?:entre|de)\\s+)?${RATE}\\s*%?\\s*(?:et|a|-)\\s*${RATE}\\s*%`)
const RATE_MAX = [
  new RegExp(`(?:jusqu'?\\s?a|maxim\\w*(?: a| de)?|au maximum(?: a| de)?|plafonn\\w* a|dans la limite de|au plus|atteindre)\\s*${RATE}\\s*%`),
  new RegExp(`${RATE}\\s*%\\s*(?:maximum|max\\.?|au maximum|au plus)`),
]
const RATE_MIN = new RegExp(`(?:au moins|minimum(?: de)?|au minimum(?: a| de)?)\\s*${RATE}\\s*%`)
const RATE_PLAIN = new RegExp(`taux[^%.]{0,40}?${RATE}\\s*%`)

export interface ProseRate {
  min?: number
  max?: number
}

/** Aid-rate bounds from sentences that speak of the aid itself (not of the applicant's share). */
export function extractRates(text: string): ProseRate {
  const sentences = fold(text).split(/(?<=[.;!?])\s+|\n/)
  for (const sentence of sentences) {
    if (!RATE_CUE.test(sentence) || RATE_EXCLUDED.test(sentence) || !sentence.includes('%')) continue
    const pct = (s: string) => Number(s.replace(',', '.'))
    const range = RATE_RANGE.exec(sentence)
    if (range) {
      const lo = pct(range[1]!)
      const hi = pct(range[2]!)
      if (lo <= hi && hi <= 100) return { min: lo, max: hi }
    }
    for (const re of RATE_MAX) {
      const m = re.exec(sentence)
      if (m && pct(m[1]!) <= 100) return { max: pct(m[1]!) }
    }
    const min = RATE_MIN.exec(sentence)
    if (min && pct(min[1]!) <= 100) return { min: pct(min[1]!) }
    const plain = RATE_PLAIN.exec(sentence)
    if (plain && pct(plain[1]!) <= 100) return { max: pct(plain[1]!) }
  }
  return {}
}

// Money: "200 k€", "200k€", "1,5 M€", "1.5 million", "environ 80 000 euros", "80 000 €", "2 millions
// d'euros", "un million et demi", "cent mille euros", "300 000 HT". A number without a money unit is a
// budget only when the budget was just asked (expectedSlot 'budget') or a budget word comes before it
// ("budget de 300 000", "coût estimé 45 000", "un projet à 500 000"); never a population ("400 hab."), a year ("en 2027"), a
// postal code or INSEE code already taken, a percentage or a count ("30 lampadaires"). Several amounts:
// the largest is the project's budget ("une subvention de 50 k€ sur un projet de 200 k€").
import { analyse, asText, isConsumedAt, tokenAtOffset, type Text } from './text.ts'

export interface AmountMatch {
  /** Euros. */
  value: number
  /** Offsets in Text.folded. */
  start: number
  end: number
  /** Whether a money unit or multiplier was written (€, euros, k, M€, million…). */
  hasUnit: boolean
}

const NUMBER = /(?<![\d.,a-z])(\d{1,3}(?:[ .]\d{3})+(?!\d)|\d+)(?:,(\d+)|\.(\d{1,2})(?!\d))?/g
const UNIT = /^\s*(?:(milliards?|mds?|md)(?![a-z])|(millions?|mio|m€|meur|m(?=\s*(?:€|euros?|eur)(?![a-z]))|me(?![a-z])|m(?![a-z²]))|(mille|k€|keur|ke(?![a-z])|k(?![a-z]))|(€|euros?(?![a-z])|eur(?![a-z])|ht(?![a-z])|ttc(?![a-z])))/
const AFTER_MULTIPLIER = /^\s*(?:et\s+demi(?![a-z]))?(?:\s*(?:d'|de\s+)?(?:€|euros?(?![a-z])|eur(?![a-z])))?(?:\s*(?:ht|ttc)(?![a-z]))?/
/** Counted things: a number followed by one of these is no money unless € is written. */
const COUNTED = /^\s*(?:hab|habs|habitants?|ames|residents|administres|personnes|eleves|enfants|logements|lampadaires|luminaires|points|m2|m²|m3|km|kms|metres|ml|ha|hectares|%|pour ?cent|ans|mois|jours|semaines|kwh|kw|mwh|mw|kwc|watts?|places|lits|classes|communes|emplois|postes|agents|heures|h(?![a-z])|lignes|foyers|prises|bornes|arbres|cameras|m(?![a-z€]))/
/** A 4-digit number after these is a year. */
const YEAR_BEFORE = /(?:^|\s)(?:en|d'ici|ici|avant|apres|pour|depuis|fin|debut|mi|courant|annee|des|partir de|jusqu'en|jusqu'a|printemps|ete|automne|hiver|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)[\s-]*$/
/** Words before a bare number that make it a budget. */
const BUDGET_CUES = new Set(['budget', 'budgete', 'cout', 'coute', 'couterait', 'coutera', 'montant', 'enveloppe', 'estime', 'estimee', 'estimation', 'chiffre', 'chiffrage', 'devis', 'total', 'prix', 'financement', 'investissement', 'somme', 'depense', 'depenses', 'hauteur'])

const WORD_VALUES: Record<string, number> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11, douze: 12, treize: 13,
  quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60, septante: 70, huitante: 80, nonante: 90,
}

/** "deux cent mille", "un million et demi", "un demi-million" → number; undefined when not a number. */
function wordsValue(words: string[]): number | undefined {
  let total = 0
  let current = 0
  let lastMultiplier = 0
  let half = false
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (w in WORD_VALUES) current += WORD_VALUES[w]!
    else if (w === 'cent' || w === 'cents') current = (current || 1) * 100
    else if (w === 'demi') {
      if (words[i - 1] === 'et') total += lastMultiplier / 2
      else half = true
    } else if (w === 'et') continue
    else {
      const mult = w === 'mille' ? 1000 : w.startsWith('million') ? 1e6 : w.startsWith('milliard') ? 1e9 : 0
      if (!mult) return undefined
      total += (half ? 0.5 : current || 1) * mult
      current = 0
      half = false
      lastMultiplier = mult
    }
  }
  return total + current || undefined
}

const NUMBER_WORD = /^(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|septante|huitante|nonante|cents?|mille|millions?|milliards?|demi|et)$/

/** Every amount of the message, with or without a unit, skipping consumed tokens (codes, population). */
export function findAmounts(input: string | Text): AmountMatch[] {
  const text = asText(input)
  const { lower, folded } = text
  const out: AmountMatch[] = []
  NUMBER.lastIndex = 0
  for (let m = NUMBER.exec(lower); m; m = NUMBER.exec(lower)) {
    const start = m.index
    let end = start + m[0].length
    if (isConsumedAt(text, start, end)) continue
    const intPart = m[1]!.replace(/[ .]/g, '')
    const decimals = m[2] ?? m[3]
    let value = Number(decimals ? `${intPart}.${decimals}` : intPart)
    const rest = lower.slice(end)
    const unit = UNIT.exec(rest)
    let hasUnit = false
    let explicitEuro = false
    if (unit) {
      const [whole, billions, millions, thousands, euros] = unit
      // A lowercase "m" alone is metres; "M" (or "m€", "million") is millions.
      const bareM = millions !== undefined && /^m$/.test(millions) && !/€|euro|eur/.test(rest.slice(0, whole.length + 8))
      const typedM = folded.slice(end + whole.length - 1, end + whole.length)
      if (millions !== undefined && (millions === 'me' || bareM) && typedM !== 'M') {
        // metres or a pronoun: not money
      } else {
        hasUnit = true
        end += whole.length
        if (euros !== undefined) explicitEuro = true
        else {
          value *= billions !== undefined ? 1e9 : millions !== undefined ? 1e6 : 1000
          if (millions === 'm€' || thousands === 'k€' || thousands === 'keur' || millions === 'meur') explicitEuro = true
          const after = AFTER_MULTIPLIER.exec(lower.slice(end))!
          if (/et\s+demi/.test(after[0])) value += (billions !== undefined ? 1e9 : millions !== undefined ? 1e6 : 1000) / 2
          if (/€|eur/.test(after[0])) explicitEuro = true
          end += after[0].length
        }
      }
    }
    if (!hasUnit && /^[a-z]/.test(rest)) continue // "4g", "3eme"
    if (!explicitEuro && COUNTED.test(lower.slice(end))) continue
    if (!hasUnit && YEAR_BEFORE.test(lower.slice(Math.max(0, start - 30), start)) && /^\d{4}$/.test(intPart)) continue
    out.push({ value: Math.round(value * 100) / 100, start, end, hasUnit })
  }
  // Amounts in words: "deux cent mille euros", "un million et demi".
  const { tokens } = text
  for (let i = 0; i < tokens.length; i++) {
    if (!NUMBER_WORD.test(tokens[i]!.word) || tokens[i]!.word === 'et' || tokens[i]!.word === 'demi') continue
    if (i > 0 && /^\d+$/.test(tokens[i - 1]!.word) && !tokens[i]!.breakBefore) continue // "2 millions": read above
    let j = i
    while (j < tokens.length && NUMBER_WORD.test(tokens[j]!.word) && (j === i || !tokens[j]!.breakBefore)) j++
    const words = tokens.slice(i, j).map((t) => t.word)
    while (words.length && words[words.length - 1] === 'et') words.pop()
    const next = tokens[i + words.length]
    const euro = next !== undefined && /^(euros?|eur)$/.test(next.word) || (next?.word === 'd' && /^euros?$/.test(tokens[i + words.length + 1]?.word ?? ''))
    const big = words.some((w) => /^(millions?|milliards?)$/.test(w))
    const value = wordsValue(words)
    if (value !== undefined && (big || euro) && !(words.length === 1 && !euro)) {
      const last = tokens[i + words.length - 1]!
      if (!COUNTED.test(lower.slice(last.end)) || euro) {
        out.push({ value, start: tokens[i]!.start, end: (euro ? next!.end : last.end), hasUnit: true })
      }
    }
    i = j - 1
  }
  // Digits past what a double holds (« 999…9 € », 309 digits and more) read as Infinity: no amount.
  return out.filter((a) => Number.isFinite(a.value)).sort((a, b) => a.start - b.start)
}

/** One amount written on its own ("200 k€", "1,5 M€", "300 000"): euros, or undefined. */
export function parseAmount(s: string): number | undefined {
  const amounts = findAmounts(analyse(s))
  return (amounts.find((a) => a.hasUnit) ?? amounts[0])?.value
}

/** The project's budget in euros, if the message gives one (see the header for the rules). */
export function detectBudget(input: string | Text, ctx: { expectedSlot?: string } = {}): number | undefined {
  const text = asText(input)
  const amounts = findAmounts(text)
  const cued = (a: AmountMatch): boolean => {
    const at = tokenAtOffset(text, a.start)
    if (text.tokens.slice(Math.max(0, at - 4), at).some((t) => BUDGET_CUES.has(t.word))) return true
    // "projet à 500 000", "un projet de 80 000": not a year.
    const yearLike = Number.isInteger(a.value) && a.value >= 1900 && a.value <= 2100
    return !yearLike && text.tokens.slice(Math.max(0, at - 2), at).some((t) => t.word === 'projet' || t.word === 'operation')
  }
  // A budget is a positive sum: « 0 € » says none.
  const candidates = amounts.filter((a) => a.value > 0 && (a.hasUnit || (a.value >= 100 && cued(a))))
  if (candidates.length) return Math.max(...candidates.map((a) => a.value))
  if (ctx.expectedSlot !== 'budget') return undefined
  const bare = amounts.filter((a) => a.value >= 100)
  return bare.length ? Math.max(...bare.map((a) => a.value)) : undefined
}

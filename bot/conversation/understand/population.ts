// A population said in passing: "commune de 400 hab.", "village de 1 200 âmes", "3000 habitants",
// "une commune de 400" (a number right after a collectivité noun), "moins de 2 000 habitants".
// "moins de N" gives N - 1 and "plus de N" gives N + 1, so that a programme's "moins de 2 000
// habitants" threshold reads the mayor's words the way the mayor meant them. The number's tokens are
// consumed: a population is never a budget.
import { asText, consume, tokenAtOffset, type Text } from './text.ts'

export interface PopulationMention {
  population: number
  /** Token range [start, end) of the mention. */
  start: number
  end: number
}

const NUM = String.raw`(\d{1,3}(?:[ .]\d{3})+(?!\d)|\d+)(?:\s*(k)(?![a-z]))?`
const BOUND = String.raw`(?:(moins de|moins d'|pas plus de|plus de|au moins|environ|pres de|presque|a peu pres|autour de|quelque|un peu plus de|un peu moins de)\s+)?`
const WITH_UNIT = new RegExp(String.raw`(?<![\d.,a-z])${BOUND}${NUM}\s*(?:hab(?:s|itants?)?\b\.?|ames\b|residents\b|administres\b)`, 'g')
const AFTER_NOUN = new RegExp(String.raw`\b(?:commune|village|ville|bourg|collectivite|epci|interco|intercommunalite|agglo|communaute)s?\s+(?:rurale\s+|urbaine\s+|de\s+montagne\s+)?(?:de|d'|d)\s*${BOUND}${NUM}(?!\s*(?:€|euros?\b|k€|m€|%|\d))`, 'g')

function mention(text: Text, m: RegExpExecArray, numberAt: number): PopulationMention | undefined {
  const bound = m[1]
  let n = Number(m[2]!.replace(/[ .]/g, ''))
  if (m[3]) n *= 1000
  if (!Number.isFinite(n) || n <= 0 || n > 3_000_000) return undefined
  if (bound && /^(moins|pas plus|un peu moins)/.test(bound)) n -= 1
  else if (bound && /^(plus|un peu plus)/.test(bound)) n += 1
  const start = tokenAtOffset(text, numberAt)
  const end = tokenAtOffset(text, m.index + m[0].replace(/[^a-z0-9]+$/, '').length - 1) + 1
  return { population: n, start, end: Math.max(end, start + 1) }
}

/** A number on its own, when the population was just asked ("environ 400", "1 200"). */
const BARE = new RegExp(String.raw`(?<![\d.,a-z])${BOUND}${NUM}(?!\s*(?:€|euros?\b|k€|m€|%|\d))`, 'g')

/**
 * The first population of the message; its tokens are consumed. With `bare` (the dialogue just
 * asked for the population), a number with no unit is one too.
 */
export function detectPopulation(input: string | Text, opts: { bare?: boolean } = {}): PopulationMention | undefined {
  const text = asText(input)
  for (const re of opts.bare ? [WITH_UNIT, AFTER_NOUN, BARE] : [WITH_UNIT, AFTER_NOUN]) {
    re.lastIndex = 0
    const m = re.exec(text.lower)
    if (!m) continue
    const numberAt = m.index + m[0].search(/\d/)
    const found = mention(text, m, re === AFTER_NOUN ? numberAt : m.index)
    if (found) {
      consume(text, found.start, found.end)
      return found
    }
  }
  return undefined
}

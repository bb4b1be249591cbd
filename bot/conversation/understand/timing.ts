// When the project must be funded or started, relative to `today` (YYYY-MM-DD): "avant l'été",
// "au printemps", "à l'automne", "pour la rentrée", "d'ici la fin de l'année", "en septembre",
// "avant le 15 mars", "d'ici 6 mois", "en 2027", "d'ici 2027", "avant 2027", "l'an prochain", "dès
// que possible". `before` is the date by which things must be done (a deadline on or before it
// fits): "avant X" gives X's first day ("avant l'été" → 21 June of this year, or of next year once it
// has passed; "avant septembre" → 1 September; "avant 2027" → 1 January 2027), "en/pour/d'ici X" its
// last day ("en septembre" → 30 September). `year` is the year it happens in, when that was said.
// Forward-looking words only: "depuis 2020" and past years say nothing about the project's timing.
import { asText, normRange, rawSpan, type Text } from './text.ts'

export interface Timing {
  /** The user's words ("avant l'été", "en 2027"). */
  label: string
  /** YYYY-MM-DD: done by this date (a deadline on or before it fits). */
  before?: string
  year?: number
}

const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre']
const MONTH = `(${MONTHS.join('|')})`
const SMALL: Record<string, number> = { un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11, douze: 12, dixhuit: 18, quelques: 3 }
const COUNT = String.raw`(\d{1,2}|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quelques)`

const pad = (n: number): string => String(n).padStart(2, '0')
const iso = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`
const lastDay = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate()

function addMonths(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) + months
  const ny = Math.floor(total / 12)
  const nm = (total % 12) + 1
  return iso(ny, nm, Math.min(d, lastDay(ny, nm)))
}

/** The year in which month-day `md` ("06-21") next comes, today included. */
function nextYearOf(today: string, md: string): number {
  const y = Number(today.slice(0, 4))
  return today.slice(5) <= md ? y : y + 1
}

interface Candidate {
  priority: number
  at: number
  length: number
  timing: Omit<Timing, 'label'>
}

type Rule = [RegExp, number, (m: RegExpExecArray, today: string, year: number | undefined) => Omit<Timing, 'label'> | undefined]

/** Seasons: [start MM-DD, end MM-DD]. */
const SEASONS: Record<string, [string, string]> = {
  printemps: ['03-20', '06-20'],
  ete: ['06-21', '09-22'],
  automne: ['09-23', '12-20'],
  hiver: ['12-21', '03-19'],
}

function season(name: string, prefix: string, today: string, explicitYear: number | undefined): Omit<Timing, 'label'> {
  const [start, end] = SEASONS[name]!
  const endsNextYear = name === 'hiver'
  if (/avant|d ici/.test(prefix) && !/fin/.test(prefix)) {
    // Before the season starts: by its first day ("avant l'été": by 21 June).
    const y = explicitYear ?? nextYearOf(today, start)
    return { before: `${y}-${start}` }
  }
  // During the season (by its end).
  let y = explicitYear !== undefined ? (endsNextYear ? explicitYear + 1 : explicitYear) : nextYearOf(today, end)
  if (explicitYear === undefined && endsNextYear && today.slice(5) > end && today.slice(5) < start) y = Number(today.slice(0, 4)) + 1
  return { before: iso(y, Number(end.slice(0, 2)), Number(end.slice(3))), ...(explicitYear !== undefined && { year: explicitYear }) }
}

const RULES: Rule[] = [
  // "avant le 15 mars (2026)", "d'ici le 30 juin", "pour le 1er septembre"
  [new RegExp(String.raw` (?:avant|d ici|pour|au plus tard|jusqu au|au plus tard le|date limite) (?:le )?(\d{1,2}|1er) ${MONTH}(?: (\d{4}))? `), 0, (m, today) => {
    const day = m[1] === '1er' ? 1 : Number(m[1])
    const month = MONTHS.indexOf(m[2]!) + 1
    if (day < 1 || day > 31) return undefined
    const y = m[3] ? Number(m[3]) : nextYearOf(today, `${pad(month)}-${pad(day)}`)
    return { before: iso(y, month, Math.min(day, lastDay(y, month))) }
  }],
  // "avant septembre", "en septembre 2026", "fin mars", "début juin", "dès octobre"
  [new RegExp(String.raw` (avant|d ici|pour|en|courant|fin|debut|mi|des|a partir de|au mois de|jusqu en|a la fin de|au debut de|fin du mois de|debut du mois de)(?: le mois de| le mois d| de)? ${MONTH}(?: (\d{4}))? `), 1, (m, today, year) => {
    const prefix = m[1]!
    const month = MONTHS.indexOf(m[2]!) + 1
    const y = m[3] ? Number(m[3]) : year ?? nextYearOf(today, `${pad(month)}-${pad(lastDay(Number(today.slice(0, 4)), month))}`)
    if (/^(des|a partir de)$/.test(prefix)) return { year: y }
    if (/^(avant|d ici)$/.test(prefix)) return { before: iso(y, month, 1) }
    if (/debut/.test(prefix)) return { before: iso(y, month, 10) }
    if (prefix === 'mi') return { before: iso(y, month, 15) }
    return { before: iso(y, month, lastDay(y, month)), ...(m[3] && { year: y }) }
  }],
  // "avant l'été", "au printemps", "cet automne", "d'ici l'hiver", "à la fin de l'été 2027"
  [/ (l|avant l|avant le|d ici l|d ici le|d ici cet|pour l|pour le|au|a l|en|cet|ce|cette|pendant l|pendant le|courant de l|courant du|au cours de l|au cours du|a la fin de l|a la fin du|fin de l|fin du|avant la fin de l|avant la fin du|des l|des le|des cet|des ce) (printemps|ete|automne|hiver)(?: prochain)?(?: (\d{4}))? /, 2, (m, today, year) => {
    const explicit = m[3] ? Number(m[3]) : year
    const prefix = m[1]!
    if (/^des/.test(prefix)) return explicit !== undefined ? { year: explicit } : {}
    return season(m[2]!, prefix, today, explicit)
  }],
  // "pour la rentrée (2026)"
  [/ (?:pour|avant|d ici|a|des|d ici a) la rentree(?: (?:de )?(?:septembre )?(\d{4}))? /, 2, (m, today) => {
    const y = m[1] ? Number(m[1]) : nextYearOf(today, '09-01')
    return { before: iso(y, 9, 1) }
  }],
  // "d'ici la fin de l'année", "avant la fin de l'année", "cette année", "dans l'année"
  [/ (?:d ici la fin de l annee|d ici la fin d annee|d ici fin d annee|d ici fin de l annee|avant la fin de l annee|avant la fin d annee|avant fin d annee|en fin d annee|en fin de l annee|fin d annee|fin de l annee|cette annee|dans l annee|courant de l annee|au cours de l annee|d ici la fin de cette annee) /, 3, (_m, today) => {
    const y = Number(today.slice(0, 4))
    return { before: iso(y, 12, 31), year: y }
  }],
  // "en 2027", "d'ici 2027", "avant 2027", "fin 2027", "début 2027", "à partir de 2027"
  [/ (en|pour|courant|sur|d ici|avant|fin|debut|mi|des|a partir de|a partir d|jusqu en|horizon|a l horizon|l annee|annee|au cours de l annee|dans le courant de l annee|courant de l annee) (\d{4}) /, 4, (m, today) => {
    const y = Number(m[2])
    const now = Number(today.slice(0, 4))
    if (y < now || y > now + 30) return undefined
    const prefix = m[1]!
    if (prefix === 'avant') return { before: iso(y, 1, 1) }
    if (/^(d ici|jusqu en|horizon|a l horizon|fin)$/.test(prefix)) return { before: iso(y, 12, 31), year: y }
    if (prefix === 'debut') return { before: iso(y, 3, 31), year: y }
    if (prefix === 'mi') return { before: iso(y, 6, 30), year: y }
    return { year: y }
  }],
  // "l'an prochain", "l'année prochaine", "dans deux ans"
  [/ (?:l an prochain|l annee prochaine|an prochain|annee prochaine|courant de l annee prochaine|d ici l an prochain|d ici l annee prochaine) /, 5, (_m, today) => ({ year: Number(today.slice(0, 4)) + 1 })],
  [new RegExp(String.raw` (dans|d ici|sous|d ici a|en moins de|avant) ${COUNT} (mois|ans?|annees?|semaines?) `), 5, (m, today) => {
    const n = /^\d+$/.test(m[2]!) ? Number(m[2]) : SMALL[m[2]!]!
    if (!n) return undefined
    const unit = m[3]!
    if (m[1] === 'dans' && /^an/.test(unit)) return { year: Number(today.slice(0, 4)) + n }
    const months = unit === 'mois' ? n : /^sem/.test(unit) ? 0 : n * 12
    if (months === 0) {
      const d = new Date(`${today}T00:00:00Z`)
      d.setUTCDate(d.getUTCDate() + n * 7)
      return { before: d.toISOString().slice(0, 10) }
    }
    return { before: addMonths(today, months) }
  }],
  [/ (?:le mois prochain|d ici le mois prochain|avant le mois prochain) /, 5, (_m, today) => {
    const next = addMonths(`${today.slice(0, 8)}01`, 1)
    const [y, mo] = next.split('-').map(Number) as [number, number]
    return { before: iso(y, mo, lastDay(y, mo)) }
  }],
  // "dès que possible", "au plus vite", "c'est urgent"
  [/ (?:des que possible|au plus vite|au plus tot|le plus tot possible|le plus vite possible|rapidement|urgent|urgente|urgence|asap|tout de suite|immediatement|tres vite|sans tarder|sous peu|prochainement|bientot|tres rapidement|vite) /, 6, () => ({})],
]

const GLOBAL_RULES: Rule[] = RULES.map(([re, priority, read]) => [new RegExp(re.source, 'g'), priority, read])

/** The first timing that says the most (a date before a month, before a season, before a year…). */
export function detectTiming(input: string | Text, ctx: { today?: string } = {}): Timing | undefined {
  const text = asText(input)
  const today = ctx.today ?? new Date().toISOString().slice(0, 10)
  // A year said on its own ("en 2027 … au printemps") dates the season or month said elsewhere.
  const yearRule = RULES[5]!
  const yearMatch = yearRule[0].exec(text.norm)
  const looseYear = yearMatch && /^(en|pour|courant|sur)$/.test(yearMatch[1]!) ? Number(yearMatch[2]) : undefined
  const candidates: Candidate[] = []
  for (const [global, priority, read] of GLOBAL_RULES) {
    global.lastIndex = 0
    for (let m = global.exec(text.norm); m; m = global.exec(text.norm)) {
      global.lastIndex = m.index + 1 // matches share their padding spaces
      const [from] = normRange(text, m.index, m[0].length)
      const negated = text.tokens[from]?.negated ?? false
      const timing = read(m, today, looseYear !== undefined && looseYear >= Number(today.slice(0, 4)) ? looseYear : undefined)
      if (!timing || negated) continue
      candidates.push({ priority, at: m.index, length: m[0].length, timing })
    }
  }
  if (!candidates.length) return undefined
  candidates.sort((a, b) => a.priority - b.priority || a.at - b.at)
  const best = candidates[0]!
  const [from, to] = normRange(text, best.at, best.length)
  const label = rawSpan(text, from, to).trim()
  const timing: Timing = { label: best.priority === 6 && !label ? 'dès que possible' : label, ...best.timing }
  if (timing.year === undefined && best.priority <= 2) {
    const year = candidates.find((c) => c.priority === 4 && c.timing.year !== undefined && c.timing.before === undefined)?.timing.year
    if (year !== undefined) timing.year = year
  }
  return timing
}

// A draft financing plan: a project budget, the collectivité, and the programmes it can get
// (eligible or « à confirmer ») in; each aid's amount from its known rate and ceiling, the total
// of the aids, the collectivité's own share against the legal minimum (core/financing-rule.ts),
// and what stays uncertain out. Amounts are computed in cents on the budget as given — aids are
// usually computed on the eligible expense HORS TAXES, so a TTC budget is flagged. A rate that is
// not in the programme's facts is « taux inconnu » and counts for nothing: never guessed.
import { INSTRUMENT_LABELS, type Aid, type Instrument, type Level } from './programme.ts'
import type { CollectiviteType } from './profile.ts'
import type { ThemeId } from './themes.ts'
import type { Zone } from './applicants.ts'
import { ownShareRule, type OwnShareRule } from './financing-rule.ts'
import { euros, rateLabel } from './financing-format.ts'

/** Instruments that bring money the plan can count (a loan, a label or engineering support does not). */
const FUNDING_INSTRUMENTS: readonly Instrument[] = ['grant', 'call_for_projects', 'voucher']

export interface PlanAidInput {
  id: string
  name: string
  shortName: string | null
  funders: string[]
  level: Level
  instruments: Instrument[]
  status: 'eligible' | 'unknown'
  /** The programme's aid, its rate already resolved for the partner country where it depends on it. */
  aid: Aid & { uncertain: boolean }
  /** True when a partner-country rate was resolved (the rate then stands for that country). */
  partnerResolved?: boolean
}

export interface PlanInput {
  /** Cost of the project in euros. */
  budget: number
  basis: 'HT' | 'TTC'
  /** Private funding (mécénat, participations privées), euros: outside the public funding the 20 % is counted on. */
  privateFunding?: number
  collectivite: { type: CollectiviteType; name: string; code: string; zone: Zone; departement?: { code: string; name: string } }
  themes: ThemeId[]
  calamity?: boolean
  protectedMonument?: boolean
  aids: PlanAidInput[]
}

export type RateCertainty = 'known' | 'range' | 'uncertain' | 'unknown'

export interface PlanLine {
  id: string
  name: string
  funders: string[]
  level: Level
  status: 'eligible' | 'unknown'
  rate: { min: number | null; max: number | null; label: string; certainty: RateCertainty }
  /** The aid's ceiling and floor in euros, when known. */
  ceiling: number | null
  floor: number | null
  /** What the known rate gives on the budget, ceiling applied, in euros (low for a range); null when the rate is unknown. */
  computed: { low: number; high: number } | null
  /** The amount the plan counts after the legal cap; null when not counted. */
  planned: number | null
  notes: string[]
}

export interface FinancingPlan {
  collectivite: PlanInput['collectivite']
  budget: number
  basis: 'HT' | 'TTC'
  privateFunding: number
  /** Budget less private funding: the total public funding the 20 % is a share of. */
  publicFunding: number
  lines: PlanLine[]
  /** Programmes that bring no money the plan can count (loans, labels, engineering). */
  outside: { id: string; name: string; reason: string }[]
  totals: {
    /** Sum of what the known rates give, before the cap. */
    aidsComputed: number
    /** Sum of the planned aids. */
    aids: number
    ownShare: number
    /** Own share as a share of the total public funding (0–1). */
    ownShareRate: number
    /** Planned aids as a share of the budget (0–1). */
    aidsRate: number
  }
  rule: OwnShareRule & { minimumAmount: number; maxAids: number; capped: boolean; capReason: string | null; respected: boolean }
  stacking: string[]
  uncertain: string[]
}

const cents = (e: number) => Math.round(e * 100)
const toEuros = (c: number) => c / 100

interface Computed {
  line: Omit<PlanLine, 'planned'>
  /** Cents the line asks for, or null (unknown). */
  high: number | null
}

/** One aid on the budget: its rate, ceiling and floor as the facts give them. */
function computeLine(a: PlanAidInput, budgetCents: number): Computed {
  const { rateMin, rateMax, amountMin, amountMax } = a.aid
  const notes: string[] = []
  const dependsOnCountry = a.aid.rateByPartnerCategory !== undefined && !a.partnerResolved
  let certainty: RateCertainty
  let low: number | null = null
  let high: number | null = null
  if (rateMax !== undefined) {
    high = Math.round((budgetCents * rateMax) / 100)
    low = Math.round((budgetCents * (rateMin ?? rateMax)) / 100)
    certainty = rateMin !== undefined && rateMin < rateMax ? 'range' : 'known'
    if (rateMin === undefined && certainty === 'known') certainty = 'range'
    if (rateMin === undefined) {
      low = 0
      notes.push(`Taux maximal de ${rateMax} % : le financeur peut accorder moins.`)
    }
  } else if (rateMin !== undefined) {
    high = low = Math.round((budgetCents * rateMin) / 100)
    certainty = 'uncertain'
    notes.push(`Seul un taux minimal de ${rateMin} % est connu : le plan compte ce minimum.`)
  } else if (amountMin !== undefined && amountMin === amountMax) {
    high = low = Math.min(cents(amountMax), budgetCents)
    certainty = 'known'
    notes.push(`Montant forfaitaire de ${euros(amountMax)}.`)
  } else {
    certainty = 'unknown'
    notes.push('Taux inconnu : le montant n\'est pas compté dans le plan (à demander au financeur).')
  }
  if (high !== null && amountMax !== undefined && high > cents(amountMax)) {
    high = cents(amountMax)
    low = Math.min(low ?? high, high)
    notes.push(`Plafonné à ${euros(amountMax)} (plafond de l'aide).`)
  }
  if (high !== null && amountMin !== undefined && amountMin !== amountMax && high < cents(amountMin)) {
    notes.push(`Sous le montant minimal de l'aide (${euros(amountMin)}) : le projet est peut-être trop petit pour elle.`)
    if (certainty !== 'unknown') certainty = 'uncertain'
  }
  if (dependsOnCountry) {
    certainty = certainty === 'unknown' ? 'unknown' : 'uncertain'
    notes.push('Le taux dépend du pays partenaire : indiquez-le pour le préciser.')
  }
  if (a.aid.uncertain && certainty !== 'unknown') {
    certainty = 'uncertain'
    notes.push('Montants à confirmer auprès du financeur (la fiche les dit incertains).')
  }
  if (a.status === 'unknown') notes.push('Éligibilité à confirmer.')
  return {
    line: {
      id: a.id,
      name: a.shortName && !a.name.includes(a.shortName) ? `${a.name} (${a.shortName})` : a.name,
      funders: a.funders,
      level: a.level,
      status: a.status,
      rate: { min: rateMin ?? null, max: rateMax ?? null, label: rateLabel(rateMin, rateMax, certainty), certainty },
      ceiling: amountMax ?? null,
      floor: amountMin ?? null,
      computed: high === null ? null : { low: toEuros(low ?? high), high: toEuros(high) },
      notes,
    },
    high,
  }
}

/** Scale the counted amounts down so they sum to `cap`, largest remainders first so the cents add up exactly. */
function scaleTo(amounts: number[], cap: number): number[] {
  const total = amounts.reduce((s, x) => s + x, 0)
  if (total <= cap) return amounts
  const exact = amounts.map((x) => (x * cap) / total)
  const floored = exact.map(Math.floor)
  let rest = cap - floored.reduce((s, x) => s + x, 0)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of order) {
    if (rest <= 0) break
    floored[i]! += 1
    rest -= 1
  }
  return floored
}

/** The draft plan: lines, the legal cap on the aids, the own share and what stays uncertain. */
export function buildFinancingPlan(input: PlanInput): FinancingPlan {
  const budgetCents = cents(input.budget)
  const privateCents = Math.min(cents(input.privateFunding ?? 0), budgetCents)
  const publicCents = budgetCents - privateCents
  const funding = input.aids.filter((a) => a.instruments.some((i) => FUNDING_INSTRUMENTS.includes(i)))
  const outside = input.aids
    .filter((a) => !funding.includes(a))
    .map((a) => ({ id: a.id, name: a.name, reason: `${a.instruments.map((i) => INSTRUMENT_LABELS[i]).join(', ')} : pas une subvention, hors plan de financement.` }))
  const computed = funding.map((a) => computeLine(a, budgetCents))
  const rule = ownShareRule({ collectivite: input.collectivite, themes: input.themes, levels: funding.map((a) => a.level), ...(input.calamity ? { calamity: true } : {}), ...(input.protectedMonument ? { protectedMonument: true } : {}) })
  const maxAidsCents = Math.floor(publicCents * (1 - rule.minimumRate))
  const counted = computed.filter((c) => c.high !== null)
  const askedCents = counted.reduce((s, c) => s + c.high!, 0)
  const planned = scaleTo(counted.map((c) => c.high!), maxAidsCents)
  const capped = askedCents > maxAidsCents
  const lines: PlanLine[] = computed.map((c) => {
    const i = counted.indexOf(c)
    const amount = i >= 0 ? planned[i]! : null
    const notes = capped && amount !== null && amount < c.high! ? [...c.line.notes, `Ramené à ${euros(toEuros(amount))} pour respecter la part minimale de la collectivité.`] : c.line.notes
    return { ...c.line, notes, planned: amount === null ? null : toEuros(amount) }
  })
  const aidsCents = planned.reduce((s, x) => s + x, 0)
  const ownCents = publicCents - aidsCents
  const minimumCents = Math.ceil(publicCents * rule.minimumRate)
  const capReason = capped
    ? `Les aides calculées (${euros(toEuros(askedCents))}) dépassent ${Math.round((1 - rule.minimumRate) * 100)} % du financement public (${euros(toEuros(publicCents))}) : ` +
      `la collectivité doit en financer au moins ${Math.round(rule.minimumRate * 100)} % (${rule.article}). Chaque aide est réduite dans la même proportion.`
    : null
  return {
    collectivite: input.collectivite,
    budget: toEuros(budgetCents),
    basis: input.basis,
    privateFunding: toEuros(privateCents),
    publicFunding: toEuros(publicCents),
    lines,
    outside,
    totals: {
      aidsComputed: toEuros(askedCents),
      aids: toEuros(aidsCents),
      ownShare: toEuros(ownCents),
      ownShareRate: publicCents > 0 ? ownCents / publicCents : 0,
      aidsRate: budgetCents > 0 ? aidsCents / budgetCents : 0,
    },
    rule: { ...rule, minimumAmount: toEuros(minimumCents), maxAids: toEuros(maxAidsCents), capped, capReason, respected: ownCents >= minimumCents },
    stacking: stackingNotes(lines),
    uncertain: uncertainties(input, lines, rule),
  }
}

/** The catalogue states no stacking rule between these aids: say so, once per pair of levels that usually has one. */
function stackingNotes(lines: PlanLine[]): string[] {
  if (lines.length < 2) return []
  return [
    'Cumul à vérifier : les fiches de ces programmes ne disent pas s\'ils se cumulent entre eux sur la même opération ; chaque financeur le précise dans son règlement.',
  ]
}

function uncertainties(input: PlanInput, lines: PlanLine[], rule: OwnShareRule): string[] {
  const out: string[] = []
  if (input.basis === 'TTC') out.push('Budget donné TTC : les aides portent d\'ordinaire sur la dépense éligible hors taxes ; les montants seront plus bas sur le HT.')
  const unknown = lines.filter((l) => l.rate.certainty === 'unknown')
  if (unknown.length) out.push(`Taux inconnu pour ${unknown.map((l) => l.name).join(', ')} : non compté ; si ces aides sont obtenues, la part de la collectivité baisse, sans descendre sous le minimum légal.`)
  const uncertain = lines.filter((l) => l.rate.certainty === 'uncertain' || l.rate.certainty === 'range')
  if (uncertain.length) out.push(`Montant à confirmer pour ${uncertain.map((l) => l.name).join(', ')} : le plan compte le taux maximal connu, le financeur fixe le taux réel.`)
  const toConfirm = lines.filter((l) => l.status === 'unknown')
  if (toConfirm.length) out.push(`Éligibilité à confirmer pour ${toConfirm.map((l) => l.name).join(', ')}.`)
  for (const e of rule.exceptions) if (e.status === 'possible') out.push(e.label)
  return out
}

// The financing plan as a CSV file for French Excel: UTF-8 with a byte-order mark (Excel reads
// the accents), « ; » between fields, amounts in euros with two decimals and a decimal comma, one
// row per aid, then the totals and the own share, then what remains uncertain.
import type { FinancingPlan } from './financing-plan.ts'

const BOM = '\ufeff'

/** 1234.5 → « 1234,50 » (no grouping: Excel reads it as a number). */
export function csvAmount(n: number | null): string {
  return n === null ? '' : n.toFixed(2).replace('.', ',')
}

function field(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

export const CSV_HEADER = ['Programme', 'Financeur', 'Éligibilité', 'Taux', 'Certitude du taux', 'Plafond (€)', 'Montant calculé (€)', 'Montant retenu (€)', 'Remarques']

const CERTAINTY: Record<string, string> = { known: 'connu', range: 'fourchette', uncertain: 'incertain', unknown: 'inconnu' }

/** The rows of the plan (header first), as the CSV and the XLSX both write them. */
export function planRows(plan: FinancingPlan): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [CSV_HEADER]
  for (const l of plan.lines) {
    rows.push([l.name, l.funders.join(', '), l.status === 'eligible' ? 'éligible' : 'à confirmer', l.rate.label, CERTAINTY[l.rate.certainty]!, l.ceiling, l.computed?.high ?? null, l.planned, l.notes.join(' ')])
  }
  rows.push([])
  rows.push(['Coût du projet (' + plan.basis + ')', '', '', '', '', null, null, plan.budget, ''])
  if (plan.privateFunding > 0) rows.push(['Financements privés', '', '', '', '', null, null, plan.privateFunding, ''])
  rows.push(['Total des aides publiques retenues', '', '', '', '', null, plan.totals.aidsComputed, plan.totals.aids, plan.rule.capReason ?? ''])
  rows.push(['Part de la collectivité', '', '', '', '', null, null, plan.totals.ownShare, `Minimum légal : ${plan.rule.minimumAmount.toFixed(2).replace('.', ',')} € (${plan.rule.article})`])
  for (const u of [...plan.stacking, ...plan.uncertain]) rows.push(['À vérifier', '', '', '', '', null, null, null, u])
  return rows
}

export function planCsv(plan: FinancingPlan): string {
  const lines = planRows(plan).map((r) => r.map((v) => (typeof v === 'number' ? csvAmount(v) : v === null ? '' : field(v))).join(';'))
  return BOM + lines.join('\r\n') + '\r\n'
}

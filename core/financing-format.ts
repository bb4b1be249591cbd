// French wording of a financing plan's figures: euros with two decimals (« 250 000,00 € »), rates
// (« 20 à 80 % », « taux inconnu »), shares (« 20,0 % »). Used by the plan, its exports and its page.

const EUROS = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const SHARE = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** 250000 → « 250 000,00 € » (the grouping and the space before € are no-break spaces). */
export function euros(n: number): string {
  return `${EUROS.format(n)}\u00a0€`
}

/** 0.2 → « 20,0 % ». */
export function share(x: number): string {
  return `${SHARE.format(x * 100)}\u00a0%`
}

/** The rate as the plan shows it; an uncertain one says so, an unknown one is never a number. */
export function rateLabel(min: number | undefined, max: number | undefined, certainty: 'known' | 'range' | 'uncertain' | 'unknown'): string {
  if (certainty === 'unknown') return 'taux inconnu'
  let label: string
  if (min !== undefined && max !== undefined) label = min === max ? `${max} %` : `${min} à ${max} %`
  else if (max !== undefined) label = `jusqu'à ${max} %`
  else if (min !== undefined) label = `au moins ${min} %`
  else label = 'forfait'
  return certainty === 'uncertain' ? `${label} (incertain)` : label
}

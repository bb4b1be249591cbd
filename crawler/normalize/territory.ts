// Perimeter labels ("Drôme", "Île-de-France", "France", "- France entière -", "Mayotte") → a
// Territory with official codes when the label names one département or région, and the level
// it suggests. Names are matched on core/geography's normalised keys.
import areas from './etalab-areas.cjs'
import { normalizeName } from '../../core/geography/normalize.ts'
import type { Level } from '../../core/programme.ts'

export interface TerritoryGuess {
  label: string
  departements?: string[]
  regions?: string[]
  level?: Level
}

const DEPARTEMENTS = new Map(areas.departements.map((d) => [normalizeName(d.nom), d]))
const REGIONS = new Map(areas.regions.map((r) => [normalizeName(r.nom), r]))
const NATIONAL = /^(france|france entiere|national|territoire national|france metropolitaine|toute la france)$/
const EUROPE = /^(europe|union europeenne|ue|monde|international)$/

export function territoryFromLabel(raw: string | undefined): TerritoryGuess | undefined {
  const label = raw?.replace(/^[\s-]+|[\s-]+$/g, '').trim()
  if (!label) return undefined
  const key = normalizeName(label).replace(/^(departement|region) (de la |de l |du |des |de )?/, '')
  if (NATIONAL.test(key)) return { label: 'France', level: 'national' }
  if (EUROPE.test(key)) return { label, level: 'eu' }
  // A DROM is both a département and a région: keep both codes, call it regional.
  const region = REGIONS.get(key)
  const departement = DEPARTEMENTS.get(key)
  if (region && departement) return { label, regions: [region.code], departements: [departement.code], level: 'regional' }
  if (region) return { label, regions: [region.code], level: 'regional' }
  if (departement) return { label, departements: [departement.code], level: 'departemental' }
  return { label }
}

/** Level from a funder's name when the perimeter does not tell. */
export function levelFromFunder(funders: readonly string[]): Level | undefined {
  const text = normalizeName(funders.join(' | '))
  if (/commission europeenne|union europeenne|\beuropean\b|feder|\bfse\b|interreg/.test(text)) return 'eu'
  if (/conseil departemental|\bdepartement\b|\bcd\d{2}\b/.test(text)) return 'departemental'
  if (/conseil regional|\bregion\b/.test(text)) return 'regional'
  if (/ministere|\betat\b|ademe|agence|anct|banque des territoires|prefecture|bpifrance|cerema|caisse des depots/.test(text)) return 'national'
  return undefined
}

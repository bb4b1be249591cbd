// The import of the Fonds vert 2023 laureates (State open data; see content/peers/PROVENANCE.md):
// the CSV read (`;`, quoted fields), each row normalised — INSEE code padded to 5 (Corsica 2A/2B and
// overseas 97x kept as they are), amount « 21 667,00 € » to integer cents, SIREN from a SIREN or a
// SIRET, the measure checked against content/peers/measures.ts, the beneficiary typed, the commune's
// population and the région from the geography. Pure: the runtime CLI (runtime/node/peers-import-cli.ts)
// reads the file and writes content/peers/fonds-vert-2023.json.
import type { Geography } from '../../core/geography/geography.ts'
import { measureById } from './measures.ts'
import { typeBeneficiary, type BeneficiaryLookups, type BeneficiaryRule } from './beneficiary.ts'
import type { PeerDataFile, PeerRow } from './projects.ts'

export const CSV_COLUMNS = ['nom_region', 'code_departement', 'nom_departement', 'code_commune', 'nom_commune', 'axe', 'numero_demarche_ds', 'nom_demarche_ds', 'numero_dossier_ds', 'nom_du_projet', 'nom_beneficiaire_principal', 'siren', 'montant_engage'] as const
export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>

/** `;`-separated values with RFC 4180 quoting ("" inside quotes is one "). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const src = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i++ } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ';') { row.push(field); field = '' }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++
      row.push(field); field = ''
      if (row.length > 1 || row[0] !== '') rows.push(row)
      row = []
    } else field += ch
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row) }
  return rows
}

/** The rows as records; throws when the header is not the expected one. */
export function readLaureates(text: string): CsvRow[] {
  const [header, ...body] = parseCsv(text)
  if (!header || header.join(';') !== CSV_COLUMNS.join(';')) throw new Error(`unexpected header: ${header?.join(';')} (expected ${CSV_COLUMNS.join(';')})`)
  return body.map((cells, i) => {
    if (cells.length !== CSV_COLUMNS.length) throw new Error(`line ${i + 2}: ${cells.length} fields, ${CSV_COLUMNS.length} expected`)
    return Object.fromEntries(CSV_COLUMNS.map((k, j) => [k, cells[j]!.trim()])) as CsvRow
  })
}

/** « 21 667,00 € » (any spaces, non-breaking included) → 2166700 cents. */
export function amountCents(text: string): number {
  const m = /^([\d\s\u00a0\u202f]+),(\d{2})\s*€$/.exec(text.trim())
  if (!m) throw new Error(`unreadable amount: ${text}`)
  return Number(m[1]!.replace(/\D/g, '')) * 100 + Number(m[2])
}

/** The data set drops leading zeros: « 1004 » → « 01004 »; « 2A004 », « 97411 » stay; « NULL » → undefined. */
export function inseeCode(text: string): string | undefined {
  const t = text.trim().toUpperCase()
  if (t === '' || t === 'NULL') return undefined
  if (/^\d{4,5}$/.test(t)) return t.padStart(5, '0')
  if (/^2[AB]\d{3}$/.test(t)) return t
  throw new Error(`unreadable INSEE code: ${text}`)
}

/** « 1 » → « 01 »; « 2A », « 971 » as they are. */
export function departementCode(text: string): string {
  const t = text.trim().toUpperCase()
  return /^\d$/.test(t) ? `0${t}` : t
}

/** A SIREN (9 digits; leading zeros restored) or the SIREN of a SIRET (14 digits); undefined when neither. */
export function sirenOf(text: string): string | undefined {
  const d = text.replace(/\D/g, '')
  if (d.length === 14) return d.slice(0, 9)
  if (d.length >= 7 && d.length <= 9) return d.padStart(9, '0')
  return undefined
}

export interface ImportReport {
  rows: number
  byType: Record<string, number>
  byRule: Partial<Record<BeneficiaryRule, number>>
  communesUnknown: number
  communesMissing: number
  sirenUnreadable: number
  /** Names of beneficiaries typed « other », most frequent first (for review). */
  otherNames: Array<{ name: string; count: number }>
}

/** Every row normalised, in the file's order, and what the import found. */
export function normaliseLaureates(rows: readonly CsvRow[], geography: Geography, lookups: BeneficiaryLookups): { data: PeerRow[]; report: ImportReport } {
  const report: ImportReport = { rows: rows.length, byType: {}, byRule: {}, communesUnknown: 0, communesMissing: 0, sirenUnreadable: 0, otherNames: [] }
  const others = new Map<string, number>()
  const data = rows.map((r, i): PeerRow => {
    const measure = measureById(r.numero_demarche_ds)
    if (!measure || measure.label !== r.nom_demarche_ds) throw new Error(`line ${i + 2}: unknown measure ${r.numero_demarche_ds} « ${r.nom_demarche_ds} »`)
    const dept = departementCode(r.code_departement)
    const code = inseeCode(r.code_commune)
    const commune = code ? geography.communeByInsee(code) : undefined
    if (!code) report.communesMissing++
    else if (!commune) report.communesUnknown++
    const siren = sirenOf(r.siren)
    if (!siren) report.sirenUnreadable++
    const typed = typeBeneficiary({ name: r.nom_beneficiaire_principal, siren, communeName: r.nom_commune }, lookups)
    report.byType[typed.type] = (report.byType[typed.type] ?? 0) + 1
    report.byRule[typed.rule] = (report.byRule[typed.rule] ?? 0) + 1
    if (typed.type === 'other') others.set(r.nom_beneficiaire_principal, (others.get(r.nom_beneficiaire_principal) ?? 0) + 1)
    const region = geography.departement(dept)?.region?.code ?? ''
    return [r.numero_dossier_ds, dept, region, code ?? null, commune?.name ?? (code ? r.nom_commune : null), commune?.population ?? null, measure.id, r.nom_du_projet.replace(/\s+/g, ' ').trim(), r.nom_beneficiaire_principal.replace(/\s+/g, ' ').trim(), siren ?? null, typed.type, amountCents(r.montant_engage)]
  })
  report.otherNames = [...others].sort((a, b) => b[1] - a[1]).map(([name, count]) => ({ name, count }))
  return { data, report }
}

/** The data file written to content/peers/fonds-vert-2023.json. */
export function dataFile(data: PeerRow[]): PeerDataFile {
  return {
    source: 'Fonds vert 2023, données publiques de l’État',
    columns: ['dossier', 'departement', 'region', 'commune', 'communeName', 'population', 'measure', 'project', 'beneficiary', 'siren', 'beneficiaryType', 'amountCents'],
    rows: data,
  }
}

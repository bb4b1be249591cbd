// The Fonds vert 2023 funded projects as Guichet holds them: the data file's compact rows
// (content/peers/fonds-vert-2023.json, written by the import) and the project records read from them.
import type { ThemeId } from '../../core/themes.ts'
import type { BeneficiaryType } from './beneficiary.ts'
import { measureById } from './measures.ts'

/** The words every answer built on these data carries. */
export const PEERS_SOURCE = 'Fonds vert 2023, données publiques de l’État'

/** dossier, département, région, commune INSEE, commune name, population, measure id, project, beneficiary, SIREN, beneficiary type, amount in cents. */
export type PeerRow = [string, string, string, string | null, string | null, number | null, string, string, string, string | null, BeneficiaryType, number]

export interface PeerDataFile {
  source: string
  columns: string[]
  rows: PeerRow[]
}

export interface PeerProject {
  /** The dossier number on demarches-simplifiees.fr. */
  id: string
  departement: string
  region: string
  /** Where the project is (absent for projects the data set gives no commune). */
  commune?: { code: string; name: string; population?: number }
  measure: { id: string; label: string }
  themes: readonly ThemeId[]
  project: string
  beneficiary: { name: string; siren?: string; type: BeneficiaryType }
  amountCents: number
}

export function toProject(r: PeerRow): PeerProject {
  const [id, departement, region, code, communeName, population, measureId, project, beneficiary, siren, type, amountCents] = r
  const measure = measureById(measureId)
  if (!measure) throw new Error(`unknown measure ${measureId} in the peers data`)
  return {
    id,
    departement,
    region,
    ...(code ? { commune: { code, name: communeName ?? code, ...(population !== null ? { population } : {}) } } : {}),
    measure: { id: measure.id, label: measure.label },
    themes: measure.themes,
    project,
    beneficiary: { name: beneficiary, ...(siren ? { siren } : {}), type },
    amountCents,
  }
}

/** Every project of a data file. */
export function readPeerData(file: PeerDataFile): PeerProject[] {
  return file.rows.map(toProject)
}

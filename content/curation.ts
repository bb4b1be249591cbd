// What the back office adds to the catalogue, as the catalogue reads it: field overrides (and
// hidden programmes), programmes created in the back office, and merges of duplicates. The back
// office writes them (bot/admin/ports.ts: CurationStore, OverrideStore; SQLite in
// runtime/node/admin-store.ts); content/catalogue-service.ts applies them at every rebuild.
import type { Programme } from '../core/programme.ts'

/** Top-level Programme fields an editor may override. */
export const OVERRIDABLE_FIELDS = [
  'name', 'shortName', 'funders', 'level', 'instruments', 'summary', 'themes', 'keywords', 'eligibility', 'aid', 'calendar', 'links', 'uncertain', 'statusNote',
  'adopted', 'suspension', 'examples',
] as const satisfies readonly (keyof Programme)[]
export type OverridableField = (typeof OVERRIDABLE_FIELDS)[number]
export type OverridePatch = Partial<Pick<Programme, OverridableField>>

export interface ProgrammeOverride {
  programmeId: string
  patch: OverridePatch
  hidden: boolean
  verifiedBy: string | null
  verifiedAt: string | null
  updatedBy: string
  updatedAt: string
}

/** A programme created in the back office: a curated programme stored beside content/programmes. */
export interface CreatedProgramme {
  programme: Programme
  createdBy: string
  createdAt: string
  updatedBy: string
  updatedAt: string
}

/** Two duplicates made one: the loser leaves the catalogue and its URLs redirect to the winner. */
export interface ProgrammeMerge {
  loserId: string
  winnerId: string
  mergedBy: string
  mergedAt: string
}

/** The back office's curation as the catalogue service reads it at each rebuild. */
export interface CurationSource {
  overrides(): Promise<ProgrammeOverride[]>
  createdProgrammes(): Promise<CreatedProgramme[]>
  merges(): Promise<ProgrammeMerge[]>
}

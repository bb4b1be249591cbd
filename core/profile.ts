// The collectivité profile (who asks) and the project facts (what for). Geography fills the
// profile; the dialogue or the API fills the project facts. The evaluator reads both.
import type { ApplicantType, EpciKind, Zone } from './applicants.ts'
import type { ClosedListId } from './closed-lists.ts'
import type { Stage } from './programme.ts'
import type { ThemeId } from './themes.ts'

export type CollectiviteType = 'commune' | 'epci' | 'departement' | 'region'

export interface CollectiviteProfile {
  type: CollectiviteType
  name: string
  /** INSEE code (commune, département, région) or SIREN (EPCI). */
  code: string
  /** Municipal population (communes), total population (EPCI); undefined for départements and régions when not known. */
  population?: number
  departement?: { code: string; name: string }
  region?: { code: string; name: string }
  zone: Zone
  /** The commune's EPCI, or for an EPCI its own kind. */
  epci?: { siren: string; name: string; kind: EpciKind }
  /** Postal codes of a commune. */
  postalCodes?: string[]
}

export interface ProjectFacts {
  /** Who applies; defaults to the collectivité's own type. */
  applicantType?: ApplicantType
  themes?: ThemeId[]
  stage?: Stage
  /** Budget of the project in euros. */
  budget?: number
  /** ISO 3166-1 alpha-2 code of the partner country (coopération décentralisée). */
  partnerCountry?: string
  /** Closed-list memberships the collectivité has told us: true member, false not member. */
  closedLists?: Partial<Record<ClosedListId, boolean>>
}

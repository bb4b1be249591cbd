// The collectivité profile (who asks) and the project facts (what for). Geography fills the
// profile; the dialogue or the API fills the project facts. The evaluator reads both.
import type { ApplicantType, EpciKind, SyndicatKind, Zone } from './applicants.ts'
import type { ClosedListId } from './closed-lists.ts'
import { EU_COUNTRIES, EUROPEAN_NON_EU } from './countries.ts'
import type { PrerequisiteId } from './prerequisites.ts'
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
  /** For an EPCI: its most populous member commune (the « commune-centre » of the DETR rule). */
  centre?: { code: string; name: string; population: number }
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
  /** Themes the project is known NOT to be about (a « non » to « le projet porte-t-il sur … ? »). */
  notThemes?: ThemeId[]
  /** Population of the applicant when it is not the collectivité of the profile (a syndicat, a PETR). */
  applicantPopulation?: number
  syndicatKind?: SyndicatKind
  /** Density of the applicant EPCI, inhabitants per km² (the geography has no areas: told). */
  density?: number
  /** Where the project is carried out; see `projectLocation` for the default. */
  location?: 'france' | 'abroad'
  /** Other foreign partners' countries (ISO alpha-2), besides `partnerCountry`. */
  partnerCountries?: string[]
  /** Whether the project has partners in other countries (« non » excludes programmes that require them). */
  foreignPartners?: boolean
  /** Number of French collectivités taking part, the applicant included. */
  frenchPartners?: number
  /** Prerequisites the collectivité has told us: true done, false not done. */
  prerequisites?: Partial<Record<PrerequisiteId, boolean>>
}


/**
 * Where the project takes place, as far as it is known: what was said; else abroad when a partner
 * is outside Europe, or the project is one of decentralised cooperation (carried out in the
 * partner's territory); else unknown — a project with no partner named is carried out in France
 * for every programme that funds French projects, but a cooperation programme still needs its
 * partner country.
 */
export function projectLocation(facts: ProjectFacts): 'france' | 'abroad' | undefined {
  if (facts.location) return facts.location
  if (allPartnerCountries(facts).some((c) => !EU_COUNTRIES.has(c) && !EUROPEAN_NON_EU.has(c))) return 'abroad'
  return facts.themes?.includes('cooperation_internationale') ? 'abroad' : undefined
}

/** Every foreign partner country known, the main one first. */
export function allPartnerCountries(facts: ProjectFacts): string[] {
  const out = facts.partnerCountry ? [facts.partnerCountry] : []
  for (const c of facts.partnerCountries ?? []) if (!out.includes(c)) out.push(c)
  return out
}

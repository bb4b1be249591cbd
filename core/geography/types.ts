// The geography's types: the Etalab records as @etalab/decoupage-administratif ships them, and the
// public API (Geography, its results) that geography.ts composes and re-exports.
import type { EpciKind, Zone } from '../applicants.ts'
import type { CollectiviteProfile, CollectiviteType } from '../profile.ts'

// ---------------------------------------------------------------------------------------------
// Etalab data, as found in @etalab/decoupage-administratif/data/*.json (v6)

export type EtalabCommuneType = 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal'

export interface EtalabCommune {
  code: string
  nom: string
  type: EtalabCommuneType
  zone: Zone
  departement: string
  region: string
  arrondissement?: string
  typeLiaison?: number
  rangChefLieu?: number
  siren?: string
  codesPostaux?: string[]
  /** Population municipale. */
  population?: number
  /** Codes of the communes merged into this one (commune nouvelle). */
  anciensCodes?: string[]
  /** Commune déléguée / associée: the code of the commune it now belongs to. */
  chefLieu?: string
  /** Arrondissement municipal: the code of its commune (Paris, Lyon, Marseille). */
  commune?: string
}

export interface EtalabEpciMember {
  code: string
  siren: string
  nom: string
  populationTotale?: number
  populationMunicipale?: number
}

export interface EtalabEpci {
  /** SIREN. */
  code: string
  nom: string
  type: EpciKind
  modeFinancement?: string
  populationTotale: number
  populationMunicipale: number
  membres: EtalabEpciMember[]
}

export interface EtalabDepartement {
  code: string
  nom: string
  region: string
  chefLieu?: string
  typeLiaison?: number
  zone: Zone
}

export interface EtalabRegion {
  code: string
  nom: string
  chefLieu?: string
  typeLiaison?: number
  zone: Zone
}

export interface GeographyData {
  communes: readonly EtalabCommune[]
  epci: readonly EtalabEpci[]
  departements: readonly EtalabDepartement[]
  regions: readonly EtalabRegion[]
}

// ---------------------------------------------------------------------------------------------
// Public API

export type MatchKind = 'exact' | 'variant' | 'partial' | 'fuzzy'

export interface NameMatch {
  profile: CollectiviteProfile
  match: MatchKind
  /** Edits between the query and the name (0 for exact and variant matches). */
  distance: number
}

/** A "did you mean": label reads "Vézelay (89)"; code is the INSEE code, SIREN or département/région code. */
export interface Suggestion {
  label: string
  code: string
  type: CollectiviteType
}

export type Resolution =
  | { kind: 'found'; profile: CollectiviteProfile }
  | { kind: 'ambiguous'; candidates: CollectiviteProfile[] }
  | { kind: 'notFound'; suggestions: Suggestion[] }
/** Same as Resolution (the name bot/api uses). */
export type ResolveResult = Resolution

export interface Geography {
  /** A current commune by INSEE code; an old, delegated or associated commune's code, or a Paris/Lyon/Marseille arrondissement's, gives the commune it belongs to now. */
  communeByInsee(code: string): CollectiviteProfile | undefined
  /** Every current commune served by a postal code, most populous first. */
  communesByPostalCode(postalCode: string): CollectiviteProfile[]
  /** An EPCI à fiscalité propre by SIREN. */
  epciBySiren(siren: string): CollectiviteProfile | undefined
  /** By code ("89", "2A", "974", "5" for "05") or name ("yonne", "Côte-d'Or", "Réunion"). */
  departement(codeOrName: string): CollectiviteProfile | undefined
  /** By code ("76", "04") or name ("occitanie", "PACA"). */
  region(codeOrName: string): CollectiviteProfile | undefined
  /**
   * Current communes whose name matches, best first (exact, variant, then fuzzy; then fewer edits,
   * then larger population). Every exact and variant match is returned; fuzzy ones fill up to
   * `limit` (default 10). An unknown `departement` (code or name) gives no result.
   */
  findCommunes(name: string, opts?: { departement?: string; limit?: number }): NameMatch[]
  /** EPCI by name, abbreviations understood ("com com du Pays de…", "agglo de…", "CA…", "Métropole de…"). */
  findEpci(name: string, opts?: { limit?: number }): NameMatch[]
  /**
   * One entry point for whatever a user typed: INSEE code, postal code, SIREN (or SIRET), département
   * code or name, région name, EPCI name, commune name optionally qualified by a département,
   * région or postal code ("Saint-Denis (93)", "Saint-Denis, La Réunion", "Vézelay 89").
   * Explicit prefixes remove the doubt: "insee 18200", "cp 18200", "siren …", "région 76", "département 76".
   */
  resolve(input: string): Resolution
  /**
   * A collectivité by its code — the one code-to-collectivité resolver. With a type, the code is read
   * as that kind's: an INSEE code for a commune (an old, delegated or associated commune's, or an
   * arrondissement's, gives today's commune), a SIREN for an EPCI, a département or région code (their
   * lookups also take a name, as departement() and region() do). Without one, the kind is read from
   * the code (COLLECTIVITE_CODE): an INSEE code, a SIREN, « region:27 », else a département code
   * (« 89 », « departement:89 »); case does not matter.
   */
  byCode(code: string, type?: CollectiviteType): CollectiviteProfile | undefined
}

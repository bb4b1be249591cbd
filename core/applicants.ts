// Applicant types: who may apply to a programme. The profile's own type (commune, epci,
// departement, region) is one of them; the others cover the groupings and bodies that
// programmes name (syndicats, PETR, associations of collectivités…).

export const APPLICANT_TYPES = {
  commune: { label: 'Commune', plural: 'communes' },
  epci: { label: 'Intercommunalité (EPCI à fiscalité propre)', plural: 'intercommunalités' },
  syndicat: { label: 'Syndicat de communes ou syndicat mixte', plural: 'syndicats' },
  petr: { label: 'PETR ou pays', plural: 'PETR' },
  departement: { label: 'Département', plural: 'départements' },
  region: { label: 'Région', plural: 'régions' },
  collectivite_outre_mer: { label: "Collectivité d'outre-mer", plural: "collectivités d'outre-mer" },
  etablissement_public: { label: 'Établissement public (CCAS, SDIS, office…)', plural: 'établissements publics' },
  groupement_collectivites: { label: 'Groupement ou association de collectivités (GIP, association d\'élus)', plural: 'groupements de collectivités' },
  association: { label: 'Association', plural: 'associations' },
  entreprise: { label: 'Entreprise ou bailleur', plural: 'entreprises' },
} as const

export type ApplicantType = keyof typeof APPLICANT_TYPES
export const APPLICANT_TYPE_IDS = Object.keys(APPLICANT_TYPES) as [ApplicantType, ...ApplicantType[]]

/** Kinds of EPCI à fiscalité propre, as Etalab names them (MET69 is the Métropole de Lyon). */
export const EPCI_KINDS = ['CC', 'CA', 'CU', 'METRO', 'MET69'] as const
export type EpciKind = (typeof EPCI_KINDS)[number]

/** Kinds of syndicat that programmes single out (a syndicat d'énergie is often also a syndicat mixte). */
export const SYNDICAT_KINDS = ['communes', 'mixte', 'energie', 'eau'] as const
export type SyndicatKind = (typeof SYNDICAT_KINDS)[number]
export const SYNDICAT_KIND_LABELS: Record<SyndicatKind, string> = {
  communes: 'syndicat de communes (SIVU, SIVOM)',
  mixte: 'syndicat mixte',
  energie: "syndicat d'énergie",
  eau: "syndicat d'eau ou d'assainissement",
}

export const ZONES = ['metro', 'drom', 'com'] as const
export type Zone = (typeof ZONES)[number]
export const ZONE_LABELS: Record<Zone, string> = {
  metro: 'métropole',
  drom: 'outre-mer (DROM)',
  com: "collectivité d'outre-mer",
}

// Applicant labels as the sources write them ("Communes", "Intercommunalités / Pays",
// "Collectivité Territoriale & Entité Affiliée", ADEME's SCA2…) → core/applicants.ts ids.
// Audiences Guichet does not serve (particuliers, agriculteurs, recherche) are set aside, not
// errors; a label nobody knows is returned so the parser can report it.
import type { ApplicantType } from '../../core/applicants.ts'
import { fold } from './text.ts'

export const COLLECTIVITE_TYPES: readonly ApplicantType[] = ['commune', 'epci', 'departement', 'region']
export const UNSPECIFIED_APPLICANTS_CONDITION = 'Publics éligibles non précisés par la source : à vérifier'

const EXACT: Record<string, readonly ApplicantType[]> = {
  communes: ['commune'],
  commune: ['commune'],
  'intercommunalites / pays': ['epci', 'petr'],
  'intercommunalite / pays': ['epci', 'petr'],
  'epci a fiscalite propre': ['epci'],
  departements: ['departement'],
  departement: ['departement'],
  regions: ['region'],
  region: ['region'],
  "collectivites d'outre-mer a statuts particuliers": ['collectivite_outre_mer'],
  'collectivite territoriale': COLLECTIVITE_TYPES,
  'collectivites territoriales': COLLECTIVITE_TYPES,
  'collectivites - institutions - gip': [...COLLECTIVITE_TYPES, 'groupement_collectivites', 'etablissement_public'],
  'collectivite territoriale & entite affiliee': [...COLLECTIVITE_TYPES, 'syndicat', 'groupement_collectivites'],
  'collectivite ou etablissement public': [...COLLECTIVITE_TYPES, 'etablissement_public'],
  "etablissements publics (ecoles, bibliotheques…) / services de l'etat": ['etablissement_public'],
  "etablissements publics (ecoles, bibliotheques...) / services de l'etat": ['etablissement_public'],
  'etablissements publics (ecoles, bibliotheques…)': ['etablissement_public'],
  "etablissements publics - services de l'etat": ['etablissement_public'],
  'administration etat & entite affiliee': ['etablissement_public'],
  'entreprises publiques locales (sem, spl, semop)': ['entreprise'],
  associations: ['association'],
  association: ['association'],
  'association & ong': ['association'],
  'entreprises privees': ['entreprise'],
  entreprise: ['entreprise'],
  entreprises: ['entreprise'],
  "gie - groupement d'interet economique": ['entreprise', 'association'],
  // ADEME Agir cible_projet codes (AT mapping table).
  sca1: ['association'],
  sca2: [...COLLECTIVITE_TYPES, 'etablissement_public'],
  sca3: ['entreprise'],
}

/** Audiences that exist but are not Guichet applicants. */
const NOT_SERVED = /^(particuliers?|agriculteurs?|exploitants?|recherche|sca4|organismes? de recherche|laboratoire de recherche|etudiants?|lyceens?|apprentis?|jeunes? actifs?|demandeurs? d'emploi|ecoles d'enseignement superieur culture|artistes?|auteurs?)$/

const CONTAINS: [RegExp, readonly ApplicantType[]][] = [
  [/collectivit/, COLLECTIVITE_TYPES],
  [/\bcommunes?\b/, ['commune']],
  [/intercommunal|\bepci\b|communaute/, ['epci']],
  [/syndicat/, ['syndicat']],
  [/\bpetr\b|\bpays\b/, ['petr']],
  [/departement/, ['departement']],
  [/\bregions?\b/, ['region']],
  [/outre-mer/, ['collectivite_outre_mer']],
  [/\bgip\b|groupement de collectivites/, ['groupement_collectivites']],
  [/etablissements? publics?|services? de l'etat|\bccas\b|\bsdis\b/, ['etablissement_public']],
  [/association|\bong\b|fondation/, ['association']],
  [/entreprise|\bpme\b|start-up|bailleur|\bsem\b/, ['entreprise']],
]

export interface ApplicantMapping {
  applicants: ApplicantType[]
  /** Labels Guichet knows and does not serve (particuliers…). */
  setAside: string[]
  /** Labels nobody recognised: report them. */
  unknown: string[]
}

export function applicantsFromLabels(labels: readonly string[]): ApplicantMapping {
  const applicants = new Set<ApplicantType>()
  const setAside: string[] = []
  const unknown: string[] = []
  for (const label of labels) {
    const key = fold(label).replace(/\s+/g, ' ').trim()
    if (!key) continue
    const exact = EXACT[key]
    if (exact) {
      exact.forEach((a) => applicants.add(a))
      continue
    }
    if (NOT_SERVED.test(key)) {
      setAside.push(label)
      continue
    }
    let found = false
    for (const [re, ids] of CONTAINS) {
      if (!re.test(key)) continue
      ids.forEach((a) => applicants.add(a))
      found = true
    }
    if (!found) unknown.push(label)
  }
  // Keep the order of core/applicants.ts so records are stable.
  const order: ApplicantType[] = ['commune', 'epci', 'syndicat', 'petr', 'departement', 'region', 'collectivite_outre_mer', 'etablissement_public', 'groupement_collectivites', 'association', 'entreprise']
  return { applicants: order.filter((a) => applicants.has(a)), setAside, unknown }
}

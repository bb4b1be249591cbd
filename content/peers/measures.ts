// The Fonds vert 2023 measures (« démarches » on demarches-simplifiees.fr, `numero_demarche_ds` of
// the open data) and the Guichet themes (core/themes.ts) each one funds. The first theme is the
// measure's own; a second one is added only where the measure's text funds that too. Written by
// hand from what each measure finances (its name in the data set, the Fonds vert's published
// descriptions), one line of justification each.
import type { ThemeId } from '../../core/themes.ts'

export interface Measure {
  /** The démarche number (stable id of the measure in the data set). */
  id: string
  /** The Fonds vert axis: 1 performance environnementale, 2 adaptation, 3 cadre de vie. */
  axe: 1 | 2 | 3
  label: string
  themes: readonly ThemeId[]
  /** Why these themes (what the measure funds). */
  why: string
}

export const MEASURES: readonly Measure[] = [
  { id: '69022', axe: 1, label: 'Rénovation des parcs de luminaires d’éclairage public', themes: ['eclairage_public'], why: 'replaces public lighting fixtures (LED, sobriety): exactly the eclairage_public theme' },
  { id: '69071', axe: 1, label: 'Rénovation énergétique des bâtiments publics locaux', themes: ['renovation_energetique', 'equipements_publics'], why: 'energy renovation (insulation, heating) of the collectivités’ public buildings' },
  { id: '69281', axe: 1, label: 'Soutien au tri à la source et à la valorisation des biodéchets', themes: ['dechets'], why: 'sorting and composting of bio-waste: the dechets (circular economy) theme' },
  { id: '67821', axe: 2, label: 'Renaturation des villes et des villages', themes: ['biodiversite', 'adaptation_climat'], why: 'de-sealing and greening against heat islands: renaturation (biodiversite) for adaptation' },
  { id: '69032', axe: 2, label: 'Appui aux collectivités de montagne soumises à des risques émergents', themes: ['adaptation_climat'], why: 'studies and works against mountain natural hazards (glacial, rockfall): risques naturels' },
  { id: '69272', axe: 2, label: 'Accompagnement pour l’adaptation des territoires littoraux au recul du trait de côte', themes: ['adaptation_climat'], why: 'coastal erosion (trait de côte), a synonym of adaptation_climat' },
  { id: '69275', axe: 2, label: 'Renforcement de la protection des bâtiments contre les vents cycloniques', themes: ['adaptation_climat'], why: 'overseas buildings reinforced against cyclones: natural risk adaptation' },
  { id: '69279', axe: 2, label: 'Prévention des risques d’incendies de forêt et de végétation', themes: ['adaptation_climat'], why: 'forest fire prevention (feux de forêt, a synonym of adaptation_climat)' },
  { id: '69280', axe: 2, label: 'Renforcement des aides apportées par les PAPI et appui financier aux collectivités, gestionnaires de digues, dans le cadre de la compétence GEMAPI', themes: ['adaptation_climat', 'eau_assainissement'], why: 'flood prevention programmes (PAPI) and dikes under the GEMAPI competence (inondation; gemapi is an eau_assainissement synonym)' },
  { id: '70885', axe: 2, label: 'Ingénierie', themes: ['ingenierie'], why: 'engineering and studies for the collectivités’ projects: the ingenierie theme' },
  { id: '68862', axe: 3, label: 'Recyclage foncier', themes: ['friches'], why: 'brownfield redevelopment (recyclage foncier is a friches synonym)' },
  { id: '69265', axe: 3, label: 'Accompagnement du déploiement des zones à faibles émissions mobilité (ZFE)', themes: ['mobilite'], why: 'low-emission zones and the mobility measures around them (zfe is a mobilite synonym)' },
  { id: '69278', axe: 3, label: 'Développement du covoiturage', themes: ['mobilite'], why: 'car-pooling areas and incentives (covoiturage is a mobilite synonym)' },
  { id: '69282', axe: 3, label: 'Accompagnement de la stratégie nationale biodiversité 2030', themes: ['biodiversite'], why: 'protected areas, species and habitats of the national biodiversity strategy' },
]

const BY_ID = new Map(MEASURES.map((m) => [m.id, m]))

export function measureById(id: string): Measure | undefined {
  return BY_ID.get(id)
}

/** The measures that fund a theme (own theme or second one). */
export function measuresOfTheme(theme: ThemeId): Measure[] {
  return MEASURES.filter((m) => m.themes.includes(theme))
}

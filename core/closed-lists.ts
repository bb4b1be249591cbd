// Closed lists: programmes open only to collectivités already selected by the State
// (lauréats). Their member lists are not shipped with Guichet, so membership is a fact
// the collectivité tells us; until it does, the evaluator answers `unknown` and names it.
// Some lists exclude each other (a town is never both in Action Cœur de Ville and Petites villes
// de demain): once one is answered « oui », the other is settled « non » (`exclusiveWith`).

export const CLOSED_LISTS = {
  action_coeur_de_ville: {
    label: 'Action Cœur de Ville',
    question: 'Votre commune est-elle retenue dans le programme Action Cœur de Ville ?',
    /** Only to order questions, never to decide: members are mostly towns of 20 000 to 100 000 hab. */
    typicalPopulation: { min: 15000 },
    exclusiveWith: ['petites_villes_de_demain'],
  },
  petites_villes_de_demain: {
    label: 'Petites villes de demain',
    question: 'Votre commune est-elle lauréate Petites villes de demain ?',
    typicalPopulation: { min: 1000, max: 20000 },
    exclusiveWith: ['action_coeur_de_ville'],
  },
  villages_avenir: {
    label: "Villages d'avenir",
    question: "Votre commune fait-elle partie des Villages d'avenir ?",
    typicalPopulation: { max: 3500 },
  },
  territoires_industrie: {
    label: "Territoires d'industrie",
    question: "Votre territoire est-il labellisé Territoires d'industrie ?",
    typicalPopulation: {},
  },
  crte: {
    label: 'Contrat pour la réussite de la transition écologique (CRTE)',
    question: 'Votre territoire a-t-il signé un CRTE avec l\'État ?',
    typicalPopulation: {},
  },
  leader_gal: {
    label: 'territoire d\'un groupe d\'action locale (GAL) LEADER',
    question: 'Votre commune est-elle dans le périmètre d\'un groupe d\'action locale (GAL) LEADER ?',
    /** 308 GAL cover about 82 % of the territory, mostly rural: large cities rarely. */
    typicalPopulation: { max: 30000 },
  },
  bfc_centralites_rurales: {
    label: 'centralités rurales retenues par la Région Bourgogne-Franche-Comté (C2R)',
    question: 'Votre commune fait-elle partie des centralités rurales retenues par la Région Bourgogne-Franche-Comté (C2R) ?',
    typicalPopulation: { min: 1000, max: 15000 },
  },
} as const satisfies Record<string, { label: string; question: string; typicalPopulation: { min?: number; max?: number }; exclusiveWith?: readonly string[] }>

export type ClosedListId = keyof typeof CLOSED_LISTS
export const CLOSED_LIST_IDS = Object.keys(CLOSED_LISTS) as [ClosedListId, ...ClosedListId[]]

/**
 * Membership as far as it is known: what the collectivité said, or « non » when it said « oui »
 * to a list this one excludes.
 */
export function closedListMembership(id: ClosedListId, told: Partial<Record<ClosedListId, boolean>> | undefined): boolean | undefined {
  const direct = told?.[id]
  if (direct !== undefined) return direct
  const list = CLOSED_LISTS[id] as { exclusiveWith?: readonly string[] }
  if (list.exclusiveWith?.some((other) => told?.[other as ClosedListId] === true)) return false
  return undefined
}

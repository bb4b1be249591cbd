// Closed lists: programmes open only to collectivités already selected by the State
// (lauréats). Their member lists are not shipped with Guichet, so membership is a fact
// the collectivité tells us; until it does, the evaluator answers `unknown` and names it.

export const CLOSED_LISTS = {
  action_coeur_de_ville: {
    label: 'Action Cœur de Ville',
    question: 'Votre commune est-elle retenue dans le programme Action Cœur de Ville ?',
    /** Only to order questions, never to decide: members are mostly towns of 20 000 to 100 000 hab. */
    typicalPopulation: { min: 15000 },
  },
  petites_villes_de_demain: {
    label: 'Petites villes de demain',
    question: 'Votre commune est-elle lauréate Petites villes de demain ?',
    typicalPopulation: { min: 1000, max: 20000 },
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
} as const

export type ClosedListId = keyof typeof CLOSED_LISTS
export const CLOSED_LIST_IDS = Object.keys(CLOSED_LISTS) as [ClosedListId, ...ClosedListId[]]

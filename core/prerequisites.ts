// Prerequisites: things a collectivité must already have done before it can apply (an adopted
// climate plan…). Guichet cannot look them up, so they are facts the collectivité tells us;
// until it does, a programme that requires one is « à confirmer » and the dialogue asks.

export const PREREQUISITES = {
  pcaet: {
    label: 'plan climat adopté (PCAET, ou plan d\'action climat-énergie SECAP de la Convention des maires)',
    question: 'Votre collectivité a-t-elle déjà adopté un plan climat (PCAET ou plan d\'action de la Convention des maires) ?',
  },
} as const

export type PrerequisiteId = keyof typeof PREREQUISITES
export const PREREQUISITE_IDS = Object.keys(PREREQUISITES) as [PrerequisiteId, ...PrerequisiteId[]]

// How a collectivité is named to a user: its label with what tells homonyms apart, and the
// "did you mean" suggestion made of it.
import type { CollectiviteProfile } from '../profile.ts'
import type { Suggestion } from './types.ts'

/**
 * "Vézelay (89)", "CA du Pays de Fontainebleau (77)", "Château-Chinon (Ville, 58)",
 * "Yonne (département 89)", "Occitanie (région)".
 */
export function profileLabel(p: CollectiviteProfile): string {
  switch (p.type) {
    case 'commune':
    case 'epci':
      if (!p.departement) return p.name
      return p.name.endsWith(')') ? `${p.name.slice(0, -1)}, ${p.departement.code})` : `${p.name} (${p.departement.code})`
    case 'departement':
      return `${p.name} (département ${p.code})`
    case 'region':
      return `${p.name} (région)`
  }
}

export function toSuggestion(p: CollectiviteProfile): Suggestion {
  return { label: profileLabel(p), code: p.code, type: p.type }
}

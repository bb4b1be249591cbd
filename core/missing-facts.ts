// The facts a programme's rules can need and that a collectivité may not have told yet: each
// with the French question that settles it. The evaluator names them (status « à confirmer »),
// the match results carry their questions, and the dialogue asks them.
import { CLOSED_LISTS, type ClosedListId } from './closed-lists.ts'
import { PREREQUISITES, type PrerequisiteId } from './prerequisites.ts'
import { THEMES, type ThemeId } from './themes.ts'

export type MissingFact =
  | 'collectivite'
  | 'applicantType'
  | 'population'
  | 'density'
  | 'syndicatKind'
  | 'partnerCountry'
  | 'foreignPartners'
  | 'partnerCountries'
  | 'frenchPartners'
  | 'budget'
  | 'themes'
  | `closedList:${ClosedListId}`
  | `prerequisite:${PrerequisiteId}`
  | `scope:${ThemeId}`

const QUESTIONS: Record<string, string> = {
  collectivite: 'Pour quelle collectivité ? (nom de la commune, de l\'intercommunalité, du département ou de la région)',
  applicantType: 'Qui portera le projet : la commune, l\'intercommunalité, un syndicat… ?',
  population: 'Combien d\'habitants compte le porteur du projet ?',
  density: 'La densité de votre intercommunalité dépasse-t-elle 150 habitants par km² ?',
  syndicatKind: 'De quel type de syndicat s\'agit-il (énergie, eau, syndicat mixte, syndicat de communes) ?',
  partnerCountry: 'Avec quel pays se fait la coopération ?',
  foreignPartners: 'Le projet associe-t-il des partenaires d\'autres pays ?',
  partnerCountries: 'De quels pays sont vos partenaires ?',
  frenchPartners: 'Combien de collectivités françaises participent au projet, la vôtre comprise ?',
  budget: 'Quel est le budget approximatif du projet ?',
  themes: 'Sur quoi porte précisément le projet ?',
}

/** The French question whose answer settles a missing fact. */
export function factQuestion(fact: MissingFact, scopeLabel?: string): string {
  if (fact.startsWith('closedList:')) return CLOSED_LISTS[fact.slice('closedList:'.length) as ClosedListId].question
  if (fact.startsWith('prerequisite:')) return PREREQUISITES[fact.slice('prerequisite:'.length) as PrerequisiteId].question
  if (fact.startsWith('scope:')) {
    const theme = fact.slice('scope:'.length) as ThemeId
    return `Le projet porte-t-il sur : ${scopeLabel ?? THEMES[theme].label.toLowerCase()} ?`
  }
  return QUESTIONS[fact] ?? 'Pouvez-vous préciser ?'
}

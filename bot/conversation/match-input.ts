// The dialogue state read as a matcher query: the project facts the answers settle, the words
// searched, and who applies (the collectivité itself, or another body on its territory).
import type { MatchInput } from '../../content/matching.ts'
import type { ProjectFacts } from '../../core/profile.ts'
import { THEMES } from '../../core/themes.ts'
import type { DialogueState } from './state.ts'

/** The applicant is another body than the collectivité of the profile (a syndicat for a commune). */
export function appliesAsOther(state: DialogueState): boolean {
  return !!state.applicantType && !!state.collectivite && state.applicantType !== state.collectivite.type
}

/**
 * The applicant's population when it is another body: as answered, or the figure said with an
 * unnamed collectivité (« syndicat des eaux de 85 000 habitants dans le Loiret »), which is the
 * syndicat's own — never an official commune's.
 */
export function applicantPopulation(state: DialogueState): number | undefined {
  if (state.applicantPopulation !== undefined) return state.applicantPopulation
  return appliesAsOther(state) && state.collectivite && !state.collectivite.code ? state.collectivite.population : undefined
}

/** What the matcher is asked for this state: the profile, the facts known, the project words and themes. */
export function matchInput(state: DialogueState): MatchInput {
  const facts: ProjectFacts = {
    ...(state.applicantType ? { applicantType: state.applicantType } : {}),
    themes: state.themes,
    ...(state.stage ? { stage: state.stage } : {}),
    ...(state.budget !== undefined ? { budget: state.budget } : {}),
    ...(state.partnerCountry ? { partnerCountry: state.partnerCountry } : {}),
    closedLists: state.closedLists,
    ...(state.notThemes?.length ? { notThemes: state.notThemes } : {}),
    ...(applicantPopulation(state) !== undefined ? { applicantPopulation: applicantPopulation(state) } : {}),
    ...(state.syndicatKind ? { syndicatKind: state.syndicatKind } : {}),
    ...(state.density !== undefined ? { density: state.density } : {}),
    ...(state.foreignPartners !== undefined ? { foreignPartners: state.foreignPartners } : {}),
    ...(state.partnerCountries?.length ? { partnerCountries: state.partnerCountries } : {}),
    ...(state.frenchPartners !== undefined ? { frenchPartners: state.frenchPartners } : {}),
    ...(state.prerequisites ? { prerequisites: state.prerequisites } : {}),
    ...(state.location ? { location: state.location } : {}),
  }
  const q = [...state.terms, ...state.themes.map((t) => THEMES[t].label)].join(' ')
  return {
    ...(state.collectivite ? { profile: state.collectivite } : {}),
    facts,
    ...(q ? { q } : {}),
    ...(state.themes.length ? { themes: state.themes } : {}),
    limit: 15,
    excludedLimit: 0,
  }
}

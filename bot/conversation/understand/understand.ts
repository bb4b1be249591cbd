// Understanding one message of a mayor, without a language model: every detector of this folder
// run over one shared reading of the text (text.ts), in an order that lets the more specific
// ones take their words first (a commune's name, a partner country's "une ville du Sénégal", a
// closed list's "Petites villes de demain" are not also applicants or project words). Pure: the
// geography and the date are given, nothing is read or written.
import { detectApplicant } from './applicant.ts'
import { detectBudget } from './amount.ts'
import { detectClosedLists } from './closed-lists.ts'
import { detectCollectivite } from './collectivite.ts'
import { detectPartnerCountries, EU_COUNTRIES } from './country.ts'
import { detectForeignPartners, detectPrerequisites, detectProjectLocation, detectSyndicatKind } from './project-facts.ts'
import { detectIntents } from './intents.ts'
import { detectStage } from './stage.ts'
import { analyse } from './text.ts'
import { detectThemes } from './themes.ts'
import { detectTiming } from './timing.ts'
import type { SlotName, Understanding } from './types.ts'
import type { ApplicantDetection } from './applicant.ts'
import type { ApplicantType } from '../../../core/applicants.ts'
import type { Geography } from '../../../core/geography/geography.ts'

export interface UnderstandContext {
  geography: Geography
  /** The question the dialogue just asked, if any: a bare answer ("Vézelay", "300 000") is read as that fact. */
  expectedSlot?: SlotName
  /** YYYY-MM-DD, for relative timings ("avant l'été"); defaults to the current date. */
  today?: string
}

export function understand(text: string, ctx: UnderstandContext): Understanding {
  const t = analyse(text)
  // Where the project takes place, read before the partner country takes its words.
  const location = detectProjectLocation(t)
  // The partner country first: "une ville du Sénégal" is no commune of ours.
  const partnerCountries = detectPartnerCountries(t)
  const partnerCountry = partnerCountries[0]
  const { collectivite, applicantHint, bodyName } = detectCollectivite(t, ctx)
  const closedLists = detectClosedLists(t)
  const syndicatKind = detectSyndicatKind(t)
  const applicantType = chooseApplicant(detectApplicant(t), applicantHint, syndicatKind !== undefined)
  const { themes, terms } = detectThemes(t, bodyName ? { background: bodyName } : {})
  if (partnerCountry) {
    // A partner abroad is a cooperation project, European inside the Union.
    const theme = EU_COUNTRIES.has(partnerCountry) ? 'cooperation_europeenne' : 'cooperation_internationale'
    if (!themes.add.includes(theme) && !themes.remove.includes(theme)) themes.add.push(theme)
  }
  const stage = detectStage(t)
  const budget = detectBudget(t, ctx)
  const timing = detectTiming(t, ctx)
  const { intents, whyAbout } = detectIntents(t)
  const prerequisites = detectPrerequisites(t)
  const foreignPartners = partnerCountry ? true : detectForeignPartners(t)
  return {
    ...(collectivite && { collectivite }),
    ...(applicantType && { applicantType }),
    themes,
    terms,
    ...(stage && { stage }),
    ...(budget !== undefined && { budget }),
    ...(timing && { timing }),
    ...(partnerCountry && { partnerCountry, partnerCountries }),
    ...(closedLists && { closedLists }),
    ...(syndicatKind && { syndicatKind }),
    ...(prerequisites && { prerequisites }),
    ...(foreignPartners !== undefined && { foreignPartners }),
    ...(location && { location }),
    intents,
    ...(whyAbout !== undefined && { whyAbout }),
  }
}

/**
 * Who applies: the words that say it, else the cue that named the collectivité. A body named by
 * its cue ("Communauté d'agglomération de X", "syndicat d'énergie du Cher") is not undone by a
 * commune word said in passing ("la commune de Monéteau sera reliée"); an identity frame
 * ("c'est la commune qui porte") is. A syndicat's acronym the vocabulary lacks ("SDE18") still
 * makes a syndicat.
 */
function chooseApplicant(said: ApplicantDetection | undefined, hint: ApplicantType | undefined, syndicatNamed: boolean): ApplicantType | undefined {
  if (said && hint && hint !== 'commune' && said.type === 'commune' && said.score < 3) return hint
  if (syndicatNamed && (!said || (said.score < 3 && said.type === 'commune'))) return 'syndicat'
  return said?.type ?? hint
}

export type { CollectiviteUnderstanding, Intent, SlotName, Timing, Understanding } from './types.ts'
export { INTENTS, detectIntents, type DetectedIntents } from './intents.ts'
export { detectCollectivite, type CollectiviteContext, type CollectiviteDetection } from './collectivite.ts'
export { detectApplicant, detectApplicantType, type ApplicantDetection } from './applicant.ts'
export { detectThemes, findThemeWords, type ThemeHit, type ThemesAndTerms } from './themes.ts'
export { detectStage } from './stage.ts'
export { detectBudget, findAmounts, parseAmount, type AmountMatch } from './amount.ts'
export { detectPopulation, type PopulationMention } from './population.ts'
export { detectTiming } from './timing.ts'
export { detectPartnerCountry, EU_COUNTRIES } from './country.ts'
export { detectClosedLists } from './closed-lists.ts'
export { detectForeignPartners, detectPrerequisites, detectProjectLocation, detectSyndicatKind, type ProjectLocation } from './project-facts.ts'
export { markNegations, negatedWords } from './negation.ts'
export { findTerritoryHints, type TerritoryHint } from './territory.ts'
export { analyse, type Text, type Token } from './text.ts'

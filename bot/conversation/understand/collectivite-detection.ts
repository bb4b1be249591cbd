// One reading of a message for its collectivité (collectivite.ts and its cue readers share it): the
// context, what the reading answers, and the state it carries from step to step — the applicant
// type the cues named so far, and a « du département de … » kept for when nothing else is named.
import type { ApplicantType } from '../../../core/applicants.ts'
import type { Geography } from '../../../core/geography/geography.ts'
import type { TerritoryHint } from './territory.ts'
import { consume, type Text } from './text.ts'
import type { CollectiviteUnderstanding, SlotName } from './types.ts'

export interface CollectiviteContext {
  geography: Geography
  expectedSlot?: SlotName
}

export interface CollectiviteDetection {
  collectivite?: CollectiviteUnderstanding
  /** The applicant type the cue itself names ("maire de" → commune, "com com" → epci), if any. */
  applicantHint?: ApplicantType
  /** The tokens of a body's own name (« syndicat des eaux », « SIVU scolaire »), from its head to its territory. */
  bodyName?: readonly [number, number]
}

export interface Detection {
  readonly text: Text
  readonly geo: Geography
  readonly ctx: CollectiviteContext
  /** The applicant type named so far, if any. */
  applicantHint?: ApplicantType
  /** "du département de l'Isère": who speaks, when no other collectivité is named (step 5b). */
  ofDepartement?: { outcome: CollectiviteUnderstanding; from: number; to: number; hint: ApplicantType }
}

/** The reading's answer: the collectivité, its tokens (and its qualifier's) consumed. */
export function done(d: Detection, collectivite: CollectiviteUnderstanding, from: number, to: number, hint?: TerritoryHint): CollectiviteDetection {
  consume(d.text, from, to)
  if (hint) consume(d.text, hint.start, hint.end)
  // A collectivité d'outre-mer (Saint-Barthélemy, Polynésie française…) named as such applies as one,
  // not as the région or département the geography files it under.
  if (collectivite.kind === 'found' && collectivite.profile.zone === 'com' && collectivite.profile.type !== 'commune' && (!d.applicantHint || d.applicantHint === 'region')) {
    d.applicantHint = 'collectivite_outre_mer'
  }
  return { collectivite, ...(d.applicantHint && { applicantHint: d.applicantHint }) }
}

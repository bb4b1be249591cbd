// The shapes understanding produces: what the dialogue reads from one message.
import type { ApplicantType, SyndicatKind } from '../../../core/applicants.ts'
import type { PrerequisiteId } from '../../../core/prerequisites.ts'
import type { ClosedListId } from '../../../core/closed-lists.ts'
import type { CollectiviteProfile } from '../../../core/profile.ts'
import type { Stage } from '../../../core/programme.ts'
import type { ThemeId } from '../../../core/themes.ts'
import type { Intent } from './intents.ts'
import type { Timing } from './timing.ts'

export type { Intent } from './intents.ts'
export type { Timing } from './timing.ts'

/** The question the dialogue just asked: a bare answer is read as that fact ("400" after "combien d'habitants ?"). */
export type SlotName = 'collectivite' | 'applicantType' | 'themes' | 'stage' | 'budget' | 'timing' | 'partnerCountry' | 'closedList' | 'population' | 'scope' | 'foreignPartners' | 'partnerCountries' | 'frenchPartners' | 'prerequisite' | 'density' | 'syndicatKind'

export type CollectiviteUnderstanding =
  /** `corrected`: the name as typed, when a typo was corrected ("Vezelai" → Vézelay): the dialogue may confirm. */
  | { kind: 'found'; profile: CollectiviteProfile; corrected?: string }
  | { kind: 'ambiguous'; query: string; candidates: CollectiviteProfile[] }
  | { kind: 'notFound'; query: string; suggestions: { label: string; code: string }[] }
  /** "commune de 400 hab. dans l'Yonne": what is known without a name. */
  /** `type`: the kind of body described when the words say it (« une communauté de communes de 12 000 habitants » → epci); its population is that body's own. */
  | { kind: 'partial'; population?: number; departement?: CollectiviteProfile; region?: CollectiviteProfile; type?: 'commune' | 'epci' | 'departement' | 'region' }

export interface Understanding {
  collectivite?: CollectiviteUnderstanding
  applicantType?: ApplicantType
  themes: { add: ThemeId[]; remove: ThemeId[] }
  /** Project words that matter for search (e.g. "wifi", "école", "LED"), and ones the user negated. */
  terms: { add: string[]; remove: string[] }
  stage?: Stage
  /** Euros. */
  budget?: number
  timing?: Timing
  /** ISO 3166-1 alpha-2: the main partner country (the first named). */
  partnerCountry?: string
  /** Every partner country named, the main one first ("partenaires Allemagne et Italie" → DE, IT). */
  partnerCountries?: string[]
  closedLists?: Partial<Record<ClosedListId, boolean>>
  syndicatKind?: SyndicatKind
  prerequisites?: Partial<Record<PrerequisiteId, boolean>>
  /** Where a cooperation project takes place, when the message says it: « construire un puits au Mali », « là-bas » → abroad; « chez nous », « en France » → france. */
  location?: 'abroad' | 'france'
  /** Partners abroad: true when a partner country or foreign partners are named, false for « sans partenaire étranger ». */
  foreignPartners?: boolean
  intents: Intent[]
  /** What a "pourquoi …" is about, as typed ("DETR" in "pourquoi la DETR ?"). */
  whyAbout?: string
}

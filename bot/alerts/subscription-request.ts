// The body of POST /api/subscriptions: validated with zod, strict (an unknown field is named),
// every error naming its field. The collectivité is a code, resolved through the geography.
import { z } from 'zod'
import { APPLICANT_TYPE_IDS } from '../../core/applicants.ts'
import { ValidationError } from '../../core/errors.ts'
import { COLLECTIVITE_CODE, type Geography } from '../../core/geography/geography.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { MAX_LEAD_DAYS, NEW_CALLS_FREQUENCIES } from './subscription.ts'

export const MAX_SUBSCRIPTION_BODY_BYTES = 8192

export const SubscriptionRequestSchema = z
  .object({
    collectivite: z
      .string()
      .trim()
      .regex(COLLECTIVITE_CODE, 'code attendu : INSEE de la commune (5 caractères), SIREN de l\'intercommunalité (9 chiffres), code du département (ex. 89) ou region:<code> (ex. region:27)')
      .describe('Code INSEE, SIREN, code de département ou region:<code>'),
    applicantType: z.enum(APPLICANT_TYPE_IDS, { error: `type de porteur inconnu; valeurs admises : ${APPLICANT_TYPE_IDS.join(', ')}` }).optional(),
    themes: z.array(z.enum(THEME_IDS, { error: 'thème inconnu (voir GET /api/themes)' })).max(20).optional(),
    programmes: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'identifiant de programme invalide').max(120)).max(100).optional(),
    channels: z
      .object({
        email: z.string().trim().max(254).optional(),
        webhookUrl: z.string().trim().max(2000).optional(),
        teamsConversationId: z.string().min(1).max(512).optional(),
      })
      .strict(),
    leadTimes: z
      .array(z.number({ error: 'nombre de jours attendu' }).int('nombre entier de jours attendu').min(1, 'au moins 1 jour').max(MAX_LEAD_DAYS, `au plus ${MAX_LEAD_DAYS} jours`))
      .min(1)
      .max(6)
      .optional(),
    newCalls: z.enum(NEW_CALLS_FREQUENCIES, { error: 'daily, weekly ou off' }).optional(),
  })
  .strict()

export type SubscriptionRequest = z.infer<typeof SubscriptionRequestSchema>

/** The collectivité named by a code; a code nobody knows is a 400 on `collectivite`. */
export function resolveCollectiviteCode(geography: Geography, raw: string): CollectiviteProfile {
  const profile = geography.byCode(raw)
  if (!profile) throw new ValidationError([{ field: 'collectivite', message: `collectivité inconnue : « ${raw} »` }])
  return profile
}

// The /api/match query: validated with zod, every error naming its field.
import { z } from 'zod'
import { APPLICANT_TYPE_IDS, SYNDICAT_KINDS } from '../../core/applicants.ts'
import { CLOSED_LIST_IDS } from '../../core/closed-lists.ts'
import { COMMUNE_CODE } from '../../core/codes.ts'
import { CouncilCalendarText } from '../../core/council-calendar.ts'
import { PREREQUISITE_IDS } from '../../core/prerequisites.ts'
import { STAGES } from '../../core/programme.ts'
import { THEME_IDS } from '../../core/themes.ts'

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(1000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(40))

/** A number as people type it: « 250 000 € », « 1,5 », « 30000 ». */
const frenchNumber = (error: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.') : v), z.coerce.number({ error }))

export const MatchQuerySchema = z
  .object({
    commune: z.string().trim().min(1).max(120).optional().describe('Code INSEE, code postal ou nom de la commune'),
    epci: z.string().trim().min(1).max(160).optional().describe('SIREN ou nom de l\'intercommunalité'),
    departement: z.string().trim().min(1).max(80).optional().describe('Code ou nom du département'),
    region: z.string().trim().min(1).max(80).optional().describe('Code ou nom de la région'),
    applicant: z.enum(APPLICANT_TYPE_IDS, { error: `type de porteur inconnu; valeurs admises : ${APPLICANT_TYPE_IDS.join(', ')}` }).optional(),
    themes: csv(z.enum(THEME_IDS, { error: 'thème inconnu (voir GET /api/themes)' })).optional(),
    q: z.string().trim().max(500).optional().describe('Le projet en texte libre'),
    stage: z.enum(STAGES, { error: `étape inconnue; valeurs admises : ${STAGES.join(', ')}` }).optional(),
    partnerCountry: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres attendu (ex. SN)')
      .optional(),
    member: csv(z.enum(CLOSED_LIST_IDS, { error: 'liste fermée inconnue' })).optional().describe('Listes dont la collectivité est membre'),
    notMember: csv(z.enum(CLOSED_LIST_IDS, { error: 'liste fermée inconnue' })).optional().describe('Listes dont elle n\'est pas membre'),
    budget: frenchNumber('budget en euros attendu (nombre)').pipe(z.number().positive('budget positif attendu').max(1e11)).optional().describe('Coût total du projet, en euros'),
    population: frenchNumber('population attendue (nombre)')
      .pipe(z.number().int('population entière attendue').positive('population positive attendue').max(1e8))
      .optional()
      .describe('Population du porteur quand il n\'est pas la collectivité donnée (ex. un syndicat)'),
    members: csv(z.string().regex(COMMUNE_CODE, 'code INSEE de commune attendu')).optional().describe('Communes membres du porteur (syndicat) : sa population en est la somme'),
    syndicatKind: z.enum(SYNDICAT_KINDS, { error: `type de syndicat inconnu; valeurs admises : ${SYNDICAT_KINDS.join(', ')}` }).optional(),
    density: z.coerce.number({ error: 'densité attendue (hab./km²)' }).positive().max(1e6).optional().describe('Densité de l\'intercommunalité, hab./km²'),
    location: z.enum(['france', 'abroad'], { error: 'lieu du projet : france ou abroad' }).optional(),
    partners: z.enum(['yes', 'no'], { error: 'partners : yes ou no' }).optional().describe('Le projet a-t-il des partenaires étrangers ?'),
    partnerCountries: csv(z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres attendu')).optional().describe('Pays des autres partenaires'),
    frenchPartners: z.coerce.number({ error: 'nombre attendu' }).int().positive().max(40000).optional().describe('Collectivités françaises participantes, porteur compris'),
    notThemes: csv(z.enum(THEME_IDS, { error: 'thème inconnu (voir GET /api/themes)' })).optional().describe('Thèmes sur lesquels le projet ne porte pas'),
    prerequisites: csv(z.enum(PREREQUISITE_IDS, { error: 'prérequis inconnu' })).optional().describe('Prérequis remplis (ex. pcaet)'),
    missingPrerequisites: csv(z.enum(PREREQUISITE_IDS, { error: 'prérequis inconnu' })).optional().describe('Prérequis non remplis'),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    councilCalendar: CouncilCalendarText.optional().describe('Calendrier du conseil de la collectivité (« deuxième jeudi du mois » ou dates AAAA-MM-JJ) pour le rétroplanning des délibérations'),
    councilMarginDays: z.coerce.number({ error: 'nombre de jours attendu' }).int('nombre entier attendu').min(0, '0 au moins').max(60, '60 au plus').optional().describe('Jours entre le vote du conseil et la délibération exécutoire'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const given = (['commune', 'epci', 'departement', 'region'] as const).filter((k) => q[k] !== undefined)
    if (given.length === 0) ctx.addIssue({ code: 'custom', path: ['commune'], message: 'indiquez commune, epci, departement ou region' })
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `un seul territoire à la fois (${given.join(' et ')} donnés)` })
  })

export type MatchQuery = z.infer<typeof MatchQuerySchema>

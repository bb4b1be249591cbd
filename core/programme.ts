// The Programme model: one funding programme or call, as curated files, crawled sources,
// search documents, chat replies and alerts all speak it. Defined once, with zod; the
// French `describe()` texts guide the editors of content/programmes/*.yaml.
import { z } from 'zod'
import { APPLICANT_TYPE_IDS, EPCI_KINDS, ZONES } from './applicants.ts'
import { CLOSED_LIST_IDS } from './closed-lists.ts'
import { THEME_IDS } from './themes.ts'

export const LEVELS = ['eu', 'national', 'regional', 'departemental', 'international', 'other'] as const
export const LEVEL_LABELS: Record<(typeof LEVELS)[number], string> = {
  eu: 'Union européenne',
  national: 'État et opérateurs nationaux',
  regional: 'Région',
  departemental: 'Département',
  international: 'Coopération internationale',
  other: 'Autre',
}

export const INSTRUMENTS = ['grant', 'loan', 'advance', 'engineering', 'call_for_projects', 'label', 'contract', 'voucher', 'other'] as const
export const INSTRUMENT_LABELS: Record<(typeof INSTRUMENTS)[number], string> = {
  grant: 'Subvention',
  loan: 'Prêt',
  advance: 'Avance remboursable',
  engineering: 'Ingénierie',
  call_for_projects: 'Appel à projets',
  label: 'Label ou programme de l\'État',
  contract: 'Contrat',
  voucher: 'Coupon',
  other: 'Autre',
}

export const STAGES = ['etude', 'travaux', 'fonctionnement'] as const
export const STAGE_LABELS: Record<(typeof STAGES)[number], string> = {
  etude: 'études et conception',
  travaux: 'travaux et investissement',
  fonctionnement: 'fonctionnement',
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date au format AAAA-MM-JJ attendue')
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'jour de l\'année au format MM-JJ attendu')
const url = z.url({ protocol: /^https?$/, error: 'URL http(s) absolue attendue' })
const text = z.string().trim().min(1, 'texte vide')
const inseeCode = z.string().regex(/^(\d{5}|2[AB]\d{3})$/, 'code INSEE de commune attendu')
const deptCode = z.string().regex(/^(\d{2,3}|2[AB])$/, 'code de département attendu')
const regionCode = z.string().regex(/^\d{2,3}$/, 'code de région attendu')
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'code pays ISO 3166-1 alpha-2 attendu (ex. SN)')

export const PopulationRuleSchema = z
  .object({
    applicants: z.array(z.enum(APPLICANT_TYPE_IDS)).min(1).describe('Types de porteurs concernés par ce seuil'),
    zone: z.enum(ZONES).optional().describe('Zone concernée (metro, drom, com); absent = toutes'),
    min: z.number().int().nonnegative().optional().describe('Population minimale (incluse)'),
    max: z.number().int().positive().optional().describe('Population maximale'),
    maxInclusive: z.boolean().default(true).describe('false si le texte dit « moins de » (plafond exclu)'),
    conditionalAbove: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Au-delà de ce seuil, éligible seulement sous une condition à vérifier (condition)'),
    condition: text.optional().describe('Condition à vérifier au-delà de conditionalAbove'),
  })
  .strict()
  .refine((r) => r.min !== undefined || r.max !== undefined || r.conditionalAbove !== undefined, {
    message: 'un seuil (min, max ou conditionalAbove) est requis',
  })
  .refine((r) => (r.conditionalAbove === undefined) === (r.condition === undefined), {
    message: 'conditionalAbove et condition vont ensemble',
    path: ['condition'],
  })

export const TerritorySchema = z
  .object({
    label: text.describe('La zone en clair, ex. « Région Occitanie »'),
    zones: z.array(z.enum(ZONES)).min(1).optional().describe('Zones admises; absent = toutes'),
    regions: z.array(regionCode).min(1).optional().describe('Codes INSEE des régions admises'),
    departements: z.array(deptCode).min(1).optional().describe('Codes des départements admis'),
    communes: z.array(inseeCode).min(1).optional().describe('Codes INSEE des communes admises'),
    excludedRegions: z.array(regionCode).optional(),
    excludedDepartements: z.array(deptCode).optional(),
  })
  .strict()

export const PartnerCountrySchema = z
  .object({
    label: text.describe('Le partenaire exigé, en clair'),
    countries: z.array(countryCode).min(1).optional().describe('Pays admis; absent = tout pays (voir group)'),
    group: z.enum(['oda']).optional().describe('oda = pays éligibles à l\'aide publique au développement (liste CAD)'),
  })
  .strict()

export const EligibilitySchema = z
  .object({
    applicants: z.array(z.enum(APPLICANT_TYPE_IDS)).min(1).describe('Types de porteurs admis'),
    epciKinds: z.array(z.enum(EPCI_KINDS)).min(1).optional().describe('Catégories d\'EPCI admises; absent = toutes'),
    population: z.array(PopulationRuleSchema).default([]).describe('Seuils de population par type de porteur et zone'),
    territory: TerritorySchema.optional(),
    closedList: z.enum(CLOSED_LIST_IDS).optional().describe('Liste fermée de lauréats à laquelle il faut appartenir'),
    excludedClosedLists: z.array(z.enum(CLOSED_LIST_IDS)).default([]).describe('Listes dont les membres sont exclus'),
    partnerCountry: PartnerCountrySchema.optional().describe('Coopération: collectivité partenaire étrangère exigée'),
    stages: z.array(z.enum(STAGES)).min(1).optional().describe('Étapes de projet financées; absent = toutes'),
    conditions: z.array(text).default([]).describe('Conditions que Guichet ne peut pas trancher: restent « à vérifier »'),
  })
  .strict()

export const AidSchema = z
  .object({
    rateMin: z.number().min(0).max(100).optional().describe('Taux minimal de subvention, en %'),
    rateMax: z.number().min(0).max(100).optional().describe('Taux maximal de subvention, en %'),
    amountMin: z.number().nonnegative().optional().describe('Montant minimal, en euros'),
    amountMax: z.number().nonnegative().optional().describe('Montant maximal, en euros'),
    notes: text.optional().describe('Ce qu\'il faut savoir sur le montant, en français'),
  })
  .strict()
  .refine((a) => a.rateMin === undefined || a.rateMax === undefined || a.rateMin <= a.rateMax, {
    message: 'rateMin dépasse rateMax',
    path: ['rateMin'],
  })
  .refine((a) => a.amountMin === undefined || a.amountMax === undefined || a.amountMin <= a.amountMax, {
    message: 'amountMin dépasse amountMax',
    path: ['amountMin'],
  })

export const EditionSchema = z
  .object({
    label: text.optional().describe('Nom de l\'édition, ex. « 2024 » ou « 2024-2026 »'),
    opensAt: isoDate.optional(),
    deadlines: z.array(isoDate).default([]).describe('Date(s) limite(s) de dépôt de cette édition, dans l\'ordre'),
    estimated: z.boolean().default(false).describe('true si les dates sont des estimations'),
  })
  .strict()
  .refine((e) => e.deadlines.every((d, i, all) => i === 0 || all[i - 1]! <= d), {
    message: 'les dates limites doivent être dans l\'ordre',
    path: ['deadlines'],
  })
  .refine((e) => !e.opensAt || e.deadlines.length === 0 || e.opensAt <= e.deadlines[0]!, {
    message: 'l\'ouverture est postérieure à la date limite',
    path: ['opensAt'],
  })

export const CALENDAR_KINDS = ['permanent', 'oneOff', 'recurring', 'ended'] as const

export const CalendarSchema = z
  .object({
    kind: z
      .enum(CALENDAR_KINDS)
      .describe('permanent = guichet sans date limite; oneOff = appel unique; recurring = appel qui revient; ended = programme terminé'),
    editions: z.array(EditionSchema).default([]).describe('Éditions connues, de la plus ancienne à la plus récente'),
    typicalWindow: z
      .object({
        opens: monthDay.describe('Ouverture habituelle, MM-JJ'),
        closes: monthDay.describe('Clôture habituelle, MM-JJ (peut tomber l\'année suivante)'),
      })
      .strict()
      .optional()
      .describe('Fenêtre habituelle d\'un appel récurrent, quand elle est connue'),
    note: text.optional().describe('Le calendrier en clair (ex. « dates fixées par chaque préfecture »)'),
  })
  .strict()

export const UncertainSchema = z
  .object({
    field: z
      .enum(['eligibility', 'population', 'territory', 'aid', 'calendar', 'links', 'existence', 'partnerCountry'])
      .describe('Partie de la fiche concernée'),
    note: text.describe('Ce qui est incertain, en français'),
  })
  .strict()

export const ProvenanceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('curated'), sources: z.array(url).min(1) }).strict(),
  z
    .object({
      kind: z.literal('crawled'),
      sourceId: text,
      originUrl: url,
      fetchedAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
])

export const ProgrammeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'identifiant en minuscules, chiffres, _ ou -'),
    name: text.describe('Nom officiel'),
    shortName: text.optional().describe('Sigle ou nom court (DETR, FICOL…)'),
    funders: z.array(text).min(1).describe('Financeurs'),
    level: z.enum(LEVELS),
    instruments: z.array(z.enum(INSTRUMENTS)).min(1),
    summary: text.describe('Résumé en français, rédigé pour un maire'),
    themes: z.array(z.enum(THEME_IDS)).min(1).describe('Thèmes de la taxonomie Guichet'),
    keywords: z.array(text).default([]).describe('Mots-clés de recherche supplémentaires'),
    eligibility: EligibilitySchema,
    aid: AidSchema.default({}),
    calendar: CalendarSchema,
    links: z
      .object({
        official: url.describe('Page officielle'),
        apply: url.optional().describe('Page de dépôt'),
      })
      .strict(),
    provenance: ProvenanceSchema,
    verifiedAt: isoDate.optional().describe('Date de la dernière vérification des faits'),
    uncertain: z.array(UncertainSchema).default([]).describe('Ce qui reste incertain: affiché comme tel'),
    statusNote: text.optional().describe('Actualité du programme (fusion annoncée, fin…)'),
  })
  .strict()

export type Programme = z.infer<typeof ProgrammeSchema>
export type ProgrammeInput = z.input<typeof ProgrammeSchema>
export type Level = (typeof LEVELS)[number]
export type Instrument = (typeof INSTRUMENTS)[number]
export type Stage = (typeof STAGES)[number]
export type PopulationRule = z.infer<typeof PopulationRuleSchema>
export type Eligibility = z.infer<typeof EligibilitySchema>
export type Calendar = z.infer<typeof CalendarSchema>
export type Edition = z.infer<typeof EditionSchema>
export type Aid = z.infer<typeof AidSchema>

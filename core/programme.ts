// The Programme model: one funding programme or call, as curated files, crawled sources,
// search documents, chat replies and alerts all speak it. Defined once, with zod; the
// French `describe()` texts guide the editors of content/programmes/*.yaml.
import { z } from 'zod'
import { APPLICANT_TYPE_IDS, EPCI_KINDS, SYNDICAT_KINDS, ZONES } from './applicants.ts'
import { CLOSED_LIST_IDS } from './closed-lists.ts'
import { COMMUNE_CODE, DEPARTEMENT_CODE, SIREN } from './codes.ts'
import { PREREQUISITE_IDS } from './prerequisites.ts'
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
const inseeCode = z.string().regex(COMMUNE_CODE, 'code INSEE de commune attendu')
const deptCode = z.string().regex(DEPARTEMENT_CODE, 'code de département attendu')
const regionCode = z.string().regex(/^\d{2,3}$/, 'code de région attendu')
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'code pays ISO 3166-1 alpha-2 attendu (ex. SN)')
const sirenCode = z.string().regex(SIREN, 'SIREN à 9 chiffres attendu')

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
    unlessAboveMax: z
      .object({
        centreMax: z.number().int().positive().optional().describe('…sauf si la commune la plus peuplée (commune-centre) compte au plus ce nombre d\'habitants (calculé depuis la géographie)'),
        densityMax: z.number().positive().optional().describe('…ou si la densité est d\'au plus ce nombre d\'hab./km² (demandée : la géographie n\'a pas les superficies)'),
      })
      .strict()
      .refine((u) => u.centreMax !== undefined || u.densityMax !== undefined, { message: 'centreMax ou densityMax attendu' })
      .optional()
      .describe('Au-delà de max, le porteur reste éligible si l\'une de ces conditions tient (ex. règle DETR des EPCI de plus de 75 000 hab.)'),
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
    communes: z.array(inseeCode).min(1).optional().describe('Codes INSEE des communes admises (avec epcis : l\'une ou l\'autre liste suffit)'),
    epcis: z.array(sirenCode).min(1).optional().describe('SIREN des intercommunalités admises (ex. la métropole d\'une ville retenue)'),
    excludedRegions: z.array(regionCode).optional(),
    excludedDepartements: z.array(deptCode).optional(),
    excludedEpciKinds: z
      .array(z.enum(EPCI_KINDS))
      .min(1)
      .optional()
      .describe('« Hors métropole » : catégories d\'EPCI exclues — une commune membre d\'un tel EPCI, ou l\'EPCI lui-même, est écartée'),
  })
  .strict()

export const PartnerCountrySchema = z
  .object({
    label: text.describe('Le partenaire exigé, en clair'),
    countries: z.array(countryCode).min(1).optional().describe('Pays admis; absent = tout pays (voir group)'),
    excludedCountries: z
      .array(countryCode)
      .min(1)
      .optional()
      .describe('Pays exclus (ex. pays couverts par un appel bilatéral conjoint) : un partenariat avec eux est écarté'),
    group: z.enum(['oda']).optional().describe('oda = pays éligibles à l\'aide publique au développement (liste CAD)'),
  })
  .strict()

export const AdmittedSchema = z
  .object({
    label: text.describe('Qui est admis, en clair (ex. « Collectivité de Corse »)'),
    regions: z.array(regionCode).min(1).optional().describe('Régions (collectivités à statut particulier) admises même si « region » n\'est pas un type admis'),
    departements: z.array(deptCode).min(1).optional(),
    epcis: z.array(sirenCode).min(1).optional().describe('Intercommunalités admises même si « epci » n\'est pas un type admis'),
    communes: z.array(inseeCode).min(1).optional(),
  })
  .strict()

export const ScopeSchema = z
  .object({
    label: text.describe('Le champ du programme, en clair : « bâtiments scolaires (écoles, collèges, lycées) »'),
    themes: z
      .array(z.enum(THEME_IDS))
      .min(1)
      .describe('Le projet doit porter sur l\'un de ces thèmes; un projet connu pour porter sur autre chose est écarté'),
    openThemes: z
      .array(z.enum(THEME_IDS))
      .default([])
      .describe('Thèmes qui laissent la question ouverte (une rénovation énergétique peut viser une école) : Guichet demande alors'),
    excludedThemes: z.array(z.enum(THEME_IDS)).default([]).describe('Thèmes hors champ même s\'ils touchent un thème admis (ex. Wi-Fi public pour un programme 5G)'),
  })
  .strict()

export const BudgetRuleSchema = z
  .object({
    min: z.number().positive().optional().describe('Coût total minimal du projet, en euros'),
    max: z.number().positive().optional().describe('Coût total maximal du projet, en euros'),
    basis: text.describe('D\'où vient le seuil (ex. « subvention minimale de 200 000 € : un projet plus petit ne peut pas la recevoir »)'),
  })
  .strict()
  .refine((b) => b.min !== undefined || b.max !== undefined, { message: 'min ou max attendu' })

export const PartnersRuleSchema = z
  .object({
    label: text.describe('Le partenariat exigé, en clair'),
    foreign: z.boolean().default(false).describe('true = au moins un partenaire d\'un autre pays est exigé'),
    countries: z.array(countryCode).min(1).optional().describe('Au moins un partenaire de l\'un de ces pays (ex. ES, AD pour un programme transfrontalier)'),
    minCountries: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe('Nombre de pays du partenariat, France comprise : se constitue au dépôt, donc rappelé « à vérifier » tant que les pays ne sont pas tous connus'),
    minFrenchCollectivites: z.number().int().min(2).optional().describe('Nombre minimal de collectivités françaises participantes, porteur compris'),
    minPartners: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe('Nombre minimal de partenaires du réseau ou du consortium : se constitue au dépôt, rappelé « à vérifier »'),
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
    admitted: z.array(AdmittedSchema).default([]).describe('Collectivités admises en plus des types de porteurs (statuts particuliers, villes retenues)'),
    syndicatKinds: z.array(z.enum(SYNDICAT_KINDS)).min(1).optional().describe('Types de syndicats admis (energie, eau, mixte, communes); absent = tous'),
    scope: ScopeSchema.optional().describe('Champ du projet : ce que le programme finance (les thèmes classent, le champ décide)'),
    location: z
      .enum(['france', 'abroad'])
      .optional()
      .describe('Lieu du projet : france = réalisé en France (un partenariat européen compte comme tel), abroad = réalisé à l\'étranger, chez le partenaire hors d\'Europe'),
    budget: BudgetRuleSchema.optional().describe('Taille du projet exigée, comparée au budget donné par la collectivité'),
    partners: PartnersRuleSchema.optional().describe('Partenaires exigés : consortium européen, partenaire transfrontalier, collectivités françaises'),
    prerequisites: z.array(z.enum(PREREQUISITE_IDS)).default([]).describe('Prérequis que la collectivité doit déjà remplir (ex. plan climat adopté) : demandés'),
    conditions: z.array(text).default([]).describe('Conditions que Guichet ne peut pas trancher: restent « à vérifier »'),
  })
  .strict()
  .describe(
    'Règles d\'éligibilité, évaluées par une seule fonction (core/eligibility.ts). Chaque règle décidable écarte le programme quand elle échoue (avec sa raison) ' +
      'et le laisse « à confirmer » quand le fait qui la décide manque (Guichet pose alors la question) ; « éligible » veut dire que toutes les règles décidables ' +
      'passent sur des faits connus, disponibilité du jour comprise. Ce qu\'aucun programme ne peut trancher va dans conditions (« à vérifier »), ' +
      'avec un commentaire « # Undecidable: » qui dit pourquoi. Chaque règle décidable est illustrée dans examples, dans les deux sens.',
  )

export const AidSchema = z
  .object({
    rateMin: z.number().min(0).max(100).optional().describe('Taux minimal de subvention, en %'),
    rateMax: z.number().min(0).max(100).optional().describe('Taux maximal de subvention, en %'),
    amountMin: z.number().nonnegative().optional().describe('Montant minimal, en euros'),
    amountMax: z.number().nonnegative().optional().describe('Montant maximal, en euros'),
    notes: text.optional().describe('Ce qu\'il faut savoir sur le montant, en français'),
    rateByPartnerCategory: z
      .object({
        ldc: z.number().min(0).max(100).optional().describe('Taux maximal avec un pays parmi les moins avancés'),
        oda: z.number().min(0).max(100).optional().describe('Taux maximal avec un autre pays éligible à l\'APD'),
        other: z.number().min(0).max(100).optional().describe('Taux maximal avec un pays non éligible à l\'APD'),
        multiCountry: z.number().min(0).max(100).optional().describe('Taux maximal d\'un projet multi-pays'),
        basis: text.describe('La règle et son année (« règles 2025 du MEAE »)'),
      })
      .strict()
      .optional()
      .describe('Plafond de cofinancement selon la catégorie du pays partenaire : le taux affiché est celui du pays donné'),
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
    final: z.boolean().optional().describe('true si cette édition est annoncée comme la dernière'),
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
    cycle: z
      .enum(['annual', 'irregular'])
      .optional()
      .describe('Pour un appel récurrent (absent = annual) : annual = une édition par an (ou selon l\'écart observé), attendue tant qu\'aucune n\'a été manquée ; irregular = appels sans rythme fixe, rien n\'est attendu tant qu\'un appel n\'est pas annoncé'),
    note: text.optional().describe('Le calendrier en clair (ex. « dates fixées par chaque préfecture »)'),
  })
  .strict()

export const SuspensionSchema = z
  .object({
    from: isoDate.describe('Suspendu depuis (AAAA-MM-JJ)'),
    until: isoDate.optional().describe('Reprise annoncée (AAAA-MM-JJ)'),
    themes: z.array(z.enum(THEME_IDS)).min(1).optional().describe('Seule la partie du programme sur ces thèmes est suspendue; absent = tout le programme'),
    note: text.describe('Ce qui est suspendu, en français'),
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

/** The rules the evaluator applies, each named in reasons, examples and the back office. */
export const RULE_NAMES = ['availability', 'applicant', 'epciKind', 'syndicatKind', 'territory', 'population', 'closedList', 'partnerCountry', 'partners', 'stage', 'scope', 'budget', 'prerequisite'] as const
export type RuleName = (typeof RULE_NAMES)[number]

/**
 * One example of a programme file: a short profile and project, a date, and the status the
 * programme's facts give it. The test suite and the back office replay every example through
 * the evaluator; an exclusion names the rule that excludes.
 */
export const ProgrammeExampleSchema = z
  .object({
    about: text.describe('Le cas en une phrase (« Commune de 800 hab. de l\'Yonne, rénovation de l\'école »)'),
    commune: inseeCode.optional().describe('La collectivité : code INSEE d\'une commune…'),
    epci: sirenCode.optional().describe('…ou SIREN d\'une intercommunalité…'),
    departement: deptCode.optional().describe('…ou code d\'un département…'),
    region: regionCode.optional().describe('…ou code d\'une région'),
    applicant: z.enum(APPLICANT_TYPE_IDS).optional().describe('Qui dépose, s\'il diffère de la collectivité (syndicat, groupement…)'),
    applicantPopulation: z.number().int().positive().optional().describe('Population du porteur quand ce n\'est pas la collectivité (syndicat)'),
    syndicatKind: z.enum(SYNDICAT_KINDS).optional(),
    density: z.number().positive().optional().describe('Densité de l\'EPCI, hab./km²'),
    themes: z.array(z.enum(THEME_IDS)).optional().describe('Ce sur quoi porte le projet'),
    notThemes: z.array(z.enum(THEME_IDS)).optional().describe('Ce sur quoi le projet ne porte pas (réponse « non »)'),
    stage: z.enum(STAGES).optional(),
    budget: z.number().positive().optional().describe('Coût du projet, euros'),
    location: z.enum(['france', 'abroad']).optional(),
    partnerCountry: countryCode.optional(),
    partnerCountries: z.array(countryCode).optional(),
    foreignPartners: z.boolean().optional(),
    frenchPartners: z.number().int().positive().optional(),
    closedLists: z.partialRecord(z.enum(CLOSED_LIST_IDS), z.boolean()).optional(),
    prerequisites: z.partialRecord(z.enum(PREREQUISITE_IDS), z.boolean()).optional(),
    date: isoDate.describe('Le jour du cas (la disponibilité en dépend)'),
    expect: z.enum(['eligible', 'unknown', 'ineligible']).describe('eligible, unknown (à confirmer) ou ineligible (écarté)'),
    rule: z.enum(RULE_NAMES).optional().describe('Pour un cas écarté : la règle qui écarte ; pour un cas à confirmer : la règle dont le fait manque'),
  })
  .strict()
  .refine((e) => [e.commune, e.epci, e.departement, e.region].filter(Boolean).length <= 1, { message: 'une seule collectivité par exemple', path: ['commune'] })
  .refine((e) => e.expect === 'eligible' || e.rule !== undefined, { message: 'un cas écarté ou à confirmer nomme sa règle', path: ['rule'] })

export type ProgrammeExample = z.infer<typeof ProgrammeExampleSchema>

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
    adopted: z
      .boolean()
      .default(true)
      .describe('false = mesure seulement proposée (ex. article d\'un projet de loi de finances) : jamais présentée comme obtenable'),
    suspension: SuspensionSchema.optional().describe('Suspension datée : le programme (ou la partie désignée) est écarté pendant la suspension'),
    examples: z.array(ProgrammeExampleSchema).default([]).describe('Exemples de profils avec le statut attendu : rejoués par les tests et le back office'),
  })
  .strict()

export type Programme = z.infer<typeof ProgrammeSchema>
export type Scope = z.infer<typeof ScopeSchema>
export type PartnersRule = z.infer<typeof PartnersRuleSchema>
export type Suspension = z.infer<typeof SuspensionSchema>
export type ProgrammeInput = z.input<typeof ProgrammeSchema>
export type Level = (typeof LEVELS)[number]
export type Instrument = (typeof INSTRUMENTS)[number]
export type Stage = (typeof STAGES)[number]
export type PopulationRule = z.infer<typeof PopulationRuleSchema>
export type Eligibility = z.infer<typeof EligibilitySchema>
export type Calendar = z.infer<typeof CalendarSchema>
export type Edition = z.infer<typeof EditionSchema>
export type Aid = z.infer<typeof AidSchema>

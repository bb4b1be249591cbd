// The schema of a declarative page source, `content/sources/<id>.yaml`: a page URL, CSS selectors
// and a field mapping, crawled with no code. English camelCase keys, French descriptions for the
// editors (like content/programmes).
import { z } from 'zod'
import { APPLICANT_TYPE_IDS } from '../../core/applicants.ts'
import { literalDestinationProblem } from '../../core/outbound.ts'
import { INSTRUMENTS, LEVELS } from '../../core/programme.ts'
import { THEME_IDS } from '../../core/themes.ts'

const selector = z.string().trim().min(1, 'sélecteur CSS vide')

/** A field: a CSS selector (text of the first match), or the long form. */
export const FieldSchema = z.union([
  selector,
  z
    .object({
      selector: selector.describe('Sélecteur CSS, relatif à l\'élément de la fiche'),
      attr: z.string().optional().describe('Attribut à lire (ex. href) au lieu du texte'),
      all: z.boolean().default(false).describe('true : toutes les correspondances (listes de publics, de thèmes)'),
      split: z.string().optional().describe('Séparateur pour découper un texte en liste (ex. « , »)'),
    })
    .strict(),
])

export const DeclarativeSourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'identifiant en minuscules, chiffres ou -').describe('Identifiant de la source (nom du fichier)'),
    label: z.string().trim().min(1).describe('Nom lisible de la source'),
    enabled: z.boolean().default(true).describe('false : la source n\'est jamais collectée (exemple, brouillon); le test sur la page enregistrée reste possible'),
    url: z
      .url({ protocol: /^https?$/ })
      // An address literal in a private, loopback or metadata range (any spelling) is refused here; a
      // name resolving to one is refused when saved in the back office and at each crawl (runtime/node/outbound-guard.ts).
      .superRefine((url, ctx) => {
        const problem = literalDestinationProblem(url)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      })
      .describe('Page à lire (adresse publique)'),
    politenessMs: z.number().int().min(1000).default(5000).describe('Délai minimal entre deux requêtes, en ms'),
    funders: z.array(z.string().trim().min(1)).min(1).describe('Financeur(s) des aides de cette page'),
    level: z.enum(LEVELS),
    instruments: z.array(z.enum(INSTRUMENTS)).min(1).default(['grant']),
    fallbackTheme: z.enum(THEME_IDS).default('developpement_economique').describe('Thème retenu quand aucun mot de la fiche ne correspond'),
    applicants: z.array(z.enum(APPLICANT_TYPE_IDS)).optional().describe('Publics admis quand la page ne les dit pas'),
    territory: z.string().optional().describe('Territoire en clair (ex. « Drôme »)'),
    calendarKind: z.enum(['permanent', 'oneOff', 'recurring']).optional().describe('Nature du calendrier; absent = déduit des dates'),
    item: selector.optional().describe('Sélecteur d\'une fiche quand la page en liste plusieurs; absent = la page est une fiche'),
    fields: z
      .object({
        name: FieldSchema.describe('Nom de l\'aide'),
        id: FieldSchema.optional().describe('Identifiant stable; absent = le lien ou le nom'),
        link: FieldSchema.optional().describe('Lien vers la page de l\'aide (absent = l\'URL de la page)'),
        summary: FieldSchema.optional(),
        deadline: FieldSchema.optional().describe('Date limite (date ou phrase en français)'),
        opensAt: FieldSchema.optional().describe('Date d\'ouverture'),
        window: FieldSchema.optional().describe('Phrase donnant la fenêtre (« du 1er mars au 6 mai 2024 »)'),
        applicants: FieldSchema.optional().describe('Publics éligibles, en clair'),
        categories: FieldSchema.optional().describe('Thématiques, en clair'),
        amount: FieldSchema.optional().describe('Montant ou taux, en clair'),
      })
      .strict(),
  })
  .strict()

export type DeclarativeSource = z.infer<typeof DeclarativeSourceSchema>
export type FieldSpec = z.infer<typeof FieldSchema>

// The collectivité's own share in a financing plan: the legal minimum of CGCT art. L1111-10 III
// (the maître d'ouvrage pays at least 20 % of the total public funding of its investment
// project) and its exceptions. An exception the facts settle is applied; one that rests on a
// prefect's decision or on facts Guichet cannot read is named « possible — à vérifier » and the
// 20 % stays in the plan. Nothing here is a guess: each exception cites its text.
import type { Level } from './programme.ts'
import type { ThemeId } from './themes.ts'
import type { CollectiviteType } from './profile.ts'
import type { Zone } from './applicants.ts'

export const OWN_SHARE_ARTICLE = 'CGCT, art. L1111-10, III'
export const OWN_SHARE_RULE_TEXT =
  'Toute collectivité territoriale ou tout groupement, maître d\'ouvrage d\'une opération d\'investissement, assure une participation minimale ' +
  'de 20 % du montant total des financements apportés par des personnes publiques à ce projet.'
/** The default minimum, as a share of the total public funding. */
export const OWN_SHARE_MINIMUM = 0.2

export type ExceptionId = 'outre_mer' | 'monument_protege' | 'calamite' | 'renouvellement_urbain' | 'corse' | 'fonds_europeens'

export interface OwnShareException {
  id: ExceptionId
  /** applies: the law sets the minimum aside, the plan uses it; possible: a derogation may be granted or the case may apply — à vérifier. */
  status: 'applies' | 'possible'
  label: string
  citation: string
}

export interface RuleFacts {
  collectivite: { type: CollectiviteType; code: string; zone: Zone; departement?: { code: string } }
  themes: readonly ThemeId[]
  /** Levels of the aids in the plan (an EU fund is one of them). */
  levels: readonly Level[]
  /** Told by the collectivité: the project repairs damage from a public calamity. */
  calamity?: boolean
  /** Told by the collectivité: the project restores a monument protected under the code du patrimoine. */
  protectedMonument?: boolean
}

export interface OwnShareRule {
  article: string
  text: string
  /** The minimum the plan applies, as a share of the total public funding (0.2, or 0 where the law sets it aside). */
  minimumRate: number
  exceptions: OwnShareException[]
}

/** The overseas collectivités the first sentence of L1111-10 III leaves out (INSEE départements and COM codes). */
const OVERSEAS_CODES: Record<string, string> = {
  '971': 'Guadeloupe',
  '972': 'Martinique',
  '973': 'Guyane',
  '974': 'La Réunion',
  '976': 'Mayotte',
  '975': 'Saint-Pierre-et-Miquelon',
  '977': 'Saint-Barthélemy',
  '978': 'Saint-Martin',
}

function overseasTerritory(f: RuleFacts): string | undefined {
  const codes = [f.collectivite.departement?.code, f.collectivite.code.slice(0, 3)]
  for (const c of codes) if (c && OVERSEAS_CODES[c]) return OVERSEAS_CODES[c]
  return undefined
}

/** The exceptions the facts point to, each with its citation. */
export function ownShareExceptions(f: RuleFacts): OwnShareException[] {
  const out: OwnShareException[] = []
  const overseas = overseasTerritory(f)
  if (overseas) {
    out.push({
      id: 'outre_mer',
      status: 'applies',
      label: `Collectivité d'outre-mer (${overseas}) : la participation minimale de 20 % ne s'applique pas.`,
      citation: 'CGCT, art. L1111-10, III, premier alinéa (« À l\'exception des collectivités territoriales et groupements de Guadeloupe, de Guyane, de La Réunion, de Martinique, de Mayotte, de Saint-Barthélemy, de Saint-Martin et de Saint-Pierre-et-Miquelon »)',
    })
  } else if (f.collectivite.zone !== 'metro') {
    out.push({ id: 'outre_mer', status: 'possible', label: 'Collectivité d\'outre-mer : exception possible — à vérifier (la liste de l\'article ne la nomme pas).', citation: 'CGCT, art. L1111-10, III, premier alinéa' })
  }
  if (f.protectedMonument || f.themes.includes('culture_patrimoine')) {
    out.push({
      id: 'monument_protege',
      status: 'possible',
      label: `${f.protectedMonument ? 'Rénovation' : 'Si le projet est la rénovation'} d'un monument protégé au titre du code du patrimoine : le préfet de département peut déroger aux 20 % — à demander.`,
      citation: 'CGCT, art. L1111-10, III (monuments protégés, « sauf dérogation accordée par le représentant de l\'État dans le département »)',
    })
  }
  if (f.calamity) {
    out.push({
      id: 'calamite',
      status: 'possible',
      label: 'Réparation de dégâts causés par une calamité publique : le préfet de département peut déroger aux 20 %, au vu de l\'importance des dégâts et de la capacité financière de la collectivité — à demander.',
      citation: 'CGCT, art. L1111-10, III (calamités publiques)',
    })
  }
  if (f.themes.includes('revitalisation_centre') || f.themes.includes('logement')) {
    out.push({
      id: 'renouvellement_urbain',
      status: 'possible',
      label: 'Opération du programme national de rénovation urbaine : exception possible — à vérifier.',
      citation: 'CGCT, art. L1111-10, III, « sans préjudice de l\'application de l\'article 9 de la loi n° 2003-710 du 1er août 2003 »',
    })
  }
  const corsica = f.collectivite.departement?.code === '2A' || f.collectivite.departement?.code === '2B'
  if (corsica && (f.collectivite.type === 'commune' || f.collectivite.type === 'epci')) {
    out.push({
      id: 'corse',
      status: 'possible',
      label: 'Commune ou intercommunalité de Corse (eau potable, assainissement, déchets, protection contre les incendies de forêt, voirie communale) : exception possible — à vérifier.',
      citation: 'CGCT, art. L1111-10, III (dispositions propres à la Corse)',
    })
  }
  if (f.levels.includes('eu')) {
    out.push({
      id: 'fonds_europeens',
      status: 'possible',
      label: 'Projet cofinancé par des fonds européens : exception possible — à vérifier (règles propres au programme européen).',
      citation: 'CGCT, art. L1111-10, III',
    })
  }
  return out
}

/** The rule the plan applies: 20 % of the total public funding unless an exception applies for certain. */
export function ownShareRule(f: RuleFacts): OwnShareRule {
  const exceptions = ownShareExceptions(f)
  const setAside = exceptions.some((e) => e.status === 'applies')
  return { article: OWN_SHARE_ARTICLE, text: OWN_SHARE_RULE_TEXT, minimumRate: setAside ? 0 : OWN_SHARE_MINIMUM, exceptions }
}

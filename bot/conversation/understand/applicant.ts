// Who applies (core/applicants.ts), from the words a mayor uses: "commune", "mairie", "village",
// "com com", "CC", "agglo", "métropole", "SIVU", "syndicat mixte", "PETR", "conseil départemental",
// "association", "CCAS"… Places are not applicants: "dans le département", "en région", "centre-ville",
// "Petites villes de demain" are blocked. When several types are said, one in an identity frame
// ("c'est un EPCI", "nous sommes une association", "je représente le syndicat") wins, then a named
// type over the implicit "maire"; on a tie, the last said (corrections come last). Ruled-out types
// ("ce n'est pas une commune") never win. Communes as the project's object ("relie les communes",
// "pour chaque commune", any plural) are not the applicant.
import type { ApplicantType } from '../../../core/applicants.ts'
import { PhraseMatcher, type PhraseSpec } from './phrases.ts'
import { asText, type Text } from './text.ts'

interface ApplicantWord {
  type: ApplicantType
  /** 1 implicit ("maire"), 2 named ("commune"). */
  weight: 1 | 2
  /** Counts only in an identity frame ("nous sommes un pays"). */
  framedOnly?: boolean
}

const UPPER = { upper: true } as const

const WORDS: [ApplicantType, 1 | 2, string[], { upper?: boolean; framedOnly?: boolean }?][] = [
  ['commune', 2, ['commune', 'communes', 'mairie', 'ville', 'village', 'municipalité', 'commune nouvelle', 'commune rurale', 'petite commune', 'conseil municipal', 'collectivité locale']],
  ['commune', 1, ['maire', 'adjoint au maire', 'adjointe au maire', 'conseiller municipal', 'conseillère municipale', 'secrétaire de mairie', 'élu municipal', 'élue municipale', 'dgs']],
  ['epci', 2, [
    'epci', 'intercommunalité', 'interco', 'com com', 'comcom', 'com-com', 'communauté de communes', 'communauté des communes',
    'communauté d\'agglomération', 'communauté d\'agglo', 'agglo', 'agglomération', 'communauté urbaine', 'métropole', 'eurométropole',
    'conseil communautaire', 'cdc',
  ]],
  ['epci', 2, ['CC', 'CA', 'CU'], UPPER],
  ['syndicat', 2, [
    'syndicat', 'syndicat mixte', 'syndicat intercommunal', 'sivu', 'sivom', 'sivos', 'sde', 'sdee', 'syndicat d\'énergie',
    'syndicat départemental d\'énergie', 'syndicat des eaux', 'siaep', 'sictom', 'smictom', 'sirtom', 'smirtom', 'syndicat de rivière',
    'syndicats', 'syndicat d\'électricité', 'syndicat d\'électrification', 'sydev', 'sdesm', 'syane', 'siel', 'sieeen', 'sdec', 'syded', 'sieda', 'smaep', 'sidec',
    'sivom', 'sivos', 'syndicat scolaire', 'syndicat d\'assainissement', 'syndicat d\'adduction d\'eau',
  ]],
  ['petr', 2, ['petr', 'pôle d\'équilibre territorial et rural', 'pôle d\'équilibre territorial', 'syndicat de pays']],
  ['petr', 2, ['pays'], { framedOnly: true }],
  ['departement', 2, ['département', 'conseil départemental', 'conseil général', 'collectivité départementale']],
  ['departement', 2, ['CD'], UPPER],
  ['region', 2, ['région', 'conseil régional', 'collectivité régionale']],
  ['region', 2, ['CR'], UPPER],
  ['collectivite_outre_mer', 2, ['collectivité d\'outre-mer', 'collectivité d\'outre mer', 'com d\'outre-mer']],
  ['association', 2, ['association', 'asso', 'associations', 'association loi 1901']],
  ['groupement_collectivites', 2, ['groupement de collectivités', 'groupement de communes', 'groupement de collectivités territoriales', 'gip', 'groupement d\'intérêt public', 'association d\'élus', 'association des maires', 'entente intercommunale']],
  ['etablissement_public', 2, [
    'ccas', 'cias', 'sdis', 'établissement public', 'office public', 'centre communal d\'action sociale', 'centre intercommunal d\'action sociale', 'ehpad public',
    'hôpital public', 'centre hospitalier', 'établissement public de santé', 'service départemental d\'incendie et de secours', 'office public de l\'habitat',
    'caisse des écoles', 'centre de gestion de la fonction publique territoriale',
  ]],
  ['etablissement_public', 2, ['CHU', 'CHR', 'OPH', 'EPIC', 'EPA', 'EPL'], UPPER],
  ['entreprise', 2, ['entreprise', 'société', 'bailleur', 'bailleur social', 'sem', 'spl', 'sas', 'sarl'], { framedOnly: true }],
  // Qualified, the word is the applicant wherever it stands ("entreprise privée, Vienne (Isère)").
  ['entreprise', 2, ['entreprise privée', 'société privée']],
]

/** Places and names in which an applicant word means something else. */
const BLOCKERS = [
  'dans le département', 'dans notre département', 'du département', 'de notre département', 'en département',
  'dans la région', 'dans notre région', 'en région', 'de la région', 'de notre région', 'région parisienne',
  'en métropole', 'france métropolitaine', 'dans la commune', 'sur la commune', 'dans le village', 'au village', 'du village', 'de la ville',
  'dans la ville', 'en ville', 'centre-ville', 'centre ville', 'cœur de ville', 'coeur de village', 'hôtel de ville', 'ville jumelle',
  'villes jumelles', 'commune jumelle', 'ville partenaire', 'commune partenaire', 'petites villes de demain', 'petite ville de demain',
  'villages d\'avenir', 'village d\'avenir', 'action cœur de ville', 'village vacances', 'village de vacances', 'place du village',
  'place de la mairie', 'salle de la mairie', 'les communes de', 'toutes les communes', 'autres communes',
  'communes voisines', 'communes membres', 'pays de la loire', 'pays basque', 'pays de galles', 'pays bas', 'pays-bas',
  'pays en développement', 'pays étranger', 'tiers-lieu', 'tiers lieu',
  // A funder, not who applies: "retenues par la Région", "financé par le département".
  'par la région', 'par le conseil régional', 'par le département', 'par le conseil départemental',
  // Enterprises as the project's object: "aider les entreprises privées", "soutien aux entreprises privées".
  'aux entreprises privées', 'les entreprises privées', 'des entreprises privées',
]

/** An identity frame right before an applicant word: "c'est un EPCI", "nous sommes une association". */
const FRAME = /(?: c est| c etait| nous sommes| on est| je suis| je represente| je dirige| je preside| je gere| je travaille (?:a|au|pour)| pour le compte d[eu]?| au nom d[eu]?| en tant que| ici| il s agit d| s agit d)(?: l| la| le| les| un| une| d| de| du| des| notre| mon| ma| a| au| pour)* $/

function specs(): PhraseSpec<ApplicantWord>[] {
  const out: PhraseSpec<ApplicantWord>[] = BLOCKERS.map((b) => [b, null] as const)
  for (const [type, weight, words, opts] of WORDS) {
    for (const w of words) {
      out.push([w, { type, weight, ...(opts?.framedOnly && { framedOnly: true }) }, opts?.upper ? { upper: true } : undefined])
    }
  }
  return out
}

export const APPLICANT_VOCABULARY = new PhraseMatcher(specs())

/**
 * Before a commune word, these make it the object of the project, not who applies: "relie les
 * communes", "pour chaque commune", "aux villages voisins", "entre nos communes".
 */
const OBJECT_DETERMINERS = new Set(['les', 'des', 'aux', 'ces', 'chaque', 'toutes', 'tous', 'plusieurs', 'autres', 'nos', 'vos', 'leurs', 'ses', 'quelques', 'certaines', 'differentes', 'nombreuses', 'entre'])

/** Whether an applicant word names a collective object ("les communes membres") rather than the applicant. */
function isObject(text: Text, m: { start: number; end: number; value: ApplicantWord }): boolean {
  if (m.value.type !== 'commune' || m.value.weight !== 2) return false
  const last = text.tokens[m.end - 1]!
  const plural = last.word !== last.stem && /[sx]$/.test(last.word)
  const prev = text.tokens[m.start - 1]
  const determiner = prev !== undefined && !text.tokens[m.start]!.breakBefore && (OBJECT_DETERMINERS.has(prev.word) || /^\d+$/.test(prev.word))
  return plural || determiner
}

export interface ApplicantDetection {
  type: ApplicantType
  /** 3 said in an identity frame, 2 named, 1 implicit. */
  score: 1 | 2 | 3
}

/** The applicant type and how firmly it is said (see the header). */
export function detectApplicant(input: string | Text): ApplicantDetection | undefined {
  const text = asText(input)
  let best: ApplicantDetection | undefined
  const ruledOut = new Set<ApplicantType>()
  for (const m of APPLICANT_VOCABULARY.match(text)) {
    const before = text.norm.slice(0, text.normStart[m.start]!)
    const framed = FRAME.test(before.slice(-60)) && !text.tokens[m.start]!.breakBefore
    if (m.value.framedOnly && !framed) continue
    // "une navette qui relie les communes", "pour toutes les communes membres": the project's object.
    if (!framed && isObject(text, m)) continue
    if (m.negated) {
      ruledOut.add(m.value.type)
      continue
    }
    const score = framed ? 3 : m.value.weight
    if (!best || score >= best.score) best = { type: m.value.type, score }
  }
  if (best && ruledOut.has(best.type)) return undefined
  return best
}

export function detectApplicantType(input: string | Text): ApplicantType | undefined {
  return detectApplicant(input)?.type
}

// Facts about the applicant and the project that the eligibility rules read, said in passing:
// the kind of syndicat ("syndicat d'énergie", "SDE", "syndicat des eaux", "SIVU"), a
// prerequisite met or not ("notre PCAET est adopté", "pas encore de plan climat"), and whether
// the project has foreign partners ("sans partenaire étranger", "avec des villes espagnoles").
// Each reads the one analysed text; a negation covering the words turns a fact into its opposite.
import type { SyndicatKind } from '../../../core/applicants.ts'
import type { PrerequisiteId } from '../../../core/prerequisites.ts'
import { COUNTRY_VOCABULARY } from './country.ts'
import { boundedDistance } from '../../../core/geography/normalize.ts'
import { asText, type Text } from './text.ts'

const SYNDICAT_KINDS: [SyndicatKind, RegExp][] = [
  ['energie', / (?:syndicat (?:intercommunal |departemental |mixte )?(?:d |de l )?(?:energie|electricite|electrification)|sde|sdee|sde\d\d|sdee\d\d|sdec|sydev|sdesm|syane|siel|sieeen|sieeen\d\d|sied\d\d|syded|te \d\d) /],
  ['eau', / (?:syndicat (?:intercommunal |mixte )?(?:des eaux|d eau|de l eau|d adduction|d assainissement|d alimentation en eau)|siaep|sivu (?:des eaux|d eau|d assainissement)|syndicat de riviere) /],
  ['mixte', / syndicat mixte /],
  ['communes', / (?:sivu|sivom|sivos|syndicat intercommunal|syndicat de communes) /],
  // A syndicat of no named kind is still a syndicat: "le syndicat", "SMICTOM", "syndicat de rivière" (the dialogue asks which kind).
]

/** The kind of syndicat named, the most specific first (a syndicat mixte d'énergie is an energy syndicat). */
export function detectSyndicatKind(input: string | Text): SyndicatKind | undefined {
  const norm = asText(input).norm
  for (const [kind, re] of SYNDICAT_KINDS) if (re.test(norm)) return kind
  return undefined
}

const PREREQUISITE_WORDS: [PrerequisiteId, RegExp][] = [
  ['pcaet', / (?:pcaet|plan climat(?: air)?(?: energie)?(?: territorial)?|plan d action (?:en faveur de l energie durable|climat)|paedc|secap|convention des maires) /],
]
const DONE = / (?:adopte|adoptee|adoptes|vote|votee|approuve|approuvee|avons|a|dispose|disposons|deja|en vigueur|signe|signataire) /
const NOT_DONE = / (?:pas (?:de|d|encore)|aucun|sans|en cours|en preparation|elaboration|prepare|preparons|elaborons|va adopter|allons) /

/** Prerequisites said to be met (true) or not yet (false); nothing when only named. */
export function detectPrerequisites(input: string | Text): Partial<Record<PrerequisiteId, boolean>> | undefined {
  const t = asText(input)
  let out: Partial<Record<PrerequisiteId, boolean>> | undefined
  for (const [id, re] of PREREQUISITE_WORDS) {
    const m = re.exec(t.norm)
    if (!m) continue
    // The clause around the mention decides: "notre PCAET est adopté" / "nous n'avons pas encore de PCAET".
    const from = Math.max(0, t.norm.lastIndexOf('  ', m.index))
    const clause = ` ${t.norm.slice(Math.max(from, m.index - 60), m.index + m[0].length + 40)} `
    if (NOT_DONE.test(clause)) (out ??= {})[id] = false
    else if (DONE.test(clause)) (out ??= {})[id] = true
  }
  return out
}

const NO_PARTNER = / (?:sans|pas de|aucun|n avons pas de|n a pas de|seul|seule|seuls) (?:parte?n+\w*|partn\w*|consortium)(?: etranger| etrangers| europeen| europeens)? /
const WITH_PARTNER = / (?:avec|associe|associant|avons|a) (?:des |un |une |nos |notre |plusieurs )?(?:partenaire|partenaires|villes|communes|collectivites|regions) (?:etranger|etrangers|etrangeres|europeen|europeens|europeennes|espagnol|espagnols|espagnoles|italien|italiens|italiennes|allemand|allemands|allemandes|belge|belges|portugais|portugaises|suisse|suisses|andorran|andorrans|andorranes) /

/** Whether the project has partners abroad, when the message says so. */
export function detectForeignPartners(input: string | Text): boolean | undefined {
  const norm = asText(input).norm
  if (NO_PARTNER.test(norm)) return false
  if (WITH_PARTNER.test(norm) || / consortium /.test(norm)) return true
  return undefined
}

// Where a cooperation project takes place: abroad when the message puts the work there
// ("construire un puits au Mali", "une mission là-bas", "chez nos partenaires"), in France when it
// says "chez nous", "en France", "sur notre territoire". A country after a partner noun says
// where the partner is, not the project ("une ville jumelle en Allemagne", "une commune du Mali").
// A negation turns the place around ("pas en France"); when both are said, the first one wins.

const IN_FRANCE = / (?:chez nous|en france|ici en france|sur notre territoire|sur notre commune|dans notre commune|dans notre ville|dans notre village|sur le territoire national|en metropole|dans nos murs|venir en france|accueillir (?:ici|chez nous)) /g
const THERE = / (?:la bas|chez eux|chez nos partenaires|chez notre partenaire|dans leur (?:ville|commune|village|pays)|dans le pays partenaire|sur place (?:au|en|a)|a l etranger|outre frontiere) /g
const IN_PREPOSITIONS = new Set(['au', 'aux', 'en', 'a'])
const PARTNER_NOUNS = new Set(['ville', 'commune', 'collectivite', 'municipalite', 'village', 'partenaire', 'jumelle', 'jumele', 'jumelee', 'region', 'province', 'association', 'ong', 'homologue', 'homologues', 'amis', 'elus', 'delegation'])

export type ProjectLocation = 'abroad' | 'france'

/**
 * Names that begin with « France » and are no place: programmes, networks and public bodies (« en
 * France Services », « inscrit à France Travail », « lauréat France 2030 »). Read through one typo.
 */
const FRANCE_NAMES = /france (?:services?|servi\w*|travail|relance|2030|renov\w*|num|active|mobilites|urbaine|strategie|competences|tres haut debit|thd|velo|volontaires|initiative|education|television\w*|bleu|info|inter|culture|nature environnement|ville durable|agrimer|habitat) /g

export function detectProjectLocation(input: string | Text): ProjectLocation | undefined {
  const t = asText(input)
  const said: { at: number; where: ProjectLocation; negated: boolean }[] = []
  // « en frnace », « en fance »: the one word that says France, read through a typo; « en France
  // Services » names a programme, not the country (the name is blanked, offsets kept).
  const norm = t.norm.replace(FRANCE_NAMES, (all) => ' '.repeat(all.length)).replace(/ en ([a-z]{5,7}) /g, (all, w: string) => (w !== 'france' && w[0] === 'f' && boundedDistance(w, 'france', 1) <= 1 ? ' en france ' : all))
  for (const [re, where] of [[IN_FRANCE, 'france'], [THERE, 'abroad']] as const) {
    re.lastIndex = 0
    for (let m = re.exec(norm); m; m = re.exec(norm)) {
      const at = t.normStart.findIndex((s) => s >= m!.index + 1)
      said.push({ at, where, negated: at >= 0 && t.tokens[at]!.negated })
      re.lastIndex = m.index + m[0].length - 1
    }
  }
  for (const m of COUNTRY_VOCABULARY.match(t)) {
    const prev = t.tokens[m.start - 1]
    if (!prev || !IN_PREPOSITIONS.has(prev.word) || t.tokens[m.start]!.breakBefore) continue
    // "une ville jumelle en Allemagne", "avec Ouagadougou au Burkina Faso": where the partner is.
    const nearby = t.tokens.slice(Math.max(0, m.start - 4), m.start - 1)
    if (nearby.some((x) => PARTNER_NOUNS.has(x.stem) || PARTNER_NOUNS.has(x.word) || x.word === 'avec')) continue
    if (t.tokens[m.start - 2]?.capitalized && m.start - 2 > 0) continue
    said.push({ at: m.start - 1, where: 'abroad', negated: prev.negated })
  }
  said.sort((a, b) => a.at - b.at)
  const first = said[0]
  if (!first) return undefined
  return first.negated ? (first.where === 'abroad' ? 'france' : 'abroad') : first.where
}

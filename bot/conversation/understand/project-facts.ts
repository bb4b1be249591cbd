// Facts about the applicant and the project that the eligibility rules read, said in passing:
// the kind of syndicat ("syndicat d'énergie", "SDE", "syndicat des eaux", "SIVU"), a
// prerequisite met or not ("notre PCAET est adopté", "pas encore de plan climat"), and whether
// the project has foreign partners ("sans partenaire étranger", "avec des villes espagnoles").
// Each reads the one analysed text; a negation covering the words turns a fact into its opposite.
import type { SyndicatKind } from '../../../core/applicants.ts'
import type { PrerequisiteId } from '../../../core/prerequisites.ts'
import { asText, type Text } from './text.ts'

const SYNDICAT_KINDS: [SyndicatKind, RegExp][] = [
  ['energie', / (?:syndicat (?:intercommunal |departemental |mixte )?(?:d |de l )?(?:energie|electricite|electrification)|sde|sdee|sydev|sdesm|syane|siel|sieeen|te \d\d) /],
  ['eau', / (?:syndicat (?:intercommunal |mixte )?(?:des eaux|d eau|de l eau|d adduction|d assainissement|d alimentation en eau)|siaep|sivu (?:des eaux|d eau|d assainissement)|syndicat de riviere) /],
  ['mixte', / syndicat mixte /],
  ['communes', / (?:sivu|sivom|sivos|syndicat intercommunal|syndicat de communes) /],
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

const NO_PARTNER = / (?:sans|pas de|aucun|n avons pas de|n a pas de|seul|seule|seuls) (?:partenaire|partenaires|partenariat|consortium)(?: etranger| etrangers| europeen| europeens)? /
const WITH_PARTNER = / (?:avec|associe|associant|avons|a) (?:des |un |une |nos |notre |plusieurs )?(?:partenaire|partenaires|villes|communes|collectivites|regions) (?:etranger|etrangers|etrangeres|europeen|europeens|europeennes|espagnol|espagnols|espagnoles|italien|italiens|italiennes|allemand|allemands|allemandes|belge|belges|portugais|portugaises|suisse|suisses|andorran|andorrans|andorranes) /

/** Whether the project has partners abroad, when the message says so. */
export function detectForeignPartners(input: string | Text): boolean | undefined {
  const norm = asText(input).norm
  if (NO_PARTNER.test(norm)) return false
  if (WITH_PARTNER.test(norm) || / consortium /.test(norm)) return true
  return undefined
}

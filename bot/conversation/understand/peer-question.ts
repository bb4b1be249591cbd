// « Qu'ont financé des communes comme la mienne ? »: a question about what other, comparable or
// neighbouring collectivités obtained, or a request for examples of funded projects — answered with
// the Fonds vert 2023 projects (content/peers), never with eligibility. Read as a combination of cues
// rather than fixed phrases: WHO (other / neighbouring / comparable collectivités), GOT (funded,
// obtained, awarded, « ça a marché »), EXAMPLES (examples, similar projects), WHERE (in my area).
import { foldFrench } from '../../../core/french.ts'

const PLACE = '(?:communes?|villes?|villages?|mairies?|collectivites?|maires|bourgs?|territoires?|intercos?|intercommunalites?|epci)'
// Other or comparable collectivités: « d'autres communes », « les communes voisines », « comme la mienne », « de ma taille ».
const WHO = new RegExp([
  `\\b(?:d autres|les autres|des autres|autres) ${PLACE}\\b`,
  `\\b${PLACE} (?:\\w+ )?(?:voisines?|proches?|alentours?|similaires?|comparables?|pareilles?|semblables?|environnantes?|limitrophes?)\\b`,
  `\\b(?:voisines?|proches?|similaires?|comparables?) ${PLACE}\\b`,
  `\\b${PLACE} (?:comme|tel(?:le)?s? que) (?:la mienne|le mien|nous|la notre|chez nous)\\b`,
  `\\b${PLACE} de (?:ma|notre|meme|la meme) (?:taille|strate)\\b`,
  '\\bcomme la mienne\\b', '\\bde ma taille\\b',
].join('|'))
// Got funded, in the past or as a result: « ont financé / obtenu / eu / touché / décroché / reçu », « ont été aidés », « ça a marché ».
const GOT = new RegExp([
  '\\b(?:ont|a|avez|auraient|aient) (?:\\w+ )?(?:finance|obtenu|eu|touche|decroche|recu|percu|beneficie|reussi|gagne)\\b',
  '\\b(?:ont|a) (?:ete|deja ete) (?:\\w+ )?(?:finances?|financees?|aidees?|aides|subventionnes?|subventionnees?|retenus?|retenues?|laureats?|soutenus?|soutenues?|accompagnes?|primes?)\\b',
  '\\b(?:deja|effectivement) (?:finances?|financees?|subventionnes?|subventionnees?|aidees?|aides|realises?|soutenus?)\\b',
  '\\b(?:projets?|dossiers?|communes?|collectivites?|villages?|villes?|mairies?) (?:\\w+ )?(?:finances?|financees?|subventionnes?|subventionnees?|aidees?|laureats?|retenus?|primes?)\\b',
  '\\b(?:ca|cela) a (?:marche|fonctionne|abouti) pour qui\\b', '\\ba marche pour qui\\b', '\\bqui a (?:eu|obtenu|touche|decroche)\\b',
  '\\blaureats?\\b',
].join('|'))
const EXAMPLES = /\b(?:exemples?|cas concrets?|references?|realisations?|projets? (?:similaires?|pareils?|semblables?|comparables?|du meme type)|ce genre de projets?)\b/
const WHERE = /\b(?:dans le coin|autour de (?:nous|chez nous)|chez nous|dans (?:le|mon|notre) (?:departement|secteur|canton|region)|du (?:departement|coin|secteur))\b/
const HOW_MUCH = /\bcombien\b/

function fold(text: string): string {
  return ` ${foldFrench(text).replace(/[’'`-]/g, ' ').replace(/[^a-z0-9]+/g, ' ').trim()} `
}

/** Whether the text asks what comparable collectivités got funded (or for examples of funded projects). */
export function asksForPeerProjects(text: string): boolean {
  const t = fold(text)
  const who = WHO.test(t)
  const got = GOT.test(t)
  const examples = EXAMPLES.test(t)
  const where = WHERE.test(t)
  if (who && (got || examples || HOW_MUCH.test(t))) return true
  if (examples && (got || who || where)) return true
  // « quels projets ont été financés chez nous ? », « ça a marché pour qui dans le coin ? »
  if (got && where && /\b(?:quels?|quelles?|qui|qu|quoi|combien)\b/.test(t)) return true
  return false
}

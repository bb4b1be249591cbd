// What the user wants the dialogue to do, beside the facts: greet, start again, ask why, see the
// results or the excluded programmes, answer yes / no / "je ne sais pas", set an alert, refine, get
// help, thank. Phrases are matched on whole words, accents and case folded, texting spellings
// included ("jsp", "bjr", "ouais", "nan"). Words that also carry facts are guarded: "non" is a
// no only at the start of a clause ("assainissement non collectif" is not), "aide" is help only
// when it is the whole request ("une aide pour l'école" asks for funding), "pourquoi pas ?" alone
// is a yes while "pourquoi pas la DETR ?" asks for the excluded programmes.
import { asText, normRange, rawSpan, type Text } from './text.ts'

export const INTENTS = ['greeting', 'reset', 'why', 'showResults', 'dontKnow', 'yes', 'no', 'alerts', 'refine', 'showExcluded', 'help', 'thanks'] as const
export type Intent = (typeof INTENTS)[number]

export interface DetectedIntents {
  intents: Intent[]
  /** What "pourquoi …" is about, as typed ("DETR" in "pourquoi la DETR ?"). */
  whyAbout?: string
}

const P: Record<Intent, string[]> = {
  greeting: ['bonjour', 'bonsoir', 'salut', 'hello', 'coucou', 'bjr', 'slt', 'hey', 'bonjours', 'bjour', 'bonjour a tous', 'hi'],
  reset: [
    'recommencer', 'recommence', 'recommencons', 'on recommence', 'reprendre a zero', 'reprendre de zero', 'repartir de zero', 'repartir a zero',
    'on reprend tout', 'tout reprendre', 'reprendre depuis le debut', 'depuis le debut', 'tout effacer', 'efface tout', 'effacer tout', 'reinitialiser',
    'reinitialise', 'reset', 'nouvelle recherche', 'on repart de zero', 'remettre a zero', 'on efface tout', 'tout recommencer',
  ],
  why: ['pourquoi', 'pour quelle raison', 'pour quelles raisons', 'c est quoi la raison', 'comment ca se fait', 'explique moi', 'expliquez moi', 'explique', 'expliquez'],
  showResults: [
    'montre moi', 'montrez moi', 'montre', 'montrez', 'montrer', 'voir les resultats', 'les resultats', 'resultats', 'resultat', 'affiche moi', 'affichez',
    'afficher', 'qu est ce que j ai droit', 'a quoi j ai droit', 'a quoi ai je droit', 'j ai droit a quoi', 'on a droit a quoi', 'a quoi on a droit',
    'qu est ce que j ai comme droit', 'a quoi avons nous droit', 'qu est ce qu on a droit', 'ai je droit', 'quelles aides', 'quels financements',
    'quelles subventions', 'quelles sont les aides', 'ce que tu as', 'ce que vous avez', 'vas y', 'allez y', 'je veux voir', 'on peut voir',
    'donne moi', 'donnez moi', 'propose moi', 'proposez moi', 'quoi comme aides', 'les aides possibles', 'les financements possibles',
    'c est tout', 'go', 'voir la liste', 'qu est ce qui existe', 'qu est ce qu il y a', 'quels programmes', 'quelles aides existent',
  ],
  dontKnow: [
    'je ne sais pas', 'je sais pas', 'ne sais pas', 'sais pas', 'j sais pas', 'chais pas', 'chai pas', 'jsp', 'jsais pas', 'nsp', 'aucune idee',
    'pas d idee', 'j en sais rien', 'je n en sais rien', 'n en sais rien', 'sais rien', 'je ne suis pas sur', 'je ne suis pas sure',
    'je suis pas sur', 'je suis pas sure', 'pas sur', 'pas sure', 'pas certain', 'pas certaine', 'je ne connais pas', 'connais pas',
    'inconnu', 'ne sait pas', 'on sait pas', 'on ne sait pas', 'je ne sais plus', 'sais plus', 'peut etre', 'je verrai', 'j ignore',
    'ne sais', 'je l ignore', 'on verra', 'pas encore decide', 'pas encore defini',
  ],
  yes: [
    'oui', 'ouais', 'ouai', 'ouii', 'yes', 'yep', 'exact', 'exactement', 'tout a fait', 'bien sur', 'absolument', 'd accord', 'ok', 'okay',
    'c est ca', 'c est bien ca', 'affirmatif', 'carrement', 'evidemment', 'effectivement', 'bien entendu', 'oui oui', 'parfait',
    'ca marche', 'entendu', 'tres bien', 'volontiers', 'avec plaisir', 'correct', 'c est exact', 'c est juste', 'tout juste', 'dac', 'oki',
  ],
  no: ['non', 'nan', 'pas du tout', 'absolument pas', 'nope', 'negatif', 'aucunement', 'pas vraiment', 'jamais', 'pas encore', 'non merci', 'nenni', 'nop', 'surtout pas', 'certainement pas'],
  alerts: [
    'alerte', 'alertes', 'alerter', 'alertez', 'alerte moi', 'alertez moi', 'prevenez moi', 'previens moi', 'me prevenir', 'nous prevenir',
    'tenez moi au courant', 'tiens moi au courant', 'tenez nous au courant', 'tenir au courant', 'notification', 'notifications', 'notifier',
    'me notifier', 's abonner', 'm abonner', 'abonner', 'me rappeler', 'rappelez moi', 'suivre les appels', 'avertissez moi', 'me signaler',
  ],
  refine: ['affiner', 'affine', 'affinons', 'affinez', 'preciser', 'precisons', 'plus precis', 'plus precisement', 'filtrer', 'filtre', 'restreindre', 'trop de resultats', 'trop de programmes', 'trop large', 'cibler', 'mieux cibler'],
  showExcluded: [
    'ecartes', 'ecarte', 'ecartee', 'ecartees', 'programmes ecartes', 'exclus', 'exclues', 'non eligibles', 'non eligible', 'ineligibles', 'ineligible',
    'pas eligible', 'pas eligibles', 'ceux qui ne marchent pas', 'les autres programmes', 'ceux qui sont exclus', 'pourquoi pas',
  ],
  help: [
    'comment ca marche', 'comment ca fonctionne', 'comment tu fonctionnes', 'comment vous fonctionnez', 'que sais tu faire', 'qu est ce que tu sais faire',
    'qu est ce que tu fais', 'tu sers a quoi', 'tu fais quoi', 'vous faites quoi', 'mode d emploi', 'comment utiliser', 'comment on fait',
    'je suis perdu', 'je suis perdue', 'au secours', 'a l aide', 'j ai besoin d aide', 'besoin d aide', 'aidez moi', 'aide moi', 'help', 'aide',
  ],
  thanks: ['merci', 'mercii', 'merci beaucoup', 'je vous remercie', 'je te remercie', 'thanks', 'thx', 'mci', 'remerciements'],
}

/** Start-of-clause interjections ("bah non", "ben oui", "euh je sais pas"). */
const FILLERS = new Set(['bah', 'ben', 'beh', 'euh', 'heu', 'hum', 'hmm', 'ah', 'oh', 'alors', 'et', 'bon', 'mais', 'eh', 'bien', 'oui', 'non', 'donc'])
/** Intents whose words must open a clause (after interjections) to count. */
const CLAUSE_START: ReadonlySet<Intent> = new Set(['yes', 'no'])
/** "pourquoi" and "pas encore" in these frames are no question and no answer. */
const NOT_WHY = / (?:c est|voila|c etait|et c est) pourquoi /

function startsClause(text: Text, index: number): boolean {
  for (let k = index - 1; k >= 0; k--) {
    const t = text.tokens[k + 1]!
    if (t.breakBefore) return true
    if (!FILLERS.has(text.tokens[k]!.word)) return false
  }
  return true
}

/** Phrase occurrences in Text.norm, as token ranges. */
function occurrences(text: Text, phrase: string): [number, number][] {
  const out: [number, number][] = []
  const needle = ` ${phrase} `
  for (let at = text.norm.indexOf(needle); at >= 0; at = text.norm.indexOf(needle, at + 1)) out.push(normRange(text, at, needle.length))
  return out
}

const ARTICLES = /^(?:(?:le|la|les|l'|l’|du|des|de la|de l'|ce|cet|cette|ces|un|une|mon|ma|mes|notre|nos|votre|vos)\s*)+/i

/** What the user asks "pourquoi" about, as typed, or undefined when nothing follows. */
function whyAboutOf(text: Text, whyIndex: number): string | undefined {
  let from = whyIndex + 1
  if (text.tokens[from]?.word === 'pas' && !text.tokens[from]!.breakBefore) from++
  let to = from
  while (to < text.tokens.length && (to === from || !text.tokens[to]!.breakBefore)) to++
  if (from >= text.tokens.length || text.tokens[from]!.breakBefore) return undefined
  const about = rawSpan(text, from, to).replace(ARTICLES, '').replace(/[\s?!.…]+$/, '').trim()
  if (!about || /^(ca|ça|cela|ceci|donc|alors|faire|pas)$/i.test(about)) return undefined
  return about
}

/** Every phrase, longest first across intents: "je ne sais pas" is no "pas"-no, "pourquoi pas" no why. */
const ALL: [Intent, string][] = INTENTS.flatMap((intent) => P[intent].map((p): [Intent, string] => [intent, p])).sort(
  (a, b) => b[1].split(' ').length - a[1].split(' ').length,
)

export function detectIntents(input: string | Text): DetectedIntents {
  const text = asText(input)
  const found = new Set<Intent>()
  const taken = new Uint8Array(text.tokens.length)
  const whole = text.norm.trim()
  let whyAbout: string | undefined
  for (const [intent, phrase] of ALL) {
    for (const [from, to] of occurrences(text, phrase)) {
      let free = true
      for (let k = from; k < to; k++) if (taken[k]) free = false
      if (!free) continue
      if (CLAUSE_START.has(intent) && !startsClause(text, from)) continue
      if (intent === 'no' && phrase === 'non' && /^(seulement|eligibles?|collectif|collective)$/.test(text.tokens[to]?.word ?? '')) continue
      if (intent === 'no' && phrase === 'jamais' && to < text.tokens.length && !text.tokens[to]!.breakBefore) continue
      if (intent === 'help' && phrase === 'aide' && whole !== 'aide' && whole !== 'de l aide') continue
      if (intent === 'help' && /\baide\b/.test(phrase) && text.tokens.length > 6) continue
      if (intent === 'alerts' && /^alertes?$/.test(phrase) && (text.tokens[from - 1]?.word === 'd' || /^(inondations?|crues?|meteo|canicule|sms|population)$/.test(text.tokens[to]?.word ?? ''))) continue
      if (intent === 'why' && NOT_WHY.test(text.norm.slice(Math.max(0, text.normStart[from]! - 12), text.normStart[from]! + 10))) continue
      if (intent === 'showExcluded' && phrase === 'pourquoi pas') {
        // "pourquoi pas ?" alone agrees; "pourquoi pas la DETR ?" asks about an excluded programme.
        const about = whyAboutOf(text, from)
        if (!about) {
          found.add('yes')
          for (let k = from; k < to; k++) taken[k] = 1
          continue
        }
        whyAbout ??= about
      }
      if (intent === 'why') whyAbout ??= whyAboutOf(text, from)
      found.add(intent)
      for (let k = from; k < to; k++) taken[k] = 1
    }
  }
  if (whole === 'si') found.add('yes')
  const intents = INTENTS.filter((i) => found.has(i))
  return { intents, ...(whyAbout !== undefined && { whyAbout }) }
}

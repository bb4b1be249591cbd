// Negations and corrections: which words of a message the user rules out. "pas la fibre, le
// wifi", "sans travaux", "ni la voirie ni…", "plutôt l'éclairage que la voirie", "au lieu de la
// voirie", "nous ne sommes pas PVD", "ce n'est pas une commune, c'est un EPCI". A cue opens a short
// scope (a few words) that punctuation, "mais", "plutôt" or a new clause ("on", "c'est"…) closes;
// "pas que", "pas seulement", "pourquoi pas" and "pas sûr" negate nothing.
import type { Text, Token } from './token.ts'

/** How many words after its cue a negation reaches at most. */
const SCOPE = 5

/** Words that end a negation's scope: a new clause starts. */
const BREAKERS = new Set([
  'mais', 'plutot', 'on', 'nous', 'je', 'j', 'c', 'il', 'elle', 'ils', 'vous', 'tu', 'cependant', 'pourtant', 'sinon',
  'si', 'seulement', 'uniquement', 'juste', 'contre', 'alors', 'donc', 'car', 'puis', 'ensuite', 'aussi',
])

/** After "pas": these make it no negation of what follows ("pas que", "pas seulement", "pas sûr"). */
const NOT_AFTER_PAS = new Set(['que', 'qu', 'seulement', 'uniquement', 'juste', 'forcement', 'mal', 'si', 'sur', 'sure', 'certain', 'certaine', 'tres'])

/** After "pas", these negate the words before it: "les écoles ne sont pas concernées", "la voirie n'est pas incluse". */
const POSTPOSED = new Set(['concerne', 'concernes', 'concernee', 'concernees', 'vise', 'vises', 'visee', 'visees', 'inclus', 'incluse', 'incluses', 'compris', 'comprise', 'comprises', 'prevu', 'prevus', 'prevue', 'prevues'])
/** Skipped when walking back from a postposed "pas" ("ne sont", "n'est"). */
const VERB_GLUE = new Set(['ne', 'n', 'sont', 'est', 'seront', 'sera', 'etait', 'etaient', 'y'])

/** Whether "pas sur" is "pas sûr" (sure: typed with its accent, or ending the clause, or before "que"/"de"), not "pas sur les écoles". */
function isSure(tokens: Token[], i: number, raw?: string): boolean {
  if (raw !== undefined && /û/i.test(raw)) return true
  const next = tokens[i + 1]
  return !next || next.breakBefore || /^(que|qu|de|d|du|si|ou|et)$/.test(next.word)
}

/** Verbs that rule out what follows ("enlève la voirie", "oubliez la fibre"). */
const REMOVE_VERBS = new Set([
  'enlever', 'enleve', 'enlevez', 'enlevons', 'retirer', 'retire', 'retirez', 'retirons', 'supprimer', 'supprime', 'supprimez',
  'oublier', 'oublie', 'oubliez', 'oublions', 'exclure', 'excluez', 'excluons', 'sauf', 'hors', 'excepte', 'hormis', 'sans', 'ni',
  'aucun', 'aucune',
])

/** Sets Token.negated on the tokens a negation or correction covers. */
export function markNegations(tokens: Token[], raw?: (t: Token) => string): void {
  let scope = 0
  let plutot = 0 // "plutôt X que Y": tokens left in which a "que" negates what follows
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const w = t.word
    if (t.breakBefore) {
      scope = 0
      plutot = 0
    }
    if (BREAKERS.has(w)) scope = 0
    let opens = false
    if (w === 'pas') {
      const next = tokens[i + 1]
      const prev = tokens[i - 1]
      // "ne porte pas sur les écoles": "sur" the preposition, unlike "pas sûr".
      const sure = next?.word === 'sur' && !next.breakBefore && !isSure(tokens, i + 1, raw?.(next))
      const blocked = (next && !next.breakBefore && NOT_AFTER_PAS.has(next.word) && !sure) || prev?.word === 'pourquoi'
      opens = !blocked
      if (next && !next.breakBefore && POSTPOSED.has(next.word)) {
        // "les écoles ne sont pas concernées": the subject before the verb is what is ruled out.
        for (let k = i - 1, n = 0; k >= 0 && n < SCOPE; k--) {
          const b = tokens[k]!
          if (BREAKERS.has(b.word)) break
          if (!VERB_GLUE.has(b.word)) {
            b.negated = true
            n++
          }
          if (b.breakBefore) break
        }
        opens = false
        i++
        continue
      }
    } else if (REMOVE_VERBS.has(w)) {
      opens = true
    } else if (w === 'tomber' && /^laisse/.test(tokens[i - 1]?.word ?? '')) {
      opens = true
    } else if (w === 'lieu' && tokens[i - 1]?.word === 'au') {
      opens = true // au lieu de
    } else if (w === 'place' && tokens[i - 1]?.word === 'la' && tokens[i - 2]?.word === 'a' && /^(de|du|des|d)$/.test(tokens[i + 1]?.word ?? '')) {
      opens = true // à la place de
    } else if (w === 'non' && tokens[i + 1]?.word === 'pas' && !tokens[i + 1]!.breakBefore) {
      opens = true // "non pas X"
      i++
    } else if (w === 'plutot') {
      const next = tokens[i + 1]
      if (next && !next.breakBefore && (next.word === 'que' || next.word === 'qu')) {
        opens = true // "X plutôt que Y"
        i++
      } else plutot = 8
    } else if ((w === 'que' || w === 'qu') && plutot > 0) {
      opens = true // "plutôt X que Y"
      plutot = 0
    }
    if (opens) {
      scope = SCOPE
      continue
    }
    if (plutot > 0) plutot--
    if (scope > 0) {
      t.negated = true
      scope--
    }
  }
}

/** The words of a message that a negation covers (for tests and traces). */
export function negatedWords(text: Text): string[] {
  return text.tokens.filter((t) => t.negated).map((t) => t.word)
}

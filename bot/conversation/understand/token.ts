// The shapes of a message read into tokens (Text, Token): shared by the reader (./text.ts) and
// the negation marker (./negation.ts), which each need the other's half, so neither imports the other's types.

export interface Token {
  /** Position in Text.tokens. */
  index: number
  /** Lowercase, accents folded, letters and digits only: "ecole", "18200", "4g". */
  word: string
  /** Plural-insensitive form the vocabularies are matched on: "lampadaires" → "lampadaire". */
  stem: string
  /** Offsets in Text.folded (end exclusive). */
  start: number
  end: number
  /** First letter typed as a capital. */
  capitalized: boolean
  /** Every letter a capital, two letters or more ("CA", "PVD", "LED"). */
  upper: boolean
  /** Punctuation (, ; . ! ? : ( ) …, a spaced dash) or a line break stands between the previous token and this one. */
  breakBefore: boolean
  /** What stands between the previous token and this one, spaces removed ("", "'", "-", ",", "(" …). */
  before: string
  /** Inside the scope of a negation or a correction ("pas la fibre", "plutôt X que Y"). */
  negated: boolean
}

export interface Text {
  /** The message as typed. */
  raw: string
  /** Accents folded, ligatures spelled out, apostrophes, dashes and spaces unified; case kept. */
  folded: string
  /** folded, lowercased (same length). */
  lower: string
  tokens: Token[]
  /** " w1 w2 … wn ": the token words joined by single spaces, padded, for phrase tests. */
  norm: string
  /** For each token, the offset of its word in norm. */
  normStart: number[]
  /** Offset in raw of each offset in folded (and one past the end). */
  rawOffset: number[]
  /** Tokens a detector has already taken (1), by token index. */
  consumed: Uint8Array
}

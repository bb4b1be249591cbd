// Errors that carry policy: each class says what happens next, and each is mapped to an
// HTTP status (bot/app.ts) or a polite French reply in one place.
import { z } from 'zod'

// Schema messages are shown to French editors and callers: zod's own messages in French
// (every edge validates through zod and reports through zodIssues below).
z.config(z.locales.fr())

/** Bad input from a caller: 400, naming the field. Never retried. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError'
  constructor(
    readonly issues: { field: string; message: string }[],
  ) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '))
  }
}

/** A change based on a state that has changed since (another editor saved first): 409, nothing written. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError'
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

/** Something asked for does not exist: 404, with close suggestions when there are some. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError'
  constructor(
    message: string,
    readonly field?: string,
    readonly suggestions: { label: string; code: string }[] = [],
  ) {
    super(message)
  }
}

/** A curated or crawled content file that breaks the schema: names the file and the field. */
export class ContentError extends Error {
  override readonly name = 'ContentError'
  constructor(
    readonly file: string,
    readonly issues: { field: string; message: string }[],
  ) {
    super(`${file}: ${issues.map((i) => `${i.field || '(racine)'}: ${i.message}`).join('; ')}`)
  }
}

/** A source that could not be reached: retry later, keep what we had. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError'
}

/** A payload or record that cannot be parsed: never retried, reported with the raw value. */
export class ParseError extends Error {
  override readonly name = 'ParseError'
  constructor(
    message: string,
    readonly field?: string,
    readonly raw?: unknown,
  ) {
    super(message)
  }
}

/** Turns zod issues into `{field, message}` with dotted paths (`eligibility.population.0.max`). */
export function zodIssues(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): { field: string; message: string }[] {
  return issues.map((i) => {
    const base = i.path.map(String)
    // An unknown key names itself, so the caller sees which field to remove.
    if (i.code === 'unrecognized_keys' && i.keys?.length) return { field: [...base, i.keys[0]].join('.'), message: `champ inconnu (${i.keys.join(', ')})` }
    // A long list of allowed values (32 themes) is noise in a form: say what kind of value is expected.
    if (i.code === 'invalid_value' && i.message.length > 160) return { field: base.join('.'), message: 'valeur inconnue : choisissez une valeur de la liste' }
    return { field: base.join('.'), message: i.message }
  })
}

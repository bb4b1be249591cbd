// The shape of one environment setting, declared once: its name (the key of its group), its
// default as written in the environment, the zod parser of its text and the French one-liner
// `npm start -- --help` prints. The groups (core/config.ts, crawler/crawl-options.ts,
// runtime/node/alerts-config.ts) declare their settings with it; parseSettings() reads a group
// from any environment (process.env, Workers bindings). The README's table and .env.example are
// checked against the declarations (test/docs/settings.test.ts).
import { z } from 'zod'

export interface Setting {
  /** The value when the variable is unset, as written in .env ('' = nothing). */
  default: string
  /** Parses the variable's text (the default's when unset). */
  parser: z.ZodType
  /** French one-liner, printed by --help. */
  aide: string
  /** true = a blank value counts as unset (the default applies); otherwise it is parsed as written. */
  blankIsDefault?: boolean
}

export type Settings = Record<string, Setting>

type Shape<S extends Settings> = { [K in keyof S]: S[K]['parser'] }
export type ParsedSettings<S extends Settings> = z.output<z.ZodObject<Shape<S>>>

const schemas = new WeakMap<Settings, z.ZodType>()

function schemaOf<S extends Settings>(settings: S): z.ZodObject<Shape<S>> {
  let schema = schemas.get(settings)
  if (!schema) {
    schema = z.object(Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, s.parser])))
    schemas.set(settings, schema)
  }
  return schema as z.ZodObject<Shape<S>>
}

/** The group's variables from the environment, each default applied then parsed; `label: name: reason; …` when one is wrong. */
export function parseSettings<S extends Settings>(settings: S, env: Record<string, string | undefined>, label: string): ParsedSettings<S> {
  const texts = Object.fromEntries(
    Object.entries(settings).map(([name, s]) => {
      const v = env[name]
      const unset = v === undefined || (s.blankIsDefault === true && typeof v === 'string' && v.trim() === '')
      return [name, unset ? s.default : v]
    }),
  )
  const parsed = schemaOf(settings).safeParse(texts)
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`${label}: ${msg}`)
  }
  return parsed.data
}

/** --help lines: one per setting, its name, its French one-liner and its default when it has one. */
export function settingsHelp(settings: Settings): string {
  const width = Math.max(...Object.keys(settings).map((n) => n.length))
  return Object.entries(settings)
    .map(([name, s]) => `  ${name.padEnd(width)}  ${s.aide}${s.default === '' ? '' : ` (défaut : ${s.default})`}`)
    .join('\n')
}

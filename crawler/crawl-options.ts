// The crawler's configuration, parsed once from a schema: each field names its env var and its
// default. The runtime passes its environment (process.env, Workers bindings) in; nothing in
// crawler/ reads the environment itself. Credentials are secrets: environment only, never logged.
import { z } from 'zod'
import { SOURCE_IDS, SOURCES } from './sources/index.ts'
import { credentialNames } from './auth.ts'

export const DEFAULT_CONTACT_URL = 'https://github.com/guichet'
export const DEFAULT_USER_AGENT = `GuichetBot/0.1 (+${DEFAULT_CONTACT_URL}; contact: admin)`

export const CRAWL_ENV_FIELDS = {
  CRAWL_CONTACT_URL: { default: '', doc: `Contact URL put in the crawler's User-Agent (GuichetBot/0.1 (+<url>)); empty = ${DEFAULT_USER_AGENT}` },
  CRAWL_DELAY_MS: { default: '1000', doc: 'Minimum delay between two requests to the same host, in ms (robots.txt Crawl-delay and each source may ask for more)' },
  CRAWL_TIMEOUT_MS: { default: '30000', doc: 'Timeout of one HTTP request, in ms' },
  CRAWL_MAX_RETRIES: { default: '3', doc: 'Retries on network errors, 429 and 5xx (exponential backoff with jitter)' },
  CRAWL_SCHEDULE: { default: '30 2 * * *', doc: 'node-cron expression of the scheduled crawl (Europe/Paris); "off" = no scheduled crawl' },
  CRAWL_STALE_AFTER: { default: '3', doc: 'Consecutive failed runs after which a source\'s programmes are marked stale (never deleted)' },
  CRAWL_SOURCES: { default: '', doc: `Comma list of the sources to crawl; empty = every source whose credentials are set (${SOURCE_IDS.join(', ')}) and every enabled page source (content/sources, back office)` },
  AT_API_TOKEN: { default: '', doc: 'Aides-territoires API key (X-AUTH-TOKEN, exchanged for a JWT); secret' },
  ADEME_CLIENT_ID: { default: '', doc: 'ADEME "Agir pour la transition" API client_id; secret' },
  ADEME_CLIENT_SECRET: { default: '', doc: 'ADEME "Agir pour la transition" API client_secret; secret' },
  WELCOME_EUROPE_API_KEY: { default: '', doc: 'Welcome Europe API: the whole Authorization header value; secret' },
  MANCHE_API_USERNAME: { default: '', doc: 'Département de la Manche API, basic auth user; secret' },
  MANCHE_API_PASSWORD: { default: '', doc: 'Département de la Manche API, basic auth password; secret' },
} as const

/** Every env var a source plan names for its credentials (kept in step with CRAWL_ENV_FIELDS by a test). */
export const CREDENTIAL_ENV_NAMES = [...new Set(SOURCES.flatMap((s) => credentialNames(s.plan.auth)))]

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s ? s : undefined))

// Five fields (minute hour day month weekday) or six (with seconds), as node-cron reads them.
const cronExpression = z
  .string()
  .trim()
  .refine((s) => s === 'off' || /^(\S+\s+){4,5}\S+$/.test(s), 'expression cron à 5 ou 6 champs attendue (ex. 30 2 * * *), ou « off »')

export const CrawlOptionsSchema = z.object({
  CRAWL_CONTACT_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'URL http(s) attendue' }).optional()),
  CRAWL_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  CRAWL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  CRAWL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  CRAWL_SCHEDULE: cronExpression.default('30 2 * * *'),
  CRAWL_STALE_AFTER: z.coerce.number().int().min(1).max(1000).default(3),
  CRAWL_SOURCES: z
    .string()
    .optional()
    .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean))
    // Coded sources, or page sources (content/sources/<id>.yaml or the back office), checked when a crawl runs.
    .refine((ids) => ids.every((id) => SOURCE_IDS.includes(id) || /^[a-z0-9][a-z0-9-]*$/.test(id)), { message: `identifiants de sources attendus (${SOURCE_IDS.join(', ')}, ou une page suivie)` }),
  AT_API_TOKEN: optionalText,
  ADEME_CLIENT_ID: optionalText,
  ADEME_CLIENT_SECRET: optionalText,
  WELCOME_EUROPE_API_KEY: optionalText,
  MANCHE_API_USERNAME: optionalText,
  MANCHE_API_PASSWORD: optionalText,
})

export interface CrawlSettings {
  userAgent: string
  delayMs: number
  timeoutMs: number
  maxRetries: number
  /** node-cron expression, or undefined when scheduled crawls are off. */
  schedule: string | undefined
  staleAfter: number
  /** Sources asked for by CRAWL_SOURCES; empty = all (those without credentials are skipped). */
  sources: string[]
  /** Env var name → value, for the names the plans declare. Secret: never log it. */
  credentials: Record<string, string | undefined>
}

export function parseCrawlOptions(env: Record<string, string | undefined>): CrawlSettings {
  const picked = Object.fromEntries(Object.keys(CRAWL_ENV_FIELDS).map((k) => [k, env[k]]).filter(([, v]) => v !== undefined))
  const parsed = CrawlOptionsSchema.safeParse(picked)
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid crawler configuration: ${msg}`)
  }
  const o = parsed.data
  return {
    userAgent: o.CRAWL_CONTACT_URL ? `GuichetBot/0.1 (+${o.CRAWL_CONTACT_URL})` : DEFAULT_USER_AGENT,
    delayMs: o.CRAWL_DELAY_MS,
    timeoutMs: o.CRAWL_TIMEOUT_MS,
    maxRetries: o.CRAWL_MAX_RETRIES,
    schedule: o.CRAWL_SCHEDULE === 'off' ? undefined : o.CRAWL_SCHEDULE,
    staleAfter: o.CRAWL_STALE_AFTER,
    sources: o.CRAWL_SOURCES,
    credentials: Object.fromEntries(CREDENTIAL_ENV_NAMES.map((name) => [name, (o as Record<string, string | number | string[] | undefined>)[name] as string | undefined])),
  }
}

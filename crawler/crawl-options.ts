// The crawler's configuration: one declaration per setting (name, default, parser, French
// one-liner; see core/settings.ts). The runtime passes its environment (process.env, Workers
// bindings) in; nothing in crawler/ reads the environment itself. Credentials are secrets: environment only, never logged.
import { z } from 'zod'
import { SOURCE_IDS, SOURCES } from './sources/index.ts'
import { credentialNames } from './auth.ts'
import { parseSettings, type Settings } from '../core/settings.ts'

export const DEFAULT_CONTACT_URL = 'https://github.com/guichet'
export const DEFAULT_USER_AGENT = `GuichetBot/0.1 (+${DEFAULT_CONTACT_URL}; contact: admin)`

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

export const CRAWL_ENV_FIELDS = {
  CRAWL_CONTACT_URL: {
    default: '',
    parser: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'URL http(s) attendue' }).optional()),
    aide: `URL de contact mise dans le User-Agent du robot (GuichetBot/0.1 (+<url>)) ; vide = ${DEFAULT_USER_AGENT}`,
  },
  CRAWL_DELAY_MS: {
    default: '1000',
    parser: z.coerce.number().int().min(0).max(600_000),
    aide: 'Délai minimal entre deux requêtes vers un même hôte, en ms (le Crawl-delay de robots.txt et chaque source peuvent demander plus)',
  },
  CRAWL_TIMEOUT_MS: { default: '30000', parser: z.coerce.number().int().min(100).max(600_000), aide: "Délai d'attente d'une requête HTTP, en ms" },
  CRAWL_MAX_RETRIES: { default: '3', parser: z.coerce.number().int().min(0).max(10), aide: 'Nouvelles tentatives sur erreur réseau, 429 et 5xx (attente exponentielle avec gigue)' },
  CRAWL_SCHEDULE: { default: '30 2 * * *', parser: cronExpression, aide: 'Expression node-cron de la collecte planifiée (Europe/Paris) ; « off » = pas de collecte planifiée' },
  CRAWL_STALE_AFTER: {
    default: '3',
    parser: z.coerce.number().int().min(1).max(1000),
    aide: "Collectes échouées d'affilée après lesquelles les programmes d'une source sont marqués périmés (jamais supprimés)",
  },
  CRAWL_SOURCES: {
    default: '',
    parser: z
      .string()
      .optional()
      .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean))
      // Coded sources, or page sources (content/sources/<id>.yaml or the back office), checked when a crawl runs.
      .refine((ids) => ids.every((id) => SOURCE_IDS.includes(id) || /^[a-z0-9][a-z0-9-]*$/.test(id)), { message: `identifiants de sources attendus (${SOURCE_IDS.join(', ')}, ou une page suivie)` }),
    aide: `Sources à collecter, séparées par des virgules ; vide = toute source dont les identifiants sont donnés (${SOURCE_IDS.join(', ')}) et toute page suivie active (content/sources, back-office)`,
  },
  AT_API_TOKEN: { default: '', parser: optionalText, aide: "Clé de l'API Aides-territoires (X-AUTH-TOKEN, échangée contre un JWT) ; secret" },
  ADEME_CLIENT_ID: { default: '', parser: optionalText, aide: "client_id de l'API ADEME « Agir pour la transition » ; secret" },
  ADEME_CLIENT_SECRET: { default: '', parser: optionalText, aide: "client_secret de l'API ADEME « Agir pour la transition » ; secret" },
  WELCOME_EUROPE_API_KEY: { default: '', parser: optionalText, aide: "API Welcome Europe : la valeur entière de l'en-tête Authorization ; secret" },
  MANCHE_API_USERNAME: { default: '', parser: optionalText, aide: 'API du Département de la Manche, utilisateur (authentification basic) ; secret' },
  MANCHE_API_PASSWORD: { default: '', parser: optionalText, aide: 'API du Département de la Manche, mot de passe (authentification basic) ; secret' },
} satisfies Settings

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
  const o = parseSettings(CRAWL_ENV_FIELDS, env, 'Invalid crawler configuration')
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

// Configuration, parsed once from a schema. Each field names its environment variable and
// default; runtime/ reads the environment (process.env or Workers bindings) and passes it here.
// README's configuration table mirrors CONFIG_FIELDS.
import { z } from 'zod'
import { parseTrustedProxies } from './ip.ts'

export const CONFIG_FIELDS = {
  PORT: { default: '8787', doc: 'HTTP port of the Node server' },
  HOST: { default: '0.0.0.0', doc: 'Interface the Node server listens on' },
  GUICHET_DATA_DIR: { default: './data', doc: 'Folder of the SQLite file (guichet.sqlite) and other local data' },
  GUICHET_NOW: { default: '', doc: 'Fixes "today" (ISO date, e.g. 2026-03-01) for demos and reproducible tests; empty = the real date' },
  GUICHET_PUBLIC_URL: { default: '', doc: 'Public base URL used in links (e.g. https://guichet.example.fr); empty = from the request' },
  MEILI_HOST: { default: '', doc: 'Meilisearch URL; empty = the embedded in-process index' },
  MEILI_API_KEY: { default: '', doc: 'Meilisearch API key (secret)' },
  MEILI_INDEX: { default: 'programmes', doc: 'Meilisearch index uid' },
  LOG_LEVEL: { default: 'info', doc: 'debug | info | warn | error' },
  MicrosoftAppId: { default: '', doc: 'Teams bot: Microsoft App ID of the Azure Bot; with the two below, Bot Framework auth is on for /api/messages' },
  MicrosoftAppPassword: { default: '', doc: 'Teams bot: client secret of that app (secret)' },
  MicrosoftAppTenantId: { default: '', doc: 'Teams bot: tenant id of the app registration (single-tenant bot)' },
  TEAMS_DEV_UNAUTHENTICATED: { default: 'false', doc: 'true = accept Teams activities without Bot Framework credentials, replies to loopback serviceUrls allowed (local development only)' },
  SHUTDOWN_GRACE_MS: { default: '60000', doc: 'On SIGTERM/SIGINT, how long the running job and requests may take to finish before the server exits (set the orchestrator\'s stop timeout above it)' },
  TRUSTED_PROXIES: { default: '', doc: 'Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDR ranges, or loopback); empty = the TCP peer is the client' },
  RATE_LIMIT_PER_MINUTE: { default: '120', doc: 'Requests per minute per client (address; an IPv6 one by its /64) on every public route; 0 turns every rate limit off' },
  RATE_LIMIT_CHAT_PER_MINUTE: { default: '20', doc: 'Chat turns (POST /api/chat) per minute per client, within the general limit; 0 = no chat bucket' },
  RATE_LIMIT_WRITE_PER_MINUTE: { default: '10', doc: 'Subscriptions created or erased and confirm/unsubscribe links per minute per client, within the general limit; 0 = no write bucket' },
  RATE_LIMIT_TEAMS_PER_MINUTE: { default: '600', doc: 'Teams activities (POST /api/messages) per minute per sending address (the Bot Connector sends every user\'s from a few addresses); 0 = no Teams bucket' },
  SESSION_MAX_PER_CLIENT: { default: '50', doc: 'Web chat sessions kept per client; a new one beyond evicts the client\'s least recently used' },
  TEAMS_SDK: { default: 'botbuilder', doc: 'Teams bot SDK: botbuilder (botbuilder + teams-ai, archived by Microsoft) | agents (Microsoft 365 Agents SDK)' },
} as const

const optionalText = z.string().trim().transform((s) => (s === '' ? undefined : s))

/** A whole number from the environment; empty = the default (an empty variable never means 0). */
const count = (fallback: number, min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number({ error: 'nombre entier attendu' }).int('nombre entier attendu').min(min, `${min} au moins`).max(max, `${max} au plus`).default(fallback))

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  GUICHET_DATA_DIR: z.string().min(1).default('./data'),
  GUICHET_NOW: optionalText
    .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'ISO date attendue, ex. 2026-03-01').optional())
    .optional(),
  GUICHET_PUBLIC_URL: optionalText.pipe(z.url().optional()).optional(),
  MEILI_HOST: optionalText.pipe(z.url().optional()).optional(),
  MEILI_API_KEY: optionalText.optional(),
  MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('programmes'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  MicrosoftAppId: optionalText.optional(),
  MicrosoftAppPassword: optionalText.optional(),
  MicrosoftAppTenantId: optionalText.optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  TRUSTED_PROXIES: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).refine((list) => {
    try { parseTrustedProxies(list); return true } catch { return false }
  }, 'adresses IP ou plages CIDR séparées par des virgules attendues (ou loopback)'),
  RATE_LIMIT_PER_MINUTE: count(120, 0, 1_000_000),
  RATE_LIMIT_CHAT_PER_MINUTE: count(20, 0, 1_000_000),
  RATE_LIMIT_WRITE_PER_MINUTE: count(10, 0, 1_000_000),
  RATE_LIMIT_TEAMS_PER_MINUTE: count(600, 0, 1_000_000),
  SESSION_MAX_PER_CLIENT: count(50, 1, 100_000),
  TEAMS_SDK: z.enum(['botbuilder', 'agents'], { error: 'botbuilder ou agents attendu' }).default('botbuilder'),
  TEAMS_DEV_UNAUTHENTICATED: z.enum(['true', 'false'], { error: 'true ou false attendu' }).default('false').transform((v) => v === 'true'),
})

export type Config = z.infer<typeof ConfigSchema>

export function parseConfig(env: Record<string, string | undefined>): Config {
  const picked = Object.fromEntries(Object.keys(CONFIG_FIELDS).map((k) => [k, env[k]]).filter(([, v]) => v !== undefined))
  const parsed = ConfigSchema.safeParse(picked)
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${msg}`)
  }
  return parsed.data
}

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
  TRUSTED_PROXIES: { default: '', doc: 'Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDR ranges, or loopback); empty = the TCP peer is the client' },
  TEAMS_SDK: { default: 'botbuilder', doc: 'Teams bot SDK: botbuilder (botbuilder + teams-ai, archived by Microsoft) | agents (Microsoft 365 Agents SDK)' },
} as const

const optionalText = z.string().trim().transform((s) => (s === '' ? undefined : s))

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
  TRUSTED_PROXIES: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).refine((list) => {
    try { parseTrustedProxies(list); return true } catch { return false }
  }, 'adresses IP ou plages CIDR séparées par des virgules attendues (ou loopback)'),
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

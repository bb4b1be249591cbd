// The alerts' configuration, parsed from the environment with zod. These fields are meant to
// join core/config.ts (CONFIG_FIELDS and ConfigSchema); until then the Node runtime parses
// them here, with the same names, so a Config that has them fits AlertsConfig as it is.
import { z } from 'zod'

export const ALERTS_CONFIG_FIELDS = {
  ALERTS_SECRET: { default: '', doc: 'Key (≥ 32 characters) that signs alert links and derives webhook secrets (secret); empty = generated once and kept in the SQLite meta table' },
  ALERTS_SCHEDULE: { default: '0 7 * * *', doc: 'node-cron expression of the daily alerts digest (Europe/Paris); "off" disables it' },
  ALERTS_RETRY_SCHEDULE: { default: '*/30 * * * *', doc: 'node-cron expression of the retry of failed alert messages; "off" disables it' },
  SMTP_URL: { default: '', doc: 'SMTP server for alert e-mails, e.g. smtp://user:pass@host:587 (secret); empty = the SQLite outbox (table alert_outbox)' },
  MAIL_FROM: { default: 'Guichet <alertes@guichet.invalid>', doc: 'From address of alert e-mails' },
  ALERTS_WEBHOOK_ALLOW_PRIVATE: { default: 'false', doc: 'true = accept http:// and private-network webhook URLs (tests, intranets); false = every DNS address must be public, at subscription and at each send' },
} as const

const optionalText = z.string().trim().transform((s) => (s === '' ? undefined : s))
const cronOrOff = z
  .string()
  .trim()
  .refine((s) => s === 'off' || s.split(/\s+/).length === 5 || s.split(/\s+/).length === 6, 'expression cron (5 ou 6 champs) ou off attendue')

export const AlertsConfigSchema = z.object({
  ALERTS_SECRET: optionalText.pipe(z.string().min(32, '32 caractères au moins').optional()).optional(),
  ALERTS_SCHEDULE: cronOrOff.default('0 7 * * *'),
  ALERTS_RETRY_SCHEDULE: cronOrOff.default('*/30 * * * *'),
  SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/, error: 'URL smtp:// ou smtps:// attendue' }).optional()).optional(),
  MAIL_FROM: z.string().trim().min(3).default('Guichet <alertes@guichet.invalid>'),
  ALERTS_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
})

export type AlertsConfig = z.infer<typeof AlertsConfigSchema>

export function parseAlertsConfig(env: Record<string, string | undefined>): AlertsConfig {
  const picked = Object.fromEntries(Object.keys(ALERTS_CONFIG_FIELDS).map((k) => [k, env[k]]).filter(([, v]) => v !== undefined))
  const parsed = AlertsConfigSchema.safeParse(picked)
  if (!parsed.success) throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return parsed.data
}

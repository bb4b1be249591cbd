// The alerts' configuration: one declaration per setting (name, default, parser, French
// one-liner; see core/settings.ts), parsed from the environment by the Node runtime. The names
// are those a Config would carry, so a Config that has them fits AlertsConfig as it is.
import { z } from 'zod'
import { parseSettings, type ParsedSettings, type Settings } from '../../core/settings.ts'

const optionalText = z.string().trim().transform((s) => (s === '' ? undefined : s))
const cronOrOff = z
  .string()
  .trim()
  .refine((s) => s === 'off' || s.split(/\s+/).length === 5 || s.split(/\s+/).length === 6, 'expression cron (5 ou 6 champs) ou off attendue')

export const ALERTS_CONFIG_FIELDS = {
  ALERTS_SECRET: {
    default: '',
    parser: optionalText.pipe(z.string().min(32, '32 caractères au moins').optional()).optional(),
    aide: "Clé (32 caractères au moins) qui signe les liens des alertes et dérive les secrets des webhooks (secret) ; vide = générée une fois et gardée dans la table meta de SQLite",
  },
  ALERTS_SCHEDULE: { default: '0 7 * * *', parser: cronOrOff, aide: 'Expression node-cron du récapitulatif quotidien des alertes (Europe/Paris) ; « off » le coupe' },
  ALERTS_RETRY_SCHEDULE: { default: '*/30 * * * *', parser: cronOrOff, aide: 'Expression node-cron de la reprise des messages d\'alerte en échec ; « off » la coupe' },
  SMTP_URL: {
    default: '',
    parser: optionalText.pipe(z.url({ protocol: /^smtps?$/, error: 'URL smtp:// ou smtps:// attendue' }).optional()).optional(),
    aide: "Serveur SMTP des courriels d'alerte, ex. smtp://utilisateur:motdepasse@hote:587 (secret) ; vide = la boîte d'envoi SQLite (table alert_outbox)",
  },
  MAIL_FROM: { default: 'Guichet <alertes@guichet.invalid>', parser: z.string().trim().min(3), aide: "Adresse d'expéditeur (From) des courriels d'alerte" },
  ALERTS_WEBHOOK_ALLOW_PRIVATE: {
    default: 'false',
    parser: z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1'),
    aide: 'true = URL de webhook en http:// et sur réseau privé acceptées (tests, intranets) ; false = toute adresse DNS doit être publique, à l\'abonnement et à chaque envoi',
  },
} satisfies Settings

export type AlertsConfig = ParsedSettings<typeof ALERTS_CONFIG_FIELDS>

export function parseAlertsConfig(env: Record<string, string | undefined>): AlertsConfig {
  return parseSettings(ALERTS_CONFIG_FIELDS, env, 'Invalid configuration')
}

/** What composes the alerts (Node server and `npm run alerts`, Workers): their settings and the base of their links. */
export type AlertsSettings = AlertsConfig & { GUICHET_PUBLIC_URL?: string | undefined }

/**
 * Every alert carries links (manage, calendar, unsubscribe) and a digest has no request to take
 * the server's address from: without GUICHET_PUBLIC_URL nothing is sent. One line, French then English.
 */
export const PUBLIC_URL_REQUIRED =
  "GUICHET_PUBLIC_URL manque : les alertes contiennent des liens (gérer, calendrier, désabonnement) et l'envoi n'a pas de requête d'où tirer l'adresse du serveur ; définissez GUICHET_PUBLIC_URL (ex. https://guichet.example.fr) / GUICHET_PUBLIC_URL is not set: alert links need the server's public base URL"

export { AlertsConfigError } from '../../bot/alerts/digest.ts'

/** Why this configuration cannot send alerts, or undefined when it can. */
export function alertsSendProblem(settings: { GUICHET_PUBLIC_URL?: string | undefined }): string | undefined {
  return settings.GUICHET_PUBLIC_URL ? undefined : PUBLIC_URL_REQUIRED
}

// The server's configuration: one declaration per setting (name, default, parser, French
// one-liner; see core/settings.ts). runtime/ reads the environment (process.env or Workers
// bindings) and passes it to parseConfig(); the README's configuration table, .env.example and
// `npm start -- --help` follow these declarations (test/docs/settings.test.ts).
import { z } from 'zod'
import { CouncilCalendarText } from './council-calendar.ts'
import { DEFAULT_COUNCIL_CALENDAR, DEFAULT_EXECUTORY_MARGIN_DAYS } from './council.ts'
import { parseTrustedProxies } from './ip.ts'
import { parseSettings, type ParsedSettings, type Settings } from './settings.ts'

const optionalText = z.string().trim().transform((s) => (s === '' ? undefined : s))

/** A whole number from the environment (declared with blankIsDefault: an empty variable never means 0). */
const count = (min: number, max: number) =>
  z.coerce.number({ error: 'nombre entier attendu' }).int('nombre entier attendu').min(min, `${min} au moins`).max(max, `${max} au plus`)

/** The SDKs that can serve the Teams channel (TEAMS_SDK); the first is the default. */
export const TEAMS_SDKS = ['botbuilder', 'agents'] as const

export const CONFIG_FIELDS = {
  PORT: { default: '8787', parser: z.coerce.number().int().min(0).max(65535), aide: 'Port HTTP du serveur Node' },
  HOST: { default: '0.0.0.0', parser: z.string(), aide: 'Interface sur laquelle le serveur Node écoute' },
  GUICHET_DATA_DIR: { default: './data', parser: z.string().min(1), aide: 'Dossier de la base SQLite (guichet.sqlite) et des autres données locales' },
  GUICHET_NOW: {
    default: '',
    parser: optionalText.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'ISO date attendue, ex. 2026-03-01').optional()).optional(),
    aide: "Fixe « aujourd'hui » (date ISO, ex. 2026-03-01) pour les démonstrations et les tests reproductibles ; vide = la date réelle",
  },
  GUICHET_PUBLIC_URL: { default: '', parser: optionalText.pipe(z.url().optional()).optional(), aide: "URL publique de base des liens (ex. https://guichet.example.fr) ; vide = celle de la requête, et aucun envoi d'alertes (un récapitulatif n'a pas de requête)" },
  MEILI_HOST: { default: '', parser: optionalText.pipe(z.url().optional()).optional(), aide: "URL de Meilisearch ; vide = l'index intégré, en mémoire" },
  MEILI_API_KEY: { default: '', parser: optionalText.optional(), aide: "Clé d'API Meilisearch (secret)" },
  MEILI_INDEX: { default: 'programmes', parser: z.string().regex(/^[A-Za-z0-9_-]+$/), aide: "Identifiant (uid) de l'index Meilisearch" },
  MEILI_START_ATTEMPTS: { default: '4', parser: z.coerce.number().int().min(1).max(20), aide: 'Essais de joindre Meilisearch au démarrage (attente 0,5 s puis doublée entre deux essais)' },
  MEILI_FALLBACK: {
    default: 'off',
    parser: z.enum(['off', 'embedded']),
    aide: "Meilisearch injoignable au démarrage : « off » = arrêt avec un message clair ; « embedded » = démarrage sur l'index intégré, avec un avertissement",
  },
  LOG_LEVEL: { default: 'info', parser: z.enum(['debug', 'info', 'warn', 'error']), aide: 'Niveau des journaux : debug, info, warn ou error' },
  MicrosoftAppId: { default: '', parser: optionalText.optional(), aide: "Teams : identifiant d'application Microsoft du bot Azure ; avec les deux suivants, l'authentification Bot Framework protège /api/messages" },
  MicrosoftAppPassword: { default: '', parser: optionalText.optional(), aide: 'Teams : secret client de cette application (secret)' },
  MicrosoftAppTenantId: { default: '', parser: optionalText.optional(), aide: "Teams : locataire (tenant) de l'inscription de l'application (bot à locataire unique)" },
  SHUTDOWN_GRACE_MS: {
    default: '60000',
    parser: z.coerce.number().int().min(0).max(3_600_000),
    aide: "À SIGTERM/SIGINT, temps laissé en ms à la tâche et aux requêtes en cours avant l'arrêt (le délai d'arrêt de l'orchestrateur doit être plus long)",
  },
  TRUSTED_PROXIES: {
    default: '',
    parser: z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).refine((list) => {
      try { parseTrustedProxies(list); return true } catch { return false }
    }, 'adresses IP ou plages CIDR séparées par des virgules attendues (ou loopback)'),
    aide: "Proxys inverses dont l'en-tête X-Forwarded-For est cru (IP ou plages CIDR séparées par des virgules, ou loopback) ; vide = le pair TCP est le client",
  },
  RATE_LIMIT_PER_MINUTE: { default: '120', parser: count(0, 1_000_000), blankIsDefault: true, aide: 'Requêtes par minute et par client (adresse ; une IPv6 par son /64) sur toute route publique ; 0 coupe toutes les limites' },
  RATE_LIMIT_CHAT_PER_MINUTE: { default: '20', parser: count(0, 1_000_000), blankIsDefault: true, aide: 'Tours de dialogue (POST /api/chat) par minute et par client, dans la limite générale ; 0 = pas de limite propre' },
  RATE_LIMIT_WRITE_PER_MINUTE: {
    default: '10',
    parser: count(0, 1_000_000),
    blankIsDefault: true,
    aide: 'Abonnements créés ou effacés et liens de confirmation ou de désabonnement par minute et par client, dans la limite générale ; 0 = pas de limite propre',
  },
  RATE_LIMIT_TEAMS_PER_MINUTE: {
    default: '600',
    parser: count(0, 1_000_000),
    blankIsDefault: true,
    aide: "Activités Teams (POST /api/messages) par minute et par adresse d'envoi (le Bot Connector envoie celles de tous depuis quelques adresses) ; 0 = pas de limite propre",
  },
  SESSION_MAX_PER_CLIENT: { default: '50', parser: count(1, 100_000), blankIsDefault: true, aide: 'Sessions de dialogue web gardées par client ; une de plus évince la moins récemment utilisée' },
  TEAMS_SDK: {
    default: TEAMS_SDKS[0],
    parser: z.enum(TEAMS_SDKS, { error: 'botbuilder ou agents attendu' }),
    aide: 'SDK du bot Teams : botbuilder (botbuilder + teams-ai, archivé par Microsoft) ou agents (Microsoft 365 Agents SDK)',
  },
  TEAMS_DEV_UNAUTHENTICATED: {
    default: 'false',
    parser: z.enum(['true', 'false'], { error: 'true ou false attendu' }).transform((v) => v === 'true'),
    aide: 'true = activités Teams acceptées sans identifiants Bot Framework, réponses permises vers des serviceUrl locales (développement local seulement)',
  },
  GUICHET_COUNCIL_CALENDAR: {
    default: DEFAULT_COUNCIL_CALENDAR,
    parser: CouncilCalendarText,
    aide: 'Calendrier du conseil supposé quand la collectivité ne donne pas le sien : règle mensuelle (« deuxième jeudi du mois », « dernier lundi du mois sauf août ») ou dates AAAA-MM-JJ séparées par des virgules',
  },
  GUICHET_COUNCIL_MARGIN_DAYS: {
    default: String(DEFAULT_EXECUTORY_MARGIN_DAYS),
    parser: count(0, 60),
    blankIsDefault: true,
    aide: 'Jours supposés entre le vote du conseil et la délibération exécutoire (signature, transmission en préfecture, publication : CGCT L2131-1)',
  },
  GUICHET_CONTROLLER_NAME: {
    default: '',
    parser: optionalText.optional(),
    aide: "Responsable du traitement nommé par la politique de confidentialité (la collectivité ou l'organisme qui exploite ce service) ; vide = « à compléter par l'organisme »",
  },
  GUICHET_CONTROLLER_CONTACT: {
    default: '',
    parser: optionalText.optional(),
    aide: 'Contact pour exercer ses droits et signaler un défaut d’accessibilité (adresse e-mail ou postale, page de contact) ; vide = « à compléter par l’organisme »',
  },
  GUICHET_DPO_CONTACT: { default: '', parser: optionalText.optional(), aide: 'Contact du délégué à la protection des données (DPO) de l’organisme ; vide = « à compléter par l’organisme »' },
  GUICHET_BACKUP_KEEP_DAYS: {
    default: '7',
    parser: count(1, 3650),
    blankIsDefault: true,
    aide: "Jours de conservation des sauvegardes (npm run backup) : les plus anciennes sont supprimées à chaque sauvegarde et par l'élagage horaire du serveur ; la politique de confidentialité l'annonce",
  },
} satisfies Settings

export type Config = ParsedSettings<typeof CONFIG_FIELDS>

export function parseConfig(env: Record<string, string | undefined>): Config {
  return parseSettings(CONFIG_FIELDS, env, 'Invalid configuration')
}

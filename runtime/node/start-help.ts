// `npm start -- --help`: the usage, then every setting the Node server reads, by group, each
// with its French one-liner and default, straight from the declarations (core/config.ts,
// crawler/crawl-options.ts, alerts-config.ts).
import { CONFIG_FIELDS } from '../../core/config.ts'
import { settingsHelp, type Settings } from '../../core/settings.ts'
import { CRAWL_ENV_FIELDS } from '../../crawler/crawl-options.ts'
import { ALERTS_CONFIG_FIELDS } from './alerts-config.ts'

/** The Node server's settings, by group, under their French titles. */
export const SETTING_GROUPS: { title: string; settings: Settings }[] = [
  { title: 'Serveur', settings: CONFIG_FIELDS },
  { title: 'Collecte (robot)', settings: CRAWL_ENV_FIELDS },
  { title: "Alertes d'échéances", settings: ALERTS_CONFIG_FIELDS },
]

export function startHelp(): string {
  const { PORT, GUICHET_DATA_DIR } = CONFIG_FIELDS
  return `npm start

  Démarre le serveur Guichet (http://127.0.0.1:${PORT.default}/ par défaut) avec ses défauts intégrés : index
  en mémoire, base SQLite dans ${GUICHET_DATA_DIR.default}, rappels dans la boîte d'envoi SQLite. Toute la configuration
  passe par l'environnement (PORT, HOST, GUICHET_DATA_DIR, GUICHET_NOW, MEILI_HOST, SMTP_URL…) :
  voir le tableau « Configuration » du README et .env.example.
${SETTING_GROUPS.map((g) => `\n${g.title} :\n${settingsHelp(g.settings)}\n`).join('')}`
}

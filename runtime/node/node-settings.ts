// The Node runtime's settings, read from the environment once, the same way for every entry point
// that composes the services: the server (`npm start`, runtime/node/main.ts) and the alerts
// command (`npm run alerts`, runtime/node/alerts-cli.ts). The server's Config, the crawl's and the
// alerts' settings (SMTP_URL, ALERTS_SECRET, ALERTS_*, MAIL_FROM): a command composed with less
// would send its e-mails elsewhere, or sign links the server refuses.
import { parseConfig, type Config } from '../../core/config.ts'
import { parseCrawlOptions, type CrawlSettings } from '../../crawler/crawl-options.ts'
import { parseAlertsConfig, type AlertsConfig } from './alerts-config.ts'

export interface NodeSettings {
  config: Config
  crawl: CrawlSettings
  alerts: AlertsConfig
}

export function parseNodeSettings(env: Record<string, string | undefined>): NodeSettings {
  return { config: parseConfig(env), crawl: parseCrawlOptions(env), alerts: parseAlertsConfig(env) }
}

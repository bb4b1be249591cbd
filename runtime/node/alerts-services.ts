// The alerts on Node, composed — once, for every entry point: the server (runtime/node/compose.ts
// and its schedule) and `npm run alerts` (runtime/node/alerts-cli.ts) both get them from
// composeNode, over the settings parsed once (runtime/node/node-settings.ts). The signing key
// (ALERTS_SECRET, or one generated once and kept in the SQLite meta table), the SQLite store,
// e-mail (SMTP or the outbox), signed webhooks with fetch, Teams through whatever TeamsNotifier
// the composition root hands in, the HTTP routes, the digest and its scheduled jobs. Without
// GUICHET_PUBLIC_URL the digest refuses to run (AlertsConfigError, naming the variable): its
// links would have no host.
import type { CouncilSettings } from '../../core/council-view.ts'
import { CONFIG_FIELDS } from '../../core/config.ts'
import { createHmac, randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import { createAlertsService, type AlertsService } from '../../bot/alerts/alerts-service.ts'
import { alertsRoutes } from '../../bot/alerts/alerts-routes.ts'
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import type { ChangeEventSource } from '../../bot/alerts/change-events.ts'
import { runDigest, type DigestHooks, type DigestReport } from '../../bot/alerts/digest.ts'
import { createLinkBuilder, type LinkBuilder } from '../../bot/alerts/links.ts'
import type { AlertSenders, MailSender, TeamsNotifier } from '../../bot/alerts/senders.ts'
import { createTokenSigner, type HmacSha256, type TokenSigner } from '../../bot/alerts/tokens.ts'
import { createWebhookConfirmer, createWebhookSender } from '../../bot/alerts/webhook-sender.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import { dayFromNumber, dayNumber, parisDay, type Clock } from '../../core/clock.ts'
import type { Geography } from '../../core/geography/geography.ts'
import type { Logger } from '../../core/logger.ts'
import { AlertsConfigError, alertsSendProblem, type AlertsSettings } from './alerts-config.ts'
import { createOutboxMailSender, createSmtpMailSender, messageIdHost, purgeOutbox } from './alerts-mailer.ts'
import { createSqliteAlertsStore } from './sqlite-alerts-store.ts'
import { createOutboundGuard, type Resolver } from './outbound-guard.ts'
import type { ScheduledJob } from './cron.ts'
import type { Db } from './sqlite.ts'

/** node:crypto HMAC: five times faster than Web Crypto, which matters for 35,000 digests. */
export const nodeHmac: HmacSha256 = async (key, message) => createHmac('sha256', key).update(message).digest()

const SECRET_KEY = 'alerts.secret'
const OUTBOX_KEEP_DAYS = 30
const LEDGER_KEEP_DAYS = 30

/** ALERTS_SECRET when set; else the key generated at first start and kept in the meta table. */
export function alertsSecret(db: Db, configured: string | undefined, logger: Logger): string {
  if (configured) return configured
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(SECRET_KEY) as { value: string } | undefined
  if (row) return row.value
  const secret = randomBytes(32).toString('base64url')
  db.prepare('INSERT OR IGNORE INTO meta (key, value, updated_at) VALUES (?, ?, ?)').run(SECRET_KEY, secret, new Date().toISOString())
  logger.warn('ALERTS_SECRET is not set: a signing key was generated and stored in the SQLite meta table (set ALERTS_SECRET in production)')
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(SECRET_KEY) as { value: string }).value
}

export interface AlertsServices {
  store: AlertsStore
  service: AlertsService
  signer: TokenSigner
  links: LinkBuilder
  senders: AlertSenders
  /** The Hono sub-app of the alerts' routes (mount with app.route('/', routes)). */
  routes: Hono
  /** Why nothing can be sent (GUICHET_PUBLIC_URL missing): runDigest then throws AlertsConfigError with it. */
  problem: string | undefined
  /** Where e-mails go: an SMTP server, the SQLite outbox (nobody sends them), or the sender a test handed in. */
  emailTransport: 'smtp' | 'outbox' | 'custom'
  /** One digest now (or only the retries of due ledger rows). */
  runDigest(options?: { now?: Date; retriesOnly?: boolean; hooks?: DigestHooks }): Promise<DigestReport>
  /** The digest, retry and purge jobs for startCron. */
  jobs: ScheduledJob[]
  close(): void
}

export interface ComposeAlertsOptions {
  db: Db
  /** PORT: the base of links made outside any request and any digest (a chat subscription) when GUICHET_PUBLIC_URL is not set. */
  config: AlertsSettings & { PORT?: number }
  clock: Clock
  logger: Logger
  catalogue: () => Catalogue
  geography: Geography
  /** The Teams channel's notifier (runtime/node/alerts-teams.ts); none = no Teams alerts. */
  teams?: TeamsNotifier
  /** The crawler's change events (its CrawlStore fits); none = no change items. */
  events?: ChangeEventSource
  /** Overrides the e-mail sender (tests). */
  mail?: MailSender
  /** The council calendar of the ICS feed's and the reminders' council dates (GUICHET_COUNCIL_*); default: the built-in one. */
  council?: CouncilSettings
  /** Replaces the guarded network for webhooks (tests that fake the receiver). */
  fetch?: typeof fetch
  /** The outbound guard's DNS resolver (tests: a host that resolves where they say). */
  resolve?: Resolver
  sleep?: (ms: number) => Promise<void>
}

export function composeAlerts(options: ComposeAlertsOptions): AlertsServices {
  const { db, config, clock, logger, catalogue, geography, teams, events } = options
  const signer = createTokenSigner({ secret: alertsSecret(db, config.ALERTS_SECRET, logger), hmac: nodeHmac })
  const publicUrl = config.GUICHET_PUBLIC_URL
  const problem = alertsSendProblem(config)
  // Routes take the request's origin when GUICHET_PUBLIC_URL is not set; a digest never uses this fallback (it refuses to run).
  const links = createLinkBuilder({ baseUrl: publicUrl ?? `http://localhost:${config.PORT ?? CONFIG_FIELDS.PORT.default}`, signer })
  const store = createSqliteAlertsStore(db)
  const host = messageIdHost(publicUrl)
  const smtp = !options.mail && config.SMTP_URL ? createSmtpMailSender({ url: config.SMTP_URL, from: config.MAIL_FROM, db, now: () => clock.now(), host }) : undefined
  const email = options.mail ?? smtp ?? createOutboxMailSender({ db, now: () => clock.now(), host })
  // Webhooks (challenge and deliveries) go through the outbound guard: every address the host
  // resolves to must be public (unless ALERTS_WEBHOOK_ALLOW_PRIVATE), checked at each send and pinned.
  const guard = createOutboundGuard({ allowPrivate: config.ALERTS_WEBHOOK_ALLOW_PRIVATE, ...(options.resolve ? { resolve: options.resolve } : {}) })
  const webhookFetch = options.fetch ?? (guard.fetch as typeof fetch)
  const secretFor = (id: string) => signer.webhookSecret(id)
  const webhook = createWebhookSender({ hmac: nodeHmac, secretFor, fetch: webhookFetch, ...(options.sleep ? { sleep: options.sleep } : {}) })
  const confirmWebhook = createWebhookConfirmer({ hmac: nodeHmac, secretFor, fetch: webhookFetch, now: () => clock.now() })
  const senders: AlertSenders = { email, webhook, ...(teams ? { teams } : {}) }
  const service = createAlertsService({
    store,
    catalogue,
    clock,
    signer,
    links,
    senders,
    logger,
    allowPrivateWebhooks: config.ALERTS_WEBHOOK_ALLOW_PRIVATE,
    checkWebhookUrl: (url) => guard.problem(url),
    confirmWebhook,
    ...(options.council ? { council: options.council } : {}),
  })
  const routes = alertsRoutes({ service, store, links, catalogue, geography, clock, ...(publicUrl ? { publicUrl } : {}) })

  if (problem) logger.error(`alerts: no digest will run: ${problem}`)
  const digest = async (o: { now?: Date; retriesOnly?: boolean; hooks?: DigestHooks } = {}) => {
    if (problem) throw new AlertsConfigError(problem)
    return runDigest({ now: o.now ?? clock.now(), store, catalogue: catalogue(), senders, links, logger, ...(options.council ? { council: options.council } : {}), ...(events ? { events } : {}), ...(o.retriesOnly ? { retriesOnly: true } : {}), ...(o.hooks ? { hooks: o.hooks } : {}) })
  }

  // Without a public URL the digest and its retries are not scheduled (the error above says why; /api/ready shows it).
  const jobs: ScheduledJob[] = []
  if (config.ALERTS_SCHEDULE !== 'off' && !problem) {
    jobs.push({
      name: 'alerts-digest',
      expression: config.ALERTS_SCHEDULE,
      run: async () => {
        await digest()
        purgeOutbox(db, new Date(clock.now().getTime() - OUTBOX_KEEP_DAYS * 86_400_000))
      },
    })
  }
  jobs.push({
    name: 'alerts-purge',
    expression: '40 3 * * *',
    run: async () => {
      // Ledger keys a month past their day can no longer repeat; erased subscriptions leave no history.
      const purged = await store.purge(dayFromNumber(dayNumber(parisDay(clock.now())) - LEDGER_KEEP_DAYS))
      logger.info('alerts ledger purged', { rows: purged })
    },
  })
  if (config.ALERTS_RETRY_SCHEDULE !== 'off' && !problem) jobs.push({ name: 'alerts-retry', expression: config.ALERTS_RETRY_SCHEDULE, run: async () => void (await digest({ retriesOnly: true })) })

  const emailTransport = options.mail ? 'custom' : smtp ? 'smtp' : 'outbox'
  return { store, service, signer, links, senders, routes, problem, emailTransport, runDigest: digest, jobs, close: () => smtp?.close() }
}

// Shared pieces of the alerts tests: programmes with deadlines around GUICHET_NOW (2026-03-01)
// on top of the real catalogue, a clock the test moves, and an alerts environment over the
// in-memory store, the SQLite one or the D1 one (Workers, through Miniflare).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { createAlertsService, type AlertsService } from '../../bot/alerts/alerts-service.ts'
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import type { ChangeEventSource } from '../../bot/alerts/change-events.ts'
import { runDigest, type DigestHooks, type DigestReport } from '../../bot/alerts/digest.ts'
import { createLinkBuilder, type LinkBuilder } from '../../bot/alerts/links.ts'
import { createMemoryAlertsStore } from '../../bot/alerts/memory-alerts-store.ts'
import type { Resolver } from '../../runtime/node/outbound-guard.ts'
import type { WebhookConfirmer } from '../../bot/alerts/webhook-sender.ts'
import { createMemoryMailSender, type AlertSenders, type MailSender, type OutgoingMail } from '../../bot/alerts/senders.ts'
import { createTokenSigner, type TokenSigner } from '../../bot/alerts/tokens.ts'
import { errorResponse } from '../../bot/http-errors.ts'
import { createCatalogue, type Catalogue } from '../../content/catalogue.ts'
import type { Clock } from '../../core/clock.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { silentLogger } from '../../core/logger.ts'
import type { Programme } from '../../core/programme.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { composeAlerts, nodeHmac, type AlertsServices } from '../../runtime/node/alerts-services.ts'
import { createSqliteAlertsStore } from '../../runtime/node/sqlite-alerts-store.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'
import { createTtlLease } from '../../runtime/sql/alerts-lease.ts'
import { createSqlAlertsStore } from '../../runtime/sql/alerts-store.ts'
import { openD1 } from '../helpers/sql-databases.ts'
import { buildProgramme } from '../builders/programme.ts'

export const SECRET = 'test-secret-for-the-alerts-0123456789abcdef'
export const BASE = 'https://guichet.test'
export const VEZELAY = '89446'

/** A clock the test moves; a bare day is 09:00 in Paris. */
export function movableClock(start: string): Clock & { set(iso: string): void } {
  const parse = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T09:00:00+01:00`) : new Date(iso))
  let current = parse(start)
  return { now: () => new Date(current), set: (iso) => void (current = parse(iso)) }
}

/** A call for communes on school buildings, closing on each of `deadlines`. */
export function schoolCall(id: string, deadlines: string[], over: { estimated?: boolean; opensAt?: string; themes?: Programme['themes'] } = {}): Programme {
  return buildProgramme({
    id,
    name: `Appel ${id.replace(/_/g, ' ')}`,
    shortName: id.toUpperCase(),
    themes: over.themes ?? ['ecoles'],
    calendar: { kind: 'oneOff', editions: [{ label: '2026', opensAt: over.opensAt ?? '2026-01-05', deadlines, estimated: over.estimated ?? false }] },
    links: { official: `https://example.org/${id}`, apply: `https://example.org/${id}/deposer` },
    eligibility: { applicants: ['commune'] },
  })
}

export function catalogueWith(extra: Programme[]): Catalogue {
  return createCatalogue({ curated: [...loadCuratedProgrammes(), ...extra] })
}

/** The digest, the service and memory senders over one store: what a digest test needs. */
export interface AlertsEnv {
  clock: Clock & { set(iso: string): void }
  store: AlertsStore
  signer: TokenSigner
  links: LinkBuilder
  mail: MailSender & { sent: OutgoingMail[] }
  senders: AlertSenders
  service: AlertsService
  catalogue: { current: Catalogue }
  digest(options?: { hooks?: DigestHooks; retriesOnly?: boolean; events?: ChangeEventSource }): Promise<DigestReport>
  dispose(): void
}

/**
 * The store once `ready` resolves, usable at once: each call waits for it (every AlertsStore
 * method is async). Not a thenable itself, so that it can be returned from an async function.
 */
function storeWhenReady(ready: Promise<AlertsStore>): AlertsStore {
  return new Proxy({} as AlertsStore, {
    get: (_, name) => (name === 'then' ? undefined : async (...args: unknown[]) => ((await ready)[name as keyof AlertsStore] as (...a: unknown[]) => unknown)(...args)),
  })
}

export function alertsEnv({ start = '2026-03-01', programmes = [], store: kind = 'memory', senders: extra = {}, confirmWebhook }: { start?: string; programmes?: Programme[]; store?: 'memory' | 'sqlite' | 'd1'; senders?: Partial<AlertSenders>; confirmWebhook?: WebhookConfirmer } = {}): AlertsEnv {
  const clock = movableClock(start)
  let db: Db | undefined
  let dir: string | undefined
  if (kind === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'guichet-alerts-'))
    db = openDatabase(dir)
  }
  // D1 in Miniflare, with the Workers runtime's TTL lease.
  const d1 = kind === 'd1' ? openD1() : undefined
  const store = db ? createSqliteAlertsStore(db) : d1 ? storeWhenReady(d1.then(({ db: sqlDb }) => createSqlAlertsStore(sqlDb, { lease: createTtlLease(sqlDb), outbox: false }))) : createMemoryAlertsStore()
  const signer = createTokenSigner({ secret: SECRET, hmac: nodeHmac })
  const links = createLinkBuilder({ baseUrl: BASE, signer })
  const mail = createMemoryMailSender()
  const senders: AlertSenders = { email: mail, ...extra }
  const catalogue = { current: catalogueWith(programmes) }
  const service = createAlertsService({ store, catalogue: () => catalogue.current, clock, signer, links, senders, allowPrivateWebhooks: true, ...(confirmWebhook ? { confirmWebhook } : {}) })
  return {
    clock,
    store,
    signer,
    links,
    mail,
    senders,
    service,
    catalogue,
    digest: (o = {}) => runDigest({ now: clock.now(), store, catalogue: catalogue.current, senders, links, ...(o.events ? { events: o.events } : {}), ...(o.hooks ? { hooks: o.hooks } : {}), ...(o.retriesOnly ? { retriesOnly: true } : {}) }),
    dispose: () => {
      db?.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
      void d1?.then((opened) => opened.close())
    },
  }
}

/** The Node wiring of the alerts over a temp SQLite file, mounted as bot/app.ts will mount it. */
export function nodeAlerts({ env = {}, programmes = [], clock, teams, fetch: fetchFn, sleep, resolve, publicUrl = BASE }: { env?: Record<string, string>; programmes?: Programme[]; clock: Clock; teams?: Parameters<typeof composeAlerts>[0]['teams']; fetch?: typeof fetch; sleep?: (ms: number) => Promise<void>; resolve?: Resolver; publicUrl?: string }): {
  alerts: AlertsServices
  app: Hono
  db: Db
  /** Replaces the test programmes on top of the real catalogue (a programme appears). */
  setProgrammes(list: Programme[]): void
  dispose(): void
} {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-alerts-node-'))
  const db = openDatabase(dir)
  let catalogue = catalogueWith(programmes)
  const config = { ...parseAlertsConfig({ ALERTS_SECRET: SECRET, ALERTS_WEBHOOK_ALLOW_PRIVATE: 'true', ...env }), GUICHET_PUBLIC_URL: publicUrl }
  const alerts = composeAlerts({ db, config, clock, logger: silentLogger, catalogue: () => catalogue, geography: loadEtalabGeography(), ...(teams ? { teams } : {}), ...(fetchFn ? { fetch: fetchFn } : {}), ...(sleep ? { sleep } : {}), ...(resolve ? { resolve } : {}) })
  const app = new Hono()
  app.onError((err, c) => errorResponse(c, err, silentLogger))
  app.route('/', alerts.routes)
  return {
    alerts,
    app,
    db,
    setProgrammes: (list) => void (catalogue = catalogueWith(list)),
    dispose: () => {
      alerts.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function commune(code = VEZELAY) {
  const p = loadEtalabGeography().communeByInsee(code)
  if (!p) throw new Error(`no commune ${code}`)
  return p
}

/** Only the items about the given programmes (the real catalogue has its own deadlines too). */
export function itemsAbout<T extends { programmeId: string }>(rows: T[], ids: string[]): T[] {
  return rows.filter((r) => ids.includes(r.programmeId))
}

/** The path and query of a link, to request it from a Hono app. */
export function pathOf(url: string): string {
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}

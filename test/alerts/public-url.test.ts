// Without GUICHET_PUBLIC_URL no alert leaves: a digest has no request to take the server's address
// from, and every message carries links. On Node the server logs it once, schedules neither the
// digest nor its retries, /api/ready shows which variable to set, and a digest asked for anyway
// (the back office, a test) throws AlertsConfigError naming it; the API still answers with links
// from the request. On Workers (D1 through Miniflare) the Cron Trigger's digest throws the same.
// With the URL set, the same compositions run their digest.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlertsConfigError } from '../../bot/alerts/digest.ts'
import { parseConfig } from '../../core/config.ts'
import type { Logger } from '../../core/logger.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'
import { createSqlAlertsStore } from '../../runtime/sql/alerts-store.ts'
import { createTtlLease } from '../../runtime/sql/alerts-lease.ts'
import { composeWorkersAlerts } from '../../runtime/workers/alerts.ts'
import { CRONS, runScheduled } from '../../runtime/workers/scheduled.ts'
import { openD1, type OpenedDatabase } from '../helpers/sql-databases.ts'
import { catalogueWith, movableClock } from './helpers.ts'

const logged: { level: string; msg: string }[] = []
const recorder: Logger = {
  debug: () => {},
  info: () => {},
  warn: (msg) => void logged.push({ level: 'warn', msg }),
  error: (msg) => void logged.push({ level: 'error', msg }),
}

describe('the Node server without GUICHET_PUBLIC_URL', () => {
  let dir = ''
  let s: NodeServices
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guichet-no-public-url-'))
    s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01', RATE_LIMIT_PER_MINUTE: '0' }), { logger: recorder, alerts: parseAlertsConfig({ ALERTS_SECRET: 'no-public-url-secret-0123456789abcdef-01' }) })
  }, 60_000)
  afterAll(() => {
    s?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('logs once which variable to set, and schedules neither the digest nor its retries', () => {
    const errors = logged.filter((l) => l.level === 'error' && l.msg.includes('GUICHET_PUBLIC_URL'))
    expect(errors).toHaveLength(1)
    expect(errors[0]!.msg).toContain('définissez GUICHET_PUBLIC_URL')
    expect(s.alerts.jobs.map((j) => j.name)).toEqual(['alerts-purge'])
  })

  it('shows it in /api/ready, which stays ready', async () => {
    const res = await s.app.request('/api/ready')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { ready: boolean; checks: { alerts: { ok: boolean; problem?: string; failing: number; lost: number } } }
    expect(body.ready).toBe(true)
    expect(body.checks.alerts.ok).toBe(false)
    expect(body.checks.alerts.problem).toContain('GUICHET_PUBLIC_URL')
    expect(body.checks.alerts).toMatchObject({ failing: 0, lost: 0 })
  })

  it('refuses a digest asked for anyway, sending nothing, while the API still links from the request', async () => {
    const res = await s.app.request('https://guichet.mairie.example/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ collectivite: '89446', channels: { email: 'secretariat@vezelay.example' } }),
    })
    expect(res.status).toBe(201)
    const created = (await res.json()) as { id: string; manageUrl: string }
    expect(created.manageUrl.startsWith('https://guichet.mairie.example/')).toBe(true)
    await expect(s.alerts.runDigest()).rejects.toThrow(AlertsConfigError)
    await expect(s.alerts.runDigest({ retriesOnly: true })).rejects.toThrow(/GUICHET_PUBLIC_URL manque/)
    // The address confirmation was recorded at subscription; no digest touched the ledger.
    expect((await s.alerts.store.deliveries(created.id)).map((d) => d.kind)).toEqual(['confirm'])
  })
})

describe('the Workers digest (D1) without GUICHET_PUBLIC_URL', () => {
  let d1: OpenedDatabase
  beforeAll(async () => {
    d1 = await openD1()
  })
  afterAll(() => d1?.close())

  const compose = (publicUrl?: string) =>
    composeWorkersAlerts({
      db: d1.db,
      store: createSqlAlertsStore(d1.db, { lease: createTtlLease(d1.db), outbox: false }),
      config: { ALERTS_SECRET: 'workers-public-url-secret-0123456789abcd', ALERTS_WEBHOOK_ALLOW_PRIVATE: false, ...(publicUrl ? { GUICHET_PUBLIC_URL: publicUrl } : {}) },
      clock: movableClock('2026-03-01'),
      logger: recorder,
      catalogue: () => catalogueWith([]),
      geography: loadEtalabGeography(),
    })

  it('the Cron Trigger fails naming the variable; with it, the digest runs', async () => {
    const without = await compose()
    expect(without.problem).toContain('GUICHET_PUBLIC_URL')
    // The catalogue is the test's (no index to refill): its rebuild reports nothing done.
    const services = { catalogues: { rebuild: async () => ({ documents: 0, ms: 0, day: '2026-03-01', engine: 'embedded' as const }) }, logger: recorder, db: d1.db }
    await expect(runScheduled({ ...services, alerts: without }, { cron: CRONS.digest })).rejects.toThrow(/définissez GUICHET_PUBLIC_URL/)
    await expect(runScheduled({ ...services, alerts: without }, { cron: CRONS.retries })).rejects.toThrow(AlertsConfigError)
    const withUrl = await compose('https://guichet.example.fr')
    expect(withUrl.problem).toBeUndefined()
    expect((await withUrl.runDigest()).skipped).toBeUndefined()
  })
})

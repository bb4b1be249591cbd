// The alerts digest at national scale: one run for 35,000 subscriptions over 5,000 programmes
// (generateVariants), with the SQLite ledger (Node's store: the SQL store of runtime/sql/alerts-store.ts
// over better-sqlite3) and senders that only count (what is measured is Guichet: matching,
// recording, rendering — not a mail server). Two cases:
// - steady: every subscription had yesterday's digest (the daily case);
// - first: no subscription ever had one (all deadlines within 90 days are due at once: the worst case).
// Run alone: `node --expose-gc --import tsx test/bench/alerts-bench.ts [--mode=steady|first] [--subscriptions=N] [--programmes=N]`
// (prints one JSON line); from test/bench/run.ts, spawn it in a child process (see benchAlertsInChild).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BASELINE_DAY } from '../../bot/alerts/alerts-store.ts'
import { runDigest, type DigestReport } from '../../bot/alerts/digest.ts'
import { createLinkBuilder } from '../../bot/alerts/links.ts'
import type { AlertSenders, OutgoingMail, TeamsActivity, WebhookDelivery } from '../../bot/alerts/senders.ts'
import { normaliseLeadTimes, profileSnapshot, type Subscription } from '../../bot/alerts/subscription.ts'
import { createTokenSigner } from '../../bot/alerts/tokens.ts'
import { createCatalogue } from '../../content/catalogue.ts'
import { dayFromNumber, dayNumber, parisDay } from '../../core/clock.ts'
import etalabData from '../../core/geography/etalab-json.cjs'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Programme } from '../../core/programme.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { THEME_IDS, type ThemeId } from '../../core/themes.ts'
import { nodeHmac } from '../../runtime/node/alerts-services.ts'
import { createSqliteAlertsStore } from '../../runtime/node/sqlite-alerts-store.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { generateVariants } from './variants.ts'

export interface AlertsBenchResult {
  mode: 'steady' | 'first'
  subscriptions: number
  programmes: number
  today: string
  digestMs: number
  /** CPU time of the process during the run (user + system): the figure that load on a shared machine does not inflate. */
  cpuMs: number
  /** Resident memory right before and after the run, and the process peak (setup included). */
  rssBefore: number
  rssAfter: number
  peakRss: number
  messages: number
  report: Omit<DigestReport, 'ms'>
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/**
 * generateVariants shifts each variant's editions but keeps its base's typical window, so 90
 * variants of one recurring call would all close on the same day — a spike no real catalogue
 * has. Shift the window like the editions (or at random when there are none).
 */
function spreadTypicalWindows(list: Programme[], real: readonly Programme[], rand: () => number): Programme[] {
  const byId = new Map(real.map((p) => [p.id, p]))
  return list.map((p) => {
    const w = p.calendar.typicalWindow
    const base = byId.get(p.id.split('__v')[0]!)
    if (!w || !base || base === p) return p
    const a = p.calendar.editions.at(-1)?.deadlines.at(-1)
    const b = base.calendar.editions.at(-1)?.deadlines.at(-1)
    const shift = a && b ? dayNumber(a) - dayNumber(b) : Math.floor(rand() * 365)
    const move = (md: string) => dayFromNumber(dayNumber(`2025-${md}`) + shift).slice(5)
    const opens = move(w.opens)
    const closes = move(w.closes)
    return { ...p, calendar: { ...p.calendar, typicalWindow: { opens, closes } } }
  })
}

export async function benchAlerts({ subscriptions = 35_000, programmes = 5_000, mode = 'steady', now = new Date('2026-03-01T07:00:00+01:00') }: { subscriptions?: number; programmes?: number; mode?: 'steady' | 'first'; now?: Date } = {}): Promise<AlertsBenchResult> {
  const rand = rng(7)
  const real = loadCuratedProgrammes()
  const catalogueList = spreadTypicalWindows(generateVariants(real, programmes), real, rng(11))
  const catalogue = createCatalogue({ curated: catalogueList })
  const geography = loadEtalabGeography()
  const today = parisDay(now)
  const yesterday = dayFromNumber(dayNumber(today) - 1)

  // Collectivités: communes of France in order (one subscription each, a few share one), some EPCI.
  const communes = etalabData.communes.filter((c) => c.type === 'commune-actuelle')
  const profiles: CollectiviteProfile[] = []
  for (let i = 0; profiles.length < subscriptions && i < communes.length * 2; i++) {
    const p = i % 10 === 9 ? geography.epciBySiren(etalabData.epci[i % etalabData.epci.length]!.code) : geography.communeByInsee(communes[i % communes.length]!.code)
    if (p) profiles.push(p)
  }
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!

  const dir = mkdtempSync(join(tmpdir(), 'guichet-alerts-bench-'))
  const db = openDatabase(dir)
  // WAL + NORMAL: a commit survives a process crash without an fsync each (see the report's note).
  if (process.argv.includes('--full-sync')) db.pragma('synchronous = FULL')
  else db.pragma('synchronous = NORMAL')
  const store = createSqliteAlertsStore(db)
  const insert = db.prepare('INSERT INTO alert_subscriptions (id, created_at, json) VALUES (?, ?, ?)')
  const insertProgress = db.prepare('INSERT INTO alert_progress (subscription_id, last_digest_day, new_calls_since) VALUES (?, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < subscriptions; i++) {
      const r = rand()
      const themes = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(THEME_IDS)))] as ThemeId[]
      const newCalls = r < 0.3 ? 'daily' : r < 0.9 ? 'weekly' : 'off'
      const c = rand()
      const s: Subscription = {
        id: `bench${String(i).padStart(8, '0')}`,
        createdAt: '2026-01-01T08:00:00.000Z',
        source: 'api',
        profile: profileSnapshot(profiles[i % profiles.length]!),
        facts: {},
        themes,
        programmes: rand() < 0.1 ? [pick(catalogueList).id, pick(catalogueList).id, pick(catalogueList).id] : [],
        leadTimes: normaliseLeadTimes(rand() < 0.9 ? undefined : [14, 3]),
        newCalls,
        channels:
          c < 0.8
            ? { email: { address: `agent${i}@mairie.example`, confirmedAt: '2026-01-01T08:05:00.000Z', disabledAt: null, disabledReason: null } }
            : c < 0.92
              ? { webhook: { url: `https://hooks.example.org/${i}`, disabledAt: null, disabledReason: null, confirmedAt: '2026-01-01T00:00:00.000Z' } }
              : { teams: { conversationId: `a:conv${i}`, disabledAt: null, disabledReason: null } },
        lastDigestDay: mode === 'steady' ? yesterday : null,
        newCallsSince: newCalls === 'weekly' ? dayFromNumber(dayNumber(today) - 1 - Math.floor(rand() * 7)) : yesterday,
        unsubscribedAt: null,
      }
      insert.run(s.id, s.createdAt, JSON.stringify(s))
      insertProgress.run(s.id, s.lastDigestDay, s.newCallsSince)
    }
  })()
  // Known programmes are the baseline; the last 1 % appear today.
  await store.markSeen(catalogueList.slice(0, Math.floor(programmes * 0.99)).map((p) => p.id), BASELINE_DAY)

  let messages = 0
  const senders: AlertSenders = {
    email: { kind: 'memory', send: async (_m: OutgoingMail) => void messages++ as unknown as Promise<{ messageId?: string }> },
    teams: { knows: async () => true, send: async (_c: string, _a: TeamsActivity) => void messages++ },
    webhook: { send: async (_d: WebhookDelivery) => (messages++, { status: 200, attempts: 1 }) },
  }
  const links = createLinkBuilder({ baseUrl: 'https://guichet.example.fr', signer: createTokenSigner({ secret: 'bench-secret-0123456789-0123456789-abcdef', hmac: nodeHmac }) })

  ;(globalThis as { gc?: () => void }).gc?.()
  const rssBefore = process.memoryUsage().rss
  const cpu0 = process.cpuUsage()
  const started = performance.now()
  const { ms: _ms, ...report } = await runDigest({ now, store, catalogue, senders, links })
  const digestMs = performance.now() - started
  const cpu = process.cpuUsage(cpu0)
  const cpuMs = (cpu.user + cpu.system) / 1000
  const rssAfter = process.memoryUsage().rss
  const peakRss = process.resourceUsage().maxRSS * 1024
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return { mode, subscriptions, programmes, today, digestMs, cpuMs, rssBefore, rssAfter, peakRss, messages, report }
}

/** For test/bench/run.ts: one case in a fresh child process, so memory figures are its own. */
export function benchAlertsInChild(mode: 'steady' | 'first' = 'steady', root = new URL('../../', import.meta.url).pathname): AlertsBenchResult {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, `--mode=${mode}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })
  const line = run.stdout.trim().split('\n').at(-1) ?? ''
  if (run.status !== 0 || !line.startsWith('{')) throw new Error(`alerts bench failed: ${run.stderr}`)
  return JSON.parse(line) as AlertsBenchResult
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
  const result = await benchAlerts({
    mode: arg('mode') === 'first' ? 'first' : 'steady',
    ...(arg('subscriptions') ? { subscriptions: Number(arg('subscriptions')) } : {}),
    ...(arg('programmes') ? { programmes: Number(arg('programmes')) } : {}),
  })
  console.log(JSON.stringify(result))
}

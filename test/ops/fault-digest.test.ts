// Fault injection on the alerts digest: a child process (fault-digest-child.ts: the real Node
// alerts composition over a real SQLite file) sends the digest of 40 webhook and 40 e-mail
// subscriptions to a real HTTP receiver and a real SMTP server (smtp-server + mailparser) in this
// process, both slow to answer so that kills land mid-send; it is SIGKILLed at seeded random
// instants (at least 50 kills), restarted at once, sometimes on the next day (left-overs then
// meet new rows), until a run completes. Then:
// - PRAGMA quick_check after every kill and integrity_check at the end say ok;
// - no restart was skipped because of the dead process's lock;
// - every due delivery was received at least once, and the ledger says sent;
// - every copy received of an item carries the id of the first copy (webhook Idempotency-Key =
//   X-Guichet-Delivery = signed body's deliveryId; e-mail Message-ID), that id is the ledger's,
//   and one id always carries the same items;
// - a further run sends nothing.
// FAULT_SEED fixes the kill plan and the receivers' delays (printed; the default is fixed), so
// a failure can be replayed; FAULT_KILLS sets the number of kills (default 60).
import { spawn } from 'node:child_process'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenSigner } from '../../bot/alerts/tokens.ts'
import { nodeHmac } from '../../runtime/node/alerts-services.ts'
import { createSqliteAlertsStore } from '../../runtime/node/sqlite-alerts-store.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { emailAddress, emailSubscriptionId, FAULT_SECRET, faultProgrammes, faultSubscriptions, instantOf, MAX_DAYS, programmeName, prng, webhookSubscriptionId } from './fault-digest-fixture.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const CHILD = join(ROOT, 'test/ops/fault-digest-child.ts')
const SEED = Number(process.env.FAULT_SEED ?? 1515)
const TARGET_KILLS = Number(process.env.FAULT_KILLS ?? 60)
const WEBHOOKS = 40
const EMAILS = 40
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

interface Receipt {
  channel: 'webhook' | 'email'
  subscriptionId: string
  id: string
  /** Programme ids of the items, sorted. */
  items: string[]
  at: number
}

const receipts: Receipt[] = []
const problems: string[] = []
let waiters: (() => void)[] = []
const received = (r: Receipt) => {
  receipts.push(r)
  const w = waiters
  waiters = []
  for (const f of w) f()
}

// The receivers' delays: their own stream of the seed, so the kill plan does not depend on them.
const delayRng = prng(SEED ^ 0x5eed)
const answerDelay = () => 5 + Math.floor(delayRng() * 35)

const programmes = faultProgrammes()
const byName = programmes.map((p, i) => ({ id: p.id, name: programmeName(i + 1) }))
const signer = createTokenSigner({ secret: FAULT_SECRET, hmac: nodeHmac })

let dir = ''
let http: Server
let smtp: SMTPServer
let hookUrl = ''
let smtpUrl = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-fault-digest-'))
  http = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('error', () => {})
    res.on('error', () => {})
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8')
        const payload = JSON.parse(body) as { subscriptionId: string; deliveryId: string; items: { programme: { id: string } }[] }
        const key = String(req.headers['idempotency-key'] ?? '')
        const ts = String(req.headers['x-guichet-timestamp'] ?? '')
        const sig = Buffer.from(String(req.headers['x-guichet-signature'] ?? ''))
        const expected = Buffer.from(`sha256=${createHmac('sha256', await signer.webhookSecret(payload.subscriptionId)).update(`${ts}.${body}`).digest('hex')}`)
        if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) problems.push(`bad signature from ${payload.subscriptionId}`)
        if (key !== payload.deliveryId || key !== req.headers['x-guichet-delivery']) problems.push(`key ${key} ≠ body ${payload.deliveryId} / ${String(req.headers['x-guichet-delivery'])}`)
        if (!req.url?.endsWith(`/${payload.subscriptionId}`)) problems.push(`${payload.subscriptionId} posted to ${req.url}`)
        // Recorded as received before answering: a kill while the answer is on its way is a send
        // that happened but that the sender could not mark.
        received({ channel: 'webhook', subscriptionId: payload.subscriptionId, id: key, items: payload.items.map((i) => i.programme.id).sort(), at: performance.now() })
        setTimeout(() => res.writeHead(204).end(), answerDelay())
      })().catch((err: Error) => {
        problems.push(`webhook receiver: ${err.message}`)
        res.writeHead(400).end()
      })
    })
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  hookUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hooks`

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // A client killed mid-conversation just goes away.
    onClose() {},
    onData(stream, session, callback) {
      stream.on('error', () => {})
      simpleParser(stream)
        .then((mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address)[0] ?? ''
          const i = Number(/^mairie-(\d+)@/.exec(to)?.[1] ?? NaN)
          if (!mail.messageId?.endsWith('@guichet.fault.test>')) problems.push(`Message-ID ${mail.messageId}`)
          const id = mail.messageId?.replace(/^<|@guichet\.fault\.test>$/g, '') ?? ''
          if (stream.sizeExceeded) problems.push('message too large')
          received({ channel: 'email', subscriptionId: emailSubscriptionId(i), id, items: byName.filter((p) => mail.text?.includes(p.name)).map((p) => p.id).sort(), at: performance.now() })
          setTimeout(() => callback(), answerDelay())
        })
        .catch((err: Error) => callback(err))
    },
  })
  smtp.on('error', () => {})
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()))
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`

  const db = openDatabase(dir)
  const store = createSqliteAlertsStore(db)
  for (const s of faultSubscriptions(WEBHOOKS, EMAILS, hookUrl)) await store.createSubscription(s)
  db.close()
})

afterAll(async () => {
  await new Promise<void>((r) => http?.close(() => r()))
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

interface Run {
  day: number
  /** 'startup': a kill at a random instant after the spawn; 'send': after n receipts plus a delay. */
  plan: { mode: 'none' } | { mode: 'startup'; afterMs: number } | { mode: 'send'; receipts: number; delayMs: number }
  killed: boolean
  code: number | null
  /** Receipts seen during this run (before its kill or exit). */
  receipts: number
  ready: boolean
  stdout: string
  stderr: string
  ms: number
}

function waitForReceipts(n: number, exited: Promise<unknown>): Promise<boolean> {
  const target = receipts.length + n
  return new Promise((done) => {
    const check = () => {
      if (receipts.length >= target) done(true)
      else waiters.push(check)
    }
    check()
    void exited.then(() => done(false))
  })
}

async function runChild(day: number, plan: Run['plan']): Promise<Run> {
  const started = performance.now()
  const before = receipts.length
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, FAULT_DATA_DIR: dir, GUICHET_NOW: instantOf(day), SMTP_URL: smtpUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const run: Run = { day, plan, killed: false, code: null, receipts: 0, ready: false, stdout: '', stderr: '', ms: 0 }
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    run.stdout += s
    if (s.includes('phase:ready')) run.ready = true
  })
  child.stderr.setEncoding('utf8').on('data', (s: string) => (run.stderr += s))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) {
      run.receipts = receipts.length - before
      run.killed = child.kill('SIGKILL')
    }
  }
  let timer: NodeJS.Timeout | undefined
  if (plan.mode === 'startup') timer = setTimeout(kill, plan.afterMs)
  else if (plan.mode === 'send') {
    void waitForReceipts(plan.receipts, exited).then((reached) => {
      if (reached) timer = setTimeout(kill, plan.delayMs)
    })
  }
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000)
  run.code = await exited
  clearTimeout(watchdog)
  if (timer) clearTimeout(timer)
  if (!run.killed) run.receipts = receipts.length - before
  run.ms = performance.now() - started
  return run
}

function quickCheck(full = false): string {
  const db = new Database(join(dir, 'guichet.sqlite'), { readonly: true })
  try {
    return String(db.pragma(full ? 'integrity_check' : 'quick_check', { simple: true }))
  } finally {
    db.close()
  }
}

describe('digest under kill -9', () => {
  it(`loses nothing and repeats only under the same id (seed ${SEED})`, { timeout: 170_000 }, async () => {
    console.log(`fault-digest: seed ${SEED} (FAULT_SEED=${SEED} to repeat), ${TARGET_KILLS} kills, ${WEBHOOKS} webhooks + ${EMAILS} e-mails`)
    const rng = prng(SEED)
    const started = performance.now()
    const runs: Run[] = []
    const checks: string[] = []
    let day = 1
    let kills = 0
    for (;;) {
      const plan: Run['plan'] =
        kills >= TARGET_KILLS ? { mode: 'none' } : rng() < 0.15 ? { mode: 'startup', afterMs: Math.floor(rng() * 900) } : { mode: 'send', receipts: 1 + Math.floor(rng() * 4), delayMs: Math.floor(rng() * 40) }
      const run = await runChild(day, plan)
      runs.push(run)
      if (run.killed) {
        kills++
        checks.push(quickCheck())
        // Sometimes the next start is on the next day: the left-overs meet that day's new rows.
        if (rng() < 0.2 && day < MAX_DAYS) day++
        continue
      }
      // A restart must take over at once from a killed run (its lock must not hold the next one back).
      if (run.code === 3) throw new Error(`run ${runs.length} on day ${day}, right after kill ${kills}, was skipped: the killed run's lock blocks the restart`)
      expect(run.code, `run ${runs.length} on day ${day}: ${run.stdout}${run.stderr}`).toBe(0)
      if (kills >= TARGET_KILLS) break
      if (day < MAX_DAYS) day++
    }
    const lastDay = day
    const sentBefore = receipts.length
    // A further run the same day finds nothing to send.
    const again = await runChild(lastDay, { mode: 'none' })
    expect(again.code, again.stderr).toBe(0)
    const ms = performance.now() - started

    // The database.
    expect(checks.every((c) => c === 'ok'), checks.join(',')).toBe(true)
    expect(quickCheck(true)).toBe('ok')
    // No restart was turned away by the lock of a killed run.
    const skipped = runs.filter((r) => r.code === 3)
    expect(skipped.length, `skipped runs: ${skipped.map((r) => r.stdout).join(' | ')}`).toBe(0)
    expect(runs.filter((r) => !r.killed && r.code !== 0)).toEqual([])
    expect(problems).toEqual([])
    expect(receipts.length).toBe(sentBefore)

    // The ledger: every row sent, under a message id.
    const db = new Database(join(dir, 'guichet.sqlite'), { readonly: true })
    const rows = db.prepare('SELECT subscription_id, programme_id, state, message_id FROM alert_deliveries').all() as { subscription_id: string; programme_id: string; state: string; message_id: string | null }[]
    db.close()
    const subs = [...Array.from({ length: WEBHOOKS }, (_, i) => webhookSubscriptionId(i)), ...Array.from({ length: EMAILS }, (_, i) => emailSubscriptionId(i))]
    const due = programmes.slice(0, lastDay).map((p) => p.id)
    expect(rows).toHaveLength(subs.length * due.length)
    expect(rows.filter((r) => r.state !== 'sent' || !r.message_id || !UUID.test(r.message_id))).toEqual([])

    // Every due delivery received, every copy under the ledger's id, one id = one content.
    const idsOf = new Map<string, Set<string>>()
    const contentOf = new Map<string, string>()
    for (const r of receipts) {
      for (const p of r.items) {
        const k = `${r.channel} ${r.subscriptionId} ${p}`
        idsOf.set(k, (idsOf.get(k) ?? new Set()).add(r.id))
      }
      const content = `${r.subscriptionId} ${r.items.join(',')}`
      if ((contentOf.get(r.id) ?? content) !== content) problems.push(`id ${r.id} carried ${contentOf.get(r.id)} then ${content}`)
      contentOf.set(r.id, content)
    }
    const missing: string[] = []
    const split: string[] = []
    for (const row of rows) {
      const channel = row.subscription_id.startsWith('fault-webhook') ? 'webhook' : 'email'
      const ids = idsOf.get(`${channel} ${row.subscription_id} ${row.programme_id}`)
      if (!ids) missing.push(`${row.subscription_id} ${row.programme_id}`)
      else if (ids.size !== 1 || !ids.has(row.message_id!)) split.push(`${row.subscription_id} ${row.programme_id}: ${[...ids].join(' ')} (ledger ${row.message_id})`)
    }
    expect(missing).toEqual([])
    expect(split).toEqual([])
    expect(problems).toEqual([])

    // The figures, and that the kills landed where they should.
    const byId = new Map<string, number>()
    for (const r of receipts) byId.set(r.id, (byId.get(r.id) ?? 0) + 1)
    const duplicates = [...byId.values()].reduce((n, c) => n + c - 1, 0)
    const killed = runs.filter((r) => r.killed)
    const midSend = killed.filter((r) => r.receipts > 0).length
    const beforeReady = killed.filter((r) => !r.ready).length
    const childMs = runs.map((r) => r.ms).sort((a, b) => a - b)
    console.log(
      `fault-digest: seed ${SEED}: ${kills} kills (${midSend} mid-send, ${killed.length - midSend - beforeReady} after start-up before any receipt, ${beforeReady} during start-up), ` +
        `${runs.length + 1} runs over ${lastDay} days, ${receipts.length} messages received for ${byId.size} message ids (${duplicates} repeats, all under their first id), ` +
        `${rows.length} ledger rows sent; child run median ${Math.round(childMs[childMs.length >> 1]!)} ms; total ${(ms / 1000).toFixed(1)} s`,
    )
    expect(kills).toBeGreaterThanOrEqual(50)
    expect(midSend).toBeGreaterThanOrEqual(Math.floor(kills / 2))
    // Kills while a message was on its way did cause repeats: the same-id check was exercised.
    expect(duplicates).toBeGreaterThan(0)
  })
})

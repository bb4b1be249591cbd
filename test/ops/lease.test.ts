// Job leases (runtime/node/lease.ts) over a real SQLite file, with real processes: a lease held
// by a live process turns others away until its expiry; held by a process killed with SIGKILL,
// it is taken over at once (same host, pid gone), also through the crawl and alerts stores;
// same pid under another boot id (a container restarted as pid 1) is dead too; a holder on
// another host is waited for until its expiry; a run that lost its lease cannot write.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CrawlLeaseLostError } from '../../crawler/crawl-store.ts'
import { createSqliteAlertsStore } from '../../runtime/node/sqlite-alerts-store.ts'
import { createSqliteCrawlStore } from '../../runtime/node/sqlite-crawl-store.ts'
import { createLeases, THIS_PROCESS } from '../../runtime/node/lease.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const CHILD = join(ROOT, 'test/ops/lease-child.ts')

let dir = ''
let db: Db
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-lease-'))
  db = openDatabase(dir)
})
afterAll(() => {
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Starts the child and resolves once it says « held » (or « refused »). */
function holder(env: Record<string, string>): Promise<{ child: ChildProcess; said: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, env: { ...process.env, LEASE_DATA_DIR: dir, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((ok, ko) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) ok({ child, said: out.trim() })
    })
    child.on('error', ko)
    child.on('exit', (code) => {
      if (!out.includes('\n')) ko(new Error(`lease child exited with ${code} before speaking`))
    })
  })
}

const killed = (child: ChildProcess) =>
  new Promise<void>((ok) => {
    child.on('exit', () => ok())
    child.kill('SIGKILL')
  })

describe('job leases', () => {
  it('a live holder keeps others out; once it is killed with SIGKILL its lease is taken at once, not after the expiry', async () => {
    const leases = createLeases(db)
    const { child, said } = await holder({ LEASE_NAME: 'crawl', LEASE_OWNER: 'run-child', LEASE_TTL_MS: '600000' })
    expect(said).toBe('held')
    expect(leases.holder('crawl')).toMatchObject({ owner: 'run-child', host: THIS_PROCESS.host, pid: child.pid })
    expect(leases.acquire('crawl', 'run-parent', new Date(), 45_000)).toBe(false)
    // A second process is turned away as well.
    const second = await holder({ LEASE_NAME: 'crawl', LEASE_OWNER: 'run-second' })
    expect(second.said).toBe('refused')
    const t0 = performance.now()
    await killed(child)
    // Ten minutes of TTL left, yet the lease is free: its pid is gone.
    expect(leases.acquire('crawl', 'run-parent', new Date(), 45_000)).toBe(true)
    expect(performance.now() - t0).toBeLessThan(2_000)
    expect(leases.holder('crawl')).toMatchObject({ owner: 'run-parent', pid: process.pid, bootId: THIS_PROCESS.bootId })
    leases.release('crawl', 'run-parent')
    expect(leases.holder('crawl')).toBeUndefined()
  }, 30_000)

  it('the crawl and alerts stores take over a killed process’s lease; the crawl store refuses the dead run’s writes only once another run holds it', async () => {
    const crawl = createSqliteCrawlStore(db)
    const alerts = createSqliteAlertsStore(db)
    const a = await holder({ LEASE_NAME: 'crawl', LEASE_OWNER: 'run-dead', LEASE_TTL_MS: '600000' })
    const b = await holder({ LEASE_NAME: 'digest', LEASE_OWNER: 'digest-dead', LEASE_TTL_MS: '600000' })
    expect([a.said, b.said]).toEqual(['held', 'held'])
    expect(await crawl.acquireLock('run-new', new Date(), 45_000)).toBe(false)
    expect(await alerts.acquireLock('digest-new', new Date(), 45_000)).toBe(false)
    await Promise.all([killed(a.child), killed(b.child)])
    expect(await crawl.acquireLock('run-new', new Date(), 45_000)).toBe(true)
    expect(await alerts.acquireLock('digest-new', new Date(), 45_000)).toBe(true)
    // The owner taking it again pushes the expiry (the digest's heartbeat).
    expect(await alerts.acquireLock('digest-new', new Date(), 45_000)).toBe(true)
    const write = { sourceId: 's', runId: 'run-dead', at: '2026-03-01T00:00:00.000Z', rows: [], goneIds: [], events: [] }
    await expect(crawl.recordSuccess(write)).rejects.toBeInstanceOf(CrawlLeaseLostError)
    await expect(crawl.finishRun({ id: 'run-dead', trigger: 't', startedAt: write.at, endedAt: write.at, durationMs: 1, status: 'ok', sources: [], errors: [] })).rejects.toBeInstanceOf(CrawlLeaseLostError)
    await crawl.recordSuccess({ ...write, runId: 'run-new' })
    expect(await crawl.refreshLock('run-new', new Date(), 45_000)).toBe(true)
    await crawl.releaseLock('run-new')
    await alerts.releaseLock('digest-new')
  }, 30_000)

  it('same host and pid under another boot id is an earlier process (a container restarted as pid 1); another host is waited for until the expiry', () => {
    const t0 = new Date('2026-03-01T02:00:00Z')
    const before = createLeases(db, { self: { host: 'box', pid: 1, bootId: 'boot-1' }, isAlive: () => true })
    const after = createLeases(db, { self: { host: 'box', pid: 1, bootId: 'boot-2' }, isAlive: () => true })
    const elsewhere = createLeases(db, { self: { host: 'other-box', pid: 1, bootId: 'boot-3' }, isAlive: () => false })
    expect(before.acquire('job', 'old', t0, 45_000)).toBe(true)
    // The same process (same boot id) sees its own other run alive.
    expect(before.acquire('job', 'old-2', t0, 45_000)).toBe(false)
    // Another host cannot check a pid: it waits for the expiry…
    expect(elsewhere.acquire('job', 'far', new Date(t0.getTime() + 44_999), 45_000)).toBe(false)
    // …while the restarted process takes over at once.
    expect(after.acquire('job', 'new', new Date(t0.getTime() + 1_000), 45_000)).toBe(true)
    expect(before.renew('job', 'old', new Date(t0.getTime() + 2_000), 45_000)).toBe(false)
    expect(before.heldByOther('job', 'old')).toBe(true)
    expect(elsewhere.acquire('job', 'far', new Date(t0.getTime() + 46_001), 45_000)).toBe(true)
    elsewhere.release('job', 'far')
  })

  it('a dead holder’s lease goes to the first taker; a second taker, from another connection, finds it live', () => {
    const dead = createLeases(db, { self: { host: THIS_PROCESS.host, pid: 999_999_999, bootId: 'x' } })
    expect(dead.acquire('race', 'dead', new Date(), 600_000)).toBe(true)
    const db2 = openDatabase(dir)
    try {
      const one = createLeases(db)
      const two = createLeases(db2, { self: { ...THIS_PROCESS, pid: process.pid + 1_000_000_000, bootId: 'y' } })
      const wins = [one.acquire('race', 'one', new Date(), 45_000), two.acquire('race', 'two', new Date(), 45_000)]
      expect(wins).toEqual([true, false])
    } finally {
      db2.close()
    }
  })
})

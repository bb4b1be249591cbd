// Job leases in the SQLite file (table job_leases, migration 12): one row per job ('crawl',
// 'alerts') naming the run that holds it (an owner token), the process it runs in (host, pid and
// a random id drawn at each process start) and an expiry, kept short (LEASE_TTL_MS) and pushed
// by the job's heartbeat (core/heartbeat.ts) while it runs. A lease is taken when free, when past its expiry, or at
// once when its holder is known dead: it ran on this host and its pid is gone (kill(pid, 0) →
// ESRCH), or its pid is this process's under another boot id (a container restarted as pid 1).
// So a process restarted after `kill -9` proceeds at once; a holder on another host (a shared
// volume) is waited for until its expiry. Taking is one IMMEDIATE transaction: two processes
// racing for a dead holder's lease cannot both win. Writes of a job check that no other run
// holds its lease (`heldByOther`), so a run that lost its lease stops writing.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Db } from './sqlite.ts'

export { LEASE_HEARTBEAT_MS, LEASE_TTL_MS, startHeartbeat } from '../../core/heartbeat.ts'

export interface ProcessIdentity {
  host: string
  pid: number
  /** Drawn at each process start: tells this process from an earlier one that had the same pid. */
  bootId: string
}

export const THIS_PROCESS: ProcessIdentity = { host: hostname(), pid: process.pid, bootId: randomUUID() }

/** Whether a pid on this host is a live process (EPERM: alive, owned by another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface LeaseHolder {
  name: string
  owner: string
  host: string
  pid: number
  bootId: string
  acquiredAt: string
  renewedAt: string
  /** Epoch ms. */
  expiresAt: number
}

export interface Leases {
  /** Takes the lease for `owner` (or pushes its expiry when `owner` holds it); false when a live holder has it. */
  acquire(name: string, owner: string, now: Date, ttlMs: number): boolean
  /** Pushes the expiry of a lease `owner` holds; false when it is no longer theirs. */
  renew(name: string, owner: string, now: Date, ttlMs: number): boolean
  release(name: string, owner: string): void
  holder(name: string): LeaseHolder | undefined
  /** Whether the holder can be taken over: expired, or its process is known dead. */
  isDead(holder: LeaseHolder, now: Date): boolean
  /** Another owner holds the lease (expired or not, until someone takes it): `owner` must not write. */
  heldByOther(name: string, owner: string): boolean
}

export interface LeaseOptions {
  /** This process (tests play other processes). */
  self?: ProcessIdentity
  isAlive?: (pid: number) => boolean
}

interface LeaseRow {
  name: string
  owner: string
  host: string
  pid: number
  boot_id: string
  acquired_at: string
  renewed_at: string
  expires_at: number
}

const toHolder = (r: LeaseRow): LeaseHolder => ({ name: r.name, owner: r.owner, host: r.host, pid: r.pid, bootId: r.boot_id, acquiredAt: r.acquired_at, renewedAt: r.renewed_at, expiresAt: r.expires_at })

export function createLeases(db: Db, { self = THIS_PROCESS, isAlive = pidAlive }: LeaseOptions = {}): Leases {
  const q = {
    get: db.prepare<[string], LeaseRow>('SELECT * FROM job_leases WHERE name = ?'),
    insert: db.prepare('INSERT INTO job_leases (name, owner, host, pid, boot_id, acquired_at, renewed_at, expires_at) VALUES (@name, @owner, @host, @pid, @bootId, @at, @at, @expiresAt)'),
    // Compare-and-swap on the previous owner: only one taker of a dead holder's lease wins.
    takeOver: db.prepare(
      `UPDATE job_leases SET owner = @owner, host = @host, pid = @pid, boot_id = @bootId, acquired_at = @at, renewed_at = @at, expires_at = @expiresAt
       WHERE name = @name AND owner = @previous`,
    ),
    renew: db.prepare('UPDATE job_leases SET renewed_at = @at, expires_at = @expiresAt WHERE name = @name AND owner = @owner'),
    release: db.prepare('DELETE FROM job_leases WHERE name = ? AND owner = ?'),
    other: db.prepare<[string, string], { owner: string }>('SELECT owner FROM job_leases WHERE name = ? AND owner <> ?'),
  }

  const isDead = (h: LeaseHolder, now: Date): boolean => {
    if (h.expiresAt <= now.getTime()) return true
    if (h.host !== self.host) return false
    if (h.pid === self.pid) return h.bootId !== self.bootId
    return !isAlive(h.pid)
  }

  const acquireTx = db.transaction((name: string, owner: string, now: Date, ttlMs: number): boolean => {
    const params = { name, owner, host: self.host, pid: self.pid, bootId: self.bootId, at: now.toISOString(), expiresAt: now.getTime() + ttlMs }
    const row = q.get.get(name)
    if (!row) return q.insert.run(params).changes === 1
    if (row.owner === owner) return q.renew.run(params).changes === 1
    if (!isDead(toHolder(row), now)) return false
    return q.takeOver.run({ ...params, previous: row.owner }).changes === 1
  })

  return {
    acquire: (name, owner, now, ttlMs) => acquireTx.immediate(name, owner, now, ttlMs),
    renew: (name, owner, now, ttlMs) => q.renew.run({ name, owner, at: now.toISOString(), expiresAt: now.getTime() + ttlMs }).changes === 1,
    release: (name, owner) => void q.release.run(name, owner),
    holder: (name) => {
      const row = q.get.get(name)
      return row ? toHolder(row) : undefined
    },
    isDead,
    heldByOther: (name, owner) => q.other.get(name, owner) !== undefined,
  }
}

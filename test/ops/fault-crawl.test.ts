// Fault injection on the crawl: a child process (fault-crawl-child.ts: the real Node crawler,
// lease and SQLite store, every registered source replayed from test/crawler/replay, i.e. the
// recorded payloads of test/fixtures/sources, then the catalogue and embedded index rebuilt as
// the server does) crawls in a loop and is SIGKILLed at seeded instants (at least 50 kills):
// half at a random time spread over start-up and two runs (migrations, the start-up closure,
// fetches, source writes, the index build), half right after a chosen progress line (a source's
// write just committed, the index build just begun or just recorded, a run just recorded). It is restarted at once.
// After every kill:
// - PRAGMA integrity_check says ok;
// - the catalogue the server would serve (curated content + crawled rows, built like the
//   server's) holds at least the curated programmes, and exactly the full count once one
//   run completed; the embedded index built from it holds as many documents;
// - crawled rows never decrease, none is marked gone or stale, no programme is announced new twice;
// - at most one run is « en cours », the killed one.
// After every restart: the runs left « en cours » are closed as interrupted at once (the count
// closed is the count left), and the lease of the killed process never turns the new run away
// (no 15-minute wait: the first source is written within a second or two of start-up).
// At the end, one run without a kill completes ok; every interrupted run has its end and reason.
// FAULT_SEED fixes the kill plan (printed; the default is fixed), FAULT_CRAWL_KILLS the number
// of kills (default 60).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { INTERRUPTED_RUN_ERROR } from '../../crawler/crawl-store.ts'
import { assembleCatalogue } from '../../content/catalogue-service.ts'
import { createSqliteCrawlStore } from '../../runtime/node/sqlite-crawl-store.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { toSearchDocument } from '../../search/document.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const CHILD = join(ROOT, 'test/ops/fault-crawl-child.ts')
const REPLAY = join(ROOT, 'test/crawler/replay')
const SEED = Number(process.env.FAULT_SEED ?? 1507)
const KILLS = Number(process.env.FAULT_CRAWL_KILLS ?? 60)
const TODAY = '2026-03-01'

/** mulberry32: a small seeded generator, the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Life {
  lines: string[]
  /** ms from spawn to each line. */
  at: number[]
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
  ms: number
}

/** At a time after spawn (start-up) or after « ready » (the runs), or on the nth line starting with `line`. */
type Kill = { kind: 'time'; from: 'spawn' | 'ready'; afterMs: number } | { kind: 'line'; nth: number; line: string } | { kind: 'none' }

const LANES = Math.max(1, Number(process.env.FAULT_LANES ?? 2))
const dirs: string[] = []
const curated = loadCuratedProgrammes()

/** Runs the child over the SQLite file in `dir` until it exits or the plan kills it. */
function life(dir: string, kill: Kill, runs: number): Promise<Life> {
  const t0 = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, FAULT_DATA_DIR: dir, FAULT_REPLAY_DIR: REPLAY, FAULT_RUNS: String(runs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const result: Life = { lines: [], at: [], code: null, signal: null, stderr: '', ms: 0 }
  let seen = 0
  let buffer = ''
  let timer = kill.kind === 'time' && kill.from === 'spawn' ? setTimeout(() => child.kill('SIGKILL'), kill.afterMs) : undefined
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString()
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      result.lines.push(line)
      result.at.push(performance.now() - t0)
      if (kill.kind === 'line' && line.startsWith(kill.line) && ++seen === kill.nth) child.kill('SIGKILL')
      if (kill.kind === 'time' && kill.from === 'ready' && line.startsWith('ready')) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs)
    }
  })
  child.stderr!.on('data', (d: Buffer) => (result.stderr += d.toString()))
  return new Promise((ok) => {
    // 'exit' comes after the child is reaped: its pid is gone when the next one starts.
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      Object.assign(result, { code, signal, ms: performance.now() - t0 })
      ok(result)
    })
  })
}

interface Check {
  running: string[]
  catalogue: number
  indexed: number
  rows: number
}

/** What a restarted server would find in the file (read by a fresh connection, the child dead). */
async function check(dir: string): Promise<Check> {
  const db = new Database(join(dir, 'guichet.sqlite'))
  try {
    const integrity = db.pragma('integrity_check', { simple: true })
    expect(integrity).toBe('ok')
    // The file may have been killed before its first migration ended: nothing to read yet.
    const migrated = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'job_leases'").get() !== undefined
    if (!migrated) return { running: [], catalogue: curated.length, indexed: curated.length, rows: 0 }
    const store = createSqliteCrawlStore(db)
    const { served: catalogue } = await assembleCatalogue({ curated, crawled: store })
    const index = createEmbeddedSearchIndex()
    await index.replaceAll(catalogue.all().map((p) => toSearchDocument(p, TODAY)))
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n
    expect(one('SELECT count(*) AS n FROM crawl_programmes WHERE gone_at IS NOT NULL OR stale = 1')).toBe(0)
    expect(db.prepare("SELECT programme_id FROM crawl_events WHERE kind = 'new' GROUP BY programme_id HAVING count(*) > 1").all()).toEqual([])
    const running = (db.prepare("SELECT id FROM crawl_runs WHERE status = 'running'").all() as { id: string }[]).map((r) => r.id)
    return { running, catalogue: catalogue.all().length, indexed: await index.count(), rows: one('SELECT count(*) AS n FROM crawl_programmes') }
  } finally {
    db.close()
  }
}

const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-fault-crawl-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

interface LaneReport {
  where: Record<string, number>
  leftRunning: Set<string>
  closedTotal: number
  firstWriteMs: number[]
}

/**
 * One SQLite file, its kills in order, then a last start left alone; checks after each. Lanes
 * run side by side on their own files (2 cores: half the wall time); the plan is the seed's.
 */
async function lane(dir: string, plan: readonly { i: number; kill: Kill }[], full: Check): Promise<LaneReport> {
  let completed = false
  let left = 0
  let closedTotal = 0
  const leftRunning = new Set<string>()
  let lastRows = 0
  const where: Record<string, number> = {}
  const firstWriteMs: number[] = []
  for (const { i, kill } of plan) {
    const l = await life(dir, kill, 0)
    const context = `kill ${i + 1} (${JSON.stringify(kill)}): lines ${JSON.stringify(l.lines.slice(-3))}, stderr ${l.stderr.slice(0, 500)}`
    // Killed, never ended on its own: no error, no lease refusal.
    expect(l.signal, context).toBe('SIGKILL')
    expect(l.lines, context).not.toContain('run:locked')
    const ready = l.lines.find((x) => x.startsWith('ready'))
    if (ready) {
      // The restart closed at once what the previous kill left « en cours ».
      expect(ready, context).toBe(`ready closed=${left}`)
      closedTotal += left
    }
    const firstSource = l.lines.findIndex((x) => x.startsWith('source:'))
    if (firstSource >= 0) firstWriteMs.push(l.at[firstSource]! - l.at[l.lines.indexOf(ready!)]!)
    const last = l.lines.at(-1) ?? '(start-up)'
    const phase = last.startsWith('ready') ? 'ready' : last === 'index:start' ? 'index build' : last.split(/[: ]/)[0]!
    where[phase] = (where[phase] ?? 0) + 1
    completed ||= l.lines.some((x) => x.startsWith('run:end'))

    const c = await check(dir)
    // One run « en cours » at most, the killed one (a kill before the start-up closure leaves the earlier one, still one).
    expect(c.running.length, context).toBeLessThanOrEqual(1)
    left = c.running.length
    for (const id of c.running) leftRunning.add(id)
    expect(c.catalogue, context).toBeGreaterThanOrEqual(curated.length)
    expect(c.indexed, context).toBe(c.catalogue)
    if (completed) expect(c.catalogue, context).toBe(full.catalogue)
    expect(c.rows, context).toBeGreaterThanOrEqual(lastRows)
    lastRows = c.rows
  }

  // One more start, left alone: it closes what the last kill left and completes.
  const last = await life(dir, { kind: 'none' }, 1)
  expect(last.code, last.stderr).toBe(0)
  expect(last.lines[0]).toBe(`ready closed=${left}`)
  closedTotal += left
  expect(last.lines.at(-1)).toBe('run:end ok')
  expect(await check(dir)).toEqual({ ...full, running: [] })
  const db = new Database(join(dir, 'guichet.sqlite'), { readonly: true })
  try {
    const interrupted = db.prepare("SELECT id, ended_at, errors FROM crawl_runs WHERE status = 'interrupted'").all() as { id: string; ended_at: string | null; errors: string }[]
    // Exactly the runs the kills left « en cours », each closed once.
    expect(new Set(interrupted.map((r) => r.id))).toEqual(leftRunning)
    expect(closedTotal).toBeLessThanOrEqual(interrupted.length)
    for (const r of interrupted) {
      expect(r.ended_at).not.toBeNull()
      expect(JSON.parse(r.errors)).toContain(INTERRUPTED_RUN_ERROR)
    }
    expect(db.prepare('SELECT count(*) AS n FROM job_leases').get()).toEqual({ n: 0 })
  } finally {
    db.close()
  }
  return { where, leftRunning, closedTotal, firstWriteMs }
}

describe('crawl under kill -9', () => {
  it(`keeps the file sound, the catalogue full and the lease free (seed ${SEED})`, async () => {
    const started = performance.now()
    const rng = prng(SEED)
    console.log(`fault-crawl: seed ${SEED} (FAULT_SEED=${SEED} to repeat), ${KILLS} kills`)

    // Calibration on a scratch file: how long start-up and one run take, and the full catalogue.
    const calibrationDir = scratch()
    const calibration = await life(calibrationDir, { kind: 'none' }, 2)
    expect(calibration.code, calibration.stderr).toBe(0)
    const full = await check(calibrationDir)
    const readyMs = calibration.at[calibration.lines.findIndex((l) => l.startsWith('ready'))]!
    const ends = calibration.lines.flatMap((l, i) => (l.startsWith('run:end') ? [calibration.at[i]!] : []))
    const runMs = ends[1]! - ends[0]!
    const sources = calibration.lines.filter((l) => l.startsWith('source:')).length / 2
    expect(calibration.lines.filter((l) => l.startsWith('run:end'))).toEqual(['run:end ok', 'run:end ok'])
    expect(full.running).toEqual([])
    expect(full.catalogue).toBeGreaterThan(curated.length)
    expect(full.indexed).toBe(full.catalogue)
    console.log(`fault-crawl: start-up ${Math.round(readyMs)} ms, one run ${Math.round(runMs)} ms, ${sources} sources, catalogue ${full.catalogue} (curated ${curated.length}, crawled rows ${full.rows}), ${LANES} lane(s)`)

    // The plan, drawn up front from the seed alone: a quarter during start-up (migrations, the
    // closure of interrupted runs, the lease), a quarter at a time within the next two runs, half
    // right after a progress line (a source's write committed, the index built, a run recorded).
    const markers = [...Array.from({ length: sources }, () => 'source:'), 'index:start', 'indexed:', 'run:end']
    const plan: Kill[] = Array.from({ length: KILLS }, (): Kill => {
      const r = rng()
      if (r < 0.25) return { kind: 'time', from: 'spawn', afterMs: Math.round(rng() * readyMs) }
      if (r < 0.5) return { kind: 'time', from: 'ready', afterMs: Math.round(rng() * 2 * runMs) }
      const line = markers[Math.floor(rng() * markers.length)]!
      // The nth line of its kind, in the first run or the second.
      const nth = (line === 'source:' ? 1 + Math.floor(rng() * sources) : 1) + (rng() < 0.5 ? 0 : line === 'source:' ? sources : 1)
      return { kind: 'line', line, nth }
    })

    const reports = await Promise.all(Array.from({ length: LANES }, (_, k) => lane(scratch(), plan.flatMap((kill, i) => (i % LANES === k ? [{ i, kill }] : [])), full)))
    const where: Record<string, number> = {}
    for (const r of reports) for (const [k, n] of Object.entries(r.where)) where[k] = (where[k] ?? 0) + n
    const interrupted = reports.reduce((n, r) => n + r.leftRunning.size, 0)
    const firstWriteMs = reports.flatMap((r) => r.firstWriteMs)

    // The kills landed all over the run: during start-up, mid-run after source writes, after index builds and run ends.
    expect(Object.keys(where).length).toBeGreaterThanOrEqual(4)
    expect(where['source']).toBeGreaterThan(5)
    expect(where['index build'] ?? 0).toBeGreaterThan(0)
    expect((where['indexed'] ?? 0) + (where['run'] ?? 0)).toBeGreaterThan(0)
    const seconds = (performance.now() - started) / 1000
    console.log(
      `fault-crawl: ${KILLS} kills, last line before each: ${JSON.stringify(where)}; ${interrupted} runs closed as interrupted; ` +
        `restart → first source written: max ${Math.round(Math.max(...firstWriteMs))} ms; ${seconds.toFixed(1)} s in all`,
    )
    expect(Math.max(...firstWriteMs)).toBeLessThan(5_000)
  }, 240_000)
})

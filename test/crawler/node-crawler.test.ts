// The Node crawler as the CLI and the server use it: a replay folder read from disk (every
// source, placeholder credentials), the SQLite lock between two connections to one file (a CLI
// run and the server's scheduled run), the scheduled job from CRAWL_SCHEDULE, and the replay
// folder itself covering every recorded fixture.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fixedClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseCrawlOptions } from '../../crawler/crawl-options.ts'
import { CrawlLockedError } from '../../crawler/run-crawl.ts'
import { SOURCE_IDS } from '../../crawler/sources/index.ts'
import { createNodeCrawler } from '../../runtime/node/crawl-job.ts'
import { loadReplayManifest } from '../../runtime/node/crawl-replay.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'
import { recordedPath } from './helpers.ts'
import { REPLAY_DIR } from './replay-server.ts'

const dirs: string[] = []
const dbs: Db[] = []

function tempDb(dir = mkdtempSync(join(tmpdir(), 'guichet-node-crawler-'))): { dir: string; db: Db } {
  if (!dirs.includes(dir)) dirs.push(dir)
  const db = openDatabase(dir)
  dbs.push(db)
  return { dir, db }
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const clock = fixedClock('2026-03-01T02:30:00+01:00')

describe('the Node crawler', () => {
  it('replays the recorded folder for every source with no credential set, then answers 304s', async () => {
    const { db } = tempDb()
    const crawler = createNodeCrawler({ db, settings: parseCrawlOptions({}), clock, logger: silentLogger })
    const first = await crawler.run({ replayDir: REPLAY_DIR })
    expect(first).toMatchObject({ status: 'ok', trigger: 'replay' })
    expect(first.sources.map((s) => s.sourceId)).toEqual(SOURCE_IDS)
    expect(first.sources.every((s) => s.status === 'ok' && s.new > 0)).toBe(true)
    const second = await crawler.run({ replayDir: REPLAY_DIR })
    expect(second.sources.every((s) => s.new === 0 && s.updated === 0 && s.unchanged === s.programmes)).toBe(true)
    // SEDIA is a POST: never conditional. Every GET page is a 304.
    expect(second.sources.filter((s) => s.sourceId !== 'eu-sedia').every((s) => s.notModified === s.fetched)).toBe(true)
  })

  it('skips, without credentials, the sources that need them when crawling the network', async () => {
    const { db } = tempDb()
    const crawler = createNodeCrawler({ db, settings: parseCrawlOptions({ CRAWL_SOURCES: 'aides-territoires,welcome-europe,manche' }), clock, logger: silentLogger, fetch: async () => new Response('non', { status: 500 }) })
    const run = await crawler.run()
    expect(run.sources.map((s) => [s.sourceId, s.status])).toEqual([['aides-territoires', 'skipped'], ['manche', 'skipped'], ['welcome-europe', 'skipped']])
  })

  it('keeps two connections to one SQLite file from crawling at the same time', async () => {
    const { dir, db } = tempDb()
    const other = tempDb(dir).db
    const a = createNodeCrawler({ db, settings: parseCrawlOptions({}), clock, logger: silentLogger })
    const b = createNodeCrawler({ db: other, settings: parseCrawlOptions({}), clock, logger: silentLogger })
    const results = await Promise.allSettled([a.run({ replayDir: REPLAY_DIR, onlySource: 'idf' }), b.run({ replayDir: REPLAY_DIR, onlySource: 'idf' })])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected'])
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(CrawlLockedError)
    // The lock is released at the end of a run.
    expect((await b.run({ replayDir: REPLAY_DIR, onlySource: 'idf' })).status).toBe('ok')
  })

  it('schedules the crawl from CRAWL_SCHEDULE (nightly by default), or not at all when "off"', () => {
    const { db } = tempDb()
    expect(createNodeCrawler({ db, settings: parseCrawlOptions({}), clock, logger: silentLogger }).job()).toMatchObject({ name: 'crawl', expression: '30 2 * * *' })
    expect(createNodeCrawler({ db, settings: parseCrawlOptions({ CRAWL_SCHEDULE: '0 4 * * 1' }), clock, logger: silentLogger }).job()?.expression).toBe('0 4 * * 1')
    expect(createNodeCrawler({ db, settings: parseCrawlOptions({ CRAWL_SCHEDULE: 'off' }), clock, logger: silentLogger }).job()).toBeUndefined()
  })

  it('replays every recorded payload of test/fixtures/sources, except the ones no plan asks for', () => {
    const { manifest } = loadReplayManifest(REPLAY_DIR)
    const served = new Set(manifest.entries.filter((e) => e.file).map((e) => resolve(REPLAY_DIR, e.file!)))
    // Parsed directly by recorded-sources.test.ts (relay pages of other editions) or not a payload.
    const notPlanned = ['ficol-2020-lianes-cooperation.excerpt.txt', 'ficol-2023-oc-cooperation.excerpt.txt', 'aid-import-template.csv']
    const root = recordedPath('')
    const recordedFiles = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && !f.name.endsWith('.md'))
      .map((f) => join(f.parentPath, f.name))
    expect(recordedFiles.length).toBeGreaterThan(8)
    for (const file of recordedFiles) {
      const name = file.split('/').at(-1)!
      if (notPlanned.includes(name)) continue
      expect(served, `${name} is not in the replay manifest`).toContain(file)
    }
    for (const file of served) expect(() => readFileSync(file)).not.toThrow()
  })
})

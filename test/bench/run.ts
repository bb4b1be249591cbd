// `npm run bench`: the speed and memory figures of Guichet on this machine.
// - match latency (search + eligibility + calendar), in-process (with the matcher's caches and
//   without) and through Hono, over the 56 real programmes and 5,000 / 50,000 generated variants;
// - chat turns over HTTP: sequential and under load, the same openings again (caches warm) and
//   openings each with a budget of its own (new facts: statuses judged afresh);
// - index build time; resident memory with 5,000 programmes and the geography loaded;
// - `npm start` → first answered request;
// - the crawler, the alerts digest, the back office, the limits and a Workers isolate's heap per programme (test/bench/*-bench.ts).
// Each size runs in a child process so that memory figures do not leak between sizes.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { createMatcher } from '../../content/matching.ts'
import { composeNode } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { generateVariants } from './variants.ts'
import { serve } from '@hono/node-server'
import autocannon from 'autocannon'

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`npm run bench [-- --size=<n>]

  sans option   mesure 56, 5 000 et 50 000 programmes (chacun dans son processus), puis le démarrage,
                la collecte rejouée, les rappels, le back office et les limites par client ; affiche des tableaux Markdown
  --size=<n>    une seule taille, résultat en une ligne JSON
  --help        cette aide
`)
  process.exit(0)
}

const CHAT_OPENINGS = [
  "Bonjour, je suis maire de Saint-Amand-Montrond, on veut passer l'éclairage public en LED",
  'Mairie de Vézelay : rénovation énergétique de l\'école',
  'Je suis maire de Cilaos, on doit refaire la station d\'épuration',
  'commune de 400 hab. dans l\'Yonne, on veut créer un tiers-lieu',
  'Maire de Joigny, jumelage avec une ville du Sénégal sur l\'eau potable',
]

const ROOT = new URL('../../', import.meta.url).pathname
const QUERIES = [
  { commune: '18197', q: "rénovation énergétique de l'école" },
  { commune: '92040', q: "rénovation énergétique de l'école" },
  { commune: '89446', q: 'éclairage public LED' },
  { commune: '97411', q: 'fibre et wifi public' },
  { commune: '31555', q: 'coopération décentralisée avec le Sénégal' },
  { commune: '03185', q: 'tiers-lieu dans une ancienne friche' },
  { commune: '29019', q: 'eau potable et assainissement' },
  { commune: '67482', q: 'piscine' },
]

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`

async function measureSize(size: number): Promise<void> {
  const real = loadCuratedProgrammes()
  const programmes = size <= real.length ? real : generateVariants(real, size)
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-'))
  const t0 = performance.now()
  const s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01', RATE_LIMIT_PER_MINUTE: '0' }), { logger: silentLogger, programmes })
  const composeMs = performance.now() - t0
  const b0 = performance.now()
  await s.reindex()
  const buildMs = performance.now() - b0
  const inputs = QUERIES.map((q) => ({ profile: s.geography.communeByInsee(q.commune)!, q: q.q }))
  // p95 over at least 240 samples: with 60 (the former 50k count) it was the third slowest, i.e. whichever
  // request met a major collection of the 850 MB heap.
  const iterations = size >= 50_000 ? 240 : 400
  // Warm-up, then measure.
  for (let i = 0; i < 20; i++) await s.matcher.match(inputs[i % inputs.length]!)
  const inProcess: number[] = []
  for (let i = 0; i < iterations; i++) {
    const t = performance.now()
    await s.matcher.match(inputs[i % inputs.length]!)
    inProcess.push(performance.now() - t)
  }
  // The same queries with the matcher's caches off: every search and every status computed again.
  const coldMatcher = createMatcher({ catalogue: s.catalogue, index: s.index, clock: s.clock, cache: false })
  const cold: number[] = []
  for (let i = 0; i < iterations; i++) {
    const t = performance.now()
    await coldMatcher.match(inputs[i % inputs.length]!)
    cold.push(performance.now() - t)
  }
  cold.sort((a, b) => a - b)
  const http: number[] = []
  for (let i = 0; i < iterations; i++) {
    const q = QUERIES[i % QUERIES.length]!
    const t = performance.now()
    const res = await s.app.request(`/api/match?commune=${q.commune}&q=${encodeURIComponent(q.q)}`)
    await res.arrayBuffer()
    http.push(performance.now() - t)
  }
  inProcess.sort((a, b) => a - b)
  http.sort((a, b) => a - b)
  global.gc?.()
  const rss = process.memoryUsage().rss

  // Chat turns over real HTTP: one server, sequential turns, then concurrent sessions.
  const server = await new Promise<{ port: number; close: () => void }>((resolve) => {
    const srv = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => srv.close() }))
  })
  const chatUrl = `http://127.0.0.1:${server.port}/api/chat`
  const chatIterations = size >= 50_000 ? 30 : 200
  const chatTurns = await chatConversations(chatUrl, chatIterations, (i) => CHAT_OPENINGS[i % CHAT_OPENINGS.length]!)
  // Each conversation with a budget of its own: facts never seen before, so no status is cached (the searches are).
  const chatTurnsDistinct = await chatConversations(chatUrl, chatIterations, (i) => distinctOpening(i))
  const load = await autocannon({
    url: chatUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: CHAT_OPENINGS[0] }),
    connections: 10,
    duration: size >= 50_000 ? 3 : 5,
  })
  let sent = 0
  const loadDistinct = await autocannon({
    url: chatUrl,
    connections: 10,
    duration: size >= 50_000 ? 3 : 5,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: distinctOpening(sent++) }) }) }],
  })
  server.close()
  global.gc?.()
  const rssAfterLoad = process.memoryUsage().rss
  console.log(
    JSON.stringify({
      size,
      composeMs,
      indexBuildMs: buildMs,
      matchP50: percentile(inProcess, 50),
      matchP95: percentile(inProcess, 95),
      matchColdP50: percentile(cold, 50),
      matchColdP95: percentile(cold, 95),
      httpP50: percentile(http, 50),
      httpP95: percentile(http, 95),
      chatP50: percentile(chatTurns, 50),
      chatP95: percentile(chatTurns, 95),
      chatDistinctP50: percentile(chatTurnsDistinct, 50),
      chatDistinctP95: percentile(chatTurnsDistinct, 95),
      chatTurnsPerSecond: load.requests.average,
      chatTurnsPerSecondDistinct: loadDistinct.requests.average,
      chatErrors: load.errors + load.non2xx + loadDistinct.errors + loadDistinct.non2xx,
      rss,
      rssAfterLoad,
    }),
  )
  s.close()
  rmSync(dir, { recursive: true, force: true })
}

/** An opening with a budget no other conversation has. */
function distinctOpening(i: number): string {
  return `${CHAT_OPENINGS[i % CHAT_OPENINGS.length]}, budget de ${100_000 + i * 1_000} €`
}

/** Sequential conversations over HTTP (an opening, then the first choice offered or « je ne sais pas »): each turn's time, the first ten conversations left out. */
async function chatConversations(chatUrl: string, iterations: number, opening: (i: number) => string): Promise<number[]> {
  const chatTurns: number[] = []
  for (let i = 0; i < iterations + 10; i++) {
    const t = performance.now()
    const res = await fetch(chatUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: opening(i) }) })
    const body = (await res.json()) as { sessionId: string; question?: { choices?: { value: string }[] } }
    if (i >= 10) chatTurns.push(performance.now() - t)
    if (body.question) {
      const t2 = performance.now()
      const reply = body.question.choices?.length ? { choice: body.question.choices[0]!.value } : { text: 'je ne sais pas' }
      await (await fetch(chatUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: body.sessionId, ...reply }) })).arrayBuffer()
      if (i >= 10) chatTurns.push(performance.now() - t2)
    }
  }
  return chatTurns.sort((a, b) => a - b)
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

async function measureStartup(): Promise<number> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-start-'))
  const started = performance.now()
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GUICHET_DATA_DIR: dir, LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true })
  try {
    for (;;) {
      if (performance.now() - started > 30_000) throw new Error('npm start did not answer within 30 s')
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/match?commune=18197&q=ecole`)
        if (res.ok) return performance.now() - started
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

const sizeArg = process.argv.find((a) => a.startsWith('--size='))
if (sizeArg) {
  await measureSize(Number(sizeArg.slice('--size='.length)))
} else {
  console.log(`Guichet benchmarks — node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`)
  console.log('| programmes | compose (geography + catalogue + index) | index build | match p50 | match p95 | match p95, caches off | /api/match p50 | /api/match p95 | chat turn p50 | chat turn p95 | chat turn p95, new facts each | chat turns/s (10 concurrent sessions) | … new facts each | RSS | RSS after the chat load test |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const size of [56, 5_000, 50_000]) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, `--size=${size}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 })
    const line = run.stdout.trim().split('\n').at(-1) ?? ''
    if (run.status !== 0 || !line.startsWith('{')) {
      console.error(run.stderr)
      process.exit(1)
    }
    const r = JSON.parse(line)
    console.log(`| ${r.size} | ${fmt(r.composeMs)} | ${fmt(r.indexBuildMs)} | ${fmt(r.matchP50)} | ${fmt(r.matchP95)} | ${fmt(r.matchColdP95)} | ${fmt(r.httpP50)} | ${fmt(r.httpP95)} | ${fmt(r.chatP50)} | ${fmt(r.chatP95)} | ${fmt(r.chatDistinctP95)} | ${Math.round(r.chatTurnsPerSecond)}${r.chatErrors ? ` (${r.chatErrors} errors)` : ''} | ${Math.round(r.chatTurnsPerSecondDistinct)} | ${mb(r.rss)} | ${mb(r.rssAfterLoad)} |`)
  }
  const startup = await measureStartup()
  console.log(`\n\`npm start\` → first answered /api/match: ${fmt(startup)}`)
  const { measureCrawl, formatCrawlBench } = await import('./crawl-bench.ts')
  console.log(`\nCrawler\n\n${formatCrawlBench(await measureCrawl())}`)
  const { benchAlertsInChild } = await import('./alerts-bench.ts')
  const alerts = benchAlertsInChild('steady')
  console.log(`\nAlerts: one digest run for 35,000 subscriptions × 5,000 programmes: ${(alerts.digestMs / 1000).toFixed(1)} s (CPU ${(alerts.cpuMs / 1000).toFixed(1)} s), peak RSS ${mb(alerts.peakRss)}, ${alerts.messages} messages`)
  const { benchAdminInChild, formatAdminBench } = await import('./admin-bench.ts')
  console.log(`\n${formatAdminBench(benchAdminInChild(5_000))}`)
  const { benchLimits, formatLimitsBench } = await import('./limits-bench.ts')
  console.log(`\n${formatLimitsBench(await benchLimits())}`)
  const { benchWorkersMemory, formatWorkersMemoryBench } = await import('./workers-memory-bench.ts')
  console.log(`\n${formatWorkersMemoryBench(benchWorkersMemory())}\n`)
  console.log('Targets: match p95 < 10 ms at 5,000 programmes; RSS < 300 MB at 5,000 with the geography; first request < 3 s; chat turn p95 < 20 ms at 5,000; at 50,000: chat turn p95 < 25 ms, match p95 < 8 ms, ≥ 150 chat turns/s; alerts digest < 10 s and < 1 GB.')
}

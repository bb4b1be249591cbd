// Abuse figures with the default limits (`npx tsx test/bench/limits-bench.ts`, also in `npm run bench`):
// one client floods a read route, another the chat with projects, a third with greetings, for a few seconds (autocannon, 10 connections, a real
// Node server on loopback), and the SQLite cost of a session row is measured with dbstat.
import { serve } from '@hono/node-server'
import autocannon from 'autocannon'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode } from '../../runtime/node/compose.ts'

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`npx tsx test/bench/limits-bench.ts [--seconds=<n>]

  Inonde un serveur local (limites par défaut) depuis une adresse : lecture (/api/themes), tours de
  conversation utiles et salutations ; affiche les réponses 200/429, les lignes de session écrites
  et les octets par ligne (dbstat). Partie de npm run bench.
`)
  process.exit(0)
}

const PROJECTS = [
  "Bonjour, je suis maire de Saint-Amand-Montrond, on veut passer l'éclairage public en LED",
  "Mairie de Vézelay : rénovation énergétique de l'école",
  'commune de 400 hab. dans l\'Yonne, on veut créer un tiers-lieu',
]

export interface LimitsBench {
  seconds: number
  read: { sent: number; ok: number; limited: number }
  chat: { sent: number; ok: number; limited: number; rows: number }
  greetings: { sent: number; ok: number; limited: number; rows: number }
  bytesPerRow: number
  cap: number
}

async function flood(url: string, client: string, seconds: number, requests: autocannon.Request[]): Promise<{ sent: number; ok: number; limited: number }> {
  const r = await autocannon({ url, connections: 10, duration: seconds, headers: { 'x-forwarded-for': client }, requests })
  const codes = r.statusCodeStats as unknown as Record<string, { count: number }>
  const ok = codes['200']?.count ?? 0
  const limited = codes['429']?.count ?? 0
  return { sent: Object.values(codes).reduce((n, c) => n + c.count, 0), ok, limited }
}

export async function benchLimits(seconds = 10): Promise<LimitsBench> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-limits-'))
  // The loopback proxy is trusted so that each flood comes from its own client (X-Forwarded-For), with fresh buckets.
  const s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01', TRUSTED_PROXIES: 'loopback' }), { logger: silentLogger })
  const server = await new Promise<{ port: number; close: () => void }>((resolve) => {
    const srv = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => srv.close() }))
  })
  const rows = () => (s.db.prepare('SELECT COUNT(*) AS n FROM chat_sessions').get() as { n: number }).n
  try {
    const base = `http://127.0.0.1:${server.port}`
    const read = await flood(`${base}/api/themes`, '198.51.100.1', seconds, [{ method: 'GET' }])
    const chat = { ...(await flood(`${base}/api/chat`, '198.51.100.2', seconds, PROJECTS.map((text) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })))), rows: rows() }
    const before = rows()
    const greetings = { ...(await flood(`${base}/api/chat`, '198.51.100.3', seconds, [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }])), rows: rows() - before }
    // The cost of a row: 1,000 sessions of real first turns, table and indexes as dbstat counts them.
    const turns = await Promise.all(PROJECTS.map((text) => s.dialogue.turn(undefined, { text })))
    const measure = () => (s.db.prepare("SELECT COALESCE(SUM(pgsize), 0) AS b FROM dbstat WHERE name IN ('chat_sessions', 'chat_sessions_updated', 'chat_sessions_client', 'sqlite_autoindex_chat_sessions_1')").get() as { b: number }).b
    s.db.exec('DELETE FROM chat_sessions; VACUUM')
    const empty = measure()
    for (let i = 0; i < 1000; i++) await s.sessions.save(`t${i.toString(36)}_${'0'.repeat(28)}${i.toString(16).padStart(4, '0')}`, turns[i % turns.length]!.state, new Date(), { client: `198.51.${i >> 8}.${i & 255}`, max: 50 })
    const bytesPerRow = Math.round((measure() - empty) / 1000)
    return { seconds, read, chat, greetings, bytesPerRow, cap: s.config.SESSION_MAX_PER_CLIENT }
  } finally {
    server.close()
    s.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatLimitsBench(b: LimitsBench): string {
  return [
    `Limits (defaults; each flood from one client, ${b.seconds} s, 10 connections):`,
    `- GET /api/themes: ${b.read.sent} requests, ${b.read.ok} answered 200, ${b.read.limited} answered 429`,
    `- POST /api/chat with a project: ${b.chat.sent} turns, ${b.chat.ok} answered 200, ${b.chat.limited} answered 429; ${b.chat.rows} session rows`,
    `- POST /api/chat empty (greeting): ${b.greetings.sent} turns, ${b.greetings.ok} answered 200, ${b.greetings.limited} answered 429; ${b.greetings.rows} session rows`,
    `- one session row: ${b.bytesPerRow} bytes (table and indexes, dbstat, 1,000 rows); at most ${b.cap} rows per client = ${Math.round((b.bytesPerRow * b.cap) / 1024)} KB`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = process.argv.find((a) => a.startsWith('--seconds='))
  console.log(formatLimitsBench(await benchLimits(arg ? Number(arg.slice('--seconds='.length)) : 10)))
}

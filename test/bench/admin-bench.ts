// The back office at 5,000 programmes (generated variants as curated content), through Hono with
// a real session: login (scrypt at production cost), the programme list (first page, and a text
// search), one programme's page, an edit (override + reindex of the whole catalogue), the tar
// export of every curated programme, and the dry run then application of an import of 100 files.
// Run alone: `node --expose-gc --import tsx test/bench/admin-bench.ts [--programmes=N]` (one JSON line);
// from test/bench/run.ts through benchAdminInChild.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { readTar } from '../../bot/admin/tar.ts'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { generateVariants } from './variants.ts'

export interface AdminBenchResult {
  programmes: number
  loginMs: number
  listP50: number
  listP95: number
  searchP95: number
  pageP95: number
  editMs: number
  exportMs: number
  exportFiles: number
  importDryRunMs: number
  importApplyMs: number
  rss: number
}

const PASSWORD = 'une phrase de passe pour le banc'

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function timed<T>(f: () => T | Promise<T>): Promise<[T, number]> {
  const t = performance.now()
  const r = await f()
  return [r, performance.now() - t]
}

export async function benchAdmin(size = 5_000): Promise<AdminBenchResult> {
  const programmes = generateVariants(loadCuratedProgrammes(), size)
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-admin-'))
  const s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01', RATE_LIMIT_PER_MINUTE: '0' }), { logger: silentLogger, programmes })
  try {
    await s.admin.accounts.create({ email: 'bench@ville.fr', role: 'editor', passwordHash: await s.admin.hasher.hash(PASSWORD), now: new Date() })
    const [login, loginMs] = await timed(() => s.app.request('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@ville.fr', password: PASSWORD }) }))
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const { csrf } = (await login.json()) as { csrf: string }
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }

    const sample = async (path: string, n: number) => {
      const out: number[] = []
      for (let i = 0; i < n + 3; i++) {
        const [res, ms] = await timed(() => s.app.request(path, { headers }))
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
        if (i >= 3) out.push(ms)
      }
      return out.sort((a, b) => a - b)
    }
    const list = await sample('/admin', 30)
    const search = await sample(`/api/admin/programmes?q=${encodeURIComponent('rénovation')}`, 30)
    const id = s.catalogue().all()[Math.floor(size / 2)]!.id
    const page = await sample(`/admin/programmes/${encodeURIComponent(id)}`, 30)

    const [edit, editMs] = await timed(() => s.app.request(`/api/admin/programmes/${encodeURIComponent(id)}/override`, { method: 'PUT', headers, body: JSON.stringify({ patch: { statusNote: 'Vérifié pour le banc.' } }) }))
    if (edit.status !== 200) throw new Error(`edit: ${edit.status}`)

    const [exported, exportMs] = await timed(async () => new Uint8Array(await (await s.app.request('/api/admin/export', { headers })).arrayBuffer()))
    const files = readTar(exported)

    const changed = s.catalogue().all().slice(0, 100).map((p) => ({ name: `content/programmes/${p.id}.yaml`, text: stringify({ ...p, summary: `${p.summary} (import)` }) }))
    const [dry, importDryRunMs] = await timed(() => s.app.request('/api/admin/import', { method: 'POST', headers, body: JSON.stringify({ files: changed, dryRun: true }) }))
    if (dry.status !== 200) throw new Error(`import dry run: ${dry.status} ${await dry.text()}`)
    const [applied, importApplyMs] = await timed(() => s.app.request('/api/admin/import', { method: 'POST', headers, body: JSON.stringify({ files: changed, dryRun: false }) }))
    if (applied.status !== 200) throw new Error(`import: ${applied.status}`)
    global.gc?.()
    return {
      programmes: size, loginMs,
      listP50: percentile(list, 50), listP95: percentile(list, 95), searchP95: percentile(search, 95), pageP95: percentile(page, 95),
      editMs, exportMs, exportFiles: files.length, importDryRunMs, importApplyMs, rss: process.memoryUsage().rss,
    }
  } finally {
    s.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export function benchAdminInChild(size = 5_000): AdminBenchResult {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, `--programmes=${size}`], { encoding: 'utf8', maxBuffer: 1 << 24 })
  const line = run.stdout.trim().split('\n').at(-1) ?? ''
  if (run.status !== 0 || !line.startsWith('{')) throw new Error(`admin bench failed: ${run.stderr}`)
  return JSON.parse(line) as AdminBenchResult
}

export function formatAdminBench(r: AdminBenchResult): string {
  const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`
  return [
    `Back office at ${r.programmes.toLocaleString('en')} programmes: login ${ms(r.loginMs)} (scrypt N=2^15); /admin list page p50/p95 ${ms(r.listP50)}/${ms(r.listP95)};`,
    `text search p95 ${ms(r.searchP95)}; programme page p95 ${ms(r.pageP95)}; one edit (override + full reindex) ${ms(r.editMs)};`,
    `tar export of ${r.exportFiles.toLocaleString('en')} files ${ms(r.exportMs)}; import of 100 files: dry run ${ms(r.importDryRunMs)}, applied (+ reindex) ${ms(r.importApplyMs)}; RSS ${Math.round(r.rss / 1024 / 1024)} MB`,
  ].join('\n')
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const arg = process.argv.find((a) => a.startsWith('--programmes='))
  console.log(JSON.stringify(await benchAdmin(arg ? Number(arg.slice('--programmes='.length)) : 5_000)))
}

// The CLI as a real child process: `npx tsx runtime/node/crawl-cli.ts parse --source <id> <file>`; stdout is
// a JSON array of programmes, stderr one line per record error, exit 0 or 2. The runs go in
// parallel to keep the suite fast.
import { execFile } from 'node:child_process'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { ProgrammeSchema } from '../../core/programme.ts'
import { handWrittenPath, recordedPath } from './helpers.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Run {
  code: number
  stdout: string
  stderr: string
}

function crawl(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'runtime/node/crawl-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, GUICHET_NOW: '2026-03-01T09:00:00+01:00', NODE_OPTIONS: '' }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
      resolve({ code, stdout, stderr: stderr.split('\n').filter((l) => l && !l.startsWith('npm warn')).join('\n') })
    })
  })
}

describe('crawl parse (child process)', () => {
  const runs: Record<string, Run> = {}

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-crawl-'))
    const notJson = join(dir, 'not-json.json')
    writeFileSync(notJson, 'Ceci n\'est pas du JSON\n')
    const [sedia, manche, broken, unknown, missing] = await Promise.all([
      crawl(['parse', '--source', 'eu-sedia', recordedPath('eu-funding-tenders-sedia/sedia-search-response-horizon-forthcoming-open.json')]),
      crawl(['parse', '--source', 'manche', handWrittenPath('manche-aides.json')]),
      crawl(['parse', '--source', 'ademe-agir', notJson]),
      crawl(['parse', '--source', 'occitanie', notJson]),
      crawl(['parse', '--source', 'idf', join(dir, 'absent.json')]),
    ])
    Object.assign(runs, { sedia, manche, broken, unknown, missing })
  }, 60_000)

  it('prints the programmes as a JSON array and exits 0 despite record errors', () => {
    const { code, stdout, stderr } = runs.sedia!
    expect(code).toBe(0)
    const programmes = JSON.parse(stdout) as unknown[]
    expect(programmes).toHaveLength(8)
    for (const p of programmes) expect(ProgrammeSchema.safeParse(p).success).toBe(true)
    expect(programmes[0]).toMatchObject({ id: 'eu-sedia-horizon-miss-2027-05-soil-01-two-stage', provenance: { fetchedAt: '2026-03-01T08:00:00.000Z' } })
    const lines = stderr.split('\n')
    expect(lines).toHaveLength(4)
    for (const line of lines) expect(line).toMatch(/^eu-sedia metadata\.budgetOverview: .+ \(raw: ".+\)$/)
  })

  it('writes one stderr line per record error: source field: message (raw: …)', () => {
    const { code, stdout, stderr } = runs.manche!
    expect(code).toBe(0)
    expect((JSON.parse(stdout) as { id: string }[]).map((p) => p.id)).toEqual(['manche-40112', 'manche-40127', 'manche-40200'])
    expect(stderr.split('\n')).toEqual([
      'manche targeted_audiences: aucun public servi par Guichet (Particulier) : fiche ignorée [fiche 39672] (raw: ["Particulier"])',
      'manche submission_deadline: date impossible: 31/02/2024 [fiche 40200] (raw: "31/02/2024")',
    ])
  })

  it('exits 2 with one line and no stack when the file cannot be parsed, the source is unknown or the file is missing', () => {
    for (const run of [runs.broken!, runs.unknown!, runs.missing!]) {
      expect(run.code).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr.split('\n')).toHaveLength(1)
      expect(run.stderr).not.toMatch(/\s+at\s.+:\d+:\d+/)
    }
    expect(runs.broken!.stderr).toMatch(/^crawl: ademe-agir: JSON illisible/)
    expect(runs.unknown!.stderr).toMatch(/^crawl: source inconnue « occitanie »/)
    expect(runs.missing!.stderr).toMatch(/^crawl: fichier illisible/)
  })
})

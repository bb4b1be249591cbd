// The README's promises, as a newcomer would try them on a fresh clone: the curl examples,
// copied as written, against a real server (the port swapped), and `--help` on every command it
// names, which must print a usage and exit 0.
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const README = readFileSync(`${ROOT}README.md`, 'utf8')

/** The `curl` commands of the README's shell blocks, continuation lines joined, comments dropped. */
function curlCommands(): string[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
  return blocks
    .flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('curl '))
}

let services: Awaited<ReturnType<typeof startServices>>
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let port = 0
beforeAll(async () => {
  services = await startServices()
  server = await serveOnFreePort(services.app.fetch)
  port = server.port
})
afterAll(async () => {
  await server.close()
  services.dispose()
})

describe('the README', () => {
  it('has curl examples that work when copied as written (no raw accent in a URL)', async () => {
    const commands = curlCommands()
    expect(commands.length).toBeGreaterThanOrEqual(3)
    const statuses: Record<string, string> = {}
    for (const command of commands) {
      const local = command.replaceAll('127.0.0.1:8787', `127.0.0.1:${port}`)
      // Only the status and body size are looked at: the command itself is run as a shell would.
      // Asynchronously: the server answering it runs in this very process.
      const { stdout } = await promisify(execFile)('bash', ['-c', `${local} -s -o /dev/null -w '%{http_code}' --max-time 20`], { encoding: 'utf8' })
      statuses[command] = stdout
      // Every URL a curl command puts on the line is plain ASCII (percent-encoded), or the text goes through --data-urlencode.
      for (const url of command.match(/'(https?:[^']*)'|(https?:\S+)/g) ?? []) expect(url, command).toMatch(/^[\x21-\x7e]+$/)
    }
    const [match, notFound, openapi] = Object.values(statuses)
    expect(match).toBe('200')
    expect(notFound).toBe('404')
    expect(openapi).toBe('200')
  })

  it('names commands that all answer --help with a usage and exit 0', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts as Record<string, string>)
    const named = [...new Set([...README.matchAll(/npm (?:run(?: -s)? ([a-z:]+)|(start))/g)].map((m) => m[1] ?? m[2]!))]
    expect(named).toEqual(expect.arrayContaining(['start', 'bench', 'eval', 'crawl', 'alerts', 'admin', 'teams:package']))
    for (const name of named) {
      expect(scripts, name).toContain(name)
      if (name === 'typecheck' || name === 'test') continue // tsc and vitest: their own --help
      const r = spawnSync('npm', ['run', '-s', name, '--', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
      expect(r.status, `${name}: ${r.stderr}`).toBe(0)
      expect(r.stdout, name).toMatch(/npm (run|start)/)
    }
  }, 120_000)
})

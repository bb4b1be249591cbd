// `npm run workers:dev [-- wrangler dev options]`: the Worker on this machine, through the real
// `wrangler dev` (workerd). wrangler runs the build step first ([build] of wrangler.toml), then
// serves with a local D1 kept under .wrangler/state (or --persist-to <dir>). Local development
// settings: the embedded index (WORKERS_EMBEDDED_INDEX, no Meilisearch needed), webhooks to local
// receivers (ALERTS_WEBHOOK_ALLOW_PRIVATE), the Cron Triggers at GET /__scheduled?cron=<expression>
// (--test-scheduled). Nothing leaves the machine: no telemetry, no login, no fetch of Cloudflare's
// request.cf sample. Other options (--port 8787, --ip, --var NAME:value…) go to wrangler as given.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The arguments of `wrangler dev`: the local-development defaults, then the caller's (which win). */
export function wranglerDevArgs(args: readonly string[]): string[] {
  return ['dev', '--test-scheduled', '--var', 'WORKERS_EMBEDDED_INDEX:true', '--var', 'ALERTS_WEBHOOK_ALLOW_PRIVATE:true', ...args]
}

/** The environment wrangler runs in: nothing sent to Cloudflare, nothing fetched from it. */
export function wranglerDevEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // The banner is where wrangler asks the npm registry for a newer version: hidden, nothing asked.
  return { ...env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`npm run workers:dev [-- --port 8787 --persist-to <dossier> …]

  Lance le Worker en local avec le vrai \`wrangler dev\` : construction (catalogue, widget), D1 local
  gardé sous .wrangler/state (ou --persist-to), index intégré, webhooks locaux acceptés, et les
  déclencheurs cron à GET /__scheduled?cron=<expression>. Les autres options vont à wrangler.
`)
    process.exit(0)
  }
  const child = spawn(new URL('node_modules/.bin/wrangler', `file://${ROOT}`).pathname, wranglerDevArgs(args), { cwd: ROOT, stdio: 'inherit', env: wranglerDevEnv(process.env) })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

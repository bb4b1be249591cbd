// Entry of `npm run crawl -- …`: the thin shell around crawler/cli-core.ts. This file is a
// command, not library code, which is why it alone (outside runtime/) may import node:fs and read
// process: it may move to runtime/node/ when the fetching side lands. GUICHET_NOW fixes the clock.
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { fixedClock, systemClock } from '../core/clock.ts'
import { runCli } from './cli-core.ts'

const clock = process.env.GUICHET_NOW ? fixedClock(process.env.GUICHET_NOW) : systemClock

process.exitCode = runCli(process.argv.slice(2), {
  readFile: (path) => readFileSync(path, 'utf8'),
  now: () => clock.now(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})

// `npx tsx test/eligibility-holdout/run.ts`: the hold-out eligibility figures (also printed by
// `npm run eval`). GUICHET_NOW is fixed at 2026-03-01, the day the cases were written for.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode } from '../../runtime/node/compose.ts'
import { loadHoldout, playCase, type CaseOutcome } from './holdout.ts'

export async function runHoldout(): Promise<{ outcomes: CaseOutcome[]; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-holdout-'))
  const s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01' }), { logger: silentLogger })
  const outcomes: CaseOutcome[] = []
  try {
    for (const c of loadHoldout()) outcomes.push(await playCase((path, init) => Promise.resolve(s.app.request(path, init)), c))
  } finally {
    s.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const lines: string[] = []
  for (const kind of ['match', 'chat'] as const) {
    const set = outcomes.filter((o) => o.kind === kind)
    const wrong = set.flatMap((o) => o.eligibleWrongly)
    lines.push(
      `hold-out ${kind} (${set.length} cases): ${wrong.length} excluded-by-the-facts programmes shown as eligible in ${set.filter((o) => o.eligibleWrongly.length).length} cases; ` +
        `${set.flatMap((o) => o.shownWrongly).length} shown at all (« à confirmer » included); ${set.flatMap((o) => o.missedObtainable).length} obtainable ones excluded; ${set.filter((o) => o.error).length} errors`,
    )
  }
  return { outcomes, lines }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { outcomes, lines } = await runHoldout()
  for (const o of outcomes) if (o.eligibleWrongly.length || o.missedObtainable.length || o.error) console.log(`${o.id}: eligible wrongly [${o.eligibleWrongly.join(', ')}] missed [${o.missedObtainable.join(', ')}]${o.error ? ` ${o.error}` : ''}`)
  console.log(lines.join('\n'))
}

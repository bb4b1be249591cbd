// `npx tsx test/eval/generated/dev-failures.ts`: the generated DEVELOPMENT half's failures, one
// line each (channel, case, programmes wrongly shown as eligible, expected ones missed from the top
// 10, misread slots, and the message as typed). Only the dev half: the hold-out half is measured,
// never looked into.
import { loadGeneratedCases, runGenerated, type Style } from './run-generated.ts'

const cases = loadGeneratedCases().filter((c) => c.half === 'dev')
const byId = new Map(cases.map((c) => [c.id, c]))
const { runs } = await runGenerated(cases)
for (const run of runs) {
  if (!run.eligibleWrongly.length && !run.missedTop10.length && !run.misread?.length && !run.repeated?.length) continue
  const c = byId.get(run.caseId)!
  const style: Style = run.channel.startsWith('chat:') ? (run.channel.slice(5) as Style) : 'terse'
  console.log(`${run.channel} ${run.caseId} wrong=[${run.eligibleWrongly}] missed=[${run.missedTop10}] misread=[${run.misread ?? ''}] repeated=[${run.repeated ?? ''}] :: ${c.styles[style]}`)
}

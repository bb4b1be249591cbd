// `npm run eval`: plays every scripted conversation through POST /api/chat and prints the
// dialogue's figures: questions before the first results (median, max), share of expected
// programmes in the top 10, and programmes shown although the script says they are not
// available to that collectivité. Targets: ≤ 3 questions, ≥ 90 %, 0.
// Then the generated set (test/eval/generated/cases.json, built from the programmes' own examples),
// its development half and its hold-out half, and the eligibility hold-out set; a summary table
// gives each set's figures. The exit code is non-zero only when the generated hold-out half misses
// its targets (≥ 90 % top 10 via match and chat, ≥ 70 % top 3, 0 excluded programme shown as
// eligible, median ≤ 2 and max ≤ 4 questions, 0 repeated question).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode } from '../../runtime/node/compose.ts'
import { loadConversations, play, type ChatReply } from '../conversations/script.ts'
import { runHoldout } from '../eligibility-holdout/run.ts'
import { pct, runGenerated, type Figures } from './generated/run-generated.ts'

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`npm run eval

  Rejoue les conversations scriptées, le jeu d'éligibilité tenu à part et le jeu généré (moitié
  développement et moitié tenue à part) à la date du 2026-03-01 ; affiche les chiffres de chaque jeu.
  Code de sortie : 0 quand la moitié tenue à part atteint ses cibles, 1 sinon.
`)
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'guichet-eval-'))
const s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01' }), { logger: silentLogger })
const post = async (body: unknown) => {
  const res = await s.app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as ChatReply }
}

const rows: string[] = []
const questions: number[] = []
let expected = 0
let found = 0
let wronglyShown = 0
let noResults = 0
let repeatedScripted = 0
for (const conv of loadConversations()) {
  const t = await play(post, conv)
  const top10 = t.finalResults.slice(0, 10).map((r) => r.id)
  const shown = new Set(t.finalResults.map((r) => r.id))
  const hit = conv.top10.filter((id) => top10.includes(id))
  const wrong = conv.notShown.filter((id) => shown.has(id))
  if (t.finalResults.length === 0) noResults++
  questions.push(t.questionsBeforeResults)
  const asked = t.replies.filter((r) => r.question).map((r) => `${r.question!.slot}:${r.question!.text}`)
  repeatedScripted += asked.length - new Set(asked).size
  expected += conv.top10.length
  found += hit.length
  wronglyShown += wrong.length
  const missed = conv.top10.filter((id) => !top10.includes(id))
  rows.push(`| ${conv.file} | ${t.questionsBeforeResults} | ${hit.length}/${conv.top10.length}${missed.length ? ` (missing ${missed.join(', ')})` : ''} | ${wrong.length ? wrong.join(', ') : '0'} |`)
}
questions.sort((a, b) => a - b)
const median = questions.length % 2 ? questions[(questions.length - 1) / 2]! : (questions[questions.length / 2 - 1]! + questions[questions.length / 2]!) / 2
console.log('| conversation | questions before results | expected in top 10 | shown but not available |')
console.log('|---|---:|---:|---|')
console.log(rows.join('\n'))
console.log('')
console.log(`conversations: ${questions.length} (${noResults} without results)`)
console.log(`questions before the first results: median ${median}, max ${questions.at(-1)} (target ≤ 3)`)
console.log(`expected programmes in the top 10: ${found}/${expected} = ${((100 * found) / Math.max(1, expected)).toFixed(1)} % (target ≥ 90 %)`)
console.log(`programmes shown although not available to the collectivité: ${wronglyShown} (target 0)`)
s.close()
rmSync(dir, { recursive: true, force: true })

// The figure that counts: cases written from the programme facts by someone who had not read the code.
console.log('')
console.log('Eligibility hold-out set (test/eligibility-holdout/cases.yaml, never tuned on), target 0 shown as eligible:')
const holdout = await runHoldout()
console.log(holdout.lines.join('\n'))
const holdoutWrong = holdout.outcomes.reduce((n, o) => n + o.eligibleWrongly.length, 0)
const scriptedOk = (questions.at(-1) ?? 0) <= 3 && found / Math.max(1, expected) >= 0.9 && wronglyShown === 0 && holdoutWrong === 0

// The generated set: cases built from the programmes' own examples, three styles of first message each.
const t0 = performance.now()
const generated = await runGenerated()
const seconds = ((performance.now() - t0) / 1000).toFixed(1)
const cell = (f: Figures | undefined, k: 'top10' | 'top3') => (f && f[k].expected ? pct(f[k].hit, f[k].expected) + ` (${f[k].hit}/${f[k].expected})` : 'n/a')
const row = (set: string, cases: number | string, m: Figures | undefined, c: Figures | undefined, extra?: { wrongChat?: number | string; median?: number; max?: number; repeated?: number }) =>
  `| ${set} | ${cases} | ${cell(m, 'top10')} | ${cell(c, 'top10')} | ${cell(m, 'top3')} | ${cell(c, 'top3')} | ${m ? m.eligibleWrongly : 'n/a'} | ${extra?.wrongChat ?? c?.eligibleWrongly ?? 'n/a'} | ` +
  `${extra?.median ?? c?.questions?.median ?? 'n/a'} / ${extra?.max ?? c?.questions?.max ?? 'n/a'} | ${extra?.repeated ?? c?.repeated ?? 'n/a'} | ${c?.misread ? `${c.misread.slots}/${c.misread.checked} (${Object.entries(c.misread.bySlot).map(([k, n]) => `${k} ${n}`).join(', ')})` : 'n/a'} |`
const holdoutMatch = holdout.outcomes.filter((o) => o.kind === 'match')
const holdoutChat = holdout.outcomes.filter((o) => o.kind === 'chat')
console.log('')
console.log(`Generated set (test/eval/generated/cases.json, ${generated.runs.length} runs in ${seconds} s; chat = the three styles of each case):`)
console.log('')
console.log('| set | cases | top 10 via match | top 10 via chat | top 3 via match | top 3 via chat | ineligible shown as eligible (match) | … (chat) | questions before results median / max | repeated questions | misread slots (first message) |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
console.log(
  row('scripted conversations', questions.length, undefined, { cases: questions.length, top10: { hit: found, expected }, top3: { hit: 0, expected: 0 }, eligibleWrongly: wronglyShown, wrongByRule: {}, errors: 0 }, { wrongChat: `${wronglyShown} shown at all`, median, max: questions.at(-1) ?? 0, repeated: repeatedScripted }),
)
console.log(row('generated, dev half', generated.byHalf.dev.match.cases, generated.byHalf.dev.match, generated.byHalf.dev.chat))
console.log(row('generated, hold-out half (counts)', generated.byHalf.holdout.match.cases, generated.byHalf.holdout.match, generated.byHalf.holdout.chat))
console.log(
  `| eligibility hold-out | ${holdout.outcomes.length} (${holdoutMatch.length} match, ${holdoutChat.length} chat) | n/a | n/a | n/a | n/a | ${holdoutMatch.reduce((n, o) => n + o.eligibleWrongly.length, 0)} | ${holdoutChat.reduce((n, o) => n + o.eligibleWrongly.length, 0)} | n/a | n/a | n/a |`,
)
const byRule = (f: Figures) => Object.entries(f.wrongByRule).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'
console.log('')
console.log(`Shown as eligible wrongly, by the rule that excludes them (a breakdown of the counts above, not the cases): dev half match ${byRule(generated.byHalf.dev.match)}, chat ${byRule(generated.byHalf.dev.chat)}; hold-out half match ${byRule(generated.byHalf.holdout.match)}, chat ${byRule(generated.byHalf.holdout.chat)}`)
console.log('')
console.log(`scripted conversations and eligibility hold-out targets: ${scriptedOk ? 'met' : 'missed'} (reported, not part of the exit code)`)
console.log(generated.holdoutMeetsTargets ? 'generated hold-out half: targets met' : `generated hold-out half misses its targets: ${generated.failedTargets.join('; ')}`)
process.exit(generated.holdoutMeetsTargets ? 0 : 1)

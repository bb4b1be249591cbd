// `npx tsx test/eval/chat-cli.ts "message" "message" …`: plays one French conversation through
// POST /api/chat of the real composition (GUICHET_NOW=2026-03-01) and prints what the user sees.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode } from '../../runtime/node/compose.ts'

const dir = mkdtempSync(join(tmpdir(), 'guichet-chat-'))
const s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: process.env['GUICHET_NOW'] ?? '2026-03-01' }), { logger: silentLogger })
let sessionId: string | undefined
for (const text of process.argv.slice(2)) {
  const body = text.startsWith('choice:') ? { choice: text.slice(7) } : { text }
  const res = await s.app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...(sessionId ? { sessionId } : {}), ...body }) })
  const r = (await res.json()) as { sessionId: string; messages: { text: string }[]; question?: { slot: string; text: string; choices?: { label: string }[] }; results?: { id: string; eligibility: { status: string; questions?: { question: string }[] }; availability?: { text: string }; aid?: { label: string | null } }[]; excluded?: { id: string; reasons: string[] }[] }
  sessionId = r.sessionId
  console.log(`\n> ${text}`)
  for (const m of r.messages) console.log(`  ${m.text}`)
  if (r.question) console.log(`  ? [${r.question.slot}] ${r.question.text}${r.question.choices ? ` (${r.question.choices.map((c) => c.label).join(' / ')})` : ''}`)
  for (const it of r.results ?? []) console.log(`  - ${it.id} ${it.eligibility.status}${it.eligibility.questions?.length ? ` — ${it.eligibility.questions.map((q) => q.question).join(' ')}` : ''}${it.aid?.label ? ` — ${it.aid.label}` : ''}`)
  for (const e of r.excluded ?? []) console.log(`  x ${e.id}: ${e.reasons[0]}`)
}
s.close()
rmSync(dir, { recursive: true, force: true })

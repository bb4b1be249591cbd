// The generated evaluation (cases.json, built by build-cases.ts from the programmes' examples),
// played through the real app: GET /api/match with the case's query, and POST /api/chat once per
// style of first message (terse, polite, typos), answering each question with what the case knows
// (a closed-list membership, a budget, a stage…) and « je ne sais pas » otherwise, then « montre-moi
// les résultats ». Figures per half (dev, hold-out) and channel: recall of the expected programmes in
// the top 10 and top 3, programmes the facts exclude shown as eligible, questions before results,
// questions repeated, and slots the understanding of the first message misread.
// `npx tsx test/eval/generated/run-generated.ts` prints them; `npm run eval` too.
import type { CollectiviteProfile } from '../../../core/profile.ts'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { APPLICANT_TYPES, type ApplicantType } from '../../../core/applicants.ts'
import { countryName } from '../../../core/countries.ts'
import { parseConfig } from '../../../core/config.ts'
import { loadEtalabGeography } from '../../../core/geography/etalab-data.ts'
import { silentLogger } from '../../../core/logger.ts'
import { understand } from '../../../bot/conversation/understand/understand.ts'
import { composeNode } from '../../../runtime/node/compose.ts'
import { CASES_FILE, EVAL_DAY, type GeneratedCase, type Half } from './build-cases.ts'

export const STYLES = ['terse', 'polite', 'typos'] as const
export type Style = (typeof STYLES)[number]

export function loadGeneratedCases(file = CASES_FILE): GeneratedCase[] {
  return JSON.parse(readFileSync(file, 'utf8')) as GeneratedCase[]
}

interface Item {
  id: string
  eligibility: { status: string }
}
interface Question {
  slot: string
  text: string
  fact?: string
  closedList?: string
  choices?: { value: string; label: string }[]
}
interface ChatReply {
  sessionId: string
  question?: Question
  results?: Item[]
}

/** One channel's outcome on one case (for the chat: one style). */
export interface Run {
  caseId: string
  half: Half
  channel: 'match' | `chat:${Style}`
  top10Hit: number
  top10Expected: number
  top3Hit: number
  top3Expected: number
  /** Programmes the examples exclude (or leave « à confirmer »), shown as eligible. */
  eligibleWrongly: string[]
  /** For each of those, the rule its example says excludes it (or « unknown » for an « à confirmer » one): a breakdown, not the cases. */
  wrongRules: string[]
  missedTop10: string[]
  /** Chat only. */
  questions?: number
  repeated?: string[]
  asked?: string[]
  misread?: string[]
  slotsChecked?: number
  error?: string
}

type Request = (path: string, init?: RequestInit) => Promise<Response>

function score(c: GeneratedCase, results: Item[]): Pick<Run, 'top10Hit' | 'top10Expected' | 'top3Hit' | 'top3Expected' | 'eligibleWrongly' | 'wrongRules' | 'missedTop10'> {
  const top10 = results.slice(0, 10).map((r) => r.id)
  const top3 = results.slice(0, 3).map((r) => r.id)
  const eligible = new Set(results.filter((r) => r.eligibility.status === 'eligible').map((r) => r.id))
  return {
    top10Hit: c.expectTop10.filter((id) => top10.includes(id)).length,
    top10Expected: c.expectTop10.length,
    top3Hit: c.expectTop3.filter((id) => top3.includes(id)).length,
    top3Expected: c.expectTop3.length,
    eligibleWrongly: c.mustNotBeEligible.filter((id) => eligible.has(id)),
    wrongRules: c.mustNotBeEligible
      .filter((id) => eligible.has(id))
      .flatMap((id) => c.sources.filter((s) => s.programme === id && s.expect !== 'eligible').map((s) => (s.expect === 'unknown' ? `unknown:${s.rule ?? '?'}` : s.rule ?? '?'))),
    missedTop10: c.expectTop10.filter((id) => !top10.includes(id)),
  }
}

export async function playMatch(request: Request, c: GeneratedCase): Promise<Run> {
  const qs = new URLSearchParams({ ...c.query, limit: '200' })
  const res = await request(`/api/match?${qs}`)
  if (res.status !== 200) {
    return { caseId: c.id, half: c.half, channel: 'match', ...score(c, []), error: `HTTP ${res.status}: ${(await res.text()).slice(0, 160)}` }
  }
  const body = (await res.json()) as { results: Item[] }
  return { caseId: c.id, half: c.half, channel: 'match', ...score(c, body.results) }
}

const DONT_KNOW = 'je ne sais pas'

/** What the case answers to a question: a choice it holds, a fact in words, or « je ne sais pas ». */
export function answer(c: GeneratedCase, q: Question): { choice: string } | { text: string } {
  const f = c.facts
  const has = (v: string) => q.choices?.some((ch) => ch.value === v)
  const yesNo = (v: boolean | undefined) => (v === undefined ? { text: DONT_KNOW } : has(v ? 'oui' : 'non') ? { choice: v ? 'oui' : 'non' } : { text: v ? 'oui' : 'non' })
  switch (q.slot) {
    case 'collectivite': {
      const code = c.collectivite.code
      if (has(code)) return { choice: code }
      const prefix = { commune: 'insee', epci: 'siren', departement: 'département', region: 'région' }[c.collectivite.type]
      return { text: `${prefix} ${code}` }
    }
    case 'applicantType':
      return has(f.applicant) ? { choice: f.applicant } : { text: APPLICANT_TYPES[f.applicant as ApplicantType]?.label ?? f.applicant }
    case 'themes':
      return f.themes.length ? { text: c.query.q! } : { text: DONT_KNOW }
    case 'stage':
      return f.stage ? (has(f.stage) ? { choice: f.stage } : { text: f.stage }) : { text: DONT_KNOW }
    case 'budget':
      return f.budget !== undefined ? { text: `${f.budget} euros` } : { text: DONT_KNOW }
    case 'partnerCountry':
      return f.partnerCountry ? (has(f.partnerCountry) ? { choice: f.partnerCountry } : { text: countryName(f.partnerCountry) }) : { text: DONT_KNOW }
    case 'partnerCountries': {
      const others = (f.partnerCountries ?? []).filter((x) => x !== f.partnerCountry)
      return others.length ? { text: others.map(countryName).join(' et ') } : { text: DONT_KNOW }
    }
    case 'closedList':
      return yesNo(q.closedList ? f.closedLists?.[q.closedList as keyof typeof f.closedLists] : undefined)
    case 'population':
      return f.applicantPopulation !== undefined ? { text: `${f.applicantPopulation} habitants` } : { text: DONT_KNOW }
    case 'scope': {
      if (q.fact === 'scope:*') {
        const known = q.choices?.find((ch) => f.themes.includes(ch.value as never))
        return known ? { choice: known.value } : { text: DONT_KNOW }
      }
      const theme = q.fact?.slice('scope:'.length)
      return yesNo(theme && f.themes.includes(theme as never) ? true : theme && f.notThemes?.includes(theme as never) ? false : undefined)
    }
    case 'prerequisite':
      return yesNo(q.fact ? f.prerequisites?.[q.fact.slice('prerequisite:'.length)] : undefined)
    case 'foreignPartners':
      return yesNo(f.foreignPartners ?? (f.partnerCountry || f.partnerCountries?.length ? true : undefined))
    case 'frenchPartners':
      return f.frenchPartners !== undefined ? { text: String(f.frenchPartners) } : { text: DONT_KNOW }
    case 'density':
      return f.density !== undefined ? { text: `${f.density} habitants par km²` } : { text: DONT_KNOW }
    case 'syndicatKind':
      return f.syndicatKind ? (has(f.syndicatKind) ? { choice: f.syndicatKind } : { text: f.syndicatKind }) : { text: DONT_KNOW }
    default:
      return { text: DONT_KNOW }
  }
}

/** The slots the understanding of the first message got wrong (collectivité, applicant, themes, stage, budget, partner country). */
export function misreadSlots(c: GeneratedCase, text: string): { misread: string[]; checked: number } {
  const u = understand(text, { geography: loadEtalabGeography(), today: EVAL_DAY })
  const e = c.expectedSlots
  const misread: string[] = []
  let checked = 0
  const check = (slot: string, ok: boolean) => {
    checked++
    if (!ok) misread.push(slot)
  }
  const col = u.collectivite
  // A collectivité d'outre-mer of one commune (Saint-Barthélemy, Saint-Martin) is one collectivité
  // however the geography files it: its commune (97701) and the COM (977) read the same.
  const sameCom = (p: CollectiviteProfile) => p.zone === 'com' && ((e.collectivite.type === 'commune' && p.type === 'region' && e.collectivite.code.startsWith(p.code)) || (e.collectivite.type === 'region' && p.type === 'commune' && p.code.startsWith(e.collectivite.code)))
  check('collectivite', col?.kind === 'found' && ((col.profile.type === e.collectivite.type && col.profile.code === e.collectivite.code) || sameCom(col.profile)))
  check('applicantType', u.applicantType === e.applicantType || (e.applicantIsDefault && u.applicantType === undefined))
  if (e.themes.length) check('themes', e.themes.every((t) => u.themes.add.includes(t)))
  if (e.stage) check('stage', u.stage === e.stage)
  if (e.budget !== undefined) check('budget', u.budget !== undefined && Math.abs(u.budget - e.budget) <= e.budget * 0.01)
  if (e.partnerCountry) check('partnerCountry', u.partnerCountry === e.partnerCountry)
  return { misread, checked }
}

const MAX_ANSWERS = 6

export async function playChat(request: Request, c: GeneratedCase, style: Style): Promise<Run> {
  const post = async (body: object): Promise<ChatReply> => {
    const res = await request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${JSON.stringify(body)}: ${(await res.text()).slice(0, 160)}`)
    return (await res.json()) as ChatReply
  }
  const { misread, checked } = misreadSlots(c, c.styles[style])
  const base = { caseId: c.id, half: c.half, channel: `chat:${style}` as const, misread, slotsChecked: checked }
  const asked: string[] = []
  const repeated: string[] = []
  let questions = 0
  let results: Item[] | undefined
  const see = (r: ChatReply) => {
    if (r.results?.length && !results) results = r.results
    else if (r.results?.length) results = r.results
    if (r.question) {
      // The web reply carries no `fact`/`closedList`: the question's text tells two closed lists apart.
      const key = `${r.question.slot}:${r.question.fact ?? r.question.closedList ?? r.question.text}`
      if (asked.includes(key)) repeated.push(key.slice(0, 80))
      asked.push(key)
      if (!results) questions++
    }
  }
  try {
    let reply = await post({ text: c.styles[style] })
    const sessionId = reply.sessionId
    see(reply)
    for (let i = 0; i < MAX_ANSWERS && reply.question && !reply.results?.length; i++) {
      reply = await post({ sessionId, ...answer(c, reply.question) })
      see(reply)
    }
    if (!results) {
      reply = await post({ sessionId, text: 'montre-moi les résultats' })
      see(reply)
    }
  } catch (err) {
    return { ...base, ...score(c, []), questions, repeated, asked, error: (err as Error).message }
  }
  return { ...base, ...score(c, results ?? []), questions, repeated, asked }
}

export interface Figures {
  cases: number
  top10: { hit: number; expected: number }
  top3: { hit: number; expected: number }
  eligibleWrongly: number
  /** Wrongly eligible programmes by the rule that should have excluded them (or left them « à confirmer »). */
  wrongByRule: Record<string, number>
  questions?: { median: number; max: number }
  repeated?: number
  misread?: { slots: number; checked: number; bySlot: Record<string, number> }
  errors: number
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  if (!s.length) return 0
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

export function figures(runs: Run[]): Figures {
  const chat = runs.filter((r) => r.questions !== undefined)
  const bySlot: Record<string, number> = {}
  for (const r of runs) for (const s of r.misread ?? []) bySlot[s] = (bySlot[s] ?? 0) + 1
  return {
    cases: new Set(runs.map((r) => r.caseId)).size,
    top10: { hit: runs.reduce((n, r) => n + r.top10Hit, 0), expected: runs.reduce((n, r) => n + r.top10Expected, 0) },
    top3: { hit: runs.reduce((n, r) => n + r.top3Hit, 0), expected: runs.reduce((n, r) => n + r.top3Expected, 0) },
    eligibleWrongly: runs.reduce((n, r) => n + r.eligibleWrongly.length, 0),
    wrongByRule: runs.flatMap((r) => r.wrongRules).reduce<Record<string, number>>((o, k) => ({ ...o, [k]: (o[k] ?? 0) + 1 }), {}),
    ...(chat.length && {
      questions: { median: median(chat.map((r) => r.questions!)), max: Math.max(...chat.map((r) => r.questions!)) },
      repeated: chat.reduce((n, r) => n + (r.repeated?.length ?? 0), 0),
      misread: { slots: chat.reduce((n, r) => n + (r.misread?.length ?? 0), 0), checked: chat.reduce((n, r) => n + (r.slotsChecked ?? 0), 0), bySlot },
    }),
    errors: runs.filter((r) => r.error).length,
  }
}

export const pct = (hit: number, expected: number) => (expected ? `${((100 * hit) / expected).toFixed(1)} %` : 'n/a')

export interface GeneratedResult {
  runs: Run[]
  byHalf: Record<Half, { match: Figures; chat: Figures }>
  /** The hold-out half's targets: ≥ 90 % top 10 via match and chat, ≥ 70 % top 3, 0 shown as eligible wrongly, median ≤ 2 and max ≤ 4 questions, 0 repeated. */
  holdoutMeetsTargets: boolean
  failedTargets: string[]
}

export async function runGenerated(cases = loadGeneratedCases()): Promise<GeneratedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-generated-'))
  const s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: EVAL_DAY }), { logger: silentLogger })
  const request: Request = (path, init) => Promise.resolve(s.app.request(path, init))
  const runs: Run[] = []
  try {
    for (const c of cases) {
      runs.push(await playMatch(request, c))
      for (const style of STYLES) runs.push(await playChat(request, c, style))
    }
  } finally {
    s.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const byHalf = {} as GeneratedResult['byHalf']
  for (const half of ['dev', 'holdout'] as const) {
    const set = runs.filter((r) => r.half === half)
    byHalf[half] = { match: figures(set.filter((r) => r.channel === 'match')), chat: figures(set.filter((r) => r.channel !== 'match')) }
  }
  const h = byHalf.holdout
  const failed: string[] = []
  const rate = (x: { hit: number; expected: number }) => (x.expected ? x.hit / x.expected : 1)
  if (rate(h.match.top10) < 0.9) failed.push(`top 10 via match ${pct(h.match.top10.hit, h.match.top10.expected)} < 90 %`)
  if (rate(h.chat.top10) < 0.9) failed.push(`top 10 via chat ${pct(h.chat.top10.hit, h.chat.top10.expected)} < 90 %`)
  if (rate(h.match.top3) < 0.7) failed.push(`top 3 via match ${pct(h.match.top3.hit, h.match.top3.expected)} < 70 %`)
  if (rate(h.chat.top3) < 0.7) failed.push(`top 3 via chat ${pct(h.chat.top3.hit, h.chat.top3.expected)} < 70 %`)
  if (h.match.eligibleWrongly + h.chat.eligibleWrongly > 0) failed.push(`${h.match.eligibleWrongly} (match) + ${h.chat.eligibleWrongly} (chat) excluded programmes shown as eligible`)
  if ((h.chat.questions?.median ?? 0) > 2) failed.push(`median questions ${h.chat.questions?.median} > 2`)
  if ((h.chat.questions?.max ?? 0) > 4) failed.push(`max questions ${h.chat.questions?.max} > 4`)
  if ((h.chat.repeated ?? 0) > 0) failed.push(`${h.chat.repeated} repeated questions`)
  if (h.match.errors + h.chat.errors > 0) failed.push(`${h.match.errors + h.chat.errors} errors`)
  return { runs, byHalf, holdoutMeetsTargets: failed.length === 0, failedTargets: failed }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = performance.now()
  const r = await runGenerated()
  const verbose = process.argv.includes('--verbose')
  for (const run of r.runs) {
    if (!verbose && run.half === 'holdout') continue
    if (run.missedTop10.length || run.eligibleWrongly.length || run.error || (run.repeated?.length ?? 0) > 0 || (run.misread?.length ?? 0) > 0) {
      console.log(`${run.half} ${run.caseId} ${run.channel}: missed [${run.missedTop10.join(', ')}] eligible wrongly [${run.eligibleWrongly.join(', ')}]${run.repeated?.length ? ` repeated [${run.repeated.join(', ')}]` : ''}${run.misread?.length ? ` misread [${run.misread.join(', ')}]` : ''}${run.error ? ` ${run.error}` : ''}`)
    }
  }
  console.log(JSON.stringify(r.byHalf, null, 1))
  console.log(r.holdoutMeetsTargets ? 'hold-out half meets the targets' : `hold-out half misses: ${r.failedTargets.join('; ')}`)
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

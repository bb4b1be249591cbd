// The programmes of the admin desk, their data side: the listing with its filters, a programme's
// detail (every layer, crawl problems, likely duplicates, examples replayed), overrides saved
// with optimistic concurrency, creation of a curated programme, merge and unmerge. Every change
// is committed with its audit entry and followed by a reindex. The pages are programmes-admin.tsx.
import type { Context } from 'hono'
import { z } from 'zod'
import { parisDay } from '../../core/clock.ts'
import { evaluateCalendar } from '../../core/calendar.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts'
import { availability } from '../../core/availability.ts'
import { coverage, runExamples } from '../../core/examples.ts'
import { LEVELS, ProgrammeSchema, type Programme } from '../../core/programme.ts'
import type { CrawlRun } from '../../crawler/crawl-store.ts'
import type { AdminDeps } from './admin-deps.ts'
import { parseWith } from './body.ts'
import { likelyDuplicates } from '../../content/duplicates.ts'
import type { AdminEnv, AdminKit } from './kit.ts'
import { applyOverride, minimalPatch, validatePatch } from '../../content/overrides.ts'
import type { ProgrammeOverride } from './ports.ts'

type Env = AdminEnv

const FiltersSchema = z.object({
  q: z.string().optional(), source: z.string().optional(), level: z.enum(LEVELS).optional().or(z.literal('').transform(() => undefined)),
  status: z.string().optional(), stale: z.string().optional(), unverified: z.string().optional(), hidden: z.string().optional(),
  expired: z.string().optional(), crawlErrors: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1), perPage: z.coerce.number().int().min(1).max(1000).default(100),
})

/** A crawl problem of a programme, as the listing counts it and its page shows it. */
export interface CrawlProblem { sourceId: string; at: string; field: string; message: string; raw: string; recordId?: string }

export type ProgrammeDesk = ReturnType<typeof programmeDesk>
export type ProgrammeDetail = Awaited<ReturnType<ProgrammeDesk['detail']>>

// Over 80 lines: a factory of closures sharing the desk's stores; each closure is short.
export function programmeDesk(deps: AdminDeps, { now }: Pick<AdminKit, 'now'>) {
  /**
   * Crawl problems by catalogue id, from the latest run of each source: record errors naming
   * the programme (raw value kept) and, for a source whose latest run failed, every programme it gives.
   */
  async function crawlProblems(): Promise<Map<string, CrawlProblem[]>> {
    const out = new Map<string, CrawlProblem[]>()
    if (!deps.crawl) return out
    const idOf = deps.catalogueIdOf ?? ((x: string) => x)
    const latest = new Map<string, { at: string; stats: CrawlRun['sources'][number] }>()
    for (const run of await deps.crawl.listRuns(50)) for (const st of run.sources) if (!latest.has(st.sourceId) && st.status !== 'skipped') latest.set(st.sourceId, { at: run.startedAt, stats: st })
    const add = (id: string, e: CrawlProblem) => out.set(id, [...(out.get(id) ?? []), e])
    const failedSources = new Map<string, { at: string; message: string }>()
    for (const [sourceId, { at, stats }] of latest) {
      for (const d of stats.recordErrorDetails ?? []) if (d.programmeId) add(idOf(d.programmeId), { sourceId, at, field: d.field, message: d.message, raw: d.raw, ...(d.recordId ? { recordId: d.recordId } : {}) })
      if (stats.status === 'failed') failedSources.set(sourceId, { at, message: stats.errors[0] ?? 'échec' })
    }
    if (failedSources.size) {
      for (const r of await deps.crawl.allRows()) {
        const f = failedSources.get(r.sourceId)
        if (f && !r.goneAt) add(idOf(r.programme.id), { sourceId: r.sourceId, at: f.at, field: '(source)', message: `collecte en échec : ${f.message}`, raw: '' })
      }
    }
    return out
  }

  async function listing(query: Record<string, string>) {
    const f = FiltersSchema.parse(query)
    const overrides = new Map((await deps.overrides.all()).map((o) => [o.programmeId, o]))
    const problems = f.crawlErrors ? await crawlProblems() : undefined
    const redirects = deps.redirects()
    const today = parisDay(now())
    const q = f.q?.trim().toLowerCase()
    return deps.baseCatalogue().all().flatMap((base) => {
      const o = overrides.get(base.id)
      let p = base
      try { p = applyOverride(base, o) } catch { /* shown as base */ }
      if (q && !`${p.id} ${p.name} ${p.shortName ?? ''} ${p.funders.join(' ')}`.toLowerCase().includes(q)) return []
      if (f.level && p.level !== f.level) return []
      // The calendar (8 µs a programme, French labels included) only where a filter needs it;
      // otherwise listingPage evaluates it for the rows of the page alone.
      const calendar = f.status || f.expired ? evaluateCalendar(p.calendar, today) : undefined
      const row = {
        id: p.id, name: p.name, level: p.level, source: sourceOf(p), status: calendar?.status, closesAt: calendar ? (calendar.closesAt ?? null) : undefined,
        stale: p.uncertain.some((u) => u.field === 'existence'), verifiedAt: p.verifiedAt ?? null, hidden: o?.hidden ?? false, overridden: !!o && Object.keys(o.patch).length > 0,
        mergedInto: redirects.get(p.id) ?? null, expired: calendar ? calendar.status === 'closed' : undefined, crawlErrors: problems?.get(p.id)?.length ?? 0,
        calendarOf: p.calendar,
      }
      if (f.source && row.source !== f.source) return []
      if (f.status && row.status !== f.status) return []
      if (f.stale && !row.stale) return []
      if (f.expired && !row.expired) return []
      if (f.crawlErrors && !row.crawlErrors) return []
      if (f.unverified && row.verifiedAt) return []
      if (f.hidden === '1' && !row.hidden) return []
      if (f.hidden === '0' && row.hidden) return []
      return [row]
    })
  }

  async function detail(id: string) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const override = await deps.overrides.get(id)
    const curated = deps.curated().find((p) => p.id === id) ?? deps.created().find((p) => p.id === id) ?? null
    const origin: 'file' | 'back-office' | 'crawl' = deps.curated().some((p) => p.id === id) ? 'file' : deps.created().some((p) => p.id === id) ? 'back-office' : 'crawl'
    const idOf = deps.catalogueIdOf ?? ((x: string) => x)
    const redirects = deps.redirects()
    const mergedIds = [...redirects].filter(([, w]) => w === id).map(([l]) => l)
    const owners = new Set([id, ...mergedIds])
    const crawled = deps.crawl ? (await deps.crawl.allRows()).filter((r) => !r.goneAt && owners.has(idOf(r.programme.id))).map((r) => ({ sourceId: r.sourceId, lastSeen: r.lastSeen, stale: r.stale, via: idOf(r.programme.id), programme: r.programme })) : []
    const merged = mergedIds.map((l) => ({ id: l, programme: deps.baseCatalogue().get(l) ?? null }))
    const effective = applyOverride(base, override)
    const problems = (await crawlProblems()).get(id) ?? []
    const duplicates = redirects.has(id) ? [] : likelyDuplicates(effective, deps.baseCatalogue().all(), { exclude: new Set(redirects.keys()) })
    return { id, version: versionOf(override), origin, curated, crawled, merged, mergedInto: redirects.get(id) ?? null, crawlErrors: problems, duplicates, base, override: override ?? null, effective, preview: deps.matcher.present(effective), ...checks(effective) }
  }

  /** What the server's today and the geography say of a programme: its availability, its examples replayed, their coverage. */
  function checks(p: Programme) {
    const today = parisDay(now())
    const runs = runExamples(p, deps.geography)
    return {
      today,
      availability: availability(p, today),
      examples: runs.map((r) => ({
        about: r.example.about, date: r.example.date, expect: r.example.expect, rule: r.example.rule ?? null,
        status: r.result?.status ?? null, ok: r.ok, problem: r.problem ?? null,
      })),
      coverage: coverage(p, runs),
    }
  }

  async function saveOverride(c: Context<Env>, id: string, change: (o: ProgrammeOverride) => ProgrammeOverride, action: string) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const before = (await deps.overrides.get(id)) ?? { programmeId: id, patch: {}, hidden: false, verifiedBy: null, verifiedAt: null, updatedBy: '', updatedAt: '' }
    const after = { ...change(structuredClone(before)), updatedBy: c.get('account').email, updatedAt: now().toISOString() }
    // The change and its audit entry in one transaction: never one without the other.
    await deps.curation.commit({ overrides: [after], audit: [{ at: after.updatedAt, actor: after.updatedBy, action, target: `programme:${id}`, before: strip(before), after: strip(after) }] })
    await deps.reindex()
    return after
  }

  /**
   * `version` is the override version the editor started from (versionOf; '' = none yet): when another
   * change landed since, nothing is written and the editor sees who changed what (409).
   */
  async function putPatch(c: Context<Env>, id: string, fields: Record<string, unknown>, replace: boolean, version?: string) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const stored = await deps.overrides.get(id)
    if (version !== undefined && version !== versionOf(stored)) {
      throw new ConflictError(`Fiche modifiée entre-temps par ${stored?.updatedBy ?? 'un autre compte'} (${stored?.updatedAt ?? ''}) : rechargez-la avant d'enregistrer / Changed since you opened it`, 'version')
    }
    const current = stored?.patch ?? {}
    const combined = replace ? fields : { ...current, ...fields }
    const patch = minimalPatch(base, validatePatch(base, combined))
    return saveOverride(c, id, (o) => ({ ...o, patch }), 'programme.override')
  }

  async function listingPage(query: Record<string, string>) {
    const { page, perPage } = FiltersSchema.parse(query)
    const rows = await listing(query)
    const today = parisDay(now())
    const programmes = rows.slice((page - 1) * perPage, page * perPage).map(({ calendarOf, ...row }) => {
      if (row.status !== undefined) return { ...row, status: row.status, closesAt: row.closesAt ?? null, expired: row.expired ?? false }
      const calendar = evaluateCalendar(calendarOf, today)
      return { ...row, status: calendar.status, closesAt: calendar.closesAt ?? null, expired: calendar.status === 'closed' }
    })
    return { programmes, total: rows.length, page, perPage }
  }

  // ---------- create a curated programme ----------
  const NewIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'identifiant en minuscules, chiffres, _ ou -').max(120, '120 caractères au plus')
  async function createProgramme(c: Context<Env>, input: Record<string, unknown>): Promise<Programme> {
    const idParsed = NewIdSchema.safeParse(input['id'])
    if (!idParsed.success) throw new ValidationError([{ field: 'id', message: idParsed.error.issues[0]?.message ?? 'identifiant attendu' }])
    const id = idParsed.data
    if (deps.baseCatalogue().get(id) || deps.redirects().has(id)) throw new ValidationError([{ field: 'id', message: `un programme « ${id} » existe déjà` }])
    const official = typeof (input['links'] as { official?: unknown } | undefined)?.official === 'string' ? (input['links'] as { official: string }).official : ''
    // null means "no value" in the form's fields (an override's way to clear one): left out here.
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null))
    const candidate = { keywords: [], aid: {}, uncertain: [], ...given, id, provenance: input['provenance'] ?? { kind: 'curated', sources: official ? [official] : [] } }
    const programme = parseWith(ProgrammeSchema, candidate)
    const who = c.get('account').email
    const at = now().toISOString()
    await deps.curation.commit({
      created: [{ programme, createdBy: who, createdAt: at, updatedBy: who, updatedAt: at }],
      audit: [{ at, actor: who, action: 'programme.create', target: `programme:${id}`, before: null, after: programme }],
    })
    await deps.reindex()
    return programme
  }

  // ---------- merge duplicates ----------
  async function merge(c: Context<Env>, loserId: string, winnerId: string) {
    const base = deps.baseCatalogue()
    if (!base.get(loserId)) throw new NotFoundError(`Programme inconnu : « ${loserId} » / Unknown programme`, 'id')
    const redirects = deps.redirects()
    const errors = []
    if (!winnerId) errors.push({ field: 'into', message: 'programme à conserver attendu' })
    else if (winnerId === loserId) errors.push({ field: 'into', message: 'un programme ne peut pas être fusionné avec lui-même' })
    else if (!base.get(winnerId)) errors.push({ field: 'into', message: `programme inconnu : « ${winnerId} »` })
    else if (redirects.has(winnerId)) errors.push({ field: 'into', message: `« ${winnerId} » est déjà fusionné dans « ${redirects.get(winnerId)} » : choisissez celui-ci` })
    else if (redirects.has(loserId)) errors.push({ field: 'id', message: `« ${loserId} » est déjà fusionné dans « ${redirects.get(loserId)} »` })
    if (errors.length) throw new ValidationError(errors)
    const who = c.get('account').email
    const at = now().toISOString()
    // Programmes merged into the loser before follow it to the new winner.
    const followers = [...redirects].filter(([, w]) => w === loserId).map(([l]) => l)
    await deps.curation.commit({
      merges: [loserId, ...followers].map((l) => ({ loserId: l, winnerId, mergedBy: who, mergedAt: at })),
      audit: [{ at, actor: who, action: 'programme.merge', target: `programme:${loserId}`, before: null, after: { into: winnerId, provenance: base.get(loserId)!.provenance, followers } },
        { at, actor: who, action: 'programme.merge', target: `programme:${winnerId}`, before: null, after: { absorbed: [loserId, ...followers] } }],
    })
    await deps.reindex()
  }
  async function unmerge(c: Context<Env>, loserId: string) {
    const winner = deps.redirects().get(loserId)
    if (!winner) throw new NotFoundError(`« ${loserId} » n'est fusionné dans aucun programme / Not merged`, 'id')
    const who = c.get('account').email
    const at = now().toISOString()
    await deps.curation.commit({ unmerges: [loserId], audit: [{ at, actor: who, action: 'programme.unmerge', target: `programme:${loserId}`, before: { into: winner }, after: null }] })
    await deps.reindex()
  }

  return { crawlProblems, listing, listingPage, detail, checks, saveOverride, putPatch, createProgramme, merge, unmerge }
}

export function sourceOf(p: Programme): string {
  return p.provenance.kind === 'curated' ? 'curated' : p.provenance.sourceId
}

function strip(o: ProgrammeOverride) {
  return { patch: o.patch, hidden: o.hidden, verifiedBy: o.verifiedBy, verifiedAt: o.verifiedAt }
}

/**
 * The version of a programme's override, for optimistic concurrency: a hash of everything stored
 * (two saves within the same millisecond, or under a fixed clock, still differ). '' = no override yet.
 */
export function versionOf(o: ProgrammeOverride | undefined): string {
  if (!o) return ''
  const text = JSON.stringify([o.patch, o.hidden, o.verifiedBy, o.verifiedAt, o.updatedBy, o.updatedAt])
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 0x01000193)
    h2 = Math.imul(h2 ^ ch, 0x5bd1e995)
  }
  return `${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`
}

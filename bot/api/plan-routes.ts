// The financing plan: GET or POST /api/plan (JSON), GET /api/plan.csv, GET /api/plan.xlsx and the
// printable page GET /plan — one query each (zod, every error naming its field), one plan
// (core/financing-plan.ts) over the programmes named, or those the matcher finds for the project.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Catalogue } from '../../content/catalogue.ts'
import type { Matcher, MatchItem } from '../../content/matching.ts'
import { NotFoundError, ValidationError, zodIssues } from '../../core/errors.ts'
import { buildFinancingPlan, type FinancingPlan, type PlanAidInput } from '../../core/financing-plan.ts'
import { planCsv } from '../../core/financing-csv.ts'
import type { Geography } from '../../core/geography/geography.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import { THEME_IDS, type ThemeId } from '../../core/themes.ts'
import { analyse, detectPartnerCountry, detectThemes } from '../conversation/understand/understand.ts'
import { readJsonBody } from '../read-json-body.ts'
import { resolveProfile } from './resolve-profile.ts'
import { planXlsx } from './plan-xlsx.ts'
import { renderPlanPage } from '../pages/plan-page.ts'

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(1000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(40))

/** « 250 000 € », « 250 k€ », « 1,5 » → a number (k = thousands). */
const frenchNumber = (error: string) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v
    const s = v.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')
    const k = /^(\d+(?:\.\d+)?)k$/i.exec(s)
    return k ? Number(k[1]) * 1000 : s
  }, z.coerce.number({ error }))

const yesNo = z.enum(['true', 'false'], { error: 'true ou false attendu' }).transform((v) => v === 'true')

export const PlanQuerySchema = z
  .object({
    commune: z.string().trim().min(1).max(120).optional().describe('Code INSEE, code postal ou nom de la commune'),
    epci: z.string().trim().min(1).max(160).optional().describe('SIREN ou nom de l\'intercommunalité'),
    departement: z.string().trim().min(1).max(80).optional().describe('Code ou nom du département'),
    region: z.string().trim().min(1).max(80).optional().describe('Code ou nom de la région'),
    budget: frenchNumber('budget en euros attendu (nombre)').pipe(z.number().positive('budget positif attendu').max(1e11, 'budget trop grand')).describe('Coût du projet, en euros'),
    basis: z.enum(['HT', 'TTC'], { error: 'HT ou TTC attendu' }).default('HT').describe('Le budget est-il hors taxes (HT, défaut) ou TTC ?'),
    privateFunding: frenchNumber('montant en euros attendu').pipe(z.number().min(0, 'montant positif attendu').max(1e11)).optional().describe('Financements privés (mécénat…), en euros'),
    programmes: csv(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'identifiant de programme attendu')).optional().describe('Programmes du plan (sinon ceux que trouve la recherche)'),
    themes: csv(z.enum(THEME_IDS, { error: 'thème inconnu (voir GET /api/themes)' })).optional(),
    q: z.string().trim().max(500).optional().describe('Le projet en texte libre'),
    partnerCountry: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'code pays ISO à deux lettres attendu (ex. SN)').optional(),
    calamity: yesNo.optional().describe('Le projet répare des dégâts causés par une calamité publique'),
    protectedMonument: yesNo.optional().describe('Le projet restaure un monument protégé au titre du code du patrimoine'),
    limit: z.coerce.number({ error: 'nombre entier attendu' }).int().min(1).max(30).default(10).describe('Nombre maximal de programmes trouvés par la recherche'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const given = (['commune', 'epci', 'departement', 'region'] as const).filter((k) => q[k] !== undefined)
    if (given.length === 0) ctx.addIssue({ code: 'custom', path: ['commune'], message: 'indiquez commune, epci, departement ou region' })
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `un seul territoire à la fois (${given.join(' et ')} donnés)` })
    // Named after the one given empty (a text of spaces), else programmes.
    if (!q.programmes?.length && !q.themes?.length && !q.q) ctx.addIssue({ code: 'custom', path: [q.q !== undefined ? 'q' : q.themes !== undefined ? 'themes' : 'programmes'], message: 'indiquez programmes, themes ou q' })
    if (q.privateFunding !== undefined && q.privateFunding > q.budget) ctx.addIssue({ code: 'custom', path: ['privateFunding'], message: 'les financements privés dépassent le budget' })
  })

export type PlanQuery = z.infer<typeof PlanQuerySchema>

export interface PlanDeps {
  geography: Geography
  catalogue: () => Catalogue
  matcher: Matcher
}

/** Repeated parameters are joined by commas; a POST body's numbers, booleans and arrays read as the query would. */
/** JSON fields that may come as numbers, booleans or lists of strings (the query's text forms otherwise). */
const NUMBER_FIELDS = new Set(['budget', 'privateFunding', 'limit'])
const BOOLEAN_FIELDS = new Set(['calamity', 'protectedMonument'])
const LIST_FIELDS = new Set(['programmes', 'themes'])

/** A JSON body in the query's text forms; a value of a type its field does not take is a 400 naming the field. */
function flatten(raw: Record<string, unknown>): Record<string, unknown> {
  // No prototype: a `__proto__` key of the JSON stays a key (refused as unknown), never the object's prototype.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  const issues: { field: string; message: string }[] = []
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v
    else if (typeof v === 'number' && NUMBER_FIELDS.has(k) && Number.isFinite(v)) out[k] = String(v)
    else if (typeof v === 'boolean' && BOOLEAN_FIELDS.has(k)) out[k] = String(v)
    else if (Array.isArray(v) && LIST_FIELDS.has(k) && v.every((x) => typeof x === 'string')) out[k] = v.join(',')
    else issues.push({ field: k, message: LIST_FIELDS.has(k) ? 'liste de textes attendue' : NUMBER_FIELDS.has(k) ? 'nombre attendu' : BOOLEAN_FIELDS.has(k) ? 'true ou false attendu' : 'texte attendu' })
  }
  if (issues.length) throw new ValidationError(issues)
  return out
}

export function parsePlanQuery(raw: Record<string, unknown>): PlanQuery {
  const parsed = PlanQuerySchema.safeParse(flatten(raw))
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
  return parsed.data
}

function toAid(item: MatchItem, p: { instruments: PlanAidInput['instruments'] }): PlanAidInput {
  return {
    id: item.id,
    name: item.name,
    shortName: item.shortName,
    funders: item.funders,
    level: item.level,
    instruments: p.instruments,
    status: item.eligibility.status === 'eligible' ? 'eligible' : 'unknown',
    aid: item.aid,
    partnerResolved: item.aid.partnerCategory !== undefined,
  }
}

/** The programmes of the plan: those named (an ineligible one is set aside with its reason), else the matcher's. */
async function planProgrammes(deps: PlanDeps, q: PlanQuery, profile: CollectiviteProfile, facts: ProjectFacts, themes: ThemeId[] | undefined) {
  const catalogue = deps.catalogue()
  const excluded: { id: string; name: string; reason: string }[] = []
  let items: MatchItem[]
  if (q.programmes) {
    const unknown = q.programmes.filter((id) => !catalogue.get(id))
    if (unknown.length) throw new ValidationError([{ field: 'programmes', message: `programme inconnu : ${unknown.join(', ')}` }])
    items = q.programmes.map((id) => deps.matcher.present(catalogue.get(id)!, { profile, facts }))
    for (const i of items.filter((x) => x.eligibility.status === 'ineligible')) excluded.push({ id: i.id, name: i.name, reason: `Écarté : ${i.eligibility.reasons[0] ?? 'non éligible'}` })
    items = items.filter((x) => x.eligibility.status !== 'ineligible')
  } else {
    const r = await deps.matcher.match({ profile, facts, ...(q.q ? { q: q.q } : {}), ...(themes ? { themes } : {}), limit: q.limit })
    items = r.results.filter((x) => x.eligibility.status !== 'ineligible').slice(0, q.limit)
  }
  return { aids: items.map((i) => toAid(i, catalogue.get(i.id)!)), excluded }
}

export async function computePlan(deps: PlanDeps, q: PlanQuery): Promise<FinancingPlan> {
  const profile = resolveProfile(deps.geography, q)
  const text = q.q ? analyse(q.q) : undefined
  const detected = text ? detectThemes(text).themes.add : undefined
  const themes = q.themes ?? (detected?.length ? detected : undefined)
  const partnerCountry = q.partnerCountry ?? (text ? detectPartnerCountry(text) : undefined)
  const facts: ProjectFacts = { budget: q.budget, ...(themes ? { themes } : {}), ...(partnerCountry ? { partnerCountry } : {}) }
  const { aids, excluded } = await planProgrammes(deps, q, profile, facts, themes)
  const plan = buildFinancingPlan({
    budget: q.budget,
    basis: q.basis,
    ...(q.privateFunding !== undefined ? { privateFunding: q.privateFunding } : {}),
    collectivite: { type: profile.type, name: profile.name, code: profile.code, zone: profile.zone, ...(profile.departement ? { departement: profile.departement } : {}) },
    themes: themes ?? [],
    ...(q.calamity ? { calamity: true } : {}),
    ...(q.protectedMonument ? { protectedMonument: true } : {}),
    aids,
  })
  return { ...plan, outside: [...excluded, ...plan.outside] }
}

/** The query string that gives this plan again (page, CSV, XLSX links). */
export function planLinks(search: string): { page: string; csv: string; xlsx: string; json: string } {
  const s = search ? `?${search.replace(/^\?/, '')}` : ''
  return { page: `/plan${s}`, csv: `/api/plan.csv${s}`, xlsx: `/api/plan.xlsx${s}`, json: `/api/plan${s}` }
}

const MAX_PLAN_BODY_BYTES = 16 * 1024
/** A JSON object as parsed (not rebuilt by zod, so that a `__proto__` key is still there for flatten to refuse). */
const JSON_OBJECT = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { error: 'objet JSON attendu' })

function queryOf(c: Context): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.join(',')]))
}

function fileName(plan: FinancingPlan, ext: string): string {
  const slug = plan.collectivite.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()
  return `plan-de-financement-${slug || 'projet'}.${ext}`
}

export function planRoutes(deps: PlanDeps): Hono {
  const app = new Hono()
  app.get('/api/plan', async (c) => {
    const plan = await computePlan(deps, parsePlanQuery(queryOf(c)))
    return c.json({ plan, links: planLinks(new URL(c.req.url).search) })
  })
  app.post('/api/plan', async (c) => {
    const body = await readJsonBody(c, JSON_OBJECT, { maxBytes: MAX_PLAN_BODY_BYTES })
    const query = parsePlanQuery(body)
    const plan = await computePlan(deps, query)
    const search = new URLSearchParams(Object.entries(flatten(body)).filter(([, v]) => typeof v === 'string') as [string, string][]).toString()
    return c.json({ plan, links: planLinks(search) })
  })
  app.get('/api/plan.csv', async (c) => {
    const plan = await computePlan(deps, parsePlanQuery(queryOf(c)))
    return c.body(planCsv(plan), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName(plan, 'csv')}"` })
  })
  app.get('/api/plan.xlsx', async (c) => {
    const plan = await computePlan(deps, parsePlanQuery(queryOf(c)))
    return c.body(await planXlsx(plan), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${fileName(plan, 'xlsx')}"`,
    })
  })
  app.get('/plan', async (c) => {
    const search = new URL(c.req.url).search
    try {
      const plan = await computePlan(deps, parsePlanQuery(queryOf(c)))
      return c.html(renderPlanPage({ plan, links: planLinks(search) }))
    } catch (err) {
      if (err instanceof ValidationError || err instanceof NotFoundError || (err instanceof Error && err.name === 'AmbiguousError')) {
        return c.html(renderPlanPage({ error: err.message.split(' / ')[0]! }), err instanceof NotFoundError ? 404 : 400)
      }
      throw err
    }
  })
  return app
}

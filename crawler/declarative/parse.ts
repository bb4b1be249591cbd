// Declarative page sources: a YAML file (schema.ts) turned into a CrawlSource whose parse reads
// the page with the file's CSS selectors. Pure: the YAML text and the page text come in.
import { load, type Cheerio, type CheerioAPI } from 'cheerio/slim'
import { parse as parseYaml } from 'yaml'
import { ContentError, zodIssues } from '../../core/errors.ts'
import { parisDay } from '../../core/clock.ts'
import type { CrawlSource, ParseContext, ParseResult } from '../types.ts'
import { checkPagePayload } from '../normalize/payload.ts'
import { extractWindow } from '../normalize/prose.ts'
import { aidFromProse, createCollector, type Draft } from '../normalize/record.ts'
import { territoryFromLabel } from '../normalize/territory.ts'
import { themesFromText } from '../normalize/themes.ts'
import { collapse, htmlToText } from '../normalize/text.ts'
import { DeclarativeSourceSchema, type DeclarativeSource, type FieldSpec } from './schema.ts'

/** YAML text → validated config, or a ContentError naming the file and the field. */
export function parseDeclarativeSource(fileName: string, yamlText: string): DeclarativeSource {
  let raw: unknown
  try {
    raw = parseYaml(yamlText)
  } catch (err) {
    throw new ContentError(fileName, [{ field: '', message: `YAML illisible: ${(err as Error).message.split('\n')[0]}` }])
  }
  const parsed = DeclarativeSourceSchema.safeParse(raw)
  if (!parsed.success) throw new ContentError(fileName, zodIssues(parsed.error.issues))
  return parsed.data
}

// The node type lives in domhandler (cheerio's own dependency, not ours): any node will do here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Scope = Cheerio<any>

function read($: CheerioAPI, scope: Scope, spec: FieldSpec | undefined): string[] {
  if (!spec) return []
  const { selector, attr, all, split } = typeof spec === 'string' ? { selector: spec, attr: undefined, all: false, split: undefined } : spec
  const found = scope.find(selector)
  const nodes = all ? found.toArray() : found.toArray().slice(0, 1)
  const values = nodes.map((n) => (attr ? ($(n).attr(attr) ?? '') : htmlToText($(n).html() ?? ''))).map((v) => collapse(v)).filter(Boolean)
  return split ? values.flatMap((v) => v.split(split).map((x) => x.trim()).filter(Boolean)) : values
}

export function createDeclarativeSource(config: DeclarativeSource): CrawlSource {
  const parse = (payload: string, ctx: ParseContext): ParseResult => {
    const html = checkPagePayload(config.id, payload)
    const $ = load(html)
    const c = createCollector(config.id, ctx)
    const scopes: Scope[] = config.item ? $(config.item).toArray().map((n) => $(n)) : [$.root()]
    const reference = parisDay(new Date(ctx.fetchedAt))
    const territory = territoryFromLabel(config.territory)
    scopes.forEach((scope, i) => {
      const f = config.fields
      const name = read($, scope, f.name)[0]
      const link = read($, scope, f.link)[0]
      const recordId = read($, scope, f.id)[0] ?? link ?? name ?? `#${i + 1}`
      const url = link ? c.url(recordId, 'link', link, ctx.url) : ctx.url
      const summary = read($, scope, f.summary).join(' ')
      const deadlineRaw = read($, scope, f.deadline)[0]
      const opensRaw = read($, scope, f.opensAt)[0]
      const windowText = [read($, scope, f.window).join(' '), deadlineRaw ? `jusqu'au ${deadlineRaw}` : '', opensRaw ? `à partir du ${opensRaw}` : ''].filter(Boolean).join('. ')
      const window = extractWindow(windowText, reference)
      // A bare ISO/numeric date in the deadline cell is read directly.
      const directDeadline = deadlineRaw && !window.deadlines.length ? c.day(recordId, 'deadline', deadlineRaw) : undefined
      const deadlines = directDeadline ? [directDeadline] : window.deadlines
      const audiences = f.applicants ? c.applicants(recordId, 'applicants', read($, scope, f.applicants)) : { applicants: config.applicants ?? [], conditions: [] }
      if (!audiences) return
      const categories = read($, scope, f.categories)
      const { aid, uncertain } = aidFromProse(read($, scope, f.amount).join(' '))
      const uncertainAll: NonNullable<Draft['uncertain']> = [...uncertain]
      if (window.yearInferred) uncertainAll.push({ field: 'calendar', note: 'Année des dates déduite de la date de collecte : à vérifier.' })
      if (deadlineRaw && !deadlines.length) uncertainAll.push({ field: 'calendar', note: `Date limite donnée en clair (« ${deadlineRaw} ») : à vérifier.` })
      c.finish({
        recordId,
        idPart: read($, scope, f.id)[0] ?? (link && url ? new URL(url).pathname.replace(/\/+$/, '').split('/').at(-1) || name || String(i) : name ?? String(i)),
        name,
        funders: config.funders,
        level: territory?.level && config.level === 'other' ? territory.level : config.level,
        instruments: config.instruments,
        ...(summary ? { description: summary } : {}),
        themes: themesFromText({ strong: [...categories, name], prose: [summary], fallback: config.fallbackTheme }),
        keywords: categories,
        applicants: audiences.applicants,
        conditions: audiences.conditions,
        ...(territory ? { territory } : {}),
        aid,
        calendar: {
          kind: config.calendarKind ?? (deadlines.length ? 'oneOff' : 'permanent'),
          editions: window.opensAt || deadlines.length ? [{ ...(window.opensAt ? { opensAt: window.opensAt } : {}), deadlines }] : [],
        },
        officialUrl: url,
        uncertain: uncertainAll,
      })
    })
    return c.result()
  }
  return {
    id: config.id,
    plan: {
      sourceId: config.id,
      label: config.label,
      format: 'html',
      auth: { kind: 'none' },
      start: [{ url: config.url, method: 'GET', headers: { accept: 'text/html' }, kind: config.item ? 'list' : 'detail' }],
      politenessMs: config.politenessMs,
    },
    parse,
  }
}

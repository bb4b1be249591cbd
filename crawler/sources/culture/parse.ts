// Ministère de la Culture online procedures (`/api/online-procedures`, `{count, results}` pages or
// a bare array) → Programmes. `deadline` is French prose ("15 avril 2022") or free text; `public`
// a comma-separated list; procedures that are not aids (authorisations, labels) are set aside.
import type { ParseContext, ParseResult } from '../../types.ts'
import { isRecord, listIn, parseJsonPayload, recordIdOf } from '../../normalize/payload.ts'
import { aidFromProse, createCollector, type Draft } from '../../normalize/record.ts'
import { toParisDay } from '../../normalize/dates.ts'
import { territoryFromLabel } from '../../normalize/territory.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { asLabels, asText, htmlToText, truncate } from '../../normalize/text.ts'

export const SOURCE_ID = 'culture'
const NOT_AIDS = /autorisation|labellisation|d[ée]claration/i

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const data = parseJsonPayload(SOURCE_ID, payload)
  const items = listIn(SOURCE_ID, data, ['', 'results', 'data'], 'une page {count, results} de démarches')
  const c = createCollector(SOURCE_ID, ctx)
  items.forEach((item, i) => {
    const recordId = recordIdOf(item, ['id', 'title'], i)
    if (!isRecord(item)) return c.error(recordId, '(fiche)', 'fiche qui n\'est pas un objet : ignorée', item)
    const types = asLabels(item.type)
    const notAid = types.find((t) => NOT_AIDS.test(t))
    if (notAid) return c.error(recordId, 'type', 'démarche qui n\'est pas une aide : ignorée', notAid)

    const name = asText(item.title)
    const summary = htmlToText(item.summary)
    const body = htmlToText(item.body)
    const cible = asLabels(item.eztag_cible)
    const audiences = c.applicants(recordId, cible.length ? 'eztag_cible' : 'public', cible.length ? cible : asLabels(item.public, /,\s*/))
    if (!audiences) return

    const uncertain: NonNullable<Draft['uncertain']> = []
    const deadlineRaw = typeof item.deadline === 'string' ? item.deadline.trim() : ''
    let deadline: string | undefined
    if (deadlineRaw) {
      const r = toParisDay(deadlineRaw.replace(/^(le|avant le|jusqu'au)\s+/i, ''))
      if (r.ok) deadline = r.day
      else uncertain.push({ field: 'calendar', note: `Date limite donnée en clair par la source (« ${truncate(deadlineRaw, 120)} ») : à vérifier.` })
    }
    const amountText = asText(item.amount)
    const { aid, uncertain: aidUncertain } = aidFromProse(amountText)
    const regions = asLabels(item.eztag_region)
    const territory = regions.length === 1 ? territoryFromLabel(regions[0]) : regions.length ? { label: regions.join(', ') } : { label: 'France' }
    const isCall = types.some((t) => /appel/i.test(t)) || !!deadlineRaw
    const themesLabels = asLabels(item.eztag_theme)
    const url = c.url(recordId, 'url', item.url)
    const link = isRecord(item.link) ? c.url(recordId, 'link.link', item.link.link) : undefined

    c.finish({
      recordId,
      idPart: String(item.id ?? name ?? i),
      name,
      ...(asText(item.short_title) ? { shortName: asText(item.short_title)! } : {}),
      funders: ['Ministère de la Culture'],
      level: 'national',
      instruments: isCall ? ['grant', 'call_for_projects'] : ['grant'],
      description: summary || body || undefined,
      themes: themesFromText({ strong: [...themesLabels, name], prose: [summary], fallback: 'culture_patrimoine' }),
      keywords: themesLabels,
      applicants: audiences.applicants,
      conditions: audiences.conditions,
      ...(territory ? { territory } : {}),
      aid: { ...aid, ...(amountText ? { notes: truncate(amountText, 300) } : {}) },
      calendar: { kind: deadlineRaw ? 'oneOff' : 'permanent', editions: deadline ? [{ deadlines: [deadline] }] : [] },
      officialUrl: url,
      ...(link ? { applyUrl: link } : {}),
      uncertain: [...uncertain, ...aidUncertain],
    })
  })
  return c.result()
}

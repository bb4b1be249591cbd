// Welcome Europe (commercial EU-calls aggregator, WordPress export) → Programmes. Dates are
// `YYYYMMDD` strings (several opening and deadline slots), labels carry HTML entities and are
// `;`-separated, amounts and co-financing rates are prose inside `info_amount`.
import type { ParseContext, ParseResult } from '../../types.ts'
import { isRecord, listIn, parseJsonPayload, recordIdOf } from '../../normalize/payload.ts'
import { aidFromProse, createCollector, type Draft } from '../../normalize/record.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { asLabels, asText, htmlToText, truncate } from '../../normalize/text.ts'

export const SOURCE_ID = 'welcome-europe'

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const data = parseJsonPayload(SOURCE_ID, payload)
  const items = listIn(SOURCE_ID, data, ['', 'data', 'posts', 'results'], 'un tableau d\'appels')
  const c = createCollector(SOURCE_ID, ctx)
  items.forEach((item, i) => {
    const recordId = recordIdOf(item, ['ID', 'post_title'], i)
    if (!isRecord(item)) return c.error(recordId, '(fiche)', 'fiche qui n\'est pas un objet : ignorée', item)
    const name = asText(item.post_title)
    const audiences = c.applicants(recordId, 'filtres_beneficiaries', asLabels(item.filtres_beneficiaries))
    if (!audiences) return

    const opens = [1, 2, 3, 4, 5].map((n) => c.day(recordId, `dates_open-${n}`, item[`dates_open-${n}`])).filter((d): d is string => !!d).sort()
    const deadlines = [c.day(recordId, 'deadline1', item.deadline1), ...[2, 3, 4].map((n) => c.day(recordId, `dates_deadline-${n}`, item[`dates_deadline-${n}`]))].filter((d): d is string => !!d)
    const amountText = htmlToText(item.info_amount)
    const { aid, uncertain } = aidFromProse(amountText)
    const sectors = asLabels(item.filtres_sectors)
    const programme = asText(item.relations_programmes)
    const chapeau = asText(item.banner_chapeau)
    const priorities = htmlToText(item.info_priories)
    // "Pays éligibles au programme : Ouganda …" or a bare "Cliquez ici" link to a PDF.
    const regionsText = htmlToText(item['info_info-regions'])
    const regions = /cliquez/i.test(regionsText) ? '' : regionsText
    const budget = asText(item.banner_budget)
    const url = c.url(recordId, 'permalink', item.permalink)
    const calendarUncertain: NonNullable<Draft['uncertain']> = deadlines.length ? [] : [{ field: 'calendar', note: 'Date limite non indiquée par la source : à vérifier.' }]

    c.finish({
      recordId,
      idPart: String(item.ID ?? name ?? i),
      name,
      ...(asText(item.info_references) ? { shortName: asText(item.info_references)! } : {}),
      funders: [asText(item.info_responsible) ?? 'Commission européenne'],
      level: 'eu',
      instruments: ['grant', 'call_for_projects'],
      description: chapeau ?? (priorities || undefined),
      themes: themesFromText({ strong: [...sectors, name], prose: [chapeau, priorities], fallback: 'cooperation_europeenne' }),
      keywords: [...sectors, ...(programme ? [programme] : []), ...(asText(item.info_categorie) ? [asText(item.info_categorie)!] : [])],
      applicants: audiences.applicants,
      conditions: [...audiences.conditions, ...(regions.length > 120 ? [regions] : [])],
      territory: { label: regions && regions.length <= 120 ? regions : 'Pays éligibles au programme (voir l\'appel)' },
      aid: { ...aid, ...(budget || amountText ? { notes: truncate([budget ? `Budget total : ${budget}` : '', amountText].filter(Boolean).join('. '), 300) } : {}) },
      calendar: { kind: 'oneOff', editions: opens[0] || deadlines.length ? [{ ...(opens[0] ? { opensAt: opens[0] } : {}), deadlines }] : [] },
      officialUrl: url,
      uncertain: [...uncertain, ...calendarUncertain],
    })
  })
  return c.result()
}

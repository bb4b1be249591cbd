// Région Nouvelle-Aquitaine "les aides" → Programmes, in two payload kinds:
// - the RSS feed (or one <item>): title, description, guid = the fiche URL, RFC-822 pubDate with a
//   2-digit year, and a <category> mixing kind ("Appel à projet"), audiences and themes;
// - a fiche page (the plan follows each guid): title, chapô, "Publics concernés", "Date de fin de
//   publication", "Échéances" prose. Both give the same id (the fiche's URL slug), so the page's
//   richer record replaces the feed's when merged.
import { load } from 'cheerio/slim'
import { ParseError } from '../../../core/errors.ts'
import { parisDay } from '../../../core/clock.ts'
import { formatDay } from '../../../core/french.ts'
import type { ParseContext, ParseResult } from '../../types.ts'
import { applicantsFromLabels } from '../../normalize/applicants.ts'
import { toParisDay } from '../../normalize/dates.ts'
import { conditionsFromProse, readPage } from '../../normalize/page.ts'
import { extractWindow } from '../../normalize/prose.ts'
import { aidFromProse, createCollector, type Collector, type Draft } from '../../normalize/record.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { collapse, htmlToText, pageLines } from '../../normalize/text.ts'
import { absoluteUrl } from '../../normalize/urls.ts'

export const SOURCE_ID = 'nouvelle-aquitaine'
const BASE = 'https://les-aides.nouvelle-aquitaine.fr/'
const COMMON = {
  funders: ['Région Nouvelle-Aquitaine'],
  level: 'regional' as const,
  territory: { label: 'Nouvelle-Aquitaine', regions: ['75'] },
}

function slugOf(url: string): string {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? url
  } catch {
    return url
  }
}

/** "Appel à projet, Collectivité territoriale, …, Logement" → kind, audiences, theme labels. */
function splitCategories(raw: string): { isCall: boolean; audiences: string[]; themes: string[] } {
  const out = { isCall: false, audiences: [] as string[], themes: [] as string[] }
  for (const token of raw.split(/\s*,\s*/).map((t) => t.trim()).filter(Boolean)) {
    if (/^appel [àa]/i.test(token)) out.isCall = true
    else {
      const m = applicantsFromLabels([token])
      if (m.applicants.length || m.setAside.length) out.audiences.push(token)
      else out.themes.push(token)
    }
  }
  return out
}

function parseFeed(c: Collector, payload: string): void {
  const $ = load(payload, { xml: true })
  const items = $('item')
  if (items.length === 0) {
    if ($('rss, channel').length) return // an empty feed is a valid feed
    throw new ParseError(`${SOURCE_ID}: flux RSS attendu (aucun <item>)`)
  }
  items.each((i, el) => {
    const item = $(el)
    const guid = collapse(item.find('guid').first().text()) || item.find('source').attr('url') || collapse(item.find('link').first().text())
    const recordId = guid || `#${i + 1}`
    const url = c.url(recordId, 'guid', guid, BASE)
    const categories = splitCategories(htmlToText(item.find('category').map((_, x) => $(x).text()).get().join(', ')))
    const audiences = c.applicants(recordId, 'category', categories.audiences)
    if (!audiences) return
    const name = htmlToText(item.find('title').first().text()) || undefined
    const description = htmlToText(item.find('description').first().text())
    const pubDate = collapse(item.find('pubDate').first().text())
    const published = pubDate ? toParisDay(pubDate) : undefined
    if (published && !published.ok) c.error(recordId, 'pubDate', published.reason, pubDate)
    c.finish({
      ...COMMON,
      recordId,
      idPart: url ? slugOf(url) : name ?? String(i),
      name,
      instruments: categories.isCall ? ['grant', 'call_for_projects'] : ['grant'],
      ...(description ? { description } : {}),
      themes: themesFromText({ strong: [...categories.themes, name], prose: [description], fallback: 'developpement_economique' }),
      keywords: categories.themes,
      applicants: audiences.applicants,
      conditions: audiences.conditions,
      calendar: { kind: categories.isCall ? 'oneOff' : 'permanent', editions: [] },
      officialUrl: url,
      uncertain: categories.isCall ? [{ field: 'calendar', note: 'Dates non publiées dans le flux : voir la fiche de l\'aide.' }] : [],
      ...(published?.ok ? { statusNote: `Fiche publiée le ${formatDay(published.day)}.` } : {}),
    })
  })
}

function parseFiche(c: Collector, payload: string, ctx: ParseContext): void {
  const page = readPage(SOURCE_ID, payload)
  const { $ } = page
  const recordId = ctx.url
  const name = collapse($('h1.headline-aide').first().text()) || page.title
  const chapo = htmlToText($('div.chapo').first().html() ?? '')
  // "div.categories" blocks: publics concernés, domaines secondaires, date de fin de publication.
  const blocks = $('div.categories').map((_, el) => ({ label: collapse($(el).find('h2, h3, strong, .label').first().text()), value: collapse($(el).find('p').first().text()) })).get()
  const find = (re: RegExp) => blocks.find((b) => re.test(b.label))?.value
  const publics = find(/public/i) ?? blocks[0]?.value ?? ''
  const domains = find(/domaine/i) ?? blocks[1]?.value ?? ''
  const endOfPublication = find(/date/i) ?? blocks[2]?.value
  // One entry per section (échéances, objectifs, bénéficiaires, modalités), one line per block.
  const sections = $('section.dispositif-aide ._layout').map((_, el) => pageLines($(el).html() ?? '').join('\n')).get()
  const fullText = [chapo, ...sections].join('\n')
  const isCall = $('span.tag-appel-projet, span.tag-appel-manifestation').length > 0 || /appel [àa] (projets?|manifestation)/i.test(name ?? '')
  const audiences = c.applicants(recordId, 'publics concernés', publics.split(/\s*[;,]\s*/).filter(Boolean))
  if (!audiences) return

  const window = extractWindow(sections.join('\n'), parisDay(new Date(ctx.fetchedAt)))
  const end = endOfPublication ? toParisDay(endOfPublication.replace(/^(le|jusqu'au)\s+/i, '')) : undefined
  if (end && !end.ok) c.error(recordId, 'date de fin de publication', end.reason, endOfPublication)
  const deadlines = window.deadlines.length ? window.deadlines : end?.ok ? [end.day] : []
  const { aid, uncertain } = aidFromProse(fullText)
  const official = absoluteUrl(ctx.url)
  const uncertainAll: NonNullable<Draft['uncertain']> = [...uncertain]
  if (isCall && !deadlines.length) uncertainAll.push({ field: 'calendar', note: 'Date limite non indiquée sur la fiche : à vérifier.' })
  if (window.yearInferred) uncertainAll.push({ field: 'calendar', note: 'Année des dates déduite de la date de collecte : à vérifier.' })

  c.finish({
    ...COMMON,
    recordId,
    idPart: slugOf(ctx.url),
    name,
    instruments: isCall ? ['grant', 'call_for_projects'] : ['grant'],
    ...(chapo || sections[1] ? { description: chapo || sections[1] } : {}),
    themes: themesFromText({ strong: [...domains.split(/\s*[;,]\s*/), name], prose: [chapo, ...sections], fallback: 'developpement_economique' }),
    keywords: domains.split(/\s*[;,]\s*/).filter(Boolean),
    applicants: audiences.applicants,
    conditions: [...audiences.conditions, ...conditionsFromProse(sections.flatMap((s) => s.split('\n')))],
    aid,
    calendar: {
      kind: isCall ? 'oneOff' : deadlines.length ? 'oneOff' : 'permanent',
      editions: window.opensAt || deadlines.length ? [{ ...(window.opensAt ? { opensAt: window.opensAt } : {}), deadlines }] : [],
    },
    officialUrl: official.ok ? official.url : undefined,
    uncertain: uncertainAll,
  })
}

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const text = payload.replace(/^\uFEFF/, '').trim()
  const c = createCollector(SOURCE_ID, ctx)
  if (/^<\?xml|^<rss\b|^<item\b|^<channel\b/i.test(text)) parseFeed(c, text)
  else if (/<html|<body|<h1/i.test(text)) parseFiche(c, text, ctx)
  else throw new ParseError(`${SOURCE_ID}: flux RSS ou fiche HTML attendu, reçu « ${text.slice(0, 40).replace(/\s+/g, ' ')} »`)
  return c.result()
}

// MEAE / DAECT calls for decentralised cooperation projects (diplomatie.gouv.fr pages; the
// applications themselves go through www.cncd.fr) → one Programme per page. The window is read
// from "Les candidatures sont ouvertes sur www.cncd.fr du 1er mars au 6 mai 2024"; old URLs are
// reused for newer editions, so the id comes from the title, not the URL.
import type { ParseContext, ParseResult } from '../../types.ts'
import { applicantsFromProse, conditionsFromProse, editionLabel, readPage } from '../../normalize/page.ts'
import { extractWindow } from '../../normalize/prose.ts'
import { aidFromProse, createCollector, type Draft } from '../../normalize/record.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { fold, truncate } from '../../normalize/text.ts'
import { absoluteUrl } from '../../normalize/urls.ts'
import { parisDay } from '../../../core/clock.ts'

export const SOURCE_ID = 'daect'

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const page = readPage(SOURCE_ID, payload)
  const c = createCollector(SOURCE_ID, ctx)
  const window = extractWindow(page.text, parisDay(new Date(ctx.fetchedAt)))
  const label = editionLabel(page.title, page.lines.slice(0, 4).join(' '))
  const multiYear = label?.includes('-') || /triennal|biennal|pluriannuel/.test(fold(page.text))
  const { aid, uncertain } = aidFromProse(page.text)
  const uncertainAll: NonNullable<Draft['uncertain']> = [...uncertain]
  if (!window.deadlines.length) uncertainAll.push({ field: 'calendar', note: 'Date limite non indiquée sur la page : à vérifier sur www.cncd.fr.' })
  if (window.yearInferred) uncertainAll.push({ field: 'calendar', note: 'Année des dates déduite de la date de collecte : à vérifier.' })
  const official = absoluteUrl(ctx.url)
  const cncd = /cncd\.fr/i.test(page.text)
  const thematic = page.lines.filter((l) => /^appel [àa] projets? .{3,60}$/i.test(l) && l !== page.title).map((l) => l.replace(/^appel [àa] projets?\s*/i, ''))

  c.finish({
    recordId: ctx.url,
    idPart: page.title ?? label ?? ctx.url,
    name: page.title,
    funders: ['Ministère de l\'Europe et des Affaires étrangères (DAECT)'],
    level: 'international',
    instruments: ['grant', 'call_for_projects'],
    description: truncate(page.lines.filter((l) => l.length > 80).join(' '), 600) || undefined,
    themes: themesFromText({ known: ['cooperation_internationale'], strong: [page.title], prose: [page.text], fallback: 'cooperation_internationale' }),
    keywords: ['DAECT', 'coopération décentralisée', 'action extérieure des collectivités', ...(cncd ? ['CNCD'] : []), ...thematic],
    applicants: applicantsFromProse(page.text),
    conditions: conditionsFromProse(page.lines),
    territory: { label: 'Collectivités de métropole et d\'outre-mer' },
    partnerCountry: { label: 'Autorité territoriale étrangère partenaire (coopération décentralisée)' },
    aid,
    calendar: {
      kind: 'recurring',
      editions: window.opensAt || window.deadlines.length ? [{ ...(label ? { label } : {}), ...(window.opensAt ? { opensAt: window.opensAt } : {}), deadlines: window.deadlines }] : [],
      ...(multiYear ? { note: 'Appel pluriannuel : une fenêtre de dépôt par cycle.' } : {}),
    },
    officialUrl: official.ok ? official.url : undefined,
    ...(cncd ? { applyUrl: 'https://www.cncd.fr/' } : {}),
    uncertain: uncertainAll,
  })
  return c.result()
}

// AFD FICOL pages (AFD and the regional cooperation networks that relay each yearly "appel à
// idées") → one Programme per page and edition. Prose only: the window ("Date de lancement :
// 15 janvier 2023 | Date de clôture : 8 septembre 2023", "dates limites : 31 mars et 15 juin
// 2017"), the amount ("entre 200 000 euros et 1 500 000 euros") and who may apply are read from
// the words; anything the page does not say is marked uncertain.
import type { ParseContext, ParseResult } from '../../types.ts'
import { applicantsFromProse, conditionsFromProse, editionLabel, readPage } from '../../normalize/page.ts'
import { extractWindow } from '../../normalize/prose.ts'
import { aidFromProse, createCollector, type Draft } from '../../normalize/record.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { fold, truncate } from '../../normalize/text.ts'
import { absoluteUrl } from '../../normalize/urls.ts'
import { parisDay } from '../../../core/clock.ts'

export const SOURCE_ID = 'afd-ficol'
const DEFAULT_NAME = 'FICOL – Facilité de financement des collectivités territoriales françaises (AFD)'

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const page = readPage(SOURCE_ID, payload)
  const c = createCollector(SOURCE_ID, ctx)
  const reference = parisDay(new Date(ctx.fetchedAt))
  const window = extractWindow(page.text, reference)
  const titleNamesFicol = page.title && /ficol|facilite de financement des collectivites/.test(fold(page.title))
  const label = editionLabel(page.title, ctx.url) ?? (window.deadlines[0] ?? window.opensAt)?.slice(0, 4)
  const name = titleNamesFicol ? page.title! : label ? `${DEFAULT_NAME} – ${label}` : DEFAULT_NAME

  const { aid, uncertain } = aidFromProse(page.text)
  const uncertainAll: NonNullable<Draft['uncertain']> = [...uncertain]
  if (!window.deadlines.length) uncertainAll.push({ field: 'calendar', note: 'Dates de l\'édition non indiquées sur la page : à vérifier auprès de l\'AFD.' })
  if (window.yearInferred) uncertainAll.push({ field: 'calendar', note: 'Année des dates déduite de la date de collecte : à vérifier.' })
  const cofinancing = /au minimum (\d{1,2}) ?% du plan de financement/.exec(fold(page.text))
  const applicants = applicantsFromProse(page.text)
  const official = absoluteUrl(ctx.url)
  const closed = /\bclotur[ée]e?\b|\bclos\b/.test(fold(page.lines.slice(0, 5).join(' ')))

  c.finish({
    recordId: ctx.url,
    idPart: label ?? slugFromUrl(ctx.url),
    name,
    shortName: 'FICOL',
    funders: ['Agence française de développement (AFD)'],
    level: 'international',
    instruments: ['grant', 'call_for_projects'],
    description: truncate(page.lines.filter((l) => l.length > 80).join(' '), 600) || undefined,
    themes: themesFromText({ known: ['cooperation_internationale'], strong: [page.title], prose: [page.text], fallback: 'cooperation_internationale' }),
    keywords: ['FICOL', 'AFD', 'coopération décentralisée', 'aide au développement'],
    applicants,
    conditions: [
      ...conditionsFromProse(page.lines).filter((line) => !(cofinancing && /plan de financement/.test(fold(line)))),
      ...(cofinancing ? [`Les collectivités et leurs partenaires apportent au moins ${cofinancing[1]} % du plan de financement`] : []),
    ],
    territory: { label: 'Collectivités de métropole et d\'outre-mer' },
    partnerCountry: { label: 'Autorité locale partenaire d\'un pays où l\'AFD intervient (aide publique au développement)', group: 'oda' },
    aid,
    calendar: {
      kind: 'recurring',
      editions: window.opensAt || window.deadlines.length ? [{ ...(label ? { label } : {}), ...(window.opensAt ? { opensAt: window.opensAt } : {}), deadlines: window.deadlines }] : [],
      note: 'Appel à idées annuel.',
    },
    officialUrl: official.ok ? official.url : undefined,
    uncertain: uncertainAll,
    ...(closed ? { statusNote: `Édition ${label ?? ''} clôturée selon la page.`.replace('  ', ' ') } : {}),
  })
  return c.result()
}

function slugFromUrl(url: string): string {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? url
  } catch {
    return url
  }
}

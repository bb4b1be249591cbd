// Shared reading of prose pages (AFD FICOL, DAECT, Nouvelle-Aquitaine fiches, declarative
// sources): HTML or the page's plain text → title, lines, and the facts a mayor needs (who may
// apply, conditions) found by wording. Conservative: a sentence that does not say it clearly
// gives nothing.
import { load, type CheerioAPI } from 'cheerio/slim'
import type { ApplicantType } from '../../core/applicants.ts'
import { checkPagePayload } from './payload.ts'
import { collapse, fold, pageLines } from './text.ts'

export interface Page {
  $: CheerioAPI
  /** h1, else <title>, else a first short line that reads like a title. */
  title: string | undefined
  lines: string[]
  text: string
}

export function readPage(source: string, payload: string): Page {
  const html = checkPagePayload(source, payload)
  const $ = load(html)
  $('script, style, noscript, template').remove()
  const h1 = collapse($('h1').first().text())
  const titleTag = collapse($('title').first().text()).replace(/\s+[|–-]\s+[^|–]+$/, '')
  const body = $('main').length ? $('main').html() ?? '' : $('body').length ? $('body').html() ?? html : html
  const lines = pageLines(body)
  const firstLine = lines[0]
  const lineTitle = firstLine && firstLine.length <= 140 && !/[.:;]$/.test(firstLine) ? firstLine : undefined
  return { $, title: h1 || titleTag || lineTitle, lines, text: lines.join('\n') }
}

/** Who may apply, from the words of a page ("communes", "départements", "groupements (syndicats mixtes…)", "CTF"). */
export function applicantsFromProse(text: string): ApplicantType[] {
  const t = fold(text)
  const out = new Set<ApplicantType>()
  if (/\bcommunes\b/.test(t)) out.add('commune')
  if (/metropoles|intercommunalites|\bepci\b|communautes (de communes|d'agglomeration|urbaines)/.test(t)) out.add('epci')
  if (/syndicats?( mixtes?)?\b/.test(t)) out.add('syndicat')
  if (/\bdepartements\b/.test(t)) out.add('departement')
  if (/\bregions\b/.test(t)) out.add('region')
  if (/groupements? de (collectivites|ctf)|collectifs? (thematiques? )?de collectivites|\bgip\b/.test(t)) out.add('groupement_collectivites')
  // "les collectivités (territoriales) françaises" / "CTF" without naming the kinds: all four.
  const namesKinds = ['commune', 'epci', 'departement', 'region'].some((a) => out.has(a as ApplicantType))
  if (!namesKinds && /collectivites (territoriales )?francaises|\bctf\b|collectivites territoriales/.test(t)) {
    ;(['commune', 'epci', 'departement', 'region'] as const).forEach((a) => out.add(a))
  }
  const order: ApplicantType[] = ['commune', 'epci', 'syndicat', 'petr', 'departement', 'region', 'collectivite_outre_mer', 'etablissement_public', 'groupement_collectivites', 'association', 'entreprise']
  return order.filter((a) => out.has(a))
}

/** Sentences that state an obligation or an exclusion: they travel as "à vérifier" conditions. */
export function conditionsFromProse(lines: readonly string[], max = 4): string[] {
  const out: string[] = []
  for (const line of lines) {
    for (const sentence of line.split(/(?<=[.;])\s+/)) {
      const f = fold(sentence)
      if (sentence.length < 30 || sentence.length > 400) continue
      if (/\b(doit|doivent|ne peut pas|ne sont pas eligibles|au minimum|au moins|obligatoire|exige)\b/.test(f)) out.push(sentence.replace(/[;:]$/, '.'))
      if (out.length >= max) return out
    }
  }
  return out
}

/** An edition label from a title or URL: "2024-2026" for multi-year calls, else the year. */
export function editionLabel(...texts: (string | undefined)[]): string | undefined {
  for (const t of texts) {
    if (!t) continue
    const range = /\b(20\d{2})\s*[-–]\s*(20\d{2})\b/.exec(t)
    if (range) return `${range[1]}-${range[2]}`
  }
  for (const t of texts) {
    const year = t && /\b(20\d{2})\b/.exec(t)
    if (year) return year[1]
  }
  return undefined
}

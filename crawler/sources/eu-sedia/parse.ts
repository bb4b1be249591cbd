// EU Funding & Tenders portal, SEDIA search API → Programmes (one per call topic).
// Quirks handled here: every metadata value is an array of strings; `actions`/`budgetOverview`
// are JSON inside a string, often cut by the API (the topic's own budget line is salvaged when it
// is complete, otherwise reported); two document generations (SEDIA and SEDIA_PRD_CENTRICITY,
// whose `keywords` is itself a JSON string); the same topic returned twice or once per language.
import type { ParseContext, ParseResult } from '../../types.ts'
import { isRecord, listIn, parseJsonPayload } from '../../normalize/payload.ts'
import { createCollector, type Collector, type Draft } from '../../normalize/record.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { asText, htmlToText } from '../../normalize/text.ts'

export const SOURCE_ID = 'eu-sedia'
const PORTAL_TOPIC = 'https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/'

/** Framework programme ids (public client code; see sources.md). */
const PROGRAMMES: Record<string, string> = {
  '43108390': 'Horizon Europe',
  '43152860': 'Europe numérique (Digital Europe)',
  '43045329': 'Mécanisme pour l\'interconnexion en Europe (CEF)',
  '43332642': 'LIFE',
  '43251589': 'Citoyens, égalité, droits et valeurs (CERV)',
  '44181033': 'Fonds européen de la défense (EDF)',
  '43252476': 'Programme pour le marché unique (SMP/COSME)',
}
const STATUS: Record<string, { label: string; note: string }> = {
  '31094501': { label: 'forthcoming', note: 'Appel annoncé, pas encore ouvert.' },
  '31094502': { label: 'open', note: 'Appel ouvert.' },
  '31094503': { label: 'closed', note: 'Appel clos.' },
}

type Metadata = Record<string, unknown>

/** First value of a metadata field (arrays of strings; a bare string is tolerated). */
function first(m: Metadata, key: string): string | undefined {
  const v = m[key]
  if (Array.isArray(v)) return typeof v[0] === 'string' && v[0].trim() ? v[0].trim() : undefined
  return typeof v === 'string' && v.trim() ? v.trim() : undefined
}

function all(m: Metadata, key: string): string[] {
  const v = m[key]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim())
  return typeof v === 'string' && v.trim() ? [v.trim()] : []
}

interface TopicBudget {
  minContribution?: number
  maxContribution?: number
  expectedGrants?: number
  budget?: number
}

/**
 * The topic's own line in `budgetOverview`. The API often cuts the string: when JSON.parse fails,
 * complete `{"action": …, "budgetYearMap": {…}}` entries are still read one by one (safe: an entry
 * is taken only up to its closing brace).
 */
export function topicBudget(raw: string, identifier: string): { found: TopicBudget } | { truncated: true } | { absent: true } {
  const matches = (action: unknown) => typeof action === 'string' && (action === identifier || action.startsWith(`${identifier} - `))
  const sum = (map: unknown) => (isRecord(map) ? Object.values(map).reduce<number>((s, v) => s + (Number(v) || 0), 0) : undefined)
  try {
    const data = JSON.parse(raw) as unknown
    const map = isRecord(data) && isRecord(data.budgetTopicActionMap) ? data.budgetTopicActionMap : {}
    for (const entries of Object.values(map)) {
      for (const e of Array.isArray(entries) ? entries : []) {
        if (isRecord(e) && matches(e.action)) return { found: budgetOf(e.minContribution, e.maxContribution, e.expectedGrants, sum(e.budgetYearMap)) }
      }
    }
    return { absent: true }
  } catch {
    const entry = /\{"action":"((?:[^"\\]|\\.)*)","expectedGrants":(\d+|null),"minContribution":(\d+|null),"maxContribution":(\d+|null),"budgetYearMap":(\{[^{}]*\})/g
    for (const m of raw.matchAll(entry)) {
      if (!matches(m[1])) continue
      let years: unknown
      try {
        years = JSON.parse(m[5]!)
      } catch {
        years = undefined
      }
      return { found: budgetOf(m[3], m[4], m[2], sum(years)) }
    }
    return { truncated: true }
  }
}

function budgetOf(min: unknown, max: unknown, grants: unknown, budget: number | undefined): TopicBudget {
  const n = (v: unknown) => (v === null || v === undefined || v === 'null' || !Number.isFinite(Number(v)) ? undefined : Number(v))
  const out: TopicBudget = {}
  if (n(min) !== undefined) out.minContribution = n(min)!
  if (n(max) !== undefined) out.maxContribution = n(max)!
  if (n(grants) !== undefined) out.expectedGrants = n(grants)!
  if (budget) out.budget = budget
  return out
}

function euros(n: number): string {
  return `${n.toLocaleString('fr-FR').replace(/[\u202f\u00a0]/g, ' ')} €`
}

/** Legacy documents put the keyword list in one JSON string. */
function keywordsOf(c: Collector, recordId: string, m: Metadata): string[] {
  const raw = all(m, 'keywords')
  if (raw.length === 1 && raw[0]!.startsWith('[')) {
    try {
      const parsed = JSON.parse(raw[0]!) as unknown
      return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : []
    } catch {
      c.error(recordId, 'metadata.keywords', 'liste de mots-clés JSON tronquée (ignorée)', raw[0])
      return []
    }
  }
  return raw
}

interface Doc {
  result: Record<string, unknown>
  m: Metadata
  identifier: string
  callccm2Id: string
  language: string
  generation: 'sedia' | 'legacy'
}

/** One document per topic: the same identifier (+ call) comes back per language and per generation. */
function dedupe(docs: Doc[]): Doc[] {
  const rank = (d: Doc) => (d.language === 'fr' ? 0 : d.language === 'en' ? 2 : 4) + (d.generation === 'sedia' ? 0 : 1)
  const best = new Map<string, Doc>()
  for (const d of docs) {
    const key = `${d.identifier}|${d.callccm2Id}`
    const current = best.get(key)
    if (!current || rank(d) < rank(current)) best.set(key, d)
  }
  return [...best.values()]
}

/** The documents that name a topic (the others are reported), as returned: duplicates included. */
function readDocs(c: Collector, results: unknown[]): Doc[] {
  const docs: Doc[] = []
  results.forEach((result, i) => {
    const m = isRecord(result) && isRecord(result.metadata) ? result.metadata : undefined
    const identifier = m && first(m, 'identifier')
    if (!isRecord(result) || !m || !identifier) {
      c.error(isRecord(result) && typeof result.reference === 'string' ? result.reference : `#${i + 1}`, 'metadata.identifier', 'document sans identifiant de topic : ignoré', isRecord(result) ? (result.metadata ?? null) : result)
      return
    }
    const datasource = first(m, 'DATASOURCE') ?? first(m, 'datasource') ?? ''
    docs.push({
      result,
      m,
      identifier,
      callccm2Id: first(m, 'callccm2Id') ?? '',
      language: (first(m, 'language') ?? (typeof result.language === 'string' ? result.language : '')).toLowerCase(),
      generation: datasource === 'SEDIA' ? 'sedia' : 'legacy',
    })
  })
  return docs
}

/** Dates and types of action: metadata first, the `actions` JSON as a fallback. */
function datesOf(c: Collector, recordId: string, m: Metadata): { opensAt: string | undefined; deadlines: string[]; typesOfAction: string[] } {
  let opensAt = c.day(recordId, 'metadata.startDate', first(m, 'startDate'))
  let deadlines = all(m, 'deadlineDate').map((raw) => c.day(recordId, 'metadata.deadlineDate', raw)).filter((x): x is string => !!x)
  const actionsRaw = first(m, 'actions')
  let typesOfAction = all(m, 'typesOfAction').map((t) => t.replace(/\s+/g, ' '))
  if (actionsRaw && (!opensAt || deadlines.length === 0)) {
    try {
      const actions = JSON.parse(actionsRaw) as unknown
      const a = Array.isArray(actions) && isRecord(actions[0]) ? actions[0] : undefined
      if (a) {
        opensAt ??= c.day(recordId, 'metadata.actions.plannedOpeningDate', a.plannedOpeningDate)
        if (!deadlines.length && Array.isArray(a.deadlineDates)) deadlines = a.deadlineDates.map((x) => c.day(recordId, 'metadata.actions.deadlineDates', x)).filter((x): x is string => !!x)
      }
    } catch {
      c.error(recordId, 'metadata.actions', 'JSON tronqué dans la réponse : dates non lues', actionsRaw)
    }
  }
  if (!typesOfAction.length && actionsRaw) typesOfAction = [...actionsRaw.matchAll(/"typeOfAction":"([^"]+)"/g)].map((x) => x[1]!.replace(/\s+/g, ' '))
  return { opensAt, deadlines, typesOfAction }
}

/** The amount per project from the topic's budget line; when it cannot be read, a note in `uncertain`. */
function topicAid(c: Collector, recordId: string, identifier: string, m: Metadata, uncertain: NonNullable<Draft['uncertain']>): NonNullable<Draft['aid']> {
  const aid: NonNullable<Draft['aid']> = {}
  const budgetRaw = first(m, 'budgetOverview')
  if (budgetRaw) {
    const b = topicBudget(budgetRaw, identifier)
    if ('found' in b) {
      const { minContribution, maxContribution, expectedGrants, budget } = b.found
      if (minContribution !== undefined) aid.amountMin = minContribution
      if (maxContribution !== undefined) aid.amountMax = maxContribution
      const notes = [budget ? `Budget du topic : ${euros(budget)}` : '', expectedGrants ? `${expectedGrants} projet(s) financé(s) prévu(s)` : '', 'contribution de l\'UE par projet'].filter(Boolean)
      aid.notes = `${notes.join(' ; ')}.`
    } else if ('truncated' in b) {
      c.error(recordId, 'metadata.budgetOverview', 'JSON tronqué par l\'API, ligne budgétaire du topic absente : montant non lu', budgetRaw)
      uncertain.push({ field: 'aid', note: 'Montant par projet non lisible dans la réponse de l\'API : voir la page du topic.' })
    }
  } else uncertain.push({ field: 'aid', note: 'Montant par projet non fourni par la recherche : voir la page du topic.' })
  return aid
}

/** One kept document → a draft; undefined for a tender (reported). */
function topicDraft(c: Collector, d: Doc, multipleCalls: boolean): Draft | undefined {
  const { m, identifier, result } = d
  const recordId = identifier
  const type = first(m, 'type')
  if (type === '0') {
    c.error(recordId, 'metadata.type', 'appel d\'offres (marché public), pas un appel à financement : ignoré', m.type)
    return undefined
  }
  const title = first(m, 'title') ?? asText(result.summary)
  const programme = PROGRAMMES[first(m, 'frameworkProgramme') ?? ''] ?? 'Programme européen'
  const callIdentifier = first(m, 'callIdentifier')
  const callTitle = first(m, 'callTitle')
  const status = STATUS[first(m, 'status') ?? '']
  const { opensAt, deadlines, typesOfAction } = datesOf(c, recordId, m)
  const uncertain: NonNullable<Draft['uncertain']> = []
  const aid = topicAid(c, recordId, identifier, m, uncertain)

  const description = htmlToText(first(m, 'descriptionByte'))
  const keywords = keywordsOf(c, recordId, m).filter((k) => k !== identifier && k !== callIdentifier)
  const tags = all(m, 'tags')
  const portal = `${PORTAL_TOPIC}${encodeURIComponent(identifier)}`
  const origin = c.url(recordId, 'url', typeof result.url === 'string' ? result.url : first(m, 'url'))
  const twoStage = first(m, 'deadlineModel') === 'two-stage' || deadlines.length > 1

  return {
    recordId,
    idPart: multipleCalls ? `${identifier}-${d.callccm2Id}` : identifier,
    name: title,
    shortName: identifier,
    funders: ['Commission européenne'],
    level: 'eu',
    instruments: ['grant', 'call_for_projects'],
    description: description || `Topic ${identifier} de l'appel ${callIdentifier ?? ''}${callTitle ? ` (${callTitle})` : ''}, programme ${programme}. Texte complet sur le portail Funding & Tenders.`,
    themes: themesFromText({ strong: [title, callTitle, first(m, 'destinationDescription'), ...keywords, ...tags], prose: [description], fallback: 'cooperation_europeenne' }),
    keywords: [programme, identifier, ...(callIdentifier ? [callIdentifier] : []), ...keywords.slice(0, 8), ...tags.slice(0, 8)],
    applicants: [],
    conditions: [
      ...typesOfAction.map((t) => `Type d'action : ${t} (conditions de consortium et d'éligibilité dans le programme de travail)`),
      'Texte de l\'appel en anglais : éligibilité des collectivités à vérifier sur la page du topic',
    ],
    territory: { label: 'États membres de l\'UE et pays associés' },
    aid,
    calendar: {
      kind: 'oneOff',
      editions: opensAt || deadlines.length ? [{ ...(callIdentifier ? { label: callIdentifier } : {}), ...(opensAt ? { opensAt } : {}), deadlines }] : [],
      ...(twoStage ? { note: 'Procédure en deux étapes : une date limite par étape.' } : {}),
    },
    officialUrl: portal,
    applyUrl: portal,
    ...(origin ? { originUrl: origin } : {}),
    uncertain: deadlines.length ? uncertain : [...uncertain, { field: 'calendar', note: 'Date limite absente de la réponse : voir la page du topic.' }],
    ...(status ? { statusNote: status.note } : {}),
  }
}

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const data = parseJsonPayload(SOURCE_ID, payload)
  const results = listIn(SOURCE_ID, data, ['results'], 'une réponse de recherche SEDIA {totalResults, results}')
  const c = createCollector(SOURCE_ID, ctx)

  const kept = dedupe(readDocs(c, results))
  const callsPerTopic = new Map<string, Set<string>>()
  for (const d of kept) callsPerTopic.set(d.identifier, (callsPerTopic.get(d.identifier) ?? new Set()).add(d.callccm2Id))

  for (const d of kept) {
    const draft = topicDraft(c, d, (callsPerTopic.get(d.identifier)?.size ?? 1) > 1)
    if (draft) c.finish(draft)
  }
  return c.result()
}

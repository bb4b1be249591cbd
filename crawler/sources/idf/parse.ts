// Région Île-de-France "guide des aides" (a JSON array of aides) → Programmes. Prose fields
// (entete, objectif, modalite) carry the rates and ceilings; campaign dates are ISO instants.
import { load } from 'cheerio/slim'
import type { ParseContext, ParseResult } from '../../types.ts'
import { isRecord, listIn, parseJsonPayload, recordIdOf } from '../../normalize/payload.ts'
import { aidFromProse, createCollector, instrumentsFromLabels, type Draft } from '../../normalize/record.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { asLabels, asText, fold, htmlToText, truncate } from '../../normalize/text.ts'

export const SOURCE_ID = 'idf'
const PAGE_BASE = 'https://www.iledefrance.fr/aides-et-appels-a-projets/'

/** The site's path slug (Drupal-like: apostrophes dropped, not turned into dashes). */
function pageSlug(title: string): string {
  return fold(title).replace(/'/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
}

function firstLink(html: unknown): string | undefined {
  if (typeof html !== 'string' || !html.includes('href')) return undefined
  return load(html, null, false)('a[href]').first().attr('href') ?? undefined
}

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const data = parseJsonPayload(SOURCE_ID, payload)
  const items = listIn(SOURCE_ID, data, ['', 'data', 'aides'], 'un tableau d\'aides')
  const c = createCollector(SOURCE_ID, ctx)
  items.forEach((item, i) => {
    const recordId = recordIdOf(item, ['reference', 'title'], i)
    if (!isRecord(item)) return c.error(recordId, '(fiche)', 'fiche qui n\'est pas un objet : ignorée', item)
    if (typeof item.statut === 'string' && item.statut !== 'PUBLIEE') {
      return c.error(recordId, 'statut', 'aide non publiée : ignorée', item.statut)
    }
    const name = asText(item.title)
    const entete = htmlToText(item.entete)
    const objectif = htmlToText(item.objectif)
    const modalite = htmlToText(item.modalite)
    const precision = htmlToText(item.publicsBeneficiairePrecision)
    const audiences = c.applicants(recordId, 'publicsBeneficiaire', asLabels(item.publicsBeneficiaire))
    if (!audiences) return
    const competences = asLabels(item.competences)
    const tags = asLabels(item.tags)

    const opensAt = c.day(recordId, 'dateOuvertureCampagne', item.dateOuvertureCampagne)
    const deadline = c.day(recordId, 'dateFinCampagne', item.dateFinCampagne)
    const nextOpening = c.day(recordId, 'dateDebutFuturCampagne', item.dateDebutFuturCampagne)
    const editions: Draft['calendar']['editions'] = []
    if (opensAt || deadline) editions.push({ ...(opensAt ? { opensAt } : {}), deadlines: deadline ? [deadline] : [] })
    if (nextOpening && nextOpening !== opensAt) editions.push({ opensAt: nextOpening, deadlines: [] })

    const { aid, uncertain } = aidFromProse(modalite)
    const isCall = /appel [àa] (projets?|candidatures?|manifestation)/i.test(`${name} ${entete}`)
    const apply = c.url(recordId, 'demarches', firstLink(item.demarches))
    const uncertainAll: NonNullable<Draft['uncertain']> = [...uncertain, { field: 'links', note: 'Lien de la page construit à partir du titre de l\'aide : à vérifier.' }]
    if (deadline === undefined && opensAt !== undefined) uncertainAll.push({ field: 'calendar', note: 'Campagne ouverte sans date de clôture publiée : à vérifier.' })

    c.finish({
      recordId,
      idPart: typeof item.reference === 'string' && item.reference ? item.reference : name ?? String(i),
      name,
      funders: ['Région Île-de-France'],
      level: 'regional',
      instruments: instrumentsFromLabels(['Subvention'], isCall),
      description: [entete, objectif].filter(Boolean).join(' ') || undefined,
      themes: themesFromText({ strong: [...competences, ...tags, name], prose: [entete, objectif], fallback: 'developpement_economique' }),
      keywords: [...competences, ...tags],
      applicants: audiences.applicants,
      conditions: [...audiences.conditions, ...(precision ? [precision] : [])],
      territory: { label: 'Île-de-France', regions: ['11'] },
      aid: { ...aid, ...(modalite ? { notes: truncate(modalite, 300) } : {}) },
      calendar: { kind: nextOpening ? 'recurring' : deadline ? 'oneOff' : 'permanent', editions },
      officialUrl: name ? `${PAGE_BASE}${pageSlug(name)}` : undefined,
      ...(apply ? { applyUrl: apply } : {}),
      originUrl: typeof item.id === 'string' && item.id.startsWith('/') ? `https://mesdemarches.iledefrance.fr${item.id}` : undefined,
      uncertain: uncertainAll,
    })
  })
  return c.result()
}

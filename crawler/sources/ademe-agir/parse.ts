// ADEME "Agir pour la transition" dispositifs (`{success, NbDispositif, ListeDispositifs[]}`)
// → Programmes. Codes (cible_projet SCA*, thematiques) follow the mapping tables Aides-territoires
// keeps for this API; ISO dates with offset; `url_agir` sometimes written "https: //…".
import { ParseError } from '../../../core/errors.ts'
import type { ThemeId } from '../../../core/themes.ts'
import type { ParseContext, ParseResult } from '../../types.ts'
import { isRecord, listIn, parseJsonPayload, recordIdOf } from '../../normalize/payload.ts'
import { aidFromProse, createCollector, type Draft } from '../../normalize/record.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { asLabels, asText, htmlToText } from '../../normalize/text.ts'

export const SOURCE_ID = 'ademe-agir'

/** ADEME thématique codes → Guichet themes (after AT's ademe_agir_categories_mapping). */
const THEME_CODES: Record<string, ThemeId[]> = {
  ECO: ['developpement_economique'],
  ECD: ['dechets'],
  ALIBIO: ['dechets', 'alimentation_agriculture'],
  DEMTER: ['dechets'],
  PRODUR: ['dechets'],
  REEREP: ['dechets'],
  TRIREC: ['dechets'],
  VALENR: ['dechets', 'energies_renouvelables'],
  ENR: ['energies_renouvelables'],
  BOIBIO: ['energies_renouvelables'],
  EFFENR: ['renovation_energetique'],
  GEOTER: ['energies_renouvelables'],
  ENRAUT: ['energies_renouvelables'],
  RECCHA: ['energies_renouvelables'],
  RESCHF: ['energies_renouvelables'],
  SOLAIR: ['energies_renouvelables'],
  MTR: ['mobilite'],
  QUA: ['transition_ecologique'],
  SAF: ['alimentation_agriculture'],
  TOU: ['tourisme'],
  HRBTOU: ['tourisme'],
  RESTAU: ['tourisme'],
  SLOTOU: ['tourisme'],
  UBA: ['renovation_energetique'],
  CCL: ['transition_ecologique'],
}
const TYPE_LABELS: Record<string, string> = { AAP: 'Appel à projets', GAG: 'Aide au fil de l\'eau', AMI: 'Appel à manifestation d\'intérêt' }

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const data = parseJsonPayload(SOURCE_ID, payload)
  if (isRecord(data) && data.success === false) throw new ParseError(`${SOURCE_ID}: réponse en échec (success=false)`)
  const items = listIn(SOURCE_ID, data, ['ListeDispositifs'], 'une réponse {success, NbDispositif, ListeDispositifs}')
  const c = createCollector(SOURCE_ID, ctx)
  items.forEach((item, i) => {
    const recordId = recordIdOf(item, ['id', 'titre'], i)
    if (!isRecord(item)) return c.error(recordId, '(fiche)', 'fiche qui n\'est pas un objet : ignorée', item)
    const name = asText(item.titre)
    const description = htmlToText(item.description_longue)
    const audiences = c.applicants(recordId, 'cible_projet', asLabels(item.cible_projet))
    if (!audiences) return

    const codes = asLabels(item.thematiques).map((x) => x.toUpperCase())
    const known = [...new Set(codes.flatMap((code) => THEME_CODES[code] ?? []))]
    for (const code of codes) if (!THEME_CODES[code]) c.error(recordId, 'thematiques', 'code thématique ADEME inconnu (ignoré)', code)

    const opensAt = c.day(recordId, 'date_debut', item.date_debut)
    const deadline = c.day(recordId, 'date_fin', item.date_fin)
    const type = typeof item.type === 'string' ? item.type.toUpperCase() : ''
    const isCall = type === 'AAP' || type === 'AMI'
    const url = c.url(recordId, 'url_agir', item.url_agir)
    const { aid, uncertain } = aidFromProse(description)
    const coverage = isRecord(item.couverture_geo) ? asText(item.couverture_geo.libelle) : undefined
    const regions = asLabels(item.regions)
    const millesime = typeof item.millesime === 'number' ? String(item.millesime) : undefined

    const draft: Draft = {
      recordId,
      idPart: typeof item.id === 'string' && item.id ? item.id : name ?? String(i),
      name,
      funders: ['ADEME'],
      level: regions.length ? 'regional' : 'national',
      instruments: isCall ? ['grant', 'call_for_projects'] : ['grant'],
      ...(description ? { description } : {}),
      themes: themesFromText({ known, strong: [name], prose: [description], fallback: 'transition_ecologique' }),
      keywords: [TYPE_LABELS[type] ?? type, ...(millesime ? [millesime] : [])].filter(Boolean),
      applicants: audiences.applicants,
      conditions: audiences.conditions,
      territory: { label: regions.length ? regions.join(', ') : coverage && !/^national$/i.test(coverage) ? coverage : 'France' },
      aid,
      calendar: {
        // A yearly "millésime" (GAG) runs to 31 December and comes back; an AAP is one call.
        kind: isCall ? 'oneOff' : millesime ? 'recurring' : deadline ? 'oneOff' : 'permanent',
        editions: opensAt || deadline ? [{ ...(millesime ? { label: millesime } : {}), ...(opensAt ? { opensAt } : {}), deadlines: deadline ? [deadline] : [] }] : [],
        ...(type === 'GAG' ? { note: 'Dépôt au fil de l\'eau, jusqu\'à épuisement des crédits et au plus tard à la date limite.' } : {}),
      },
      officialUrl: url,
      uncertain,
    }
    c.finish(draft)
  })
  return c.result()
}

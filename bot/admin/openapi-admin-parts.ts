// The admin API's OpenAPI parts shared by openapi-admin.ts and openapi-admin-paths.ts: the
// JSON Schema shorthands, the enums spelled once per type, the request examples, and the
// marker of the operations only the Node server serves.
import { AVAILABILITIES } from '../../core/availability.ts'
import type { CrawlRunStatus, SourceRunStatus } from '../../crawler/crawl-store.ts'
import type { DeliveryKind, DeliveryState } from '../alerts/delivery.ts'

import { arr, bool, error, int, json, keysOf, NODE_ONLY, NODE_ONLY_NOTE, obj, ok, pathParam, ref, str, type Json } from '../openapi/shorthands.ts'

export { arr, bool, error, int, json, keysOf, NODE_ONLY, NODE_ONLY_NOTE, obj, ok, pathParam, ref, str, type Json }

// Enums spelled once per type: tsc fails here if a member is added to or removed from the type.
export const DELIVERY_KINDS = keysOf<DeliveryKind>({ reminder: true, estimate: true, new_programme: true, deadline_moved: true, closed_early: true, new_edition: true, confirm: true })
export const DELIVERY_STATES = keysOf<DeliveryState>({ pending: true, sent: true, failed: true, expired: true })
export const RUN_STATUSES = keysOf<CrawlRunStatus>({ running: true, ok: true, partial: true, failed: true, interrupted: true })
export const SOURCE_RUN_STATUSES = keysOf<SourceRunStatus>({ ok: true, failed: true, skipped: true })

export const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] })
export const dateTime = { type: 'string', format: 'date-time' }
export const availabilityBase = { status: { enum: [...AVAILABILITIES] }, text: { type: 'string', description: 'One French sentence with the date that decides it' } }
/** core/availability.ts: a partial suspension names its themes and the availability otherwise. */
export const availabilitySchema = obj(
  { ...availabilityBase, onlyFor: { type: 'array', items: str, description: 'Themes a partial suspension concerns' }, otherwise: obj(availabilityBase, ['status', 'text']) },
  ['status', 'text'],
)
export const query = (name: string, description: string, schema: Json = str) => ({ name, in: 'query', required: false, description, schema })
export const flag = (name: string, description: string) => query(name, `${description} (any non-empty value turns the filter on)`, { type: 'string', examples: ['1'] })
/** A JSON request body: its schema and an example a client can send as is. */
export const body = (schema: Json, example: unknown, description?: string) => ({ required: true, ...(description ? { description } : {}), content: { 'application/json': { schema, example } } })

/** The admin desk reads whole bodies up to 1 MB (6 MB for an import): beyond, 413. */
export const tooLarge = (max: string) => error(`Body over ${max} (code payload_too_large)`)

export const programmeId = pathParam('id', 'Catalogue id of the programme', { type: 'string', examples: ['detr'] })

/** A small curated programme, as POST /api/admin/programmes takes it (JSON) and as an import takes it (YAML). */
export const PROGRAMME_EXAMPLE = {
  id: 'appel-voirie-yonne',
  name: 'Appel à projets voirie rurale',
  funders: ['Département de l\'Yonne'],
  level: 'departemental',
  instruments: ['grant'],
  summary: 'Subvention du Département pour les travaux de voirie des petites communes.',
  themes: ['voirie'],
  eligibility: { applicants: ['commune'], territory: { label: 'Yonne', departements: ['89'] } },
  calendar: { kind: 'oneOff', editions: [{ deadlines: ['2026-06-30'] }] },
  links: { official: 'https://www.yonne.fr/aides/voirie' },
}
export const PROGRAMME_YAML_EXAMPLE = `id: appel-voirie-yonne
name: Appel à projets voirie rurale
funders: [Département de l'Yonne]
level: departemental
instruments: [grant]
summary: Subvention du Département pour les travaux de voirie des petites communes.
themes: [voirie]
eligibility:
  applicants: [commune]
  territory: { label: Yonne, departements: ['89'] }
calendar:
  kind: oneOff
  editions: [{ deadlines: ['2026-06-30'] }]
links:
  official: https://www.yonne.fr/aides/voirie
provenance:
  kind: curated
  sources: [https://www.yonne.fr/aides/voirie]
`
/** A declarative page source (content/sources/departement-exemple.yaml, its recorded page beside it). */
export const PAGE_SOURCE_EXAMPLE = `id: departement-exemple
label: Département exemple – aides aux communes
enabled: false
url: https://www.departement-exemple.fr/aides/
funders: [Département exemple]
level: departemental
instruments: [grant]
fallbackTheme: equipements_publics
territory: Drôme
item: article.aide
fields:
  name: h2
  link: { selector: "h2 a", attr: href }
  summary: .resume
  deadline: .date-limite
  applicants: { selector: ".publics li", all: true }
  categories: { selector: ".themes", split: "," }
  amount: .montant
`
export const OK_TRUE = obj({ ok: { const: true } })
/** The outcome of a re-run (POST /api/admin/sources/{id}/run). */
export const RERUN = obj(
  {
    ok: { type: 'boolean', description: 'true only when the run ended ok' },
    status: { enum: RUN_STATUSES, description: 'The run’s final status; running when it outlasted the wait' },
    runId: nullable(str),
    errors: { ...arr(str), description: 'The run’s errors and the first lines of its failed sources' },
  },
  undefined,
  { additionalProperties: false },
)

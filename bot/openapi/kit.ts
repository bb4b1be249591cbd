// The small builders of the OpenAPI document (bot/openapi.ts) and the enum lists its schemas
// share: JSON Schema shorthands, responses and parameters, zod schemas turned into request
// schemas and query parameters. Where each operation runs is bot/openapi/runtimes.ts's.
import { z } from 'zod'
import type { PartnerCategory } from '../../core/countries.ts'
import type { CollectiviteType } from '../../core/profile.ts'
import type { SubscriptionStatus } from '../alerts/subscription.ts'
import type { ActionId, SlotName } from '../conversation/reply.ts'
import { arr, bool, error, int, json, keysOf, obj, ok, pathParam, ref, str, type Json } from './shorthands.ts'

export { arr, bool, error, int, json, obj, ok, pathParam, ref, str, type Json }
/** Path items by path, each with its operations by method. */
export type Paths = Record<string, Record<string, Json>>

// Enums spelled once per type: tsc fails here if a member is added to or removed from the type.
export const SLOTS = keysOf<SlotName>({
  collectivite: true, applicantType: true, themes: true, stage: true, budget: true, timing: true, partnerCountry: true, closedList: true, population: true, email: true,
  scope: true, foreignPartners: true, partnerCountries: true, frenchPartners: true, prerequisite: true, density: true, syndicatKind: true,
})
export const ACTIONS = keysOf<ActionId>({ alerts: true, refine: true, excluded: true, restart: true })
export const PROFILE_TYPES = keysOf<CollectiviteType>({ commune: true, epci: true, departement: true, region: true })
export const PARTNER_CATEGORIES = keysOf<PartnerCategory>({ ldc: true, oda: true, other: true })
export const SUBSCRIPTION_STATUSES = keysOf<SubscriptionStatus>({ active: true, paused: true, pending_confirmation: true, inactive: true, unsubscribed: true })

export const date = { type: 'string', format: 'date' }
export const text = (description: string, mediaType: string) => ({ description, content: { [mediaType]: { schema: str } } })
export const html = (description: string) => text(description, 'text/html')
export const queryParam = (name: string, description: string, schema: Json = str, required = false) => ({ name, in: 'query', required, description, schema })

/** The 400 of an operation whose parameters or body are validated by zod. */
export const invalid = () => error('Invalid parameter or body: error.field names the first one, error.issues all of them')

/** A zod schema as JSON Schema: what a caller may send (defaults applied by the route). */
export function inputSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json
  delete out['$schema']
  return out
}

/**
 * The query parameters of a route, from the zod object it validates the query with: every key it
 * accepts and none other, with its constraints. Descriptions are required for each key (tsc fails
 * when the schema gains one); `extra` adds examples or a friendlier pattern.
 */
export function queryParameters<S extends z.ZodObject>(schema: S, describe: Record<keyof S['shape'] & string, string>, extra: Partial<Record<keyof S['shape'] & string, Json>> = {}): Json[] {
  const js = inputSchema(schema) as { properties: Record<string, Json>; required?: string[] }
  return Object.entries(js.properties).map(([name, s]) => {
    const { description: _zodDescription, ...constraints } = s
    return queryParam(name, describe[name as keyof S['shape'] & string], { ...constraints, ...extra[name as keyof S['shape'] & string] }, js.required?.includes(name) ?? false)
  })
}

export const csvOf = (what: string) => `Comma-separated ${what} (the parameter may also be repeated)`

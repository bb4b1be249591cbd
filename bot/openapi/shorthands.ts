// JSON Schema and OpenAPI shorthands shared by the public document (bot/openapi/) and the admin
// API's (bot/admin/openapi-admin*.ts), and the mark of the operations the Node server alone serves.
export type Json = Record<string, unknown>

/** Enums spelled once per type: tsc fails where it is used if a member is added to or removed from the type. */
export const keysOf = <K extends string>(r: Record<K, true>) => Object.keys(r) as K[]

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
export const str = { type: 'string' }
export const int = { type: 'integer' }
export const bool = { type: 'boolean' }
export const arr = (items: Json): Json => ({ type: 'array', items })
export const obj = (properties: Json, required: string[] = Object.keys(properties), extra: Json = {}): Json => ({ type: 'object', required, properties, ...extra })
export const json = (schema: Json) => ({ 'application/json': { schema } })
export const ok = (description: string, schema: Json) => ({ description, content: json(schema) })
export const error = (description: string) => ({ description, content: json(ref('Error')) })
export const pathParam = (name: string, description: string, schema: Json = str) => ({ name, in: 'path', required: true, description, schema })

/** The extension that marks an operation the Workers entry does not serve. */
export const NODE_ONLY = 'x-node-only'
export const NODE_ONLY_NOTE = 'Node server only: the Workers deployment does not serve it.'

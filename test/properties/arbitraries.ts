// Arbitraries shared by the property tests: hostile strings, and the two mutation engines — one
// for JSON bodies (guided by the documented JSON schema of the body: which keys are required,
// which objects refuse unknown keys, which JSON types a field takes), one for query strings.
import fc from 'fast-check'
import type { Case, Req } from './world.ts'

type Json = Record<string, any>

/** Strings a client should not send but may: control characters, lone surrogates, bidi marks, NULs, markup, huge. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '\u200b', '\u202e', '\ud800', '\udfff', '\ufeff', '\r\n', '%00', '%', '%zz', '..', '../..', '<script>alert(1)</script>', '"', "'", '\\', '${}', '{{x}}', '__proto__', 'constructor', 'null', 'undefined', 'NaN', 'Infinity', '-0', '1e400', '0x10', '١٢٣', 'é'.normalize('NFD'), 'Ω', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '🏫🇫🇷'),
  fc.tuple(fc.constantFrom('a', 'é', '\u0000', '🏫', '9'), fc.integer({ min: 200, max: 5000 })).map(([ch, n]) => ch.repeat(n)),
)

/** Numbers at and past the edges: negatives, zero, fractions, huge, unsafe integers. */
export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 1e21, -1e21, 1.7976931348623157e308, 5e-324, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 31, 366, 367, 100, 101, 201, 1001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)

/** Raw JSON number texts JSON.stringify cannot write (Infinity once parsed, exponent forms, -0). */
const RAW = '\u0000raw:'
export const rawNumber = fc.constantFrom('1e400', '-1e400', '-0', '1E2', '0.1e1', '1.0', '100000000000000000000000000000')
export const raw = (text: string) => `${RAW}${text}`
/** JSON text, the raw numbers written as such. */
export function serialize(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"]*)"/g, '$1')
}

/** Any JSON value, some deep. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 1500 }).map((depth) => deep(depth, 'array')) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 800 }).map((depth) => deep(depth, 'object')) },
)

/** `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep. */
export function deep(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = kind === 'array' ? [] : {}
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v }
  return v
}

/** A JSON value of none of the given JSON-schema types. */
export function wrongTypeValue(types: string[]): fc.Arbitrary<unknown> {
  const all: [string, fc.Arbitrary<unknown>][] = [
    ['null', fc.constant(null)],
    ['boolean', fc.boolean()],
    ['integer', fc.integer()],
    ['number', fc.double({ noNaN: true, noDefaultInfinity: true, noInteger: true })],
    ['string', nastyString],
    ['array', fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 })],
    ['object', fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })],
  ]
  const allowed = new Set(types.includes('number') ? [...types, 'integer'] : types)
  const left = all.filter(([t]) => !allowed.has(t))
  return fc.oneof(...left.map(([, a]) => a))
}

/** The JSON-schema types a schema admits ([] = unknown: no type said). */
function typesOf(s: Json | undefined): string[] {
  if (!s) return []
  if (typeof s.type === 'string') return [s.type]
  if (Array.isArray(s.type)) return s.type
  if (s.const !== undefined) return [s.const === null ? 'null' : typeof s.const]
  if (Array.isArray(s.enum)) return [...new Set(s.enum.map((v: unknown) => (v === null ? 'null' : typeof v)))] as string[]
  return []
}

type Resolve = (s: Json | undefined) => Json | undefined

/** The subschema at a path of a value (undefined when the schema does not say). */
function schemaAt(root: Json, path: (string | number)[], resolve: Resolve): Json | undefined {
  let s: Json | undefined = resolve(root)
  for (const k of path) {
    if (!s) return undefined
    if (typeof k === 'number') s = resolve(s.items)
    else s = resolve(s.properties?.[k]) ?? (typeof s.additionalProperties === 'object' ? resolve(s.additionalProperties) : undefined)
  }
  return s
}

/** Every path in a JSON value (objects' keys and arrays' indices), the root excluded. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...at, i], ...pathsOf(v, [...at, i])])
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])])
  return []
}

const dotted = (path: (string | number)[]) => path.join('.')
const clone = <T>(v: T): T => structuredClone(v)
function setAt(root: unknown, path: (string | number)[], f: (parent: any, key: string | number) => void): unknown {
  const copy = clone(root) as any
  let parent = copy
  for (const k of path.slice(0, -1)) parent = parent[k]
  f(parent, path[path.length - 1]!)
  return copy
}

export interface JsonBodyOptions {
  /** The body's documented JSON schema. */
  schema: Json
  resolve: Resolve
  /** The request, given its body text and its headers. */
  request: (body: Req['body'], headers: Record<string, string>) => Req
  /** The body limit of the route, in bytes. */
  maxBytes: number
  /** An empty body reads as this (chat: {}), else it is refused. */
  emptyOk?: boolean
  /** The route checks the content type (refuses anything but application/json). */
  checksContentType?: boolean
}

const JSON_HEADERS = { 'content-type': 'application/json' }

/**
 * Cases for a JSON body: the valid-shaped body as is, and each mutation — at a random path, a wrong
 * type, the key removed, an unknown key, a huge or hostile string, a deep value, an edge number; and
 * on the whole body, malformed JSON, an empty body, a non-object, a wrong content type, a body over
 * the limit (with and without Content-Length).
 */
export function jsonBodyCases(valid: fc.Arbitrary<Json>, o: JsonBodyOptions): fc.Arbitrary<Case> {
  const req = (body: Req['body'], headers: Record<string, string> = JSON_HEADERS) => o.request(body, headers)
  const base = (v: Json) => req(serialize(v))
  const asIs = valid.map((v): Case => ({ req: base(v), label: 'valid-shaped' }))

  const atPath = valid.chain((v) => {
    const paths = pathsOf(v)
    return fc.tuple(fc.constant(v), paths.length ? fc.constantFrom(...paths) : fc.constant<(string | number)[]>([]))
  })

  const wrongType = atPath.chain(([v, path]) => {
    if (!path.length) return fc.constant<Case>({ req: base(v), label: 'valid-shaped (no field)' })
    const s = schemaAt(o.schema, path, o.resolve)
    const types = typesOf(s)
    return wrongTypeValue(types.length ? types : ['__none__']).map((bad): Case => {
      const mutated = setAt(v, path, (p, k) => (p[k] = bad))
      // With no type said (a free value), or a value the schema's enum/type might still take, the route may accept it.
      const sure = types.length > 0
      return { req: base(mutated as Json), label: `wrong type at ${dotted(path)}: ${serialize(bad).slice(0, 80)}`, broke: [dotted(path)], mustRefuse: sure, base: base(v) }
    })
  })

  const removed = atPath.map(([v, path]): Case => {
    if (!path.length) return { req: base(v), label: 'valid-shaped (no field)' }
    const parentSchema = schemaAt(o.schema, path.slice(0, -1), o.resolve)
    const key = path[path.length - 1]!
    const required = typeof key === 'string' && (parentSchema?.required ?? []).includes(key)
    const mutated = setAt(v, path, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k]))
    return { req: base(mutated as Json), label: `removed ${dotted(path)}`, broke: [dotted(path)], mustRefuse: required, base: base(v) }
  })

  // An unknown key, on the root or on any object inside.
  const extra = fc.tuple(valid, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'isAdmin', 'id', '', ' ', 'é'), fc.string({ minLength: 1, maxLength: 12 })), anyJson).map(([v, key, value]): Case => {
    const objects = [[] as (string | number)[], ...pathsOf(v)].filter((p) => {
      const at = p.reduce((x: any, k) => x?.[k], v)
      return at && typeof at === 'object' && !Array.isArray(at)
    })
    const path = objects[Math.abs(hashOf(key)) % objects.length]!
    const s = schemaAt(o.schema, path, o.resolve)
    const known = Object.prototype.hasOwnProperty.call(s?.properties ?? {}, key)
    if (known) return { req: base(v), label: 'valid-shaped (extra key is a known one)' }
    // JSON.parse makes `__proto__` an own key, as a client's body would carry it.
    const text = serialize(v)
    const at = path.reduce((x: any, k) => x[k], v)
    const inner = serialize(at)
    const withKey = inner === '{}' ? `{${JSON.stringify(key)}:${serialize(value)}}` : `{${JSON.stringify(key)}:${serialize(value)},${inner.slice(1)}`
    const mutated = path.length === 0 ? withKey : replaceOnce(text, inner, withKey, path, v)
    return { req: req(mutated), label: `unknown key ${JSON.stringify(key)} at ${dotted(path) || '(root)'}`, broke: [dotted([...path, key])], mustRefuse: s?.additionalProperties === false, base: base(v) }
  })

  const hostileString = fc.tuple(atPath, fc.oneof(nastyString, fc.integer({ min: 1000, max: 40_000 }).map((n) => 'x'.repeat(n)))).map(([[v, path], s]): Case => {
    if (!path.length) return { req: base(v), label: 'valid-shaped (no field)' }
    const schema = schemaAt(o.schema, path, o.resolve)
    const types = typesOf(schema)
    const mutated = setAt(v, path, (p, k) => (p[k] = s))
    const overMax = typeof schema?.maxLength === 'number' && [...s].length > schema.maxLength
    const notString = types.length > 0 && !types.includes('string')
    const text = serialize(mutated)
    return { req: base(mutated as Json), label: `string at ${dotted(path)} (${[...s].length} chars): ${JSON.stringify(s.slice(0, 40))}`, broke: [dotted(path)], mustRefuse: overMax || notString || Buffer.byteLength(text) > o.maxBytes, base: base(v) }
  })

  const deepValue = fc.tuple(atPath, fc.integer({ min: 20, max: 3000 }), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([[v, path], depth, kind]): Case => {
    const value = deep(depth, kind)
    const mutated = path.length ? setAt(v, path, (p, k) => (p[k] = value)) : value
    const text = serialize(mutated)
    return { req: req(text), label: `${kind} ${depth} deep at ${dotted(path) || '(root)'}`, broke: [path.length ? dotted(path) : 'body'], mustRefuse: path.length === 0 || Buffer.byteLength(text) > o.maxBytes, base: base(v) }
  })

  const edgeNumbers = fc.tuple(atPath, fc.oneof(edgeNumber, rawNumber.map(raw))).map(([[v, path], n]): Case => {
    if (!path.length) return { req: base(v), label: 'valid-shaped (no field)' }
    const types = typesOf(schemaAt(o.schema, path, o.resolve))
    const mutated = setAt(v, path, (p, k) => (p[k] = n))
    return { req: base(mutated as Json), label: `number ${String(n).replace(RAW, '')} at ${dotted(path)}`, broke: [dotted(path)], mustRefuse: types.length > 0 && !types.includes('number') && !types.includes('integer'), base: base(v) }
  })

  const malformed = fc.tuple(valid, fc.nat(), fc.oneof(nastyString, fc.constantFrom('{', '}', '[', 'nul', 'tru', '{"a":}', "{'a':1}", '{"a":1,}', '\ufeff{}', '{"a":1}x', '0x1', 'NaN', '{"a":"\\u12"}', '"\\ud800"'))).map(([v, cut, junk]): Case => {
    const text = serialize(v)
    const candidates = [text.slice(0, cut % Math.max(1, text.length)), junk, `${text}${junk}`, text.replace(/:/, '')]
    const body = candidates[cut % candidates.length]!
    let parses = true
    try {
      // As the route reads it: UTF-8 decoded, a leading byte order mark dropped.
      JSON.parse(new TextDecoder().decode(new TextEncoder().encode(body)))
    } catch {
      parses = false
    }
    return { req: req(body), label: `malformed JSON: ${JSON.stringify(body.slice(0, 60))}`, broke: ['body'], mustRefuse: !parses && !(o.emptyOk && body.trim() === ''), base: base(v) }
  })

  const nonObject = fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((x) => x === null || typeof x !== 'object' || Array.isArray(x)), fc.constant([])).map((x): Case => ({
    req: req(JSON.stringify(x)),
    label: `body not an object: ${JSON.stringify(x).slice(0, 60)}`,
    broke: ['body'],
    mustRefuse: true,
  }))

  const empty = fc.constantFrom<Record<string, string>>(JSON_HEADERS, {}).map((headers): Case => ({ req: req(undefined, headers), label: `no body${headers['content-type'] ? '' : ', no content type'}`, broke: ['body', 'content-type'], mustRefuse: !o.emptyOk }))

  const contentType = fc.tuple(valid, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml', '', 'application/json, text/html', '*/*', 'APPLICATION/JSON')).map(([v, type]): Case => ({
    req: req(serialize(v), type ? { 'content-type': type } : {}),
    label: `content type ${JSON.stringify(type)}`,
    broke: ['content-type', 'body'],
    mustRefuse: o.checksContentType === true && !type.toLowerCase().startsWith('application/json'),
  }))

  const tooBig = fc.tuple(valid, fc.integer({ min: 1, max: 4096 }), fc.boolean()).map(([v, over, streamed]): Case => {
    const text = serialize({ ...v, pad: 'x'.repeat(o.maxBytes + over) })
    const bytes = new TextEncoder().encode(text)
    const body = streamed ? () => chunked(bytes) : text
    return { req: req(body), label: `body over the limit by ${bytes.byteLength - o.maxBytes} bytes${streamed ? ', streamed without Content-Length' : ''}`, broke: ['body', 'pad'], mustRefuse: true }
  })

  return fc.oneof(
    { weight: 5, arbitrary: asIs },
    { weight: 3, arbitrary: wrongType },
    { weight: 2, arbitrary: removed },
    { weight: 2, arbitrary: extra },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: deepValue },
    { weight: 1, arbitrary: edgeNumbers },
    { weight: 1, arbitrary: malformed },
    { weight: 1, arbitrary: nonObject },
    { weight: 1, arbitrary: empty },
    { weight: 1, arbitrary: contentType },
    { weight: 1, arbitrary: tooBig },
  )
}

/** The serialized value with `inner` (the object at `path`) replaced by `withKey`, found by serializing a marker there. */
function replaceOnce(text: string, _inner: string, withKey: string, path: (string | number)[], v: unknown): string {
  const marker = '\u0000marker'
  const marked = serialize(setAt(v, path, (p, k) => (p[k] = marker)))
  return marked.replace(JSON.stringify(marker), withKey) ?? text
}

function hashOf(s: string): number {
  let h = 0
  for (const ch of s) h = (h * 31 + ch.codePointAt(0)!) | 0
  return h
}

/** A body as a stream of 1 KB chunks (no Content-Length). */
export function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.slice(at, at + 1024))
      at += 1024
    },
  })
}

// ---------- query strings ----------

export interface QueryParam {
  name: string
  /** Valid values (as the route reads them). */
  valid: fc.Arbitrary<string>
  /** Values the route must refuse (naming this parameter). */
  invalid?: fc.Arbitrary<string>
  required?: boolean
}

export interface QueryOptions {
  params: QueryParam[]
  /** A valid query: which parameters to send (default: any subset, the required ones always). */
  pick?: fc.Arbitrary<string[]>
  request: (query: [string, string][]) => Req
  /** Unknown parameters are refused, naming them. */
  strict: boolean
  /** A value the route ignores when empty (the form leaves fields empty). */
  emptyIgnored?: boolean
  /** Parameters refused together (two territories): a 400 may name any of the group. */
  together?: string[]
}

/**
 * Cases for a query: a valid query (random valid values), and each mutation — an invalid value
 * (a known bad one, or any hostile string), a required parameter missing, an unknown parameter,
 * a parameter repeated, an empty value, a huge value, a percent-encoding that decodes to nothing.
 */
export function queryCases(o: QueryOptions): fc.Arbitrary<Case> {
  const byName = new Map(o.params.map((p) => [p.name, p]))
  const brokeOf = (name: string) => (o.together?.includes(name) ? o.together : [name])
  const pick = o.pick ?? fc.subarray(o.params.filter((p) => !p.required).map((p) => p.name)).map((names) => [...o.params.filter((p) => p.required).map((p) => p.name), ...names])
  const valid = pick.chain((names) => (names.length ? fc.tuple(...names.map((n) => byName.get(n)!.valid.map((v) => [n, v] as [string, string]))) : fc.constant([] as [string, string][])))
  const asIs = valid.map((q): Case => ({ req: o.request(q), label: 'valid query' }))

  const withParam = fc.tuple(valid, fc.constantFrom(...o.params))
  const badValue = withParam.chain(([q, p]) =>
    fc.oneof(...(p.invalid ? [p.invalid.map((v) => ({ v, sure: true }))] : []), nastyString.map((v) => ({ v, sure: false }))).map(({ v, sure }): Case => {
      const mutated = [...q.filter(([k]) => k !== p.name), [p.name, v] as [string, string]]
      return { req: o.request(mutated), label: `${p.name}=${JSON.stringify(v.slice(0, 60))}`, broke: brokeOf(p.name), mustRefuse: sure && !(o.emptyIgnored && v.trim() === ''), base: o.request(q) }
    }),
  )
  const missing = valid.map((q): Case => {
    const required = o.params.find((p) => p.required)
    if (!required) return { req: o.request(q), label: 'valid query (nothing required)' }
    return { req: o.request(q.filter(([k]) => k !== required.name)), label: `without ${required.name}`, broke: brokeOf(required.name), mustRefuse: true, base: o.request(q) }
  })
  const unknown = fc.tuple(valid, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'commune[]', 'a.b', 'ÉCOLE', ' ', 'q ', 'Limit'), fc.string({ minLength: 1, maxLength: 10 })), fc.string({ maxLength: 10 })).map(([q, name, v]): Case => {
    if (byName.has(name)) return { req: o.request(q), label: 'valid query (unknown name is a known one)' }
    const ignoredEmpty = o.emptyIgnored && v.trim() === ''
    return { req: o.request([...q, [name, v]]), label: `unknown parameter ${JSON.stringify(name)}=${JSON.stringify(v)}`, broke: [name], mustRefuse: o.strict && !ignoredEmpty, base: o.request(q) }
  })
  const repeated = withParam.chain(([q, p]) => fc.array(p.valid, { minLength: 2, maxLength: 50 }).map((vs): Case => ({ req: o.request([...q.filter(([k]) => k !== p.name), ...vs.map((v) => [p.name, v] as [string, string])]), label: `${p.name} repeated ${vs.length} times`, broke: brokeOf(p.name), base: o.request(q) })))
  const huge = withParam.chain(([q, p]) => fc.integer({ min: 1000, max: 60_000 }).map((n): Case => ({ req: o.request([...q.filter(([k]) => k !== p.name), [p.name, 'é,'.repeat(n)]]), label: `${p.name} of ${2 * n} chars`, broke: brokeOf(p.name), mustRefuse: true, base: o.request(q) })))
  const rawEncoding = withParam.chain(([q, p]) =>
    fc.constantFrom('%', '%zz', '%C3', '%ED%A0%80', '%00', '%2F..%2F', '+', '%2B', '&&', '==').map((rawValue): Case => {
      const r = o.request(q.filter(([k]) => k !== p.name))
      // Written into the URL as is, undecodable percent-escapes included.
      return { req: { ...r, rawQuery: `${encodeURIComponent(p.name)}=${rawValue}` }, label: `${p.name}=${rawValue} (raw)`, broke: brokeOf(p.name), base: o.request(q) }
    }),
  )
  return fc.oneof({ weight: 5, arbitrary: asIs }, { weight: 4, arbitrary: badValue }, { weight: 1, arbitrary: missing }, { weight: 2, arbitrary: unknown }, { weight: 1, arbitrary: repeated }, { weight: 1, arbitrary: huge }, { weight: 1, arbitrary: rawEncoding })
}

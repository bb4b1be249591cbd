// The back office's operations: the public one (logIn), with the cases of its property; and every
// other one, behind the session guard, with cases a caller without a live session can send —
// no cookie, a made-up or stale session cookie, a CSRF header without a session, any body and
// query. Their property: 401 (code unauthorized) and nothing else, never a 5xx.
import fc from 'fast-check'
import { SESSION_COOKIE } from '../../bot/admin/auth.ts'
import { PASSWORD } from '../admin/harness.ts'
import { anyJson, jsonBodyCases, nastyString, serialize } from './arbitraries.ts'
import { segment, type Spec } from './public-specs.ts'
import { documentedOperations, requestSchema, resolveSchema, type Case, type Operation, type World } from './world.ts'

export const ADMIN_ACCOUNT = 'admin@guichet.test'

/** The operations behind the guard: every admin-tagged one but the login. */
export const guardedOperations = (): Operation[] => documentedOperations().filter((o) => (o.op.tags as string[]).includes('admin') && o.id !== 'logIn')

function guardCases(o: Operation): fc.Arbitrary<Case> {
  const path = fc.tuple(...[...o.path.matchAll(/\{([^}]+)\}/g)].map(() => segment(['detr', 'editor', '1', 'detr.yaml', 'departement-exemple']))).map((values) => {
    let i = 0
    return o.path.replace(/\{[^}]+\}/g, () => values[i++]!)
  })
  const cookie = fc.oneof(
    fc.constant(undefined),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/).map((v) => `${SESSION_COOKIE}=${v}`),
    nastyString.map((v) => `${SESSION_COOKIE}=${v.replace(/[^\x21-\x7e]/g, '')}`),
    fc.constant(`${SESSION_COOKIE}=${'a'.repeat(43)}; ${SESSION_COOKIE}=b`),
  )
  const body = fc.oneof(fc.constant(undefined), anyJson.map((v) => serialize(v)), nastyString, fc.constant(JSON.stringify(o.op.requestBody?.content?.['application/json']?.example ?? {})))
  return fc
    .tuple(path, cookie, fc.option(nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, '')), { nil: undefined }), body, fc.constantFrom('application/json', 'text/plain', 'application/x-tar', 'multipart/form-data; boundary=x', ''), fc.array(fc.tuple(fc.constantFrom('q', 'page', 'perPage', 'limit', 'apply', 'x'), nastyString.map((s) => s.slice(0, 100))), { maxLength: 3 }))
    .map(([p, c, csrf, b, type, query]): Case => {
      const method = o.method.toUpperCase()
      const withBody = method !== 'GET' && method !== 'HEAD' && b !== undefined
      return {
        req: { method, path: p, query, headers: { ...(c ? { cookie: c } : {}), ...(csrf !== undefined ? { 'x-csrf-token': csrf } : {}), ...(withBody && type ? { 'content-type': type } : {}) }, ...(withBody ? { body: b } : {}) },
        label: `no live session (${c ?? 'no cookie'})`,
      }
    })
}

/** A client address of 10.9.0.0/16 drawn from the body (the same case, the same address: reproducible). */
function addressFor(text: string): string {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0
  return `10.9.${(h >>> 8) & 255}.${h & 255}`
}

export function adminSpecs(world: World): Record<string, Spec> {
  const specs: Record<string, Spec> = {}
  for (const o of guardedOperations()) {
    specs[o.id] = {
      cases: guardCases(o),
      runs: 25,
      extra: (c, a) => {
        if (a.status !== 401 || a.json?.error?.code !== 'unauthorized') throw new Error(`${o.id} without a session: ${a.status} ${a.text.slice(0, 200)} [${c.label}]`)
      },
    }
  }
  const login = fc.tuple(fc.oneof(fc.constant(ADMIN_ACCOUNT), fc.emailAddress(), fc.string({ minLength: 3, maxLength: 200 })), fc.oneof(fc.constant(PASSWORD), fc.string({ minLength: 1, maxLength: 500 }))).map(([email, password]) => ({ email, password }))
  specs['logIn'] = {
    cases: jsonBodyCases(login, {
      schema: requestSchema('logIn'),
      resolve: resolveSchema,
      maxBytes: 1024 * 1024,
      checksContentType: true,
      // A client address per case: the address limit would otherwise answer 429 to most of them.
      request: (body, headers) => ({ method: 'POST', path: '/api/admin/login', headers: { ...headers, 'x-test-ip': addressFor(typeof body === 'string' ? body : '') }, body }),
    }),
    runs: 250,
    extra: (c, a) => {
      if (a.status === 200) {
        const sent = JSON.parse(typeof c.req.body === 'string' ? c.req.body : '{}') as { email?: string; password?: string }
        if (sent.password !== PASSWORD || sent.email?.trim() !== ADMIN_ACCOUNT) throw new Error(`logged in without the password: ${c.label}`)
      }
    },
  }
  void world
  return specs
}

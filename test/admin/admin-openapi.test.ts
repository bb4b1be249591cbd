// The admin API in /api/openapi.json: every /api/admin route of the real composition is
// documented with its method and nothing else is; the document holds together (refs resolve,
// path parameters declared, schemas compile as JSON Schema 2020-12); the guard's answers
// match the security and 401/403 it documents; and real answers fit the documented schemas.
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAdminOnlyPath } from '../../bot/admin/kit.ts'
import { login, startAdmin, type AdminHarness } from './harness.ts'

type Json = Record<string, any>
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace']
const UNSAFE = new Set(['post', 'put', 'patch', 'delete'])
const DOC_ID = 'https://guichet.test/openapi.json'

let h: AdminHarness
let doc: Json
let ajv: InstanceType<typeof Ajv2020.default>
let admin: { cookie: string; csrf: string }
let editor: { cookie: string; csrf: string }

beforeAll(async () => {
  h = await startAdmin()
  const res = await h.app.request('/api/openapi.json')
  expect(res.status).toBe(200)
  doc = (await res.json()) as Json
  ajv = new Ajv2020.default({ strict: false, allErrors: true, validateSchema: false })
  addFormats.default(ajv)
  ajv.addSchema({ ...doc, $id: DOC_ID })
  await h.createUser('admin@guichet.test', 'admin')
  await h.createUser('editor@guichet.test', 'editor')
  admin = await login(h.app, 'admin@guichet.test')
  editor = await login(h.app, 'editor@guichet.test')
})
afterAll(() => h.dispose())

/** Hono's `:id` → OpenAPI's `{id}`. */
const toOpenApi = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')
const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`

function documentedAdminOperations(): { path: string; method: string; op: Json }[] {
  return Object.entries(doc.paths as Record<string, Json>)
    .filter(([path]) => path.startsWith('/api/admin'))
    .flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((method) => ({ path, method, op: item[method] as Json })))
}

/** Checks a body against the schema documented for this operation and status. */
function fits(path: string, method: string, status: number, body: unknown): void {
  const response = doc.paths[path]?.[method]?.responses?.[String(status)] as Json | undefined
  if (!response) throw new Error(`${method.toUpperCase()} ${path}: ${status} not documented`)
  const at = typeof response.$ref === 'string' ? `${response.$ref}/content/application~1json/schema` : pointer('paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema')
  const validate = ajv.compile({ $ref: `${DOC_ID}${at}` })
  if (!validate(body)) throw new Error(`${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)}`)
}

const call = (path: string, init: { method?: string; who?: { cookie: string; csrf: string }; csrf?: boolean; body?: unknown } = {}) => {
  const headers: Record<string, string> = {}
  if (init.who) headers['cookie'] = init.who.cookie
  if (init.who && init.csrf !== false) headers['x-csrf-token'] = init.who.csrf
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  return h.app.request(path, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) })
}
/** A concrete URL for a documented path. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '1')

describe('the admin API in the OpenAPI document', () => {
  it('documents every /api/admin route with its method, and nothing that is not routed', () => {
    const routed = new Set(h.admin.routes.filter((r) => r.path.startsWith('/api/admin') && r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${toOpenApi(r.path)}`))
    const documented = new Set(documentedAdminOperations().map((o) => `${o.method} ${o.path}`))
    expect(routed.size).toBeGreaterThan(20)
    expect([...routed].filter((k) => !documented.has(k)), 'routes missing from the document').toEqual([])
    expect([...documented].filter((k) => !routed.has(k)), 'documented operations that are not routed').toEqual([])
  })

  it('leaves the /admin HTML pages out, keeps the public paths and OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).filter((p) => p === '/admin' || p.startsWith('/admin/'))).toEqual([])
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/match', '/api/chat', '/api/programmes/{id}', '/api/health']))
    expect(doc.tags).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'admin' })]))
  })

  it('tags every admin operation admin, with cookie + CSRF security (login public) and the guard\'s 401/403', () => {
    expect(doc.components.securitySchemes.adminSession).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'guichet_admin' }))
    expect(doc.components.securitySchemes.csrfToken).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-csrf-token' }))
    for (const { path, method, op } of documentedAdminOperations()) {
      const at = `${method} ${path}`
      expect(op.tags, at).toEqual(['admin'])
      if (path === '/api/admin/login') {
        expect(op.security, at).toEqual([])
        expect(Object.keys(op.responses), at).toEqual(expect.arrayContaining(['200', '400', '401', '429']))
        continue
      }
      expect(op.security, at).toEqual([UNSAFE.has(method) ? { adminSession: [], csrfToken: [] } : { adminSession: [] }])
      expect(op.responses['401'], at).toBeTruthy()
      if (UNSAFE.has(method) || isAdminOnlyPath(path)) expect(op.responses['403'], at).toBeTruthy()
      else expect(op.responses['403'], at).toBeUndefined()
    }
  })

  it('holds together: refs resolve, path parameters are declared, operation ids are unique, schemas compile', () => {
    const resolve = (ref: string) => ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<any>((o, k) => o?.[k], doc)
    const refs: string[] = []
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === '$ref' && typeof x === 'string' ? refs.push(x) : walk(x))
    }
    walk(doc)
    expect(refs.filter((r) => !r.startsWith('#/') || resolve(r) === undefined), 'unresolved $ref').toEqual([])

    const ids: string[] = []
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
        const op = item[method] as Json
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path} responses`).toBeGreaterThan(0)
        const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path')
        expect(declared.map((p: Json) => p.name).sort(), `${method} ${path} path parameters`).toEqual([...templated].sort())
        for (const p of declared) expect(p.required, `${method} ${path} ${p.name}`).toBe(true)
        for (const s of op.security ?? []) for (const name of Object.keys(s)) expect(doc.components.securitySchemes[name], name).toBeTruthy()
        if (op.operationId) ids.push(op.operationId)
        const schemas = [
          ...(op.parameters ?? []).map((p: Json, i: number) => pointer('paths', path, method, 'parameters', String(i), 'schema')),
          ...Object.keys(op.requestBody?.content ?? {}).map((t) => pointer('paths', path, method, 'requestBody', 'content', t, 'schema')),
          ...Object.entries(op.responses as Json).flatMap(([status, r]) => Object.keys((r as Json).content ?? {}).map((t) => pointer('paths', path, method, 'responses', status, 'content', t, 'schema'))),
        ]
        for (const s of schemas) expect(() => ajv.compile({ $ref: `${DOC_ID}${s}` }), s).not.toThrow()
      }
    }
    expect(new Set(ids).size).toBe(ids.length)
    for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.compile({ $ref: `${DOC_ID}${pointer('components', 'schemas', name)}` }), name).not.toThrow()
  })

  it('the guard answers as documented: 401 without a session, 403 without CSRF, 403 for an editor on admin-only areas', async () => {
    for (const { path, method } of documentedAdminOperations()) {
      if (path === '/api/admin/login') continue
      const url = concrete(path)
      const anonymous = await call(url, { method: method.toUpperCase() })
      expect(anonymous.status, `${method} ${path} without session`).toBe(401)
      fits(path, method, 401, await anonymous.json())
      if (UNSAFE.has(method)) {
        const noCsrf = await call(url, { method: method.toUpperCase(), who: admin, csrf: false })
        expect(noCsrf.status, `${method} ${path} without CSRF`).toBe(403)
        fits(path, method, 403, await noCsrf.json())
      }
      if (isAdminOnlyPath(path)) {
        const res = await call(url, { method: method.toUpperCase(), who: editor })
        expect(res.status, `${method} ${path} as editor`).toBe(403)
        fits(path, method, 403, await res.json())
      }
    }
  })

  it('answers a body over the size limit with the documented 413, on every operation that takes one', async () => {
    const withBody = documentedAdminOperations().filter((o) => o.op.requestBody)
    expect(withBody.length).toBeGreaterThan(10)
    for (const { path, method, op } of withBody) {
      expect(op.responses['413'], `${method} ${path}`).toBeTruthy()
      // 1 MB for every body, 6 MB for an import.
      const size = path === '/api/admin/import' ? 6 * 1024 * 1024 + 1 : 1024 * 1024 + 1
      const headers: Record<string, string> = { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'x-test-ip': '10.9.9.7' }
      const res = await h.app.request(concrete(path), { method: method.toUpperCase(), headers, body: JSON.stringify({ text: 'x'.repeat(size) }) })
      expect(res.status, `${method} ${path}`).toBe(413)
      fits(path, method, 413, await res.json())
    }
  })

  it('real answers fit the documented schemas', async () => {
    const res = await h.app.request('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.9' }, body: JSON.stringify({ email: 'admin@guichet.test', password: 'nope' }) })
    expect(res.status).toBe(401)
    fits('/api/admin/login', 'post', 401, await res.json())
    const ok = await h.app.request('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.8' }, body: JSON.stringify({ email: 'editor@guichet.test', password: 'correct horse battery staple' }) })
    expect(ok.status).toBe(200)
    fits('/api/admin/login', 'post', 200, await ok.json())

    const get = async (path: string, url = path, status = 200) => {
      const r = await call(url, { who: admin })
      expect(r.status, url).toBe(status)
      const body = await r.json()
      fits(path, 'get', status, body)
      return body as Json
    }
    await get('/api/admin/me')
    expect(() => fits('/api/admin/me', 'get', 200, { account: { id: 'x' }, csrf: 1 })).toThrow(/must have required property|must be string/)
    const list = await get('/api/admin/programmes')
    await get('/api/admin/programmes', '/api/admin/programmes?crawlErrors=1&hidden=0&level=national')
    await get('/api/admin/programmes', '/api/admin/programmes?level=galactic', 400)
    const id = (list.programmes as Json[]).find((p) => p.source === 'curated')?.id as string
    expect(id).toBeTruthy()
    await get('/api/admin/programmes/{id}', `/api/admin/programmes/${id}`)
    await get('/api/admin/programmes/{id}', '/api/admin/programmes/nope', 404)
    await get('/api/admin/crawl/runs')
    await get('/api/admin/accounts')
    await get('/api/admin/alerts')
    await get('/api/admin/sources/pages')

    const put = await call(`/api/admin/programmes/${id}/override`, { method: 'PUT', who: admin, body: { patch: { statusNote: 'Vérifié pour le test' } } })
    expect(put.status).toBe(200)
    fits('/api/admin/programmes/{id}/override', 'put', 200, await put.json())
    const bad = await call(`/api/admin/programmes/${id}/override`, { method: 'PUT', who: admin, body: { patch: { id: 'x' } } })
    expect(bad.status).toBe(400)
    fits('/api/admin/programmes/{id}/override', 'put', 400, await bad.json())
    await get('/api/admin/audit', `/api/admin/audit?target=programme:${id}`)

    const created = await call('/api/admin/accounts', { method: 'POST', who: admin, body: { email: 'new@guichet.test', role: 'editor', password: 'a long enough password' } })
    expect(created.status).toBe(201)
    fits('/api/admin/accounts', 'post', 201, await created.json())

    const exported = await call(`/api/admin/export/programmes/${id}.yaml`, { who: admin })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-type')).toMatch(/application\/yaml/)
    const yaml = await exported.text()
    const tar = await call('/api/admin/export', { who: admin })
    expect(tar.headers.get('content-type')).toBe('application/x-tar')
    const dry = await call('/api/admin/import', { method: 'POST', who: admin, body: { files: [{ name: `content/programmes/${id}.yaml`, text: yaml }] } })
    expect(dry.status).toBe(200)
    fits('/api/admin/import', 'post', 200, await dry.json())
  })
})

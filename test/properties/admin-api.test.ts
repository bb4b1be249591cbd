// Property-based tests on the back office's public inputs (issue 15; the inventory is in
// public-api.test.ts): the JSON login (logIn: any body, any content type → no 5xx, a 400 names
// its field, a 200 only with the password), every other /api/admin operation without a live
// session (any cookie, CSRF header, body, query → 401 unauthorized, nothing else), and the pages
// the document leaves out: the login form (GET and POST /admin/login) and the unlock link
// (GET and POST /admin/unlock). Seeded as the others (FC_SEED, FC_RUNS: see world.ts).
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_COOKIE } from '../../bot/admin/auth.ts'
import { PASSWORD } from '../admin/harness.ts'
import { ADMIN_ACCOUNT, adminSpecs, guardedOperations } from './admin-specs.ts'
import { nastyString } from './arbitraries.ts'
import type { Spec } from './public-specs.ts'
import { assertCases, checkAnswer, fcParams, operation, RUNS_SCALE, SEED, startWorld, type Case, type World } from './world.ts'

let world: World
let specs: Record<string, Spec>
const timings: string[] = []

beforeAll(async () => {
  console.log(`admin properties: seed ${SEED} (FC_SEED=${SEED} to repeat), runs ×${RUNS_SCALE}`)
  world = await startWorld()
  await world.h.createUser(ADMIN_ACCOUNT, 'admin')
  specs = adminSpecs(world)
}, 60_000)
afterAll(async () => {
  console.log(timings.join('\n'))
  await world?.dispose()
})

async function timed(label: string, run: () => Promise<{ runs: number; statuses?: Record<number, number> }>): Promise<void> {
  const started = performance.now()
  const { runs, statuses } = await run()
  timings.push(`  ${label}: ${runs} runs in ${Math.round(performance.now() - started)} ms${statuses ? `, statuses ${JSON.stringify(statuses)}` : ''}`)
  expect(runs).toBeGreaterThan(0)
}

describe('the back office API', () => {
  it('logIn: any body, any content type — no 5xx, a 400 names its field, a 200 only with the password', () => timed('logIn', () => assertCases(world, operation('logIn'), specs['logIn']!.cases, specs['logIn']!.runs, specs['logIn']!.extra)), 120_000)

  it('every other operation, without a live session: 401 unauthorized and nothing else', async () => {
    const ops = guardedOperations()
    expect(ops.length).toBeGreaterThan(25)
    const started = performance.now()
    let total = 0
    for (const o of ops) {
      const spec = specs[o.id]!
      const { runs } = await assertCases(world, o, spec.cases, spec.runs, spec.extra)
      total += runs
    }
    timings.push(`  ${ops.length} guarded operations: ${total} runs in ${Math.round(performance.now() - started)} ms`)
  }, 120_000)
})

describe('the back office pages anyone can reach', () => {
  const printable = nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, ''))

  it('GET /admin/login: any erreur and minutes, always the page', () =>
    timed('GET /admin/login', async () => {
      let runs = 0
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('erreur', 'minutes', 'x'), nastyString.map((s) => s.slice(0, 300))), { maxLength: 4 }), async (query) => {
          const c: Case = { req: { method: 'GET', path: '/admin/login', query }, label: JSON.stringify(query).slice(0, 200) }
          const a = await checkAnswer(world, undefined, c, await world.send(c.req))
          expect(a.status, c.label).toBe(200)
          runs++
        }),
        fcParams(100),
      )
      return { runs }
    }), 60_000)

  it('POST /admin/login (the form): any form, cookie or not, any content type — a redirect or a CSRF refusal, never a 5xx', () =>
    timed('POST /admin/login', async () => {
      const page = await world.send({ method: 'GET', path: '/admin/login' })
      const token = /guichet_admin_login=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? ''
      await page.text()
      let runs = 0
      const statuses: Record<number, number> = {}
      const field = fc.oneof(fc.constant(undefined), nastyString.map((s) => s.slice(0, 600)))
      await fc.assert(
        fc.asyncProperty(
          fc.record({ email: fc.oneof(field, fc.constant(ADMIN_ACCOUNT)), password: fc.oneof(field, fc.constant(PASSWORD)), _csrf: fc.oneof(field, fc.constant(token)), extra: field }),
          fc.boolean(),
          fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=----x', 'multipart/form-data', 'text/plain', 'application/json', ''),
          fc.constantFrom('form', 'junk', 'empty'),
          async (values, withCookie, type, shape) => {
            const form = new URLSearchParams()
            for (const [k, v] of Object.entries(values)) if (v !== undefined) form.append(k, v)
            const body = shape === 'form' ? (type.startsWith('multipart') ? multipart(values) : form.toString()) : shape === 'junk' ? '--x\r\n\u0000%%%=&=' : ''
            const c: Case = { req: { method: 'POST', path: '/admin/login', headers: { ...(type ? { 'content-type': type } : {}), ...(withCookie ? { cookie: `${LOGIN_COOKIE}=${token}` } : {}), 'x-test-ip': '10.8.0.1' }, body }, label: `${shape} ${type} ${withCookie ? 'with' : 'without'} the cookie: ${JSON.stringify(values).slice(0, 200)}` }
            const a = await checkAnswer(world, undefined, c, await world.send(c.req))
            statuses[a.status] = (statuses[a.status] ?? 0) + 1
            // A redirect (logged in, or back to the form), the CSRF refusal, or a form that does not parse (400 naming the body).
            expect([303, 400, 403], c.label).toContain(a.status)
            if (a.status === 403) expect(a.json?.error?.code, c.label).toBe('csrf')
            if (a.status === 400) expect(a.json?.error?.field, c.label).toBe('body')
            runs++
          },
        ),
        fcParams(150),
      )
      return { runs, statuses }
    }), 60_000)

  it('GET and POST /admin/unlock: any token, any form, a page (200, 400, 404 or 410), never a 5xx', () =>
    timed('/admin/unlock', async () => {
      let runs = 0
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('GET', 'POST'), fc.option(nastyString.map((s) => s.slice(0, 2000)), { nil: undefined }), printable, fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=----x', 'multipart/form-data', 'text/plain'), async (method, token, junk, type) => {
          const form = type.startsWith('multipart') ? multipart({ token, junk }) : token !== undefined ? new URLSearchParams({ token, junk }).toString() : junk
          const c: Case =
            method === 'GET'
              ? { req: { method, path: '/admin/unlock', query: token !== undefined ? [['token', token]] : [] }, label: `GET token ${JSON.stringify(token)?.slice(0, 100)}` }
              : { req: { method, path: '/admin/unlock', headers: { 'content-type': type }, body: form }, label: `POST ${type} token ${JSON.stringify(token)?.slice(0, 100)}` }
          const a = await checkAnswer(world, undefined, c, await world.send(c.req))
          expect([200, 400, 404, 410], c.label).toContain(a.status)
          runs++
        }),
        fcParams(150),
      )
      return { runs }
    }), 60_000)
})

/** A multipart/form-data body with the boundary of the content type above (----x). */
function multipart(values: Record<string, string | undefined>): string {
  return `${Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `------x\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('')}------x--\r\n`
}

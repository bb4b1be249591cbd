import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'
import { isAdminOnlyPath } from '../../bot/admin/kit.ts'
import { readTar } from '../../bot/admin/tar.ts'
import { parseProgrammeFile } from '../../content/parse-programme-file.ts'
import { login, PASSWORD, startAdmin, type AdminHarness } from './harness.ts'

let h: AdminHarness
let admin: { cookie: string; csrf: string }
let editor: { cookie: string; csrf: string }

beforeAll(async () => {
  h = await startAdmin()
  await h.createUser('admin@ville.fr', 'admin')
  await h.createUser('editor@ville.fr', 'editor')
  admin = await login(h.app, 'admin@ville.fr')
  editor = await login(h.app, 'editor@ville.fr')
})
afterAll(() => h?.dispose())

const json = (s: { cookie: string; csrf: string }, method: string, body?: unknown) => ({
  method,
  headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})
const someProgramme = () => h.catalogue().all().find((p) => p.provenance.kind === 'curated' && p.calendar.editions.length > 0)!

describe('password hashing (scrypt)', () => {
  it('stores parameters and a random salt, verifies in constant time, rejects a wrong password', async () => {
    const hasher = createScryptHasher({ N: 1024 })
    const a = await hasher.hash('un mot de passe long')
    const b = await hasher.hash('un mot de passe long')
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/)
    expect(a).not.toBe(b)
    expect(await hasher.verify('un mot de passe long', a)).toBe(true)
    expect(await hasher.verify('un mot de passe lonG', a)).toBe(false)
    expect(await hasher.verify('x', 'garbage')).toBe(false)
  })
})

describe('login and sessions', () => {
  it('sets an HttpOnly SameSite=Strict cookie, stored hashed with an expiry', async () => {
    const res = await h.app.request('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.9' }, body: JSON.stringify({ email: 'admin@ville.fr', password: PASSWORD }) })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/; Secure/) // http://localhost is a secure context for browsers
    const id = cookie.split(';')[0]!.split('=')[1]!
    const rows = h.services.db.prepare('SELECT id_hash, expires_at FROM admin_sessions').all() as { id_hash: string; expires_at: string }[]
    expect(rows.some((r) => r.id_hash === id)).toBe(false)
    expect(rows.every((r) => r.expires_at > h.clock.now().toISOString())).toBe(true)
  })

  it('leaves Secure out only over plain http to a non-loopback host (a browser would drop the cookie)', async () => {
    const res = await h.app.request('http://intranet.mairie.local/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.7' }, body: JSON.stringify({ email: 'admin@ville.fr', password: PASSWORD }) })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/)
  })

  it('marks the cookie Secure over https or when GUICHET_PUBLIC_URL is https', async () => {
    const res = await h.app.request('https://guichet.example/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.8' }, body: JSON.stringify({ email: 'admin@ville.fr', password: PASSWORD }) })
    expect(res.headers.get('set-cookie')).toMatch(/Secure/)
    const secured = await startAdmin({ publicUrl: 'https://guichet.example' })
    try {
      await secured.createUser('a@b.fr', 'admin')
      const r = await secured.app.request('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.fr', password: PASSWORD }) })
      expect(r.headers.get('set-cookie')).toMatch(/; Secure/)
    } finally {
      secured.dispose()
    }
  })

  it('refuses a wrong password, then locks the account after 5 failures for 1 minute, even with the right password', async () => {
    await h.createUser('victim@ville.fr', 'editor')
    for (let i = 0; i < 5; i++) {
      const r = await login(h.app, 'victim@ville.fr', 'wrong password!', `10.1.0.${i}`)
      expect(r.status).toBe(401)
    }
    expect((await login(h.app, 'victim@ville.fr', PASSWORD, '10.1.1.1')).status).toBe(429)
    h.clock.advance(61_000)
    expect((await login(h.app, 'victim@ville.fr', PASSWORD, '10.1.1.1')).status).toBe(200)
    const audit = await h.stores.audit.list({ target: 'session' })
    expect(audit.some((e) => e.action === 'login.locked' && e.actor === 'victim@ville.fr')).toBe(true)
  })

  it('holds an address back after 20 failures across accounts, only for accounts that already failed', async () => {
    for (let i = 0; i < 20; i++) expect((await login(h.app, `nobody${Math.max(0, i - 1)}@ville.fr`, 'wrong password!', '10.2.2.2')).status).toBe(401)
    expect((await login(h.app, 'nobody0@ville.fr', 'wrong password!', '10.2.2.2')).status).toBe(429)
    // A colleague behind the same address, without failures of their own, still gets in.
    expect((await login(h.app, 'editor@ville.fr', PASSWORD, '10.2.2.2')).status).toBe(200)
    expect((await login(h.app, 'nobody0@ville.fr', 'wrong password!', '10.2.2.3')).status).toBe(401)
  })

  it('logs out: the session no longer works', async () => {
    const s = await login(h.app, 'editor@ville.fr', PASSWORD, '10.3.3.3')
    expect((await h.app.request('/api/admin/me', { headers: { cookie: s.cookie } })).status).toBe(200)
    expect((await h.app.request('/api/admin/logout', json(s, 'POST'))).status).toBe(200)
    expect((await h.app.request('/api/admin/me', { headers: { cookie: s.cookie } })).status).toBe(401)
  })

  it('the HTML login form needs its CSRF token (double submit) and then redirects to /admin', async () => {
    const page = await h.app.request('/admin/login')
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!
    const pre = page.headers.get('set-cookie')!.split(';')[0]!
    const form = (t: string) => new URLSearchParams({ _csrf: t, email: 'admin@ville.fr', password: PASSWORD })
    expect((await h.app.request('/admin/login', { method: 'POST', headers: { cookie: pre, 'x-test-ip': '10.4.4.4' }, body: form('forged') })).status).toBe(403)
    const ok = await h.app.request('/admin/login', { method: 'POST', headers: { cookie: pre, 'x-test-ip': '10.4.4.4' }, body: form(token) })
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/admin')
  })
})

describe('every admin route is guarded', () => {
  const sample = (path: string) => path.replace(/:id\b/g, 'x').replace(/\*$/, 'x')
  const routes = () => {
    const seen = new Set<string>()
    return h.admin.routes
      // Public: the login and the e-mailed unlock link (test/admin/lockout.test.ts).
      .filter((r) => r.method !== 'ALL' && !r.path.endsWith('/login') && r.path !== '/admin/unlock')
      .filter((r) => { const k = `${r.method} ${r.path}`; if (seen.has(k)) return false; seen.add(k); return true })
  }

  it('enumerates a reasonable set of routes', () => {
    expect(routes().length).toBeGreaterThan(20)
  })

  it('answers 401 (API) or 302 to the login page (pages) without a session', async () => {
    for (const r of routes()) {
      const res = await h.app.request(sample(r.path), { method: r.method, headers: { 'content-type': 'application/json' }, ...(r.method === 'GET' ? {} : { body: '{}' }) })
      if (r.path.startsWith('/api/') || r.method !== 'GET') expect(res.status, `${r.method} ${r.path}`).toBe(401)
      else {
        expect(res.status, `${r.method} ${r.path}`).toBe(302)
        expect(res.headers.get('location')).toBe('/admin/login')
      }
    }
  })

  it('answers 401 with a forged session cookie', async () => {
    for (const r of routes()) {
      const res = await h.app.request(sample(r.path), { method: r.method, headers: { cookie: 'guichet_admin=forged', accept: 'application/json' } })
      expect([401, 302], `${r.method} ${r.path}`).toContain(res.status)
    }
  })

  it('answers 403 to every state-changing route with a forged or missing CSRF token', async () => {
    for (const r of routes().filter((r) => r.method !== 'GET')) {
      const forged = await h.app.request(sample(r.path), { method: r.method, headers: { cookie: admin.cookie, 'x-csrf-token': 'forged', 'content-type': 'application/json' }, body: '{}' })
      expect(forged.status, `${r.method} ${r.path}`).toBe(403)
      const missing = await h.app.request(sample(r.path), { method: r.method, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=nope' })
      expect(missing.status, `${r.method} ${r.path}`).toBe(403)
      const other = await h.app.request(sample(r.path), { method: r.method, headers: { cookie: admin.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/json' }, body: '{}' })
      expect(other.status, `${r.method} ${r.path} (another session's token)`).toBe(403)
    }
  })

  it('refuses admin-only routes to an editor (403), with a valid CSRF token', async () => {
    const adminOnly = routes().filter((r) => isAdminOnlyPath(sample(r.path)))
    expect(adminOnly.length).toBeGreaterThanOrEqual(8)
    for (const r of adminOnly) {
      const res = await h.app.request(sample(r.path), json(editor, r.method, r.method === 'GET' ? undefined : {}))
      expect(res.status, `${r.method} ${r.path}`).toBe(403)
    }
  })

  it('shows an editor a French page (403) on an admin-only page, JSON on the API', async () => {
    const page = await h.app.request('/admin/alerts', { headers: { cookie: editor.cookie } })
    expect(page.status).toBe(403)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('réservée aux comptes administrateurs')
    const api = await h.app.request('/api/admin/alerts', { headers: { cookie: editor.cookie } })
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('forbidden')
  })

  it('forbids caching of every admin answer, signed in or not', async () => {
    for (const path of ['/admin', '/admin/login', '/api/admin/me', '/api/admin/programmes']) {
      expect((await h.app.request(path, { headers: { cookie: admin.cookie } })).headers.get('cache-control'), path).toBe('no-store')
      expect((await h.app.request(path)).headers.get('cache-control'), path).toBe('no-store')
    }
  })

  it('leaves the public app alone (no admin guard on /api/health)', async () => {
    expect((await h.app.request('/api/health')).status).toBe(200)
  })
})

describe('accounts', () => {
  it('an admin creates an editor (audited); weak passwords and bad roles are 400 naming the field', async () => {
    const bad = await h.app.request('/api/admin/accounts', json(admin, 'POST', { email: 'new@ville.fr', role: 'editor', password: 'short' }))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('password')
    const role = await h.app.request('/api/admin/accounts', json(admin, 'POST', { email: 'new@ville.fr', role: 'root', password: 'long enough password' }))
    expect(((await role.json()) as { error: { field: string } }).error.field).toBe('role')
    const ok = await h.app.request('/api/admin/accounts', json(admin, 'POST', { email: 'new@ville.fr', role: 'editor', password: 'long enough password' }))
    expect(ok.status).toBe(201)
    expect((await login(h.app, 'new@ville.fr', 'long enough password', '10.5.5.5')).status).toBe(200)
    const entries = await h.stores.audit.list({ target: 'account:new@ville.fr' })
    expect(entries[0]).toMatchObject({ actor: 'admin@ville.fr', action: 'account.create', after: { role: 'editor' } })
    expect(JSON.stringify(entries)).not.toMatch(/long enough/)
  })

  it('disabling an account ends its sessions', async () => {
    const s = await login(h.app, 'new@ville.fr', 'long enough password', '10.5.5.6')
    const id = (await h.stores.accounts.findByEmail('new@ville.fr'))!.id
    expect((await h.app.request(`/api/admin/accounts/${id}`, json(admin, 'PATCH', { disabled: true }))).status).toBe(200)
    expect((await h.app.request('/api/admin/me', { headers: { cookie: s.cookie } })).status).toBe(401)
  })
})

describe('programmes', () => {
  it('lists with filters', async () => {
    const all = (await (await h.app.request('/api/admin/programmes', { headers: { cookie: editor.cookie } })).json()) as { programmes: { id: string; level: string; source: string }[] }
    expect(all.programmes.length).toBe(h.catalogue().size)
    const eu = (await (await h.app.request('/api/admin/programmes?level=eu', { headers: { cookie: editor.cookie } })).json()) as { programmes: { level: string }[] }
    expect(eu.programmes.length).toBeGreaterThan(0)
    expect(eu.programmes.every((p) => p.level === 'eu')).toBe(true)
    const bad = await h.app.request('/api/admin/programmes?level=moon', { headers: { cookie: editor.cookie } })
    expect(bad.status).toBe(400)
  })

  it('rejects an invalid edit with 400 naming the field, and writes nothing', async () => {
    const p = someProgramme()
    const res = await h.app.request(`/api/admin/programmes/${p.id}/override`, json(editor, 'PUT', { patch: { calendar: { ...p.calendar, editions: [{ deadlines: ['31/12/2026'] }] } } }))
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { field: string } }
    expect(body.error.field).toBe('calendar.editions.0.deadlines.0')
    const unknown = await h.app.request(`/api/admin/programmes/${p.id}/override`, json(editor, 'PUT', { patch: { id: 'other' } }))
    expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe('id')
    const themes = await h.app.request(`/api/admin/programmes/${p.id}/override`, json(editor, 'PUT', { patch: { themes: ['pas-un-theme'] } }))
    expect(((await themes.json()) as { error: { field: string } }).error.field).toBe('themes.0')
    expect(await h.stores.overrides.get(p.id)).toBeUndefined()
  })

  it('the HTML form shows errors next to the field, linked with aria-describedby', async () => {
    const p = someProgramme()
    const form = new URLSearchParams({ _csrf: editor.csrf, name: p.name, summary: p.summary, themes: p.themes.join(','), calendarKind: p.calendar.kind, deadlines: 'demain', official: p.links.official })
    const res = await h.app.request(`/admin/programmes/${p.id}`, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(/id="f-deadlines"[^>]*aria-describedby="f-deadlines-hint f-deadlines-error"/)
    expect(html).toMatch(/id="f-deadlines-error" class="error">calendar\.editions\.\d+\.deadlines\.0/)
  })

  it('an override changes the served programme, is audited, and survives a reindex with a crawled duplicate', async () => {
    const p = someProgramme()
    const calendar = { kind: 'oneOff' as const, editions: [{ label: 'Édition admin', deadlines: ['2026-09-30'], estimated: false }] }
    const res = await h.app.request(`/api/admin/programmes/${p.id}/override`, json(editor, 'PUT', { patch: { calendar, name: `${p.name} (corrigé)` } }))
    expect(res.status).toBe(200)
    expect(h.catalogue().get(p.id)!.calendar.editions[0]!.deadlines).toEqual(['2026-09-30'])

    // A crawl brings a copy of the same programme (same official page) with other dates.
    const copy = { ...p, id: 'crawled-copy-of-it', name: p.name, calendar: { kind: 'oneOff' as const, editions: [{ deadlines: ['2026-04-01'], estimated: false }] }, provenance: { kind: 'crawled' as const, sourceId: 'demo-source', originUrl: p.links.official, fetchedAt: '2026-03-01T00:00:00Z' } }
    await h.services.crawler.store.recordSuccess({ sourceId: 'demo-source', runId: 'r1', at: '2026-03-01T00:00:00Z', rows: [{ programme: copy, dedupeKey: 'k', canonicalUrl: p.links.official, changed: true }], goneIds: [], events: [] })
    await h.reindex()
    expect(h.catalogue().get('crawled-copy-of-it')).toBeUndefined() // merged into the curated one
    const served = h.catalogue().get(p.id)!
    expect(served.name).toBe(`${p.name} (corrigé)`)
    expect(served.calendar.editions[0]!.deadlines).toEqual(['2026-09-30'])

    const detail = (await (await h.app.request(`/api/admin/programmes/${p.id}`, { headers: { cookie: editor.cookie } })).json()) as { curated: { name: string }; crawled: { sourceId: string }[]; override: { patch: { name: string } }; effective: { name: string } }
    expect(detail.curated.name).toBe(p.name)
    expect(detail.crawled.map((r) => r.sourceId)).toEqual(['demo-source'])
    expect(detail.override.patch.name).toBe(`${p.name} (corrigé)`)

    const audit = await h.stores.audit.list({ target: `programme:${p.id}` })
    expect(audit[0]).toMatchObject({ actor: 'editor@ville.fr', action: 'programme.override', before: { patch: {} }, after: { patch: { name: `${p.name} (corrigé)` } } })
  })

  it('an override on a crawled-only programme wins over a later crawl', async () => {
    const base = someProgramme()
    const crawled = { ...base, id: 'only-crawled', name: 'Appel collecté unique', links: { official: 'https://example.org/appel-unique' }, summary: 'Un appel collecté.', provenance: { kind: 'crawled' as const, sourceId: 'demo-source', originUrl: 'https://example.org/appel-unique', fetchedAt: '2026-03-01T00:00:00Z' } }
    const put = (name: string) => h.services.crawler.store.recordSuccess({ sourceId: 'demo-source', runId: name, at: '2026-03-01T00:00:00Z', rows: [{ programme: { ...crawled, name }, dedupeKey: 'unique-k', canonicalUrl: crawled.links.official, changed: true }], goneIds: [], events: [] })
    await put('Appel collecté unique')
    await h.reindex()
    expect(h.catalogue().get('only-crawled')).toBeDefined()
    expect((await h.app.request('/api/admin/programmes/only-crawled/override', json(editor, 'PUT', { patch: { summary: 'Résumé écrit par l\'équipe.' } }))).status).toBe(200)
    await put('Appel collecté unique (v2)')
    await h.reindex()
    expect(h.catalogue().get('only-crawled')).toMatchObject({ name: 'Appel collecté unique (v2)', summary: 'Résumé écrit par l\'équipe.' })
  })

  it('hides, republishes and verifies (who, when)', async () => {
    const p = someProgramme()
    expect((await h.app.request(`/api/admin/programmes/${p.id}/hide`, json(editor, 'POST', { hidden: true }))).status).toBe(200)
    expect(h.catalogue().get(p.id)).toBeUndefined()
    const hidden = (await (await h.app.request('/api/admin/programmes?hidden=1', { headers: { cookie: editor.cookie } })).json()) as { programmes: { id: string }[] }
    expect(hidden.programmes.map((x) => x.id)).toContain(p.id)
    await h.app.request(`/api/admin/programmes/${p.id}/hide`, json(editor, 'POST', { hidden: false }))
    expect(h.catalogue().get(p.id)).toBeDefined()
    await h.app.request(`/api/admin/programmes/${p.id}/verify`, json(editor, 'POST'))
    const o = await h.stores.overrides.get(p.id)
    expect(o).toMatchObject({ verifiedBy: 'editor@ville.fr', verifiedAt: h.clock.now().toISOString() })
    expect(h.catalogue().get(p.id)!.verifiedAt).toBe(h.clock.now().toISOString().slice(0, 10))
    const actions = (await h.stores.audit.list({ target: `programme:${p.id}` })).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['programme.hide', 'programme.unhide', 'programme.verify']))
  })

  it('the programme page shows curated / override / crawled / published values, a bot preview and the history', async () => {
    const p = someProgramme()
    const html = await (await h.app.request(`/admin/programmes/${p.id}`, { headers: { cookie: editor.cookie } })).text()
    expect(html).toContain('Valeurs par origine')
    expect(html).toContain('Aperçu dans le bot')
    expect(html).toContain('programme.override')
    expect(html).toContain('<label for="f-deadlines">')
  })
})

describe('crawl sources, export', () => {
  it('an admin disables a source and re-runs one (audited); the runs view answers', async () => {
    expect((await h.app.request('/api/admin/sources/demo-source', json(admin, 'PUT', { enabled: false }))).status).toBe(200)
    expect(await h.stores.settings.get('source:demo-source:enabled')).toBe('0')
    expect((await h.app.request('/api/admin/sources/demo-source/run', json(admin, 'POST'))).status).toBe(200)
    expect(h.runs).toEqual(['demo-source'])
    const view = (await (await h.app.request('/api/admin/crawl/runs', { headers: { cookie: editor.cookie } })).json()) as { sources: { sourceId: string; enabled: boolean }[] }
    expect(view.sources.find((s) => s.sourceId === 'demo-source')!.enabled).toBe(false)
    expect((await h.app.request('/admin/crawl', { headers: { cookie: editor.cookie } })).status).toBe(200)
    expect((await h.stores.audit.list({ target: 'source:demo-source' })).map((e) => e.action)).toEqual(['source.run', 'source.enabled'])
  })

  it('exports curated programmes with overrides as a tar of content/programmes/<id>.yaml files', async () => {
    const p = someProgramme()
    const res = await h.app.request('/api/admin/export', { headers: { cookie: editor.cookie } })
    expect(res.headers.get('content-type')).toBe('application/x-tar')
    const files = readTar(new Uint8Array(await res.arrayBuffer()))
    const file = files.find((f) => f.path === `content/programmes/${p.id}.yaml`)!
    expect(parseProgrammeFile(`${p.id}.yaml`, file.text).name).toMatch(/\(corrigé\)$/) // p is the served programme: override applied
    expect(file.text).toMatch(/^# Modifié dans Guichet par editor@ville\.fr/m)
  })
})

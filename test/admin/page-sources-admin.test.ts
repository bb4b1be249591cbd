// « Pages suivies » in the admin desk, through the real Node composition: the file source listed,
// a bad YAML refused naming the field (nothing stored), a save audited and used by the next crawl
// with no restart, and the test on the recorded or pasted page, whose content comes out escaped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_SOURCES_DIR } from '../../runtime/node/page-sources.ts'
import { login, startAdmin, type AdminHarness } from './harness.ts'

let h: AdminHarness
let admin: { cookie: string; csrf: string }
let editor: { cookie: string; csrf: string }
const replayDir = mkdtempSync(join(tmpdir(), 'guichet-page-replay-'))

const fileYaml = readFileSync(join(PAGE_SOURCES_DIR, 'departement-exemple.yaml'), 'utf8')
const recordedPage = readFileSync(join(PAGE_SOURCES_DIR, 'departement-exemple.recorded.html'), 'utf8')
const enabledYaml = fileYaml.replace('enabled: false', 'enabled: true')

beforeAll(async () => {
  h = await startAdmin()
  await h.createUser('admin@ville.fr', 'admin')
  await h.createUser('editor@ville.fr', 'editor')
  admin = await login(h.app, 'admin@ville.fr')
  editor = await login(h.app, 'editor@ville.fr')
  // The recorded page served in place of the (fictional) site.
  writeFileSync(join(replayDir, 'page.html'), recordedPage)
  writeFileSync(join(replayDir, 'manifest.json'), JSON.stringify({ entries: [{ url: 'https://www.departement-exemple.fr/aides/', headers: { 'content-type': 'text/html; charset=utf-8' }, file: 'page.html' }] }))
})
afterAll(() => {
  h?.dispose()
  rmSync(replayDir, { recursive: true, force: true })
})

const json = (s: { cookie: string; csrf: string }, method: string, body?: unknown) => ({
  method,
  headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})
const form = (s: { cookie: string; csrf: string }, fields: Record<string, string>) => ({
  method: 'POST',
  headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: s.csrf, ...fields }),
})
const stored = () => h.services.db.prepare('SELECT id, yaml, updated_by AS updatedBy FROM page_sources ORDER BY id').all() as { id: string; yaml: string; updatedBy: string }[]
type ErrorBody = { error: { field: string; issues: { field: string; message: string }[] } }

describe('the list', () => {
  it('shows the file source with its label, page, origin and state (page and API)', async () => {
    const api = (await (await h.app.request('/api/admin/sources/pages', json(admin, 'GET'))).json()) as { sources: Record<string, unknown>[] }
    expect(api.sources).toEqual([
      expect.objectContaining({ id: 'departement-exemple', url: 'https://www.departement-exemple.fr/aides/', enabled: false, origin: 'file', file: 'content/sources/departement-exemple.yaml', lastRun: null, error: null }),
    ])
    const page = await h.app.request('/admin/sources/pages', { headers: { cookie: admin.cookie } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('href="/admin/sources/pages/departement-exemple"')
    expect(html).toContain('<code>content/sources/departement-exemple.yaml</code>')
    expect(html).toContain('<label for="f-yaml">Configuration YAML</label>')
    const one = (await (await h.app.request('/api/admin/sources/pages/departement-exemple', json(admin, 'GET'))).json()) as { source: { yaml: string } }
    expect(one.source.yaml).toBe(fileYaml)
    expect((await h.app.request('/api/admin/sources/pages/inconnue', json(admin, 'GET'))).status).toBe(404)
  })

  it('is for admins only', async () => {
    expect((await h.app.request('/admin/sources/pages', { headers: { cookie: editor.cookie } })).status).toBe(403)
    expect((await h.app.request('/api/admin/sources/pages/departement-exemple', json(editor, 'PUT', { yaml: enabledYaml }))).status).toBe(403)
    expect(stored()).toEqual([])
  })
})

describe('saving', () => {
  it('refuses invalid YAML with 400 naming the field, and stores nothing', async () => {
    const bad = await h.app.request('/api/admin/sources/pages/departement-exemple', json(admin, 'PUT', { yaml: fileYaml.replace('name: h2', 'name: h2\n  colour: red') }))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as ErrorBody).error.field).toBe('fields.colour')
    const renamed = await h.app.request('/api/admin/sources/pages/departement-exemple', json(admin, 'PUT', { yaml: fileYaml.replace('id: departement-exemple', 'id: idf') }))
    expect(((await renamed.json()) as ErrorBody).error.field).toBe('id')
    const syntax = await h.app.request('/api/admin/sources/pages/departement-exemple', json(admin, 'PUT', { yaml: 'id: [' }))
    expect(((await syntax.json()) as ErrorBody).error.field).toBe('yaml')
    const body = await h.app.request('/api/admin/sources/pages/departement-exemple', json(admin, 'PUT', { yml: fileYaml }))
    expect(body.status).toBe(400)
    expect(stored()).toEqual([])
    expect(await h.stores.audit.list({ target: 'page-source:departement-exemple' })).toEqual([])
  })

  it('the form shows the errors beside the YAML (aria-describedby) and keeps what was typed', async () => {
    const typed = fileYaml.replace('level: departemental', 'level: cantonal')
    const res = await h.app.request('/admin/sources/pages/departement-exemple/save', form(admin, { yaml: typed, html: '' }))
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(/<textarea id="f-yaml"[^>]*aria-invalid="true"[^>]*aria-describedby="f-yaml-hint f-yaml-error"/)
    expect(html).toMatch(/<ul id="f-yaml-error" class="error" role="alert"><li><code>level<\/code> : /)
    expect(html).toContain('level: cantonal')
    expect(stored()).toEqual([])
  })

  it('a valid save is audited and used by the next crawl, with no restart', async () => {
    // The file keeps the example disabled: not crawled, not even on request.
    await expect(h.services.crawler.run({ onlySource: 'departement-exemple', replayDir })).rejects.toThrow(/source inconnue/)

    const res = await h.app.request('/admin/sources/pages/departement-exemple/save', form(admin, { yaml: enabledYaml, html: '' }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/sources/pages/departement-exemple?enregistree=1')
    expect(stored()).toEqual([{ id: 'departement-exemple', yaml: enabledYaml, updatedBy: 'admin@ville.fr' }])
    const audit = await h.stores.audit.list({ target: 'page-source:departement-exemple' })
    expect(audit).toEqual([expect.objectContaining({ actor: 'admin@ville.fr', action: 'page-source.save', before: { yaml: fileYaml }, after: { yaml: enabledYaml } })])

    const run = await h.services.crawler.run({ onlySource: 'departement-exemple', replayDir })
    expect(run.sources).toEqual([expect.objectContaining({ sourceId: 'departement-exemple', status: 'ok', programmes: 2, new: 2, recordErrors: 2 })])
    expect(h.catalogue().get('departement-exemple-renovation-ecoles')).toMatchObject({ name: 'Rénovation énergétique des écoles', funders: ['Département exemple'] })

    const api = (await (await h.app.request('/api/admin/sources/pages', json(admin, 'GET'))).json()) as { sources: Record<string, unknown>[] }
    expect(api.sources[0]).toMatchObject({ origin: 'admin', enabled: true, updatedBy: 'admin@ville.fr', lastRun: { status: 'ok', programmes: 2, recordErrors: 2 } })
    const page = await (await h.app.request('/admin/sources/pages/departement-exemple?enregistree=1', { headers: { cookie: admin.cookie } })).text()
    expect(page).toContain('Enregistrée : la collecte suivante utilise cette version.')
  })

  it('creates a new source (PUT answers 201, the form redirects), never with a coded source id', async () => {
    const yaml = enabledYaml.replace('id: departement-exemple', 'id: autre-page')
    const created = await h.app.request('/api/admin/sources/pages/autre-page', json(admin, 'PUT', { yaml }))
    expect(created.status).toBe(201)
    expect(((await created.json()) as { source: { origin: string; file: null } }).source).toMatchObject({ origin: 'admin', file: null })
    const viaForm = await h.app.request('/admin/sources/pages', form(admin, { yaml: yaml.replace('id: autre-page', 'id: troisieme-page'), html: '' }))
    expect(viaForm.status).toBe(303)
    const again = await h.app.request('/admin/sources/pages', form(admin, { yaml, html: '' }))
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('existe déjà')
    const coded = await h.app.request('/admin/sources/pages', form(admin, { yaml: yaml.replace('id: autre-page', 'id: culture'), html: '' }))
    expect(coded.status).toBe(400)
    expect(await coded.text()).toMatch(/<li><code>id<\/code> : /)
    expect(stored().map((r) => r.id)).toEqual(['autre-page', 'departement-exemple', 'troisieme-page'])
  })

  it('refuses a page on the cloud metadata address or on localhost, naming the field url (nothing stored)', async () => {
    const yaml = enabledYaml.replace('id: departement-exemple', 'id: page-interne')
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[::ffff:a9fe:a9fe]/', 'http://localhost./admin']) {
      const res = await h.app.request('/api/admin/sources/pages/page-interne', json(admin, 'PUT', { yaml: yaml.replace('https://www.departement-exemple.fr/aides/', url) }))
      expect(res.status, url).toBe(400)
      const body = (await res.json()) as ErrorBody
      expect(body.error.field, url).toBe('url')
      expect(body.error.issues[0]!.message, url).toMatch(/^adresse refusée : .*seules les adresses publiques sont admises$/)
    }
    const viaForm = await h.app.request('/admin/sources/pages', form(admin, { yaml: yaml.replace('https://www.departement-exemple.fr/aides/', 'http://169.254.169.254/'), html: '' }))
    expect(viaForm.status).toBe(400)
    expect(await viaForm.text()).toContain('métadonnées du nuage')
    expect(stored().map((r) => r.id)).not.toContain('page-interne')
  })
})

describe('testing on the recorded page', () => {
  it('parses the recorded page with the unsaved YAML: records, and record errors with their raw values', async () => {
    const unsaved = fileYaml.replace('deadline: .date-limite', 'deadline: .resume')
    const res = await h.app.request('/api/admin/sources/pages/test', json(admin, 'POST', { yaml: fileYaml }))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { page: string; records: { id: string; calendar: unknown }[]; errors: { field: string; raw: unknown }[] }
    expect(body.page).toBe('recorded')
    expect(body.records.map((r) => r.id)).toEqual(['departement-exemple-renovation-ecoles', 'departement-exemple-voirie-rurale'])
    expect(body.errors.map((e) => [e.field, e.raw])).toEqual([['deadline', '31/13/2026'], ['name', null]])
    const other = (await (await h.app.request('/api/admin/sources/pages/test', json(admin, 'POST', { yaml: unsaved }))).json()) as { records: { calendar: { editions: unknown[] } }[] }
    expect(other.records[0]!.calendar.editions).toEqual([])
    expect(stored().find((r) => r.id === 'departement-exemple')!.yaml).toBe(enabledYaml)
  })

  it('the page shows names, deadlines, themes, links and the errors with their raw values', async () => {
    const res = await h.app.request('/admin/sources/pages/departement-exemple/test', form(admin, { yaml: fileYaml, html: '' }))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('2 fiche(s) lue(s), 2 erreur(s) de fiche, sur la page enregistrée')
    expect(html).toContain('<td>Rénovation énergétique des écoles<br/><small>departement-exemple-renovation-ecoles</small></td><td>2026-10-15</td><td>renovation_energetique, ecoles</td>')
    expect(html).toContain('<a href="https://www.departement-exemple.fr/aides/renovation-ecoles/?utm_source=newsletter" rel="noopener noreferrer nofollow">')
    expect(html).toContain('<td>deadline</td><td>date impossible: 31/13/2026</td><td><pre>&quot;31/13/2026&quot;</pre></td>')
  })

  it('escapes everything that comes from the page, pasted or recorded', async () => {
    const hostile = `<html><body>
      <article class="aide"><h2><a href="/aides/piege/">&lt;script&gt;alert('nom')&lt;/script&gt; Aide piégée</a></h2>
        <p class="date-limite">&lt;img src=x onerror=alert(2)&gt;</p></article>
      <article class="aide"><h2><a href='javascript:"><script>alert(3)</script>'>Lien piégé</a></h2></article>
      <script>alert(4)</script></body></html>`
    const api = (await (await h.app.request('/api/admin/sources/pages/test', json(admin, 'POST', { yaml: fileYaml, html: hostile }))).json()) as { page: string; records: { name: string }[]; errors: { field: string; raw: unknown }[] }
    expect(api.page).toBe('pasted')
    expect(api.records.map((r) => r.name)).toEqual(['Aide piégée'])
    expect(api.errors.map((e) => e.raw)).toContain('javascript:"><script>alert(3)</script>')

    for (const path of ['/admin/sources/pages/test', '/admin/sources/pages/departement-exemple/test']) {
      const res = await h.app.request(path, form(admin, { yaml: fileYaml, html: hostile }))
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('sur la page collée')
      expect(html).not.toMatch(/<script|<img|href="javascript/i)
      expect(html).toContain('&lt;script&gt;alert(3)&lt;/script&gt;')
      expect(html).toContain('&lt;script&gt;alert(4)&lt;/script&gt;') // the pasted page, kept in its textarea
    }
  })

  it('asks for a page when none is recorded, and names the YAML field when the YAML is wrong', async () => {
    const none = await h.app.request('/api/admin/sources/pages/test', json(admin, 'POST', { yaml: enabledYaml.replace('id: departement-exemple', 'id: sans-page') }))
    expect(none.status).toBe(400)
    expect(((await none.json()) as ErrorBody).error.field).toBe('html')
    const bad = await h.app.request('/api/admin/sources/pages/test', json(admin, 'POST', { yaml: fileYaml.replace('url: https://', 'url: ftp://') }))
    expect(((await bad.json()) as ErrorBody).error.field).toBe('url')
    const notHtml = await h.app.request('/admin/sources/pages/departement-exemple/test', form(admin, { yaml: fileYaml, html: '{"aides": []}' }))
    expect(notHtml.status).toBe(400)
    expect(await notHtml.text()).toMatch(/id="f-html-error" class="error" role="alert">departement-exemple: page HTML attendue, reçu du JSON/)
  })
})

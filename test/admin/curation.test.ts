// Curation beyond single-field edits, through the real Node composition: the whole programme form
// (eligibility rules included), creating a curated programme, merging two duplicates (the loser
// redirects), the crawl-error and expired filters, and curation in git (tar export that unpacks
// into a loadable content/programmes folder, YAML import with a dry run then applied at once).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { programmeToForm } from '../../bot/admin/programme-form-map.ts'
import { readTar, writeTar } from '../../bot/admin/tar.ts'
import type { Programme } from '../../core/programme.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { REPLAY_DIR } from '../crawler/replay-server.ts'
import { asUser, login, startAdmin, type AdminHarness } from './harness.ts'

let h: AdminHarness
let editor: { cookie: string; csrf: string }

beforeAll(async () => {
  h = await startAdmin()
  await h.createUser('editor@ville.fr', 'editor')
  editor = await login(h.app, 'editor@ville.fr')
})
afterAll(() => h?.dispose())

const as = () => asUser(h, editor)
const json = (method: string, body?: unknown) => as().json(method, body)
const get = (path: string) => as().get(path)
const formBody = (values: Record<string, string | string[]>) => as().formBody(values)
const postForm = (path: string, values: Record<string, string | string[]>) => as().postForm(path, values)

describe('the whole programme form, eligibility rules included', () => {
  it('edits publics, a population threshold, the territory and stages; the matcher uses them', async () => {
    const p = h.catalogue().get('fonds_vert')!
    const v = programmeToForm(p)
    const res = await postForm('/admin/programmes/fonds_vert', {
      ...v,
      applicants: ['commune'],
      stages: ['travaux'],
      territoryLabel: 'Bourgogne-Franche-Comté',
      territoryRegions: '27',
      'pop.0.applicants': 'commune',
      'pop.0.max': '5000',
      'pop.0.zone': 'metro',
    })
    expect(res.status).toBe(303)
    const served = h.catalogue().get('fonds_vert')!
    expect(served.eligibility).toMatchObject({ applicants: ['commune'], stages: ['travaux'], territory: { label: 'Bourgogne-Franche-Comté', regions: ['27'] }, population: [{ applicants: ['commune'], zone: 'metro', max: 5000, maxInclusive: true }] })
    // Untouched fields stay out of the override: later crawls and file edits still reach them.
    expect(Object.keys((await h.stores.overrides.get('fonds_vert'))!.patch)).toEqual(['eligibility'])

    // Vézelay (89, Bourgogne-Franche-Comté, ~400 hab.) still gets it; Lyon (69, 500 000 hab.) no longer does.
    const at = async (commune: string) => ((await (await h.app.request(`/api/match?commune=${commune}&applicant=commune&q=${encodeURIComponent('rénovation énergétique école')}`)).json()) as { results: { id: string }[] }).results.map((r) => r.id)
    expect(await at('89446')).toContain('fonds_vert')
    expect(await at('69123')).not.toContain('fonds_vert')
  })

  it('a wrong threshold is refused next to its input, and nothing is written', async () => {
    const p = h.catalogue().get('detr')!
    const before = await h.stores.overrides.get('detr')
    const res = await postForm('/admin/programmes/detr', { ...programmeToForm(p), 'pop.0.max': 'beaucoup', territoryDepartements: '89, 999x' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(/id="f-pop\.0\.max"[^>]*aria-invalid="true"[^>]*aria-describedby="f-pop\.0\.max-error"/)
    expect(html).toMatch(/id="f-pop\.0\.max-error" class="error">eligibility\.population\.0\.max/)
    expect(html).toMatch(/id="f-territoryDepartements-error" class="error">eligibility\.territory\.departements\.1 : code de département attendu/)
    expect(html).toContain('value="beaucoup"') // what was typed is kept
    expect(await h.stores.overrides.get('detr')).toEqual(before)
  })
})

describe('previewing an edit', () => {
  it('shows the bot card with the typed values and writes nothing', async () => {
    const p = h.catalogue().get('dsil')!
    const before = await h.stores.overrides.get('dsil')
    const auditBefore = (await h.stores.audit.list({ target: 'programme:dsil' })).length
    const res = await postForm('/admin/programmes/dsil', { ...programmeToForm(p), _action: 'preview', calendarKind: 'oneOff', deadlines: '2026-10-02', rateMax: '45' })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('rien n&#39;est encore enregistré')
    const preview = html.slice(html.indexOf('aria-label="Aperçu"'))
    expect(preview).toMatch(/2 octobre 2026/)
    expect(preview).toMatch(/45 %/)
    expect(html).toContain('value="2026-10-02"') // the typed values stay in the form
    expect(await h.stores.overrides.get('dsil')).toEqual(before)
    expect((await h.stores.audit.list({ target: 'programme:dsil' })).length).toBe(auditBefore)
    expect(h.catalogue().get('dsil')!.calendar).toEqual(p.calendar)
  })
})

describe('a date typed where the bot would ignore it', () => {
  it('refuses a deadline on a permanent scheme, next to the field', async () => {
    const p = h.catalogue().get('aura_bonus_ruralite')!
    expect(p.calendar.kind).toBe('permanent')
    const res = await postForm('/admin/programmes/aura_bonus_ruralite', { ...programmeToForm(p), deadlines: '2026-07-01' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/id="f-deadlines-error" class="error">calendar\.editions : un guichet permanent n&#39;a pas de date limite/)
    expect(await h.stores.overrides.get('aura_bonus_ruralite')).toBeUndefined()
    // As a one-off call, the same date is taken.
    expect((await postForm('/admin/programmes/aura_bonus_ruralite', { ...programmeToForm(p), calendarKind: 'oneOff', deadlines: '2026-07-01' })).status).toBe(303)
    expect(h.catalogue().get('aura_bonus_ruralite')!.calendar).toMatchObject({ kind: 'oneOff', editions: [{ deadlines: ['2026-07-01'] }] })
  })
})

describe('two editors on the same programme', () => {
  it('the second save, based on the old version, is refused (409) naming who changed it; nothing is lost or written', async () => {
    await h.createUser('autre@ville.fr', 'editor')
    const other = await login(h.app, 'autre@ville.fr', undefined, '10.0.0.2')
    const id = 'actee_fnccr'
    const html = await (await get(`/admin/programmes/${id}`)).text()
    const version = /name="_version" value="([^"]*)"/.exec(html)![1]!
    const p = h.catalogue().get(id)!
    // The other editor saves first.
    const first = await h.app.request(`/admin/programmes/${id}`, { method: 'POST', headers: { cookie: other.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: (() => { const b = formBody({ ...programmeToForm(p), _version: version, statusNote: 'Corrigé par l\'autre éditeur.' }); b.set('_csrf', other.csrf); return b })() })
    expect(first.status).toBe(303)
    const second = await postForm(`/admin/programmes/${id}`, { ...programmeToForm(p), _version: version, statusNote: 'Ma version.' })
    expect(second.status).toBe(409)
    const text = await second.text()
    expect(text).toContain('modifiée entre-temps par autre@ville.fr')
    expect(text).toContain('Ma version.') // what I typed is still in the form
    expect(h.catalogue().get(id)!.statusNote).toBe('Corrigé par l\'autre éditeur.')
    // The API says the same with `version`, and takes the current one.
    const api = await h.app.request(`/api/admin/programmes/${id}/override`, json('PUT', { patch: { statusNote: 'API' }, version }))
    expect(api.status).toBe(409)
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('conflict')
    const current = ((await (await get(`/api/admin/programmes/${id}`)).json()) as { version: string }).version
    expect(current).not.toBe(version)
    expect((await h.app.request(`/api/admin/programmes/${id}/override`, json('PUT', { patch: { statusNote: 'API' }, version: current }))).status).toBe(200)
    // Two saves at the same instant (the test clock stands still) still have two versions.
    expect((await h.app.request(`/api/admin/programmes/${id}/override`, json('PUT', { patch: { statusNote: 'API 2' }, version: current }))).status).toBe(409)
  })
})

describe('creating a curated programme', () => {
  const created = {
    id: 'appel-voirie-yonne-test',
    name: 'Appel à projets voirie rurale (test)',
    funders: ['Département de l\'Yonne'],
    level: 'departemental',
    instruments: ['grant'],
    summary: 'Programme de test créé dans l\'administration.',
    themes: ['voirie'],
    eligibility: { applicants: ['commune'], territory: { label: 'Yonne', departements: ['89'] } },
    calendar: { kind: 'oneOff', editions: [{ deadlines: ['2026-06-30'] }] },
    links: { official: 'https://www.yonne.fr/aides/voirie-test' },
  }

  it('refuses a broken one naming the field, then creates it: served, matched, audited', async () => {
    const bad = await h.app.request('/api/admin/programmes', json('POST', { ...created, themes: ['routes'] }))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('themes.0')
    const taken = await h.app.request('/api/admin/programmes', json('POST', { ...created, id: 'detr' }))
    expect(((await taken.json()) as { error: { field: string; message: string } }).error).toMatchObject({ field: 'id', message: expect.stringContaining('existe déjà') })
    expect(h.catalogue().get(created.id)).toBeUndefined()

    const res = await h.app.request('/api/admin/programmes', json('POST', created))
    expect(res.status).toBe(201)
    expect(h.catalogue().get(created.id)).toMatchObject({ provenance: { kind: 'curated', sources: ['https://www.yonne.fr/aides/voirie-test'] } })
    const match = (await (await h.app.request(`/api/match?commune=89446&applicant=commune&q=${encodeURIComponent('voirie')}`)).json()) as { results: { id: string; calendar: { closesAt?: string } }[] }
    expect(match.results.find((r) => r.id === created.id)?.calendar.closesAt).toBe('2026-06-30')
    expect((await h.stores.audit.list({ target: `programme:${created.id}` }))[0]).toMatchObject({ actor: 'editor@ville.fr', action: 'programme.create' })
    // It survives a restart of the catalogue (stored in SQLite, reloaded at every reindex).
    await h.reindex()
    expect(h.catalogue().get(created.id)).toBeDefined()
  })

  it('creates one from the HTML form, errors next to the fields', async () => {
    const page = await (await get('/admin/nouveau-programme')).text()
    expect(page).toContain('<label for="f-id">Identifiant</label>')
    const bad = await postForm('/admin/nouveau-programme', { id: 'Pas Bon', name: 'X', summary: '', funders: 'Région', level: 'regional', instruments: ['grant'], themes: ['eau_assainissement'], applicants: ['commune'], calendarKind: 'permanent', official: 'https://example.org/x' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/id="f-id-error" class="error">id : identifiant en minuscules/)
    const ok = await postForm('/admin/nouveau-programme', { id: 'aide-eau-formulaire', name: 'Aide à l\'eau potable (formulaire)', summary: 'Créée depuis le formulaire.', funders: 'Région exemple', level: 'regional', instruments: ['grant'], themes: ['eau_assainissement'], applicants: ['commune', 'syndicat'], calendarKind: 'permanent', official: 'https://example.org/eau' })
    expect(ok.status).toBe(303)
    expect(h.catalogue().get('aide-eau-formulaire')).toMatchObject({ funders: ['Région exemple'], eligibility: { applicants: ['commune', 'syndicat'] } })
  })
})

describe('merging two duplicates', () => {
  const copy = (): Programme => {
    const d = h.catalogue().get('dsil')!
    return { ...d, id: 'dsil-relais', name: 'Soutien à l\'investissement local (relais)', links: { official: 'https://relais.example.org/dsil' }, provenance: { kind: 'crawled', sourceId: 'demo-source', originUrl: 'https://relais.example.org/dsil', fetchedAt: '2026-03-01T00:00:00+01:00' } }
  }

  it('takes the loser out, keeps its provenance on the winner, redirects its URL, and can be undone', async () => {
    await h.services.crawler.store.recordSuccess({ sourceId: 'demo-source', runId: 'm1', at: '2026-03-01T00:00:00Z', rows: [{ programme: copy(), dedupeKey: 'dsil-relais-k', canonicalUrl: 'https://relais.example.org/dsil', changed: true }], goneIds: [], events: [] })
    await h.reindex()
    expect(h.catalogue().get('dsil-relais')).toBeDefined() // not recognised automatically
    // …but offered to the editor as a likely duplicate, with the reasons.
    const hint = (await (await get('/api/admin/programmes/dsil-relais')).json()) as { duplicates: { id: string; why: string[] }[] }
    expect(hint.duplicates[0]).toMatchObject({ id: 'dsil', why: expect.arrayContaining([expect.stringContaining('titres proches')]) })
    expect(await (await get('/admin/programmes/dsil-relais')).text()).toContain('Fusionner cette fiche dans dsil')

    const self = await h.app.request('/api/admin/programmes/dsil-relais/merge', json('POST', { into: 'dsil-relais' }))
    expect(self.status).toBe(400)
    expect(((await self.json()) as { error: { field: string } }).error.field).toBe('into')

    expect((await h.app.request('/api/admin/programmes/dsil-relais/merge', json('POST', { into: 'dsil' }))).status).toBe(200)
    expect(h.catalogue().get('dsil-relais')).toBeUndefined()
    const moved = await h.app.request('/api/programmes/dsil-relais')
    expect(moved.status).toBe(301)
    expect(moved.headers.get('location')).toBe('/api/programmes/dsil')

    const winner = (await (await get('/api/admin/programmes/dsil')).json()) as { merged: { id: string; programme: Programme }[]; crawled: { sourceId: string; via: string }[] }
    expect(winner.merged.map((m) => m.id)).toEqual(['dsil-relais'])
    expect(winner.merged[0]!.programme.provenance).toMatchObject({ kind: 'crawled', originUrl: 'https://relais.example.org/dsil' })
    expect(winner.crawled).toContainEqual(expect.objectContaining({ sourceId: 'demo-source', via: 'dsil-relais' }))
    const page = await (await get('/admin/programmes/dsil')).text()
    expect(page).toContain('https://relais.example.org/dsil')

    // The merge survives a crawl of the loser's source.
    await h.services.crawler.store.recordSuccess({ sourceId: 'demo-source', runId: 'm2', at: '2026-03-02T00:00:00Z', rows: [{ programme: { ...copy(), name: 'DSIL relais v2' }, dedupeKey: 'dsil-relais-k', canonicalUrl: 'https://relais.example.org/dsil', changed: true }], goneIds: [], events: [] })
    await h.reindex()
    expect(h.catalogue().get('dsil-relais')).toBeUndefined()
    expect((await h.stores.audit.list({ target: 'programme:dsil-relais' })).map((e) => e.action)).toContain('programme.merge')

    expect((await h.app.request('/api/admin/programmes/dsil-relais/merge', json('DELETE'))).status).toBe(200)
    expect(h.catalogue().get('dsil-relais')).toBeDefined()
    expect((await h.app.request('/api/programmes/dsil-relais')).status).toBe(200)
  })
})

describe('crawl errors and expiry in the list', () => {
  it('a replay crawl: programmes with record errors are filtered, their raw value shown beside the error', async () => {
    const run = await h.services.crawler.run({ replayDir: REPLAY_DIR })
    const details = run.sources.flatMap((s) => (s.recordErrorDetails ?? []).map((d) => ({ ...d, sourceId: s.sourceId })))
    expect(details.length).toBeGreaterThan(0)
    const kept = details.filter((d) => d.programmeId)
    expect(kept.length).toBeGreaterThan(0)

    const listed = (await (await get('/api/admin/programmes?crawlErrors=1')).json()) as { programmes: { id: string; crawlErrors: number }[] }
    expect(listed.programmes.length).toBeGreaterThan(0)
    expect(listed.programmes.every((p) => p.crawlErrors > 0)).toBe(true)
    const all = (await (await get('/api/admin/programmes')).json()) as { programmes: unknown[] }
    expect(listed.programmes.length).toBeLessThan(all.programmes.length)

    const one = kept[0]!
    const id = h.services.catalogueIdOf(one.programmeId!)
    const detail = (await (await get(`/api/admin/programmes/${encodeURIComponent(id)}`)).json()) as { crawlErrors: { field: string; raw: string }[] }
    expect(detail.crawlErrors).toContainEqual(expect.objectContaining({ field: one.field, raw: one.raw }))
    const crawlPage = await (await get('/admin/crawl')).text()
    expect(crawlPage).toContain('Valeur brute')
  })

  it('filters the programmes whose calls are closed', async () => {
    const closed = (await (await get('/api/admin/programmes?expired=1')).json()) as { programmes: { status: string }[] }
    expect(closed.programmes.length).toBeGreaterThan(0)
    expect(closed.programmes.every((p) => p.status === 'closed')).toBe(true)
  })
})

describe('curation in git: export and import', () => {
  it('the export unpacks with tar into a folder the server loads', async () => {
    const res = await get('/api/admin/export')
    const dir = mkdtempSync(join(tmpdir(), 'guichet-export-'))
    try {
      writeFileSync(join(dir, 'export.tar'), new Uint8Array(await res.arrayBuffer()))
      execFileSync('tar', ['-xf', 'export.tar'], { cwd: dir })
      const loaded = loadCuratedProgrammes(join(dir, 'content/programmes'))
      expect(loaded.find((p) => p.id === 'fonds_vert')!.eligibility.territory?.regions).toEqual(['27'])
      expect(loaded.find((p) => p.id === 'appel-voirie-yonne-test')).toBeDefined()
      expect(loaded.length).toBeGreaterThanOrEqual(58)
      const one = await get('/api/admin/export/programmes/detr.yaml')
      expect(one.headers.get('content-type')).toMatch(/yaml/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an import shows a dry-run diff and changes nothing; applied, it changes only what differs', async () => {
    const detr = h.catalogue().get('detr')!
    const edited = { ...detr, calendar: { ...detr.calendar, editions: [...detr.calendar.editions.slice(0, -1), { label: 'Import', deadlines: ['2026-04-20'], estimated: false }] } }
    const fresh = { ...edited, id: 'nouvelle-aide-importee', name: 'Nouvelle aide importée (test)' }
    const tar = writeTar([
      { path: 'content/programmes/detr.yaml', text: stringify(edited) },
      { path: 'content/programmes/nouvelle-aide-importee.yaml', text: stringify(fresh) },
      { path: 'README.md', text: '# notes' },
    ], new Date())
    const dry = await h.app.request('/api/admin/import', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/x-tar' }, body: tar })
    expect(dry.status).toBe(200)
    const plan = (await dry.json()) as { dryRun: boolean; items: { id: string; action: string; changes: { field: string }[] }[]; skipped: string[] }
    expect(plan.dryRun).toBe(true)
    expect(plan.items.find((i) => i.id === 'detr')).toMatchObject({ action: 'update', changes: [{ field: 'calendar' }] })
    expect(plan.items.find((i) => i.id === 'nouvelle-aide-importee')!.action).toBe('create')
    expect(plan.skipped).toEqual(['README.md'])
    expect(h.catalogue().get('nouvelle-aide-importee')).toBeUndefined()
    expect(h.catalogue().get('detr')!.calendar).toEqual(detr.calendar)

    const html = await (await h.app.request('/admin/import', { method: 'POST', headers: { cookie: editor.cookie }, body: (() => { const f = new FormData(); f.set('_csrf', editor.csrf); f.set('mode', 'preview'); f.set('file', new File([tar], 'export.tar')); return f })() })).text()
    expect(html).toMatch(/Simulation : 2 programme\(s\) seraient créés ou modifiés/)
    expect(html).toContain('2026-04-20')
    const payload = /name="payload" value="([^"]+)"/.exec(html)![1]!
    const applied = await h.app.request('/admin/import', { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: editor.csrf, payload, mode: 'apply' }) })
    expect(await applied.text()).toMatch(/Import appliqué : 2 programme\(s\)/)
    expect(h.catalogue().get('detr')!.calendar.editions.at(-1)!.deadlines).toEqual(['2026-04-20'])
    expect(Object.keys((await h.stores.overrides.get('detr'))!.patch)).toEqual(['calendar'])
    expect(h.catalogue().get('nouvelle-aide-importee')).toBeDefined()
    expect((await h.stores.audit.list({ target: 'programme:detr' }))[0]).toMatchObject({ action: 'programme.import.update', actor: 'editor@ville.fr' })
  })

  it('one broken file and nothing is applied; the error names the file and the field', async () => {
    const dsil = h.catalogue().get('dsil')!
    const res = await h.app.request('/api/admin/import', json('POST', { dryRun: false, files: [
      { name: 'content/programmes/dsil.yaml', text: stringify({ ...dsil, summary: 'Résumé importé.' }) },
      { name: 'content/programmes/cassee.yaml', text: stringify({ ...dsil, id: 'cassee', level: 'planetaire' }) },
    ] }))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('content/programmes/cassee.yaml: level')
    expect(h.catalogue().get('dsil')!.summary).toBe(dsil.summary)
    expect(h.catalogue().get('cassee')).toBeUndefined()
  })

  it('takes one programme as a raw YAML body, named after its id', async () => {
    const yaml = await (await get('/api/admin/export/programmes/fonds_vert.yaml')).text()
    const res = await h.app.request('/api/admin/import', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/yaml' }, body: yaml })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { items: { id: string; action: string }[] }).items).toEqual([expect.objectContaining({ id: 'fonds_vert', action: 'unchanged', file: 'fonds_vert.yaml' })])
  })

  it('reads back what it writes (tar round trip)', () => {
    const files = [{ path: 'content/programmes/a.yaml', text: 'id: a\nname: é\n' }, { path: `content/programmes/${'x'.repeat(90)}.yaml`, text: '' }]
    expect(readTar(writeTar(files, new Date(0)))).toEqual(files)
  })
})

describe('paging, the audit log filters, accounts', () => {
  it('pages the programme list', async () => {
    const first = (await (await get('/api/admin/programmes?perPage=10')).json()) as { programmes: { id: string }[]; total: number; page: number }
    const second = (await (await get('/api/admin/programmes?perPage=10&page=2')).json()) as { programmes: { id: string }[]; total: number }
    expect(first.programmes).toHaveLength(10)
    expect(first.total).toBe(second.total)
    expect(first.total).toBeGreaterThan(20)
    expect(second.programmes.map((p) => p.id)).not.toContain(first.programmes[0]!.id)
    expect((await get('/api/admin/programmes?perPage=5000')).status).toBe(400)
    const html = await (await get('/admin?perPage=10')).text()
    expect(html).toMatch(/page 1 sur \d+/)
    expect(html).toContain('rel="next"')
  })

  it('filters the audit log by target, actor and action prefix, and pages back', async () => {
    const byTarget = (await (await get('/api/admin/audit?target=programme:detr')).json()) as { entries: { target: string; id: number }[] }
    expect(byTarget.entries.length).toBeGreaterThan(0)
    expect(byTarget.entries.every((e) => e.target === 'programme:detr')).toBe(true)
    const byActor = (await (await get('/api/admin/audit?actor=autre@ville.fr')).json()) as { entries: { actor: string }[] }
    expect(byActor.entries.length).toBeGreaterThan(0)
    expect(byActor.entries.every((e) => e.actor === 'autre@ville.fr')).toBe(true)
    const merges = (await (await get('/api/admin/audit?action=programme.m')).json()) as { entries: { action: string }[] }
    expect(merges.entries.map((e) => e.action)).toContain('programme.merge')
    expect(merges.entries.every((e) => e.action.startsWith('programme.m'))).toBe(true)
    const like = (await (await get('/api/admin/audit?action=%25')).json()) as { entries: unknown[] }
    expect(like.entries).toEqual([]) // % is a character here, not a wildcard
    const one = (await (await get('/api/admin/audit?limit=1')).json()) as { entries: { id: number }[] }
    const older = (await (await get(`/api/admin/audit?limit=1&beforeId=${one.entries[0]!.id}`)).json()) as { entries: { id: number }[] }
    expect(older.entries[0]!.id).toBeLessThan(one.entries[0]!.id)
  })

  it('keeps one active administrator; changes roles (audited)', async () => {
    await h.createUser('seul-admin@ville.fr', 'admin')
    const admins = (await h.stores.accounts.list()).filter((a) => a.role === 'admin')
    expect(admins).toHaveLength(1)
    const me = await login(h.app, 'seul-admin@ville.fr', undefined, '10.0.0.3')
    const asAdmin = (method: string, b: unknown) => ({ method, headers: { cookie: me.cookie, 'x-csrf-token': me.csrf, 'content-type': 'application/json' }, body: JSON.stringify(b) })
    const demote = await h.app.request(`/api/admin/accounts/${admins[0]!.id}`, asAdmin('PATCH', { role: 'editor' }))
    expect(demote.status).toBe(400)
    expect(((await demote.json()) as { error: { field: string; message: string } }).error).toMatchObject({ field: 'role', message: expect.stringContaining('dernier administrateur') })
    const disable = await h.app.request(`/api/admin/accounts/${admins[0]!.id}`, asAdmin('PATCH', { disabled: true }))
    expect(((await disable.json()) as { error: { field: string } }).error.field).toBe('disabled')
    const editorAccount = (await h.stores.accounts.list()).find((a) => a.email === 'editor@ville.fr')!
    expect((await h.app.request(`/api/admin/accounts/${editorAccount.id}`, asAdmin('PATCH', { role: 'admin' }))).status).toBe(200)
    expect((await h.stores.audit.list({ target: 'account:editor@ville.fr' }))[0]).toMatchObject({ action: 'account.update', before: { role: 'editor' }, after: { role: 'admin' } })
    // Now there are two: the first may step down.
    expect((await h.app.request(`/api/admin/accounts/${editorAccount.id}`, asAdmin('PATCH', { role: 'editor' }))).status).toBe(200)
  })

  it('changes my own password: wrong current refused, other sessions closed, this one goes on', async () => {
    const elsewhere = await login(h.app, 'autre@ville.fr', undefined, '10.0.0.4')
    const here = await login(h.app, 'autre@ville.fr', undefined, '10.0.0.5')
    const call = (s: { cookie: string; csrf: string }, b: unknown) => h.app.request('/api/admin/me/password', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: JSON.stringify(b) })
    const wrong = await call(here, { current: 'pas le bon', next: 'un tout nouveau mot de passe' })
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as { error: { field: string } }).error.field).toBe('current')
    const short = await call(here, { current: 'correct horse battery staple', next: 'court' })
    expect(((await short.json()) as { error: { field: string } }).error.field).toBe('next')
    const ok = await call(here, { current: 'correct horse battery staple', next: 'un tout nouveau mot de passe' })
    expect(ok.status).toBe(200)
    const fresh = { cookie: ok.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await ok.json()) as { csrf: string }).csrf }
    expect((await h.app.request('/api/admin/me', { headers: { cookie: elsewhere.cookie } })).status).toBe(401)
    expect((await h.app.request('/api/admin/me', { headers: { cookie: here.cookie } })).status).toBe(401)
    expect((await h.app.request('/api/admin/me', { headers: { cookie: fresh.cookie } })).status).toBe(200)
    expect((await login(h.app, 'autre@ville.fr', 'un tout nouveau mot de passe', '10.0.0.6')).status).toBe(200)
    expect((await login(h.app, 'autre@ville.fr', undefined, '10.0.0.7')).status).toBe(401)
    expect((await h.stores.audit.list({ target: 'account:autre@ville.fr', action: 'account.password' }))).toHaveLength(1)
  })
})

describe('body size limits', () => {
  it('refuses an oversized body with 413 before reading it, login included; an import may be larger', async () => {
    const big = JSON.stringify({ email: 'x@y.fr', password: 'p'.repeat(2 * 1024 * 1024) })
    const login = await h.app.request('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big })
    expect(login.status).toBe(413)
    const patch = JSON.stringify({ patch: { summary: 's'.repeat(1_200_000) } })
    const edit = await h.app.request('/api/admin/programmes/detr/override', { method: 'PUT', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/json', 'content-length': String(patch.length) }, body: patch })
    expect(edit.status).toBe(413)
    expect(((await edit.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
    // 1.5 MB of YAML files is a legitimate import (refused here for its content, not its size).
    const files = JSON.stringify({ dryRun: true, files: [{ name: 'content/programmes/gros.yaml', text: `id: gros\nkeywords: [${'a, '.repeat(500_000)}a]\n` }] })
    const imp = await h.app.request('/api/admin/import', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/json', 'content-length': String(files.length) }, body: files })
    expect(imp.status).toBe(400)
  })

  it('an admin resets a forgotten password: shown once, sessions ended, audited without it', async () => {
    const admin = (await h.stores.accounts.list()).find((a) => a.role === 'admin' && !a.disabled)!
    const me = await login(h.app, admin.email, undefined, '10.0.0.8')
    const target = (await h.stores.accounts.findByEmail('autre@ville.fr'))!
    const session = await login(h.app, 'autre@ville.fr', 'un tout nouveau mot de passe', '10.0.0.9')
    expect(session.status).toBe(200)
    const asEditor = await h.app.request(`/api/admin/accounts/${target.id}/password`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } })
    expect(asEditor.status).toBe(403)
    const res = await h.app.request(`/admin/accounts/${target.id}/password`, { method: 'POST', headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: me.csrf }) })
    expect(res.status).toBe(200)
    const temporary = /<code>([^<]+)<\/code>/.exec(await res.text())![1]!
    expect(temporary.length).toBeGreaterThanOrEqual(20)
    expect((await h.app.request('/api/admin/me', { headers: { cookie: session.cookie } })).status).toBe(401)
    expect((await login(h.app, 'autre@ville.fr', temporary, '10.0.0.10')).status).toBe(200)
    const entry = (await h.stores.audit.list({ target: 'account:autre@ville.fr', action: 'account.password_reset' }))[0]!
    expect(JSON.stringify(entry)).not.toContain(temporary)
  })

  it('rebuilds one at a time in call order: a change is never swapped out by an older rebuild', async () => {
    const order: string[] = []
    const older = h.reindex().then(() => order.push('older'))
    const o = (await h.stores.overrides.get('detr')) ?? { programmeId: 'detr', patch: {}, hidden: false, verifiedBy: null, verifiedAt: null, updatedBy: 'test', updatedAt: 'x' }
    await h.stores.overrides.put({ ...o, patch: { ...o.patch, statusNote: 'Changement pendant une reconstruction.' } })
    const newer = h.reindex().then(() => order.push('newer'))
    await Promise.all([older, newer])
    expect(order).toEqual(['older', 'newer'])
    expect(h.catalogue().get('detr')!.statusNote).toBe('Changement pendant une reconstruction.')
  })

  it('writes a change and its audit entry together or not at all', async () => {
    const editorAccount = (await h.stores.accounts.findByEmail('editor@ville.fr'))!
    const broken = { at: new Date().toISOString(), actor: null as unknown as string, action: 'account.update', target: 'account:editor@ville.fr', before: null, after: null }
    await expect(h.stores.curation.commit({ accountUpdates: [{ id: editorAccount.id, patch: { disabled: true } }], settings: [{ key: 'source:idf:enabled', value: '0', at: broken.at }], audit: [broken] })).rejects.toThrow()
    expect((await h.stores.accounts.get(editorAccount.id))!.disabled).toBe(false)
    expect(await h.stores.settings.get('source:idf:enabled')).toBeUndefined()
  })

  it('exports the page sources saved in the back office beside the programmes', async () => {
    const admin = (await h.stores.accounts.list()).find((a) => a.role === 'admin' && !a.disabled)!
    const me = await login(h.app, admin.email, undefined, '10.0.0.11')
    const headers = { cookie: me.cookie, 'x-csrf-token': me.csrf, 'content-type': 'application/json' }
    const file = ((await (await h.app.request('/api/admin/sources/pages/departement-exemple', { headers })).json()) as { source: { yaml: string } }).source.yaml
    const edited = file.replace('enabled: false', 'enabled: true')
    expect((await h.app.request('/api/admin/sources/pages/departement-exemple', { method: 'PUT', headers, body: JSON.stringify({ yaml: edited }) })).status).toBe(200)
    const files = readTar(new Uint8Array(await (await get('/api/admin/export')).arrayBuffer()))
    expect(files.find((f) => f.path === 'content/sources/departement-exemple.yaml')?.text).toBe(edited.endsWith('\n') ? edited : `${edited}\n`)
  })
})

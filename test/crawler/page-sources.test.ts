// The declarative page sources as the Node runtime loads them: content/sources/*.yaml (a broken
// file fails loudly, naming file and field), the back-office versions in SQLite (they win over the
// files), and the crawl sources built afresh from both.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ContentError } from '../../core/errors.ts'
import { createDeclarativeSource } from '../../crawler/declarative/parse.ts'
import { createNodePageSources, readPageSourceFiles } from '../../runtime/node/page-sources.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'
import { ctx, handWritten } from './helpers.ts'

const dirs: string[] = []
const dbs: Db[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function temp(files: Record<string, string> = {}): { dir: string; db: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-page-sources-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const db = openDatabase(join(dir, 'data'))
  dbs.push(db)
  return { dir, db }
}

const example = handWritten('example-page.yaml')
const loadError = (files: Record<string, string>): ContentError => {
  const { dir, db } = temp(files)
  try {
    createNodePageSources({ db, dir })
  } catch (err) {
    if (err instanceof ContentError) return err
    throw err
  }
  throw new Error('expected a ContentError')
}

describe('content/sources', () => {
  it('holds a disabled example whose recorded page parses into records and record errors', async () => {
    const files = readPageSourceFiles()
    expect(files.map((f) => f.name)).toContain('departement-exemple.yaml')
    const { db } = temp()
    const sources = createNodePageSources({ db })
    const entry = (await sources.get('departement-exemple'))!
    expect(entry).toMatchObject({ origin: 'file', file: 'departement-exemple.yaml', config: { enabled: false, url: 'https://www.departement-exemple.fr/aides/' } })
    expect(await sources.crawlSources()).toEqual([])
    const page = (await sources.recordedPage('departement-exemple'))!
    const { records, errors } = createDeclarativeSource(entry.config!).parse(page, ctx(entry.config!.url))
    expect(records.map((r) => r.id)).toEqual(['departement-exemple-renovation-ecoles', 'departement-exemple-voirie-rurale'])
    expect(errors.map((e) => [e.field, e.raw])).toEqual([['deadline', '31/13/2026'], ['name', null]])
    expect(await sources.recordedPage('../departement-exemple')).toBeUndefined()
  })
})

describe('loading page source files', () => {
  it('fails loudly on a broken file, naming the file and the field', () => {
    const err = loadError({ 'ma-page.yaml': example.replace('id: example-page', 'id: ma-page').replace('level: departemental', 'level: cantonal') })
    expect(err.file).toBe('ma-page.yaml')
    expect(err.issues.map((i) => i.field)).toEqual(['level'])
    expect(err.message).toMatch(/^ma-page\.yaml: level: /)
  })

  it('wants the id to be the file name, and no coded source id', () => {
    expect(loadError({ 'autre-nom.yaml': example }).issues).toEqual([{ field: 'id', message: expect.stringContaining('example-page') }])
    expect(loadError({ 'idf.yaml': example.replace('id: example-page', 'id: idf') }).issues).toEqual([{ field: 'id', message: expect.stringContaining('source programmée') }])
  })

  it('reports a YAML syntax error as the file, with no field', () => {
    expect(loadError({ 'x.yaml': 'id: [x\n' })).toMatchObject({ file: 'x.yaml', issues: [{ field: '', message: expect.stringContaining('YAML illisible') }] })
  })
})

describe('back-office versions', () => {
  it('win over the file, are crawled when enabled, and a broken stored version leaves the file in force', async () => {
    const { dir, db } = temp({ 'example-page.yaml': example.replace('fields:', 'enabled: false\nfields:') })
    const sources = createNodePageSources({ db, dir })
    expect(await sources.crawlSources()).toEqual([])

    const at = new Date('2026-03-01T09:00:00Z')
    const { before, after } = await sources.save({ yaml: example.replace('Département exemple – aides', 'Département exemple – toutes les aides'), expectedId: 'example-page', by: 'admin@ville.fr', at })
    expect(before).toMatchObject({ origin: 'file' })
    expect(after).toMatchObject({ origin: 'admin', file: 'example-page.yaml', updatedBy: 'admin@ville.fr', updatedAt: at.toISOString(), config: { enabled: true, label: 'Département exemple – toutes les aides aux communes' } })
    expect((await sources.crawlSources()).map((s) => s.plan.label)).toEqual(['Département exemple – toutes les aides aux communes'])

    // Nothing stored on a refusal: the id may not change, nor take a coded source's.
    await expect(sources.save({ yaml: example.replace('id: example-page', 'id: autre'), expectedId: 'example-page', by: 'a', at })).rejects.toMatchObject({ issues: [{ field: 'id' }] })
    await expect(sources.save({ yaml: example.replace('id: example-page', 'id: culture'), by: 'a', at })).rejects.toMatchObject({ issues: [{ field: 'id' }] })
    await expect(sources.save({ yaml: example, create: true, by: 'a', at })).rejects.toMatchObject({ issues: [{ field: 'id', message: expect.stringContaining('existe déjà') }] })
    expect((await sources.list()).map((e) => e.id)).toEqual(['example-page'])

    // A stored version the schema no longer accepts (written behind the desk's back).
    db.prepare('UPDATE page_sources SET yaml = ? WHERE id = ?').run(example.replace('level: departemental', 'level: cantonal'), 'example-page')
    const broken = (await sources.get('example-page'))!
    expect(broken.error).toMatch(/level/)
    expect(broken.config?.enabled).toBe(false)
    expect(await sources.crawlSources()).toEqual([])
  })

  it('can be new sources, created with no file', async () => {
    const { dir, db } = temp()
    const sources = createNodePageSources({ db, dir })
    await sources.save({ yaml: example.replace('id: example-page', 'id: nouvelle-page'), create: true, by: 'admin@ville.fr', at: new Date() })
    expect(await sources.list()).toEqual([expect.objectContaining({ id: 'nouvelle-page', origin: 'admin' })])
    expect(await sources.recordedPage('nouvelle-page')).toBeUndefined()
  })
})

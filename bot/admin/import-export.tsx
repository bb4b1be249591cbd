/** @jsxImportSource hono/jsx */
// Curation in git: the back office exports curated programmes (files and back-office ones) with
// their overrides as `content/programmes/<id>.yaml` (a tar that unpacks into the repository, or
// one file), and imports such files back — first as a dry run showing, field by field, what would
// change, then applied in one transaction (overrides for known programmes, new curated
// programmes for unknown ids), every change audited. One broken file and nothing is applied.
import type { Context } from 'hono'
import { Document, isScalar, parseAllDocuments, visit } from 'yaml'
import { z } from 'zod'
import type { Catalogue } from '../../content/catalogue.ts'
import { parseProgrammeFile } from '../../content/parse-programme-file.ts'
import { ContentError, ValidationError } from '../../core/errors.ts'
import { ProgrammeSchema, type Programme } from '../../core/programme.ts'
import { ADMIN_IMPORT_MAX_BYTES, formText, readAdminJson, readForm } from './body.ts'
import type { AdminKit, AdminModule, AdminEnv } from './kit.ts'
import { applyOverride, minimalPatch, validatePatch } from '../../content/overrides.ts'
import { OVERRIDABLE_FIELDS, type AuditEntry, type CreatedProgramme, type CurationStore, type OverrideStore, type ProgrammeOverride } from './ports.ts'
import { readTar, writeTar } from './tar.ts'
import { Layout } from './views.tsx'

export interface ImportExportDeps {
  baseCatalogue: () => Catalogue
  curated: () => readonly Programme[]
  created: () => readonly Programme[]
  redirects: () => ReadonlyMap<string, string>
  overrides: OverrideStore
  curation: CurationStore
  /** Page sources saved in the back office (`content/sources/<id>.yaml` in the export). */
  pageSources?: () => Promise<readonly { id: string; yaml: string }[]>
}

const MAX_IMPORT_BYTES = 5 * 1024 * 1024
/** The import page's form: a dry run's payload to apply, an uploaded file, or pasted YAML. */
const ImportForm = z.object({ payload: formText, yaml: formText, mode: formText, file: z.unknown().optional().transform((v) => (v instanceof File ? v : undefined)) })
const EXPORT_DIR = 'content/programmes'

// ---------------------------------------------------------------------------------------------
// YAML in the repository's style: short lists of scalars inline, long texts folded.

export function programmeYaml(p: Programme, header: string[]): string {
  const doc = new Document(ProgrammeSchema.parse(p))
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i) && String(i.value).length < 40) && node.items.map((i) => String((i as { value: unknown }).value)).join(', ').length <= 90) node.flow = true
    },
  })
  const body = doc.toString({ lineWidth: 100, minContentWidth: 40, blockQuote: 'folded' })
  return `${header.map((h) => `# ${h}`).join('\n')}\n${body}`
}

interface ExportEntry {
  programme: Programme
  origin: 'file' | 'back-office' | 'crawl'
  override?: ProgrammeOverride
}

async function exportEntries(deps: ImportExportDeps): Promise<ExportEntry[]> {
  const overrides = new Map((await deps.overrides.all()).map((o) => [o.programmeId, o]))
  const redirects = deps.redirects()
  const files = new Set(deps.curated().map((p) => p.id))
  const created = new Set(deps.created().map((p) => p.id))
  const out: ExportEntry[] = []
  for (const base of deps.baseCatalogue().all()) {
    const o = overrides.get(base.id)
    const origin = files.has(base.id) ? 'file' : created.has(base.id) ? 'back-office' : 'crawl'
    // A crawled programme goes to git only once an editor has corrected or verified it.
    if (origin === 'crawl' && !(o && (Object.keys(o.patch).length || o.verifiedAt))) continue
    if (redirects.has(base.id)) continue
    let p = base
    try { p = applyOverride(base, o) } catch { /* the override no longer fits: export what is served */ }
    if (p.provenance.kind === 'crawled') p = { ...p, provenance: { kind: 'curated', sources: [...new Set([p.provenance.originUrl, p.links.official])] } }
    out.push({ programme: p, origin, ...(o ? { override: o } : {}) })
  }
  return out
}

function headerOf(e: ExportEntry, day: string): string[] {
  const lines = [`${e.programme.name}.`]
  if (e.origin === 'back-office') lines.push('Créé dans l\'administration de Guichet.')
  if (e.origin === 'crawl') lines.push('Collecté puis corrigé dans l\'administration de Guichet.')
  if (e.override && Object.keys(e.override.patch).length) lines.push(`Modifié dans Guichet par ${e.override.updatedBy} (${e.override.updatedAt.slice(0, 10)}) : ${Object.keys(e.override.patch).join(', ')}.`)
  if (e.override?.hidden) lines.push('Masqué dans Guichet (non publié).')
  lines.push(`Exporté le ${day}.`)
  return lines
}

// ---------------------------------------------------------------------------------------------
// Import: files → a plan (per programme: create, update with the changed fields, unchanged), or errors.

export interface ImportFile {
  name: string
  text: string
}

export interface FieldChange {
  field: string
  before: unknown
  after: unknown
}

export interface ImportPlanItem {
  id: string
  file: string
  action: 'create' | 'update' | 'unchanged'
  changes: FieldChange[]
  /** Fields in the file that an import cannot change (provenance): left as they are. */
  ignored: string[]
}

export interface ImportPlan {
  items: ImportPlanItem[]
  /** Files of the archive that are not programme files (README, other folders). */
  skipped: string[]
}

/** The programme files of an upload: a tar archive, one YAML file, or several YAML documents. */
export function filesOfUpload(name: string | undefined, bytes: Uint8Array): ImportFile[] {
  const isTar = /\.tar$/i.test(name ?? '') || (bytes.length >= 512 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar')
  if (isTar) {
    let entries
    try {
      entries = readTar(bytes)
    } catch (err) {
      throw new ValidationError([{ field: 'file', message: (err as Error).message }])
    }
    return entries.map((e) => ({ name: e.path, text: e.text }))
  }
  return splitYaml(name, new TextDecoder().decode(bytes))
}

/**
 * One YAML text; several documents (`---`) each become `<id>.yaml`. A pasted text has no file
 * name: each document is named after its id (an uploaded file keeps its name, checked against the id).
 */
export function splitYaml(name: string | undefined, text: string): ImportFile[] {
  const docs = parseAllDocuments(text)
  if (!Array.isArray(docs) || docs.length <= 1) {
    const id = Array.isArray(docs) ? (docs[0]?.toJS() as { id?: unknown } | null | undefined)?.id : undefined
    const fileName = name && /\.ya?ml$/i.test(name) ? name : typeof id === 'string' ? `${id}.yaml` : 'programme.yaml'
    return [{ name: fileName, text }]
  }
  name ??= 'collé'
  return docs.map((d, i) => {
    const id = (d.toJS() as { id?: unknown } | null)?.id
    return { name: typeof id === 'string' ? `${id}.yaml` : `${name}#${i + 1}`, text: d.toString() }
  })
}

const isProgrammeFile = (path: string) => /\.ya?ml$/i.test(path) && (!path.includes('/') || /(^|\/)content\/programmes\/[^/]+$/.test(path))

export async function planImport(deps: ImportExportDeps, files: readonly ImportFile[]): Promise<ImportPlan> {
  const skipped = files.filter((f) => !isProgrammeFile(f.name)).map((f) => f.name)
  const wanted = files.filter((f) => isProgrammeFile(f.name))
  if (!wanted.length) throw new ValidationError([{ field: 'file', message: `aucun fichier de programme (${EXPORT_DIR}/<id>.yaml) dans l'envoi` }])
  const issues: { field: string; message: string }[] = []
  const seen = new Map<string, string>()
  const parsed: { file: string; programme: Programme }[] = []
  for (const f of wanted) {
    const base = f.name.replace(/^.*\//, '')
    try {
      const p = parseProgrammeFile(base, f.text)
      if (seen.has(p.id)) issues.push({ field: `${f.name}: id`, message: `« ${p.id} » figure deux fois (aussi dans ${seen.get(p.id)})` })
      seen.set(p.id, f.name)
      parsed.push({ file: f.name, programme: p })
    } catch (err) {
      if (!(err instanceof ContentError)) throw err
      for (const i of err.issues) issues.push({ field: `${f.name}${i.field ? `: ${i.field}` : ''}`, message: i.message })
    }
  }
  const redirects = deps.redirects()
  const overrides = new Map((await deps.overrides.all()).map((o) => [o.programmeId, o]))
  const items: ImportPlanItem[] = []
  for (const { file, programme } of parsed) {
    if (redirects.has(programme.id)) {
      issues.push({ field: `${file}: id`, message: `« ${programme.id} » est fusionné dans « ${redirects.get(programme.id)} » : importez plutôt ce programme` })
      continue
    }
    const base = deps.baseCatalogue().get(programme.id)
    if (!base) {
      items.push({ id: programme.id, file, action: 'create', changes: OVERRIDABLE_FIELDS.filter((k) => programme[k] !== undefined).map((k) => ({ field: k, before: undefined, after: programme[k] })), ignored: [] })
      continue
    }
    let current = base
    try { current = applyOverride(base, overrides.get(base.id)) } catch { /* compare with the base */ }
    const changes = OVERRIDABLE_FIELDS.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(programme[k])).map((k) => ({ field: k, before: current[k], after: programme[k] }))
    const ignored = JSON.stringify(current.provenance) !== JSON.stringify(programme.provenance) ? ['provenance'] : []
    // The patch must also hold against the base programme (schema refinements across fields).
    try {
      validatePatch(base, Object.fromEntries(OVERRIDABLE_FIELDS.map((k) => [k, programme[k] ?? null])))
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      for (const i of err.issues) issues.push({ field: `${file}: ${i.field}`, message: i.message })
      continue
    }
    items.push({ id: programme.id, file, action: changes.length ? 'update' : 'unchanged', changes, ignored })
  }
  if (issues.length) throw new ValidationError(issues)
  return { items, skipped }
}

export async function applyImport(deps: ImportExportDeps, files: readonly ImportFile[], actor: string, now: Date): Promise<ImportPlan> {
  const plan = await planImport(deps, files)
  const byId = new Map<string, Programme>()
  for (const f of files) {
    if (!isProgrammeFile(f.name)) continue
    const p = parseProgrammeFile(f.name.replace(/^.*\//, ''), f.text)
    byId.set(p.id, p)
  }
  const at = now.toISOString()
  const created: CreatedProgramme[] = []
  const overrides: ProgrammeOverride[] = []
  const audit: Omit<AuditEntry, 'id'>[] = []
  const existing = new Map((await deps.overrides.all()).map((o) => [o.programmeId, o]))
  for (const item of plan.items) {
    const p = byId.get(item.id)!
    if (item.action === 'create') {
      created.push({ programme: p, createdBy: actor, createdAt: at, updatedBy: actor, updatedAt: at })
      audit.push({ at, actor, action: 'programme.import.create', target: `programme:${p.id}`, before: null, after: p })
    } else if (item.action === 'update') {
      const base = deps.baseCatalogue().get(p.id)!
      const before = existing.get(p.id) ?? { programmeId: p.id, patch: {}, hidden: false, verifiedBy: null, verifiedAt: null, updatedBy: actor, updatedAt: at }
      const patch = minimalPatch(base, validatePatch(base, Object.fromEntries(OVERRIDABLE_FIELDS.map((k) => [k, p[k] ?? null]))))
      overrides.push({ ...before, patch, updatedBy: actor, updatedAt: at })
      audit.push({ at, actor, action: 'programme.import.update', target: `programme:${p.id}`, before: Object.fromEntries(item.changes.map((c) => [c.field, c.before])), after: Object.fromEntries(item.changes.map((c) => [c.field, c.after])) })
    }
  }
  if (created.length || overrides.length) await deps.curation.commit({ created, overrides, audit })
  return plan
}

// ---------------------------------------------------------------------------------------------
// Routes.

const ImportBodySchema = z.object({
  files: z.array(z.object({ name: z.string().min(1).max(300), text: z.string().max(MAX_IMPORT_BYTES) }).strict()).min(1, 'au moins un fichier').max(5000),
  dryRun: z.boolean().default(true),
}).strict()

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

function fromBase64(b64: string): string {
  const bin = atob(b64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new TextDecoder().decode(bytes)
}

export function importExportModule(deps: ImportExportDeps): AdminModule {
  return (app, kit: AdminKit) => {
    const today = () => kit.now().toISOString().slice(0, 10)

    app.get('/api/admin/export', async (c) => {
      const entries = await exportEntries(deps)
      const day = today()
      const files = entries.map((e) => ({ path: `${EXPORT_DIR}/${e.programme.id}.yaml`, text: programmeYaml(e.programme, headerOf(e, day)) }))
      // Page sources edited or created in the back office go to git too (as typed: their comments stay).
      for (const src of (await deps.pageSources?.()) ?? []) files.push({ path: `content/sources/${src.id}.yaml`, text: src.yaml.endsWith('\n') ? src.yaml : `${src.yaml}\n` })
      return c.body(writeTar(files, kit.now()), 200, { 'content-type': 'application/x-tar', 'content-disposition': `attachment; filename="guichet-programmes-${day}.tar"` })
    })
    app.get('/api/admin/export/programmes/:file', async (c) => {
      const id = c.req.param('file').replace(/\.ya?ml$/, '')
      const e = (await exportEntries(deps)).find((x) => x.programme.id === id)
      if (!e) return c.json({ error: { code: 'not_found', message: `Rien à exporter pour « ${id} » (programme inconnu, fusionné, ou collecté sans correction) / Nothing to export`, field: 'id' } }, 404)
      return c.body(programmeYaml(e.programme, headerOf(e, today())), 200, { 'content-type': 'application/yaml; charset=utf-8', 'content-disposition': `attachment; filename="${id}.yaml"` })
    })

    // JSON: { files: [{ name, text }], dryRun } — or a tar / YAML body (?apply=1 to apply).
    app.post('/api/admin/import', async (c) => {
      const type = c.req.header('content-type') ?? ''
      let files: ImportFile[]
      let dryRun: boolean
      if (type.startsWith('application/json')) {
        const body = await readAdminJson(c, ImportBodySchema, ADMIN_IMPORT_MAX_BYTES)
        files = body.files.flatMap((f) => splitYaml(f.name, f.text))
        dryRun = body.dryRun
      } else if (/application\/(x-tar|yaml|x-yaml)|text\/yaml/.test(type)) {
        const bytes = new Uint8Array(await c.req.arrayBuffer())
        if (bytes.length > MAX_IMPORT_BYTES) throw new ValidationError([{ field: 'file', message: 'envoi trop volumineux (5 Mo au plus)' }])
        files = filesOfUpload(type.includes('tar') ? 'upload.tar' : undefined, bytes)
        dryRun = c.req.query('apply') !== '1'
      } else {
        throw new ValidationError([{ field: 'content-type', message: 'application/json, application/x-tar ou application/yaml attendu' }])
      }
      if (dryRun) return c.json({ dryRun: true, ...(await planImport(deps, files)) })
      const plan = await applyImport(deps, files, c.get('account').email, kit.now())
      await kit.reindex()
      return c.json({ dryRun: false, ...plan })
    })

    app.get('/admin/import', (c) => c.html(importPage(c, {})))
    app.post('/admin/import', async (c) => {
      const form = await readForm(c, ImportForm)
      let files: ImportFile[]
      try {
        if (form.payload) {
          files = z.array(z.object({ name: z.string(), text: z.string() })).parse(JSON.parse(fromBase64(form.payload)))
        } else if (form.file && form.file.size > 0) {
          if (form.file.size > MAX_IMPORT_BYTES) throw new ValidationError([{ field: 'file', message: 'fichier trop volumineux (5 Mo au plus)' }])
          files = filesOfUpload(form.file.name, new Uint8Array(await form.file.arrayBuffer()))
        } else if (form.yaml.trim()) {
          files = splitYaml(undefined, form.yaml)
        } else {
          throw new ValidationError([{ field: 'file', message: 'choisissez un fichier (.yaml ou .tar) ou collez un YAML' }])
        }
        if (form.mode === 'apply') {
          const plan = await applyImport(deps, files, c.get('account').email, kit.now())
          await kit.reindex()
          return c.html(importPage(c, { plan, applied: true }))
        }
        return c.html(importPage(c, { plan: await planImport(deps, files), payload: toBase64(JSON.stringify(files)), yaml: form.yaml }))
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return c.html(importPage(c, { errors: err.issues, yaml: form.yaml }), 400)
      }
    })
  }
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 2))

function importPage(c: Context<AdminEnv>, s: { plan?: ImportPlan; payload?: string; applied?: boolean; errors?: { field: string; message: string }[]; yaml?: string }) {
  const csrf = c.get('csrf')
  const changed = s.plan?.items.filter((i) => i.action !== 'unchanged') ?? []
  const unchanged = (s.plan?.items.length ?? 0) - changed.length
  return (
    <Layout title="Import de programmes (YAML)" account={c.get('account')} csrf={csrf}>
      {s.errors ? (
        <div class="alert" role="alert" tabindex={-1} id="erreurs">
          <h2>Import refusé : rien n'a été modifié</h2>
          <ul>{s.errors.map((e) => <li><strong>{e.field}</strong> : {e.message}</li>)}</ul>
        </div>
      ) : null}
      {s.applied ? <p class="ok" role="status">Import appliqué : {changed.length} programme(s) créé(s) ou modifié(s), {unchanged} inchangé(s).</p> : null}
      {s.plan && !s.applied ? <p role="status">Simulation : {changed.length} programme(s) seraient créés ou modifiés, {unchanged} inchangé(s). Rien n'est enregistré tant que vous n'appliquez pas.</p> : null}
      {s.plan ? (
        <>
          {changed.map((i) => (
            <section class="card" aria-label={`${i.action === 'create' ? 'Création' : 'Modification'} de ${i.id}`}>
              <h2>{i.action === 'create' ? 'Nouveau programme' : 'Modification'} : <a href={`/admin/programmes/${encodeURIComponent(i.id)}`}>{i.id}</a> <small>({i.file})</small></h2>
              {i.ignored.length ? <p class="hint">Ignoré à l'import : {i.ignored.join(', ')}.</p> : null}
              <table>
                <thead><tr><th scope="col">Champ</th><th scope="col">Valeur actuelle</th><th scope="col">Valeur importée</th></tr></thead>
                <tbody>{i.changes.map((ch) => <tr><th scope="row">{ch.field}</th><td class="diff-del"><pre>{show(ch.before)}</pre></td><td class="diff-add"><pre>{show(ch.after)}</pre></td></tr>)}</tbody>
              </table>
            </section>
          ))}
          {s.plan.skipped.length ? <p class="hint">Fichiers ignorés (hors {EXPORT_DIR}) : {s.plan.skipped.join(', ')}</p> : null}
          {s.payload && changed.length ? (
            <form method="post" action="/admin/import">
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="payload" value={s.payload} />
              <input type="hidden" name="mode" value="apply" />
              <button type="submit">Appliquer ces {changed.length} changement(s)</button>
            </form>
          ) : null}
        </>
      ) : null}
      <h2>Envoyer des fichiers</h2>
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="card">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="mode" value="preview" />
        <label for="f-file">Fichier <code>.yaml</code> d'un programme ou archive <code>.tar</code> exportée (dossier {EXPORT_DIR})</label>
        <input id="f-file" name="file" type="file" accept=".yaml,.yml,.tar,application/x-tar,application/yaml" />
        <label for="f-yaml">Ou collez le YAML d'un ou plusieurs programmes (séparés par <code>---</code>)</label>
        <textarea id="f-yaml" name="yaml" rows={10}>{s.yaml ?? ''}</textarea>
        <button type="submit">Simuler l'import</button>
      </form>
    </Layout>
  )
}

// Admin overrides, applied on top of the merged catalogue (the precedence rule is in
// content/catalogue-service.ts): an override of a field wins over file and crawl alike. Stored apart from content and
// crawl, so every later crawl and reindex re-applies them. A hidden programme leaves the
// catalogue; a verified one carries the verification day.
import { createCatalogue, type Catalogue } from './catalogue.ts'
import { ProgrammeSchema, type Programme } from '../core/programme.ts'
import { ValidationError, zodIssues } from '../core/errors.ts'
import { OVERRIDABLE_FIELDS, type OverridePatch, type ProgrammeMerge, type ProgrammeOverride } from './curation.ts'

/** The programme as the bot shows it once the override applies (throws ValidationError if the result breaks the schema). */
export function applyOverride(base: Programme, o: Pick<ProgrammeOverride, 'patch' | 'verifiedAt'> | undefined): Programme {
  if (!o) return base
  const merged: Record<string, unknown> = { ...base, ...o.patch }
  for (const [k, v] of Object.entries(o.patch)) if (v === null) delete merged[k]
  if (o.verifiedAt) merged['verifiedAt'] = o.verifiedAt.slice(0, 10)
  const parsed = ProgrammeSchema.safeParse(merged)
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
  return parsed.data
}

/** Checks a patch: only overridable fields, and the result must pass the Programme schema. */
export function validatePatch(base: Programme, patch: Record<string, unknown>): OverridePatch {
  const unknown = Object.keys(patch).filter((k) => !(OVERRIDABLE_FIELDS as readonly string[]).includes(k))
  if (unknown.length) throw new ValidationError(unknown.map((k) => ({ field: k, message: 'champ non modifiable / field cannot be overridden' })))
  const merged = applyOverride(base, { patch: patch as OverridePatch, verifiedAt: null })
  const clean: Record<string, unknown> = {}
  for (const k of Object.keys(patch)) clean[k] = patch[k] === null ? null : (merged as Record<string, unknown>)[k]
  return clean as OverridePatch
}

/** Keeps only fields that differ from the base programme: equal values fall back to crawl/curated. */
export function minimalPatch(base: Programme, patch: OverridePatch): OverridePatch {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null ? (base as Record<string, unknown>)[k] !== undefined : JSON.stringify(v) !== JSON.stringify((base as Record<string, unknown>)[k])) out[k] = v
  }
  return out as OverridePatch
}

export interface OverlayResult {
  catalogue: Catalogue
  /** Overrides that no longer validate against their programme (kept in store, not applied). */
  rejected: { programmeId: string; error: string }[]
  /** Loser id → the winner it redirects to (chains followed; merges whose winner is gone are ignored). */
  redirects: Map<string, string>
}

/**
 * The redirects of a set of merges: each loser to its final winner (a winner later merged into
 * another follows it), cycles and winners absent from the catalogue ignored.
 */
export function resolveMerges(merges: readonly Pick<ProgrammeMerge, 'loserId' | 'winnerId'>[], exists: (id: string) => boolean): Map<string, string> {
  const next = new Map(merges.map((m) => [m.loserId, m.winnerId]))
  const out = new Map<string, string>()
  for (const loser of next.keys()) {
    let at = loser
    const seen = new Set([loser])
    while (next.has(at)) {
      at = next.get(at)!
      if (seen.has(at)) break
      seen.add(at)
    }
    if (at !== loser && !next.has(at) && exists(at)) out.set(loser, at)
  }
  return out
}

/**
 * Applies every override to a merged catalogue and takes merged losers out. `catalogueIdOf`
 * maps an override id that named a crawled duplicate to the catalogue id standing for it.
 */
export function overlayOverrides(base: Catalogue, overrides: readonly ProgrammeOverride[], catalogueIdOf: (id: string) => string = (id) => id, merges: readonly ProgrammeMerge[] = []): OverlayResult {
  const byId = new Map<string, ProgrammeOverride>()
  for (const o of overrides) byId.set(catalogueIdOf(o.programmeId), o)
  const redirects = resolveMerges(merges, (id) => base.get(id) !== undefined)
  const rejected: OverlayResult['rejected'] = []
  const out: Programme[] = []
  for (const p of base.all()) {
    const o = byId.get(p.id)
    if (o?.hidden || redirects.has(p.id)) continue
    try {
      out.push(applyOverride(p, o))
    } catch (err) {
      rejected.push({ programmeId: p.id, error: err instanceof Error ? err.message : String(err) })
      out.push(p)
    }
  }
  return { catalogue: createCatalogue({ curated: out }), rejected, redirects }
}

// Turns the territory parameters of a request into a collectivité profile, through the
// geography: an unknown name is a 404 with close suggestions, a homonym a 400 with choices.
import { COMMUNE_CODE, SIREN } from '../../core/codes.ts'
import { NotFoundError } from '../../core/errors.ts'
import { profileLabel, type Geography, type ResolveResult } from '../../core/geography/geography.ts'
import type { CollectiviteProfile, CollectiviteType } from '../../core/profile.ts'
import { AmbiguousError } from '../http-errors.ts'
import type { MatchQuery } from './match-query.ts'

const LABEL: Record<CollectiviteType, string> = { commune: 'Commune', epci: 'Intercommunalité', departement: 'Département', region: 'Région' }
type Field = 'commune' | 'epci' | 'departement' | 'region'

export function resolveProfile(geo: Geography, q: Pick<MatchQuery, Field>): CollectiviteProfile {
  const field = (['commune', 'epci', 'departement', 'region'] as const).find((k) => q[k] !== undefined)!
  const value = q[field]!
  const result = lookup(geo, field, value)
  if (result.kind === 'found') return result.profile
  if (result.kind === 'ambiguous') {
    const candidates = result.candidates.slice(0, 8)
    throw new AmbiguousError(
      `Plusieurs collectivités correspondent à « ${value} » : ${candidates.map(profileLabel).join(', ')}. Précisez le département, par exemple « ${candidates[0]!.name} (${candidates[0]!.departement?.code ?? ''}) ». / Ambiguous ${field}`,
      field,
      candidates.map((c) => ({ label: profileLabel(c), code: c.code, type: c.type })),
    )
  }
  const suggestions = result.suggestions.map((s) => ({ label: s.label, code: s.code }))
  const hint = suggestions.length ? ` Vouliez-vous dire ${suggestions.slice(0, 3).map((s) => s.label).join(', ')} ?` : ''
  throw new NotFoundError(`${LABEL[field]} introuvable : « ${value} ».${hint} / ${field} not found`, field, suggestions)
}

/** Each parameter only ever yields its own kind of collectivité. */
function lookup(geo: Geography, field: Field, value: string): ResolveResult {
  const only = (r: ResolveResult): ResolveResult => {
    if (r.kind === 'found') return r.profile.type === field ? r : { kind: 'notFound', suggestions: [] }
    if (r.kind === 'ambiguous') {
      const same = r.candidates.filter((c) => c.type === field)
      if (same.length === 1) return { kind: 'found', profile: same[0]! }
      return same.length ? { kind: 'ambiguous', candidates: same } : { kind: 'notFound', suggestions: [] }
    }
    return { kind: 'notFound', suggestions: r.suggestions.filter((s) => s.type === field) }
  }
  const single = (p: CollectiviteProfile | undefined): ResolveResult => (p ? { kind: 'found', profile: p } : only(geo.resolve(value)))
  switch (field) {
    case 'commune': {
      // A code is an INSEE code first (the API's documented form), then a postal code.
      if (COMMUNE_CODE.test(value.toUpperCase())) {
        const byInsee = geo.byCode(value, 'commune')
        if (byInsee) return { kind: 'found', profile: byInsee }
        const byPostal = geo.communesByPostalCode(value)
        if (byPostal.length === 1) return { kind: 'found', profile: byPostal[0]! }
        if (byPostal.length > 1) return { kind: 'ambiguous', candidates: byPostal }
        return { kind: 'notFound', suggestions: [] }
      }
      return only(geo.resolve(value))
    }
    case 'epci':
      return SIREN.test(value) ? single(geo.byCode(value, 'epci')) : only(geo.resolve(value))
    case 'departement':
      return single(geo.departement(value))
    case 'region':
      return single(geo.region(value))
  }
}

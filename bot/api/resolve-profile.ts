// Turns the territory parameters of a request into a collectivité profile, through the
// geography: an unknown name is a 404 with close suggestions, a homonym a 400 with choices.
import { NotFoundError } from '../../core/errors.ts'
import type { Geography, ResolveResult } from '../../core/geography/geography.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { AmbiguousError } from '../http-errors.ts'
import type { MatchQuery } from './match-query.ts'

const LABEL = { commune: 'Commune', epci: 'Intercommunalité', departement: 'Département', region: 'Région' } as const

export function resolveProfile(geo: Geography, q: Pick<MatchQuery, 'commune' | 'epci' | 'departement' | 'region'>): CollectiviteProfile {
  const field = (['commune', 'epci', 'departement', 'region'] as const).find((k) => q[k] !== undefined)!
  const value = q[field]!
  let result: ResolveResult
  if (field === 'departement') result = single(geo.departement(value))
  else if (field === 'region') result = single(geo.region(value))
  else result = geo.resolve(value)

  if (result.kind === 'found') {
    if (result.profile.type !== field && !(field === 'commune' && result.profile.type === 'commune')) {
      if (field === 'epci' && result.profile.type !== 'epci') {
        throw new NotFoundError(`${LABEL.epci} introuvable : « ${value} » / EPCI not found`, field, [])
      }
      if (field === 'commune') {
        throw new NotFoundError(`Commune introuvable : « ${value} » désigne ${describe(result.profile)} / Commune not found`, field, [])
      }
    }
    return result.profile
  }
  if (result.kind === 'ambiguous') {
    const labels = result.candidates.slice(0, 8).map(describe)
    throw new AmbiguousError(`Plusieurs collectivités s'appellent « ${value} » : ${labels.join(', ')}. Précisez le département. / Ambiguous name`, field, result.candidates.slice(0, 8).map((c) => ({ label: describe(c), code: c.code })))
  }
  const hint = result.suggestions.length ? ` Vouliez-vous dire ${result.suggestions.slice(0, 3).map((s) => s.label).join(', ')} ?` : ''
  throw new NotFoundError(`${LABEL[field]} introuvable : « ${value} ».${hint} / ${field} not found`, field, result.suggestions)
}

function single(p: CollectiviteProfile | undefined): ResolveResult {
  return p ? { kind: 'found', profile: p } : { kind: 'notFound', suggestions: [] }
}

export function describe(p: CollectiviteProfile): string {
  return p.type === 'commune' && p.departement ? `${p.name} (${p.departement.code})` : p.name
}

// The official Etalab geography (@etalab/decoupage-administratif), loaded once. The JSON is
// required by etalab-json.cjs (see there why not an ESM JSON import), with no file-system code,
// so this works the same under Node, tsx, vitest and a bundler.
import etalabData from './etalab-json.cjs'
import { createGeography, type Geography } from './geography.ts'

let geography: Geography | undefined

/** The Geography over the installed Etalab data, built on first call and shared afterwards. */
export function loadEtalabGeography(): Geography {
  geography ??= createGeography(etalabData)
  return geography
}

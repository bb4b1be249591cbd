// The Etalab JSON, loaded with require() on purpose:
// - Node's require parses JSON natively (~0.2 s for the 12 MB), where tsx and vitest would turn an
//   ESM JSON import into a JavaScript module (about 1 s under tsx, 7 s under vitest);
// - TypeScript reads etalab-json.d.cts instead of this file and never parses the JSON (a JSON
//   import from a .ts file costs tsc some 10 s and 800 MB on every typecheck);
// - no node:* import, and bundlers (esbuild, wrangler) inline required JSON.

module.exports = {
  communes: require('@etalab/decoupage-administratif/data/communes.json'),
  epci: require('@etalab/decoupage-administratif/data/epci.json'),
  departements: require('@etalab/decoupage-administratif/data/departements.json'),
  regions: require('@etalab/decoupage-administratif/data/regions.json'),
}

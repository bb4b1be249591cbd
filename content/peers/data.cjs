// The Fonds vert 2023 data file, loaded with require() for the reasons core/geography/etalab-json.cjs
// gives (native JSON parse under Node, no JSON import for tsc to read, inlined by esbuild and wrangler).
module.exports = require('./fonds-vert-2023.json')

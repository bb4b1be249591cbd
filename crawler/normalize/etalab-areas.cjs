// Départements and régions only (a few kB), required like core/geography/etalab-json.cjs does
// (see there why a .cjs require rather than an ESM JSON import); the communes are not needed here.
module.exports = {
  departements: require('@etalab/decoupage-administratif/data/departements.json'),
  regions: require('@etalab/decoupage-administratif/data/regions.json'),
}

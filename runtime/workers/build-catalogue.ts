// Build step of the Workers runtime (run by wrangler's [build] command): validates the curated
// YAML files and writes them as one JSON module the Worker bundles (Workers have no file system).
import { writeFileSync } from 'node:fs'
import { loadCuratedProgrammes } from '../node/load-content.ts'

const programmes = loadCuratedProgrammes()
const out = new URL('./catalogue.generated.json', import.meta.url)
writeFileSync(out, JSON.stringify(programmes))
console.log(`wrote ${programmes.length} programmes to ${out.pathname}`)

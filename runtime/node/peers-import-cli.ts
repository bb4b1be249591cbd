// `npm run peers:import -- <fichier.csv>`: the Fonds vert 2023 laureates CSV normalised
// (content/peers/import.ts) into content/peers/fonds-vert-2023.json, with what the import found
// (beneficiary types and the rules that gave them, communes unknown, names typed « other »).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import etalabData from '../../core/geography/etalab-json.cjs'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { dataFile, normaliseLaureates, readLaureates } from '../../content/peers/import.ts'

const HELP = `npm run peers:import -- <fichier.csv> [--out <fichier.json>] [--report]

  Normalise l'export des lauréats du Fonds vert 2023 (données publiques de l'État, « ; », UTF-8 ;
  voir content/peers/PROVENANCE.md) dans content/peers/fonds-vert-2023.json : codes INSEE complétés à
  5 caractères, montants en centimes, mesures rattachées aux thèmes de Guichet, bénéficiaires typés
  (commune, epci, syndicat, departement, other), population de la commune.
  --out     fichier écrit (par défaut content/peers/fonds-vert-2023.json)
  --report  affiche aussi les noms de bénéficiaires classés « other »
  --help    cette aide

Code de sortie : 0 réussi, 1 fichier illisible ou ligne invalide, 2 usage.
`

const DEFAULT_OUT = fileURLToPath(new URL('../../content/peers/fonds-vert-2023.json', import.meta.url))

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP); return 0 }
  const at = argv.indexOf('--out')
  const out = at >= 0 ? argv[at + 1] : DEFAULT_OUT
  const file = argv.find((a, i) => !a.startsWith('--') && !(at >= 0 && i === at + 1))
  if (!file || !out) { process.stderr.write(HELP); return 2 }
  try {
    const rows = readLaureates(readFileSync(file, 'utf8'))
    const communeSirens = new Set(etalabData.communes.flatMap((c) => (c.siren ? [c.siren] : [])))
    const geography = loadEtalabGeography()
    const { data, report } = normaliseLaureates(rows, geography, { isCommuneSiren: (s) => communeSirens.has(s), isEpciSiren: (s) => geography.epciBySiren(s) !== undefined })
    // One row a line: diffs stay readable, the file stays compact.
    const json = dataFile(data)
    writeFileSync(out, `{"source":${JSON.stringify(json.source)},"columns":${JSON.stringify(json.columns)},"rows":[\n${json.rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`)
    const { otherNames, ...figures } = report
    process.stdout.write(`${out}: ${data.length} projets\n${JSON.stringify(figures, null, 2)}\n`)
    if (argv.includes('--report')) for (const o of otherNames) process.stdout.write(`other  ${o.count}  ${o.name}\n`)
    return 0
  } catch (err) {
    process.stderr.write(`peers:import : ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

process.exitCode = main(process.argv.slice(2))

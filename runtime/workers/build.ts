// Build step of the Workers runtime (wrangler's [build] command, `npm run workers:build`): what a
// Worker cannot make at request time — it has no file system and cannot run esbuild — is made
// here and bundled as JSON modules: the validated curated catalogue, and the widget's script
// (the same esbuild bundle the Node server builds at its first request).
import { renameSync, writeFileSync } from 'node:fs'
import { buildWidgetScript } from '../../bot/channels/web/widget-bundle.ts'
import { loadCuratedProgrammes } from '../node/load-content.ts'

/** Written beside, then renamed: a test or a bundler reading the file meanwhile sees the old one or the new one, never half. */
function writeAtomically(url: URL, text: string): void {
  const temporary = new URL(`${url.pathname.split('/').at(-1)}.${process.pid}.tmp`, url)
  writeFileSync(temporary, text)
  renameSync(temporary, url)
}

export async function buildWorkersAssets(dir = new URL('./', import.meta.url)): Promise<{ programmes: number; widgetBytes: number }> {
  const programmes = loadCuratedProgrammes()
  writeAtomically(new URL('catalogue.generated.json', dir), JSON.stringify(programmes))
  const script = await buildWidgetScript()
  writeAtomically(new URL('widget.generated.json', dir), JSON.stringify({ script }))
  return { programmes: programmes.length, widgetBytes: Buffer.byteLength(script) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`npm run workers:build

  Construit ce que le Worker ne peut pas faire à la requête : le catalogue validé
  (runtime/workers/catalogue.generated.json) et le script du widget (widget.generated.json).
  wrangler le lance avant chaque \`wrangler dev\` ou \`wrangler deploy\` ([build] de wrangler.toml).
`)
    process.exit(0)
  }
  const built = await buildWorkersAssets()
  console.log(`wrote ${built.programmes} programmes and widget.js (${built.widgetBytes} bytes) to runtime/workers/`)
}

// Vitest global setup: the browser the browser tests drive, resolved once before any test file
// runs (so that parallel workers never unpack it at the same time). CHROMIUM_PATH, when set,
// names a system Chromium; otherwise the Chromium that @sparticuz/chromium ships inside its npm
// package (bin/chromium.br) is unpacked into the temp folder — a file of the installed package,
// never a download. Workers read the result from CHROMIUM_PATH.
import { existsSync } from 'node:fs'

export default async function setup(): Promise<void> {
  const named = process.env['CHROMIUM_PATH']
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names no file: ${named}`)
    return
  }
  const { default: chromium } = await import('@sparticuz/chromium')
  process.env['CHROMIUM_PATH'] = await chromium.executablePath()
}

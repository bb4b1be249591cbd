// Builds widget.js from widget/*.ts with esbuild: one minified IIFE, built once per process
// on first request. esbuild is loaded lazily through a computed specifier so that runtimes
// without it (Workers, where a prebuilt script is passed to widgetRoutes instead) never
// bundle or load it.
import type * as Esbuild from 'esbuild'

let built: Promise<string> | undefined

export function widgetScript(): Promise<string> {
  built ??= buildWidgetScript().catch((err: unknown) => {
    built = undefined
    throw err
  })
  return built
}

export async function buildWidgetScript(): Promise<string> {
  const specifier = 'esbuild'
  const esbuild = (await import(/* @vite-ignore */ specifier)) as typeof Esbuild
  const entry = decodeURIComponent(new URL('./widget/main.ts', import.meta.url).pathname)
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  })
  const file = out.outputFiles[0]
  if (!file) throw new Error('esbuild produced no widget.js')
  return `/* Guichet widget */\n${file.text}`
}

// GET /widget.js (the embeddable widget: cached an hour, strong ETag, gzip when accepted,
// loadable from any origin) and GET /demo (a sample town page embedding it in one line).
import { Hono, type Context } from 'hono'
import { renderDemoPage } from './demo-page.tsx'
import { widgetScript } from './widget-bundle.ts'

export interface WidgetRoutesOptions {
  /** The widget's JavaScript; built from widget/*.ts by esbuild by default. */
  script?: () => Promise<string>
}

interface Variant {
  body: Uint8Array
  etag: string
}

interface Asset {
  identity: Variant
  gzip: Variant
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('')
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

async function prepare(script: () => Promise<string>): Promise<Asset> {
  const text = new TextEncoder().encode(await script())
  const hash = await sha256(text)
  return { identity: { body: text, etag: `"${hash}"` }, gzip: { body: await gzip(text), etag: `"${hash}-gz"` } }
}

function acceptsGzip(c: Context): boolean {
  for (const part of (c.req.header('accept-encoding') ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    if (name.trim() !== 'gzip' && name.trim() !== '*') continue
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  }
  return false
}

function matches(ifNoneMatch: string | undefined, asset: Asset): boolean {
  if (!ifNoneMatch) return false
  const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''))
  return tags.includes('*') || tags.includes(asset.identity.etag) || tags.includes(asset.gzip.etag)
}

export function widgetRoutes({ script = widgetScript }: WidgetRoutesOptions = {}): Hono {
  const app = new Hono()
  let asset: Promise<Asset> | undefined

  app.get('/widget.js', async (c) => {
    asset ??= prepare(script).catch((err: unknown) => {
      asset = undefined
      throw err
    })
    const a = await asset
    const variant = acceptsGzip(c) ? a.gzip : a.identity
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      ETag: variant.etag,
      Vary: 'Accept-Encoding',
      // Embedded on other sites: the script must be loadable cross-origin (needs secureHeaders({ overwrite: false })).
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Allow-Origin': '*',
    }
    if (matches(c.req.header('if-none-match'), a)) return c.body(null, 304, headers)
    if (variant === a.gzip) headers['Content-Encoding'] = 'gzip'
    return c.body(variant.body as Uint8Array<ArrayBuffer>, 200, headers)
  })

  app.get('/demo', (c) => {
    const origin = new URL(c.req.url).origin
    return c.html(renderDemoPage({ origin, hostile: c.req.query('hostile') === '1' }))
  })

  return app
}

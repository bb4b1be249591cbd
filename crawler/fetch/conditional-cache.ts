// The store of validators behind conditional GETs: for each URL, the ETag / Last-Modified the
// server sent with the body we kept, so that an unchanged page costs a 304 and is read from here.
// SQLite in the Node runtime (runtime/node/sqlite-crawl-store.ts); a Map in tests and replays.

export interface CachedResponse {
  etag?: string
  lastModified?: string
  body: string
  contentType?: string
  /** ISO instant the body was stored. */
  storedAt: string
}

export interface ConditionalCache {
  get(url: string): Promise<CachedResponse | undefined>
  put(url: string, entry: CachedResponse): Promise<void>
}

export function createMemoryConditionalCache(): ConditionalCache & { readonly size: number } {
  const entries = new Map<string, CachedResponse>()
  return {
    get: async (url) => entries.get(url),
    put: async (url, entry) => {
      entries.set(url, entry)
    },
    get size() {
      return entries.size
    },
  }
}

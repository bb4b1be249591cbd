// The errors the polite fetcher adds to core/errors.ts, each carrying its policy. Beside them:
// SourceUnavailableError (network, timeout, 429, 5xx after the retries: try again at the next run).

/** A 4xx other than 429 (or a 304 with nothing cached): asking again would get the same answer. Never retried. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError'
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`HTTP ${status} pour ${url}`)
  }
}

/** robots.txt of the host disallows this URL for our user agent: not fetched, never retried. */
export class RobotsDisallowedError extends Error {
  override readonly name = 'RobotsDisallowedError'
  constructor(readonly url: string) {
    super(`interdit par robots.txt : ${url}`)
  }
}

// The widget's HTTP client: one POST /api/chat with a timeout, and errors that say whether
// trying again can help (network, timeout, 5xx, 429) or not (a 4xx about the request); and
// the retry loop that acts on them.
import type { ChatRequest, ChatResponse } from './types.ts'

export class ChatUnavailableError extends Error {
  override readonly name = 'ChatUnavailableError'
  readonly retryable = true
}

export class ChatRejectedError extends Error {
  override readonly name = 'ChatRejectedError'
  readonly retryable = false
}

export interface ChatClientOptions {
  /** Origin (or base URL) of the Guichet server, e.g. "https://guichet.example.fr". */
  api: string
  timeoutMs?: number
  fetch?: typeof fetch
}

export function createChatClient({ api, timeoutMs = 20_000, fetch: fetchImpl = (...a) => fetch(...a) }: ChatClientOptions) {
  const url = new URL('/api/chat', api).toString()
  return async function send(body: ChatRequest): Promise<ChatResponse> {
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), timeoutMs)
    let res: Response
    try {
      // No cookies: the session travels in the body, so the widget works from any origin.
      res = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit', signal: abort.signal })
    } catch (err) {
      throw new ChatUnavailableError(err instanceof Error ? err.message : 'network error')
    } finally {
      clearTimeout(timer)
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) throw new ChatUnavailableError(`HTTP ${res.status}`)
    if (!res.ok) throw new ChatRejectedError(`HTTP ${res.status}`)
    try {
      return (await res.json()) as ChatResponse
    } catch {
      throw new ChatUnavailableError('invalid JSON')
    }
  }
}

export type ChatClient = ReturnType<typeof createChatClient>

/** How a request ended after its retries: answered, refused for good (a 4xx), or the server still unavailable. */
export type RetryOutcome = 'answered' | 'rejected' | 'gave-up'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `attempt` until it completes, waiting `delaysMs[i]` after the i-th failure (the first
 * attempt is immediate); `onFirstFailure` runs once, before the first wait. A ChatRejectedError
 * ends it at once: trying again cannot help.
 */
export async function withRetries(attempt: () => Promise<void>, delaysMs: number[], onFirstFailure: () => void): Promise<RetryOutcome> {
  for (let i = 0; ; i++) {
    try {
      await attempt()
      return 'answered'
    } catch (err) {
      if (err instanceof ChatRejectedError) return 'rejected'
      if (i >= delaysMs.length) return 'gave-up'
      if (i === 0) onFirstFailure()
      await sleep(delaysMs[i]!)
    }
  }
}

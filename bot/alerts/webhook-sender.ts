// Signed webhooks: a JSON POST with X-Guichet-Timestamp (unix seconds) and
// X-Guichet-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>, the secret
// being the subscription's own (derived, returned once at creation), and Idempotency-Key (also
// X-Guichet-Delivery, and `deliveryId` in the signed body): the message id fixed in the ledger
// before the first attempt, the same on every retry — a receiver that has seen it drops the
// copy. Retried with backoff
// within a run (5xx, 408, 429, network); across runs the ledger retries. 410 Gone switches the
// channel off; another 4xx is the receiver's answer and is not retried within the run.
import { isBlockedDestination } from '../../core/outbound.ts'
import { ChannelGoneError, DeliveryFailedError, type WebhookSender } from './senders.ts'
import { hex, randomId, type HmacSha256 } from './tokens.ts'

export const SIGNATURE_HEADER = 'X-Guichet-Signature'
export const TIMESTAMP_HEADER = 'X-Guichet-Timestamp'
export const IDEMPOTENCY_HEADER = 'Idempotency-Key'

export async function signWebhook(hmac: HmacSha256, secret: string, timestamp: number, body: string): Promise<string> {
  return `sha256=${hex(await hmac(secret, `${timestamp}.${body}`))}`
}

export function createWebhookSender({
  fetch: fetchFn = fetch,
  hmac,
  secretFor,
  now = () => new Date(),
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  backoffMs = [1_000, 5_000],
  timeoutMs = 10_000,
}: {
  fetch?: typeof fetch
  hmac: HmacSha256
  secretFor: (subscriptionId: string) => Promise<string>
  /** Wall clock for the timestamp header (a receiver rejects stale ones). */
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
  /** Delays before the 2nd, 3rd… attempts; its length + 1 is the number of attempts. */
  backoffMs?: number[]
  timeoutMs?: number
}): WebhookSender {
  return {
    async send({ subscriptionId, url, deliveryId, body }) {
      const json = JSON.stringify(body)
      const secret = await secretFor(subscriptionId)
      let last: Error | undefined
      for (let attempt = 1; attempt <= backoffMs.length + 1; attempt++) {
        if (attempt > 1) await sleep(backoffMs[attempt - 2]!)
        const timestamp = Math.floor(now().getTime() / 1000)
        let status = 0
        try {
          const res = await fetchFn(url, {
            method: 'POST',
            redirect: 'manual',
            signal: AbortSignal.timeout(timeoutMs),
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Guichet-Alerts/1',
              [TIMESTAMP_HEADER]: String(timestamp),
              [SIGNATURE_HEADER]: await signWebhook(hmac, secret, timestamp, json),
              [IDEMPOTENCY_HEADER]: deliveryId,
              'X-Guichet-Delivery': deliveryId,
            },
            body: json,
          })
          status = res.status
          await res.body?.cancel().catch(() => {})
        } catch (err) {
          // The outbound guard refused the destination (private address after DNS, …): nothing was sent; not retried in this run.
          if (isBlockedDestination(err)) throw new DeliveryFailedError(`webhook refusé, rien n'a été envoyé : ${err.message}`)
          last = new DeliveryFailedError(`webhook unreachable: ${(err as Error).name}`)
          continue
        }
        if (status >= 200 && status < 300) return { status, attempts: attempt }
        if (status === 410) throw new ChannelGoneError(`webhook answered 410 Gone`, status)
        last = new DeliveryFailedError(`webhook answered ${status}`, status)
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) break
      }
      throw last ?? new DeliveryFailedError('webhook failed')
    },
  }
}

/**
 * The confirmation challenge: a webhook subscription is active only once its URL proved it
 * wants Guichet's posts. Guichet POSTs, signed exactly like a delivery (same headers, same
 * secret), `{"type":"confirmation","subscriptionId":…,"challenge":…}`; the receiver must answer
 * 2xx with the JSON `{"challenge":"<the same>"}`. One attempt, no redirect followed.
 */
export interface WebhookChallenge {
  subscriptionId: string
  url: string
}

export type ChallengeOutcome = { confirmed: true } | { confirmed: false; reason: string }

export type WebhookConfirmer = (challenge: WebhookChallenge) => Promise<ChallengeOutcome>

/** Longest answer read from a receiver: the echo is a few dozen bytes. */
const MAX_CHALLENGE_ANSWER_BYTES = 4096

export function createWebhookConfirmer({
  fetch: fetchFn = fetch,
  hmac,
  secretFor,
  now = () => new Date(),
  timeoutMs = 5_000,
  newChallenge = () => randomId(),
}: {
  fetch?: typeof fetch
  hmac: HmacSha256
  secretFor: (subscriptionId: string) => Promise<string>
  now?: () => Date
  timeoutMs?: number
  newChallenge?: () => string
}): WebhookConfirmer {
  return async ({ subscriptionId, url }) => {
    const challenge = newChallenge()
    const deliveryId = crypto.randomUUID()
    const json = JSON.stringify({ type: 'confirmation', subscriptionId, challenge, deliveryId })
    const timestamp = Math.floor(now().getTime() / 1000)
    let res: Response
    try {
      res = await fetchFn(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Guichet-Alerts/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: await signWebhook(hmac, await secretFor(subscriptionId), timestamp, json),
          [IDEMPOTENCY_HEADER]: deliveryId,
          'X-Guichet-Delivery': deliveryId,
        },
        body: json,
      })
    } catch (err) {
      if (isBlockedDestination(err)) return { confirmed: false, reason: err.message }
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError'
      return { confirmed: false, reason: timedOut ? `pas de réponse en ${timeoutMs / 1000} s` : 'URL injoignable' }
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {})
      return { confirmed: false, reason: `redirection (HTTP ${res.status}) : les redirections ne sont pas suivies, donnez l'URL finale` }
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => {})
      return { confirmed: false, reason: `le récepteur a répondu HTTP ${res.status} au défi de confirmation` }
    }
    const text = await readCapped(res, MAX_CHALLENGE_ANSWER_BYTES)
    let echoed: unknown
    try {
      echoed = text === undefined ? undefined : (JSON.parse(text) as { challenge?: unknown })?.challenge
    } catch {
      echoed = undefined
    }
    if (echoed !== challenge) return { confirmed: false, reason: 'réponse sans le défi : répondez 2xx avec le JSON {"challenge":"<valeur reçue>"}' }
    return { confirmed: true }
  }
}

/** The body as text, or undefined past `max` bytes. */
async function readCapped(res: Response, max: number): Promise<string | undefined> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > max) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    text += decoder.decode(value, { stream: true })
  }
  return text + decoder.decode()
}

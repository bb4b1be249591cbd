// Signed, URL-safe tokens for the links an alert carries: confirm (double opt-in), unsubscribe
// (one click, RFC 8058), manage (read and erase), ics (the calendar feed). Each names its
// purpose and its subscription, so a token for one never opens another. HMAC-SHA256 through
// an injected function: Web Crypto everywhere, node:crypto on Node (faster for the digest).

/** HMAC-SHA256 of `message` under `key`, raw bytes. */
export type HmacSha256 = (key: string, message: string) => Promise<Uint8Array>

const encoder = new TextEncoder()

/** Web Crypto HMAC (Node, Workers, browsers). Keys are imported once. */
export function webCryptoHmac(): HmacSha256 {
  const keys = new Map<string, Promise<CryptoKey>>()
  return async (key, message) => {
    let k = keys.get(key)
    if (!k) {
      k = crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      keys.set(key, k)
    }
    return new Uint8Array(await crypto.subtle.sign('HMAC', await k, encoder.encode(message)))
  }
}

export function base64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function hex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** A random URL-safe id (128 bits by default). */
export function randomId(bytes = 16): string {
  const buf = new Uint8Array(bytes)
  crypto.getRandomValues(buf)
  return base64url(buf)
}

export const TOKEN_PURPOSES = ['confirm', 'unsubscribe', 'manage', 'ics'] as const
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number]

const ID = /^[A-Za-z0-9_-]{8,64}$/

export interface TokenSigner {
  /** `expiresAt`: unix seconds; none for links that must keep working in old messages. */
  sign(purpose: TokenPurpose, subscriptionId: string, expiresAt?: number): Promise<string>
  /** The subscription id when the token is genuine, for this purpose and not expired; else undefined. */
  verify(token: string | undefined, purpose: TokenPurpose, nowSeconds: number): Promise<string | undefined>
  /** The secret a subscription's webhook is signed with: derived, so never stored. */
  webhookSecret(subscriptionId: string): Promise<string>
}

export function createTokenSigner({ secret, hmac = webCryptoHmac() }: { secret: string; hmac?: HmacSha256 }): TokenSigner {
  if (secret.length < 32) throw new Error('ALERTS_SECRET must be at least 32 characters')
  const mac = async (payload: string) => base64url(await hmac(secret, `guichet-alerts:v1:${payload}`))
  return {
    async sign(purpose, subscriptionId, expiresAt) {
      if (!ID.test(subscriptionId)) throw new Error('invalid subscription id')
      const payload = `${purpose}.${subscriptionId}.${expiresAt ? expiresAt.toString(36) : ''}`
      return `${payload}.${await mac(payload)}`
    },
    async verify(token, purpose, nowSeconds) {
      if (!token || token.length > 256) return undefined
      const parts = token.split('.')
      if (parts.length !== 4) return undefined
      const [p, id, exp, sig] = parts as [string, string, string, string]
      if (p !== purpose || !ID.test(id) || !/^[0-9a-z]*$/.test(exp)) return undefined
      if (!constantTimeEqual(sig, await mac(`${p}.${id}.${exp}`))) return undefined
      if (exp && parseInt(exp, 36) < nowSeconds) return undefined
      return id
    },
    async webhookSecret(subscriptionId) {
      return `whsec_${base64url(await hmac(secret, `guichet-alerts:webhook:${subscriptionId}`))}`
    },
  }
}

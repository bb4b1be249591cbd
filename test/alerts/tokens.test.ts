// Signed link tokens: bound to a purpose and a subscription, tamper-evident, expiring when
// asked, the same under Web Crypto and node:crypto; webhook secrets derived, never stored.
import { describe, expect, it } from 'vitest'
import { createTokenSigner, webCryptoHmac } from '../../bot/alerts/tokens.ts'
import { nodeHmac } from '../../runtime/node/alerts-services.ts'
import { SECRET } from './helpers.ts'

const id = 'AbCdEfGhIjKlMnOpQrStUv'
const now = 1_772_352_000

describe('tokens', () => {
  const signer = createTokenSigner({ secret: SECRET, hmac: nodeHmac })

  it('verify for their purpose and subscription only', async () => {
    const t = await signer.sign('unsubscribe', id)
    expect(t).toMatch(/^[A-Za-z0-9._-]+$/)
    expect(await signer.verify(t, 'unsubscribe', now)).toBe(id)
    expect(await signer.verify(t, 'manage', now)).toBeUndefined()
    expect(await signer.verify(t.replace(id, 'AbCdEfGhIjKlMnOpQrStUw'), 'unsubscribe', now)).toBeUndefined()
    expect(await signer.verify(`${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`, 'unsubscribe', now)).toBeUndefined()
    expect(await signer.verify(undefined, 'unsubscribe', now)).toBeUndefined()
    expect(await createTokenSigner({ secret: `${SECRET}x`, hmac: nodeHmac }).verify(t, 'unsubscribe', now)).toBeUndefined()
  })

  it('expire when given an expiry', async () => {
    const t = await signer.sign('confirm', id, now + 60)
    expect(await signer.verify(t, 'confirm', now)).toBe(id)
    expect(await signer.verify(t, 'confirm', now + 61)).toBeUndefined()
  })

  it('are the same under Web Crypto and node:crypto', async () => {
    const web = createTokenSigner({ secret: SECRET, hmac: webCryptoHmac() })
    expect(await web.sign('ics', id)).toBe(await signer.sign('ics', id))
    expect(await web.webhookSecret(id)).toBe(await signer.webhookSecret(id))
  })

  it('refuse a short secret', () => {
    expect(() => createTokenSigner({ secret: 'short' })).toThrow(/32/)
  })
})

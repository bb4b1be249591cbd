// A source's credentials, from the env var names its plan declares to the headers of its
// requests. Values come from the runtime (config), never from process.env here. A source whose
// credentials are missing is not fetched: the runner records it as skipped, naming the variables.
import { ParseError } from '../core/errors.ts'
import type { PoliteFetch } from './fetch/polite-fetch.ts'
import type { AuthNeed } from './types.ts'

export type Credentials = Readonly<Record<string, string | undefined>>

/** The env var names a plan's auth reads. */
export function credentialNames(auth: AuthNeed): string[] {
  switch (auth.kind) {
    case 'none':
      return []
    case 'headers':
      return Object.values(auth.headers)
    case 'token-exchange':
      return [auth.keyEnv]
    case 'basic':
      return [auth.userEnv, auth.passwordEnv]
  }
}

export function missingCredentials(auth: AuthNeed, credentials: Credentials): string[] {
  return credentialNames(auth).filter((name) => !credentials[name]?.trim())
}

function base64Utf8(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * The headers every request of the source carries. Aides-territoires: POST the API key to get a
 * JWT first (one exchange per run; its 24 h TTL outlives any run).
 */
export async function authHeaders(auth: AuthNeed, credentials: Credentials, fetch: PoliteFetch): Promise<Record<string, string>> {
  const value = (name: string) => credentials[name]?.trim() ?? ''
  switch (auth.kind) {
    case 'none':
      return {}
    case 'headers':
      return Object.fromEntries(Object.entries(auth.headers).map(([header, env]) => [header, value(env)]))
    case 'basic':
      return { authorization: `Basic ${base64Utf8(`${value(auth.userEnv)}:${value(auth.passwordEnv)}`)}` }
    case 'token-exchange': {
      const res = await fetch({ url: auth.exchangeUrl, method: 'POST', headers: { [auth.keyHeader]: value(auth.keyEnv), accept: 'application/json' }, conditional: false })
      let token: unknown
      try {
        token = (JSON.parse(res.body) as Record<string, unknown>)[auth.tokenField]
      } catch {
        token = undefined
      }
      if (typeof token !== 'string' || !token) throw new ParseError(`échange de jeton : champ « ${auth.tokenField} » absent de la réponse de ${auth.exchangeUrl}`)
      return { authorization: `Bearer ${token}` }
    }
  }
}

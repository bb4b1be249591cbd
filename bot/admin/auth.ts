// Sessions, CSRF and login throttling of the admin desk. Web Crypto only (globalThis.crypto):
// random ids and SHA-256 of session ids; password hashing is a port (runtime/node/admin-hasher.ts).
import type { Context, MiddlewareHandler } from 'hono'
import { createClientAddress } from '../client-address.ts'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Account, AccountStore, AdminSessionStore, LoginThrottle, PasswordHasher, Role } from './ports.ts'
import type { Clock } from '../../core/clock.ts'

export const SESSION_COOKIE = 'guichet_admin'
export const LOGIN_COOKIE = 'guichet_admin_login'
export const SESSION_TTL_MS = 8 * 3600_000
export const LOCKOUT = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function randomToken(bytes = 32): string {
  const buf = new Uint8Array(bytes)
  globalThis.crypto.getRandomValues(buf)
  return base64url(buf)
}

function base64url(buf: Uint8Array): string {
  let s = ''
  for (const b of buf) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export async function sha256(text: string): Promise<string> {
  return base64url(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))))
}

/** Constant-time comparison of two strings (length leaks only). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

export interface AuthDeps {
  accounts: AccountStore
  sessions: AdminSessionStore
  throttle: LoginThrottle
  hasher: PasswordHasher
  clock: Clock
  /** https → Secure cookies even behind a TLS-terminating proxy. */
  publicUrl?: string
  clientIp?: (c: Context) => string
}

export interface AdminVars {
  account: Account
  csrf: string
}

/**
 * Secure cookies over https, and on loopback addresses (browsers treat http://localhost and
 * 127.0.0.1 as secure contexts and keep Secure cookies there). Only plain http to another host
 * goes without: a browser would drop a Secure cookie there and nobody could log in.
 */
export function isSecure(c: Context, publicUrl?: string): boolean {
  const url = new URL(c.req.url)
  return url.protocol === 'https:' || (publicUrl ?? '').startsWith('https:') || /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname)
}

export function cookieOptions(c: Context, publicUrl: string | undefined, maxAge: number) {
  return { httpOnly: true, secure: isSecure(c, publicUrl), sameSite: 'Strict' as const, path: '/', maxAge }
}

/** The peer address from the Node adapter (c.env.incoming), never from a client header (compose passes the TRUSTED_PROXIES-aware reader). */
export const defaultClientIp: (c: Context) => string = createClientAddress()

export type LoginOutcome = { ok: true; account: Account } | { ok: false; reason: 'invalid' | 'locked'; until?: Date }

/** Checks a password with per-account and per-IP lockout; unknown e-mails cost a hash too. */
export async function attemptLogin(deps: AuthDeps, c: Context, email: string, password: string): Promise<LoginOutcome> {
  const now = deps.clock.now()
  const keys = [`account:${email.trim().toLowerCase()}`, `ip:${(deps.clientIp ?? defaultClientIp)(c)}`]
  for (const key of keys) {
    const until = await deps.throttle.lockedUntil(key, now)
    if (until) return { ok: false, reason: 'locked', until }
  }
  const found = await deps.accounts.findByEmail(email)
  const ok = found ? await deps.hasher.verify(password, found.passwordHash) : (await deps.hasher.verify(password, DUMMY_HASH), false)
  if (!found || !ok || found.disabled) {
    for (const key of keys) await deps.throttle.fail(key, now, LOCKOUT)
    return { ok: false, reason: 'invalid' }
  }
  await deps.throttle.reset(keys[0]!)
  const { passwordHash: _drop, ...account } = found
  return { ok: true, account }
}
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

export async function openSession(deps: AuthDeps, c: Context, account: Account): Promise<string> {
  const id = randomToken()
  const csrf = randomToken()
  const now = deps.clock.now()
  await deps.sessions.create({ idHash: await sha256(id), accountId: account.id, csrf, now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) })
  setCookie(c, SESSION_COOKIE, id, cookieOptions(c, deps.publicUrl, SESSION_TTL_MS / 1000))
  deleteCookie(c, LOGIN_COOKIE, { path: '/' })
  return csrf
}

export async function closeSession(deps: AuthDeps, c: Context): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE)
  if (id) await deps.sessions.delete(await sha256(id))
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecure(c, deps.publicUrl) })
}

/**
 * Every admin route: a live session (else 401 for the API, 302 to the login page), the CSRF
 * token of that session on every unsafe method (header x-csrf-token or form field _csrf, else 403).
 */
export function requireSession(deps: AuthDeps): MiddlewareHandler<{ Variables: AdminVars }> {
  return async (c, next) => {
    const api = c.req.path.startsWith('/api/')
    const id = getCookie(c, SESSION_COOKIE)
    const session = id ? await deps.sessions.get(await sha256(id), deps.clock.now()) : undefined
    const account = session ? await deps.accounts.get(session.accountId) : undefined
    if (!session || !account || account.disabled) {
      if (api || c.req.method !== 'GET') return c.json({ error: { code: 'unauthorized', message: 'Connexion requise / Login required' } }, 401)
      return c.redirect('/admin/login', 302)
    }
    if (UNSAFE.has(c.req.method)) {
      let token = c.req.header('x-csrf-token')
      if (!token && (c.req.header('content-type') ?? '').match(/form/)) {
        const body = await c.req.parseBody()
        token = typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined
      }
      if (!sameToken(token, session.csrf)) return c.json({ error: { code: 'csrf', message: 'Jeton CSRF invalide / Invalid CSRF token' } }, 403)
    }
    c.set('account', account)
    c.set('csrf', session.csrf)
    await next()
  }
}

export function requireRole(role: Role): MiddlewareHandler<{ Variables: AdminVars }> {
  return async (c, next) => {
    if (role === 'admin' && c.get('account').role !== 'admin') return c.json({ error: { code: 'forbidden', message: 'Réservé aux administrateurs / Admins only' } }, 403)
    await next()
  }
}

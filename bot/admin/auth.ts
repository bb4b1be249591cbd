// Sessions, CSRF and login limits of the admin desk. Web Crypto only (globalThis.crypto):
// random ids and SHA-256 of session ids; password hashing is a port (runtime/node/admin-hasher.ts).
import type { Context, MiddlewareHandler } from 'hono'
import { createClientAddress } from '../client-address.ts'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Account, AccountStore, AdminMailer, AdminSessionStore, LoginThrottle, PasswordHasher, Role } from './ports.ts'
import { LOGIN_LIMITS, lockDurationMs, UNLOCK_TTL_MS, type LoginLimits } from './login-limits.ts'
import type { Logger } from '../../core/logger.ts'
import type { Clock } from '../../core/clock.ts'

export const SESSION_COOKIE = 'guichet_admin'
export const LOGIN_COOKIE = 'guichet_admin_login'
export const SESSION_TTL_MS = 8 * 3600_000
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
  /** Sends the unlock links; none = no e-mail (the CLI still unlocks). */
  mailer?: AdminMailer
  /** Base of the links in e-mails (GUICHET_PUBLIC_URL, else http://localhost:PORT); never the request's Host, which a client writes. */
  linkBaseUrl?: string
  /** Tests may tighten the limits; default LOGIN_LIMITS. */
  limits?: LoginLimits
  logger?: Logger
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

export type LoginOutcome = { ok: true; account: Account } | { ok: false; reason: 'invalid' | 'locked'; until?: Date; by?: 'account' | 'address' }

/**
 * Checks a password under the login limits (bot/admin/login-limits.ts). Attempts on one account
 * take turns in this process (a promise chain per e-mail around decide + verify + record), and
 * the store decides and counts in one transaction: 60 parallel guesses are checked one after
 * another, and those past the limit are refused without hashing. Unknown e-mails cost a hash and
 * count like known ones. The failure that locks a known account e-mails it an unlock link.
 */
export async function attemptLogin(deps: AuthDeps, c: Context, email: string, password: string): Promise<LoginOutcome> {
  const account = email.trim().toLowerCase()
  const address = (deps.clientIp ?? defaultClientIp)(c)
  return inTurn(deps.throttle, account, () => checkInTurn(deps, c, account, address, password))
}

async function checkInTurn(deps: AuthDeps, c: Context, account: string, address: string, password: string): Promise<LoginOutcome> {
  const limits = deps.limits ?? LOGIN_LIMITS
  const now = deps.clock.now()
  const decision = await deps.throttle.begin({ account, address, now }, limits)
  if (!decision.ok) return { ok: false, reason: 'locked', until: decision.until, by: decision.by }
  const found = await deps.accounts.findByEmail(account)
  const ok = found ? await deps.hasher.verify(password, found.passwordHash) : (await deps.hasher.verify(password, await dummyHash(deps.hasher)), false)
  if (found && ok && !found.disabled) {
    await deps.throttle.succeeded({ account, address, now: deps.clock.now() })
    const { passwordHash: _drop, ...rest } = found
    return { ok: true, account: rest }
  }
  if (decision.accountFailures < limits.account.maxFailures) return { ok: false, reason: 'invalid' }
  if (found && !found.disabled) void offerUnlock(deps, c, found, now)
  return { ok: false, reason: 'invalid', until: new Date(now.getTime() + lockDurationMs(decision.accountFailures, limits.account)), by: 'account' }
}

/** The tail of each account's chain of attempts, per throttle (one per composition). */
const turns = new WeakMap<LoginThrottle, Map<string, Promise<unknown>>>()

/** Runs `task` after every earlier task of the same key (in this process), whatever their outcome. */
export function inTurn<T>(owner: LoginThrottle, key: string, task: () => Promise<T>): Promise<T> {
  let chains = turns.get(owner)
  if (!chains) turns.set(owner, (chains = new Map()))
  const previous = chains.get(key) ?? Promise.resolve()
  const run = previous.then(task, task)
  const tail = run.catch(() => undefined)
  chains.set(key, tail)
  void tail.then(() => { if (chains.get(key) === tail) chains.delete(key) })
  return run
}

/** A hash of a random password made by the same hasher (same cost as a real account's), once per hasher. */
const dummies = new WeakMap<PasswordHasher, Promise<string>>()
function dummyHash(hasher: PasswordHasher): Promise<string> {
  let h = dummies.get(hasher)
  if (!h) dummies.set(hasher, (h = hasher.hash(randomToken())))
  return h
}

const PARIS_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: 'numeric', minute: '2-digit' })
/** « 14 h 05 » (Paris time). */
export function parisTime(at: Date): string {
  return PARIS_TIME.format(at).replace(':', ' h ')
}

/** A single-use link (stored hashed, UNLOCK_TTL_MS) to the account's own address, unless one is still live. Never throws. */
async function offerUnlock(deps: AuthDeps, c: Context, account: Account, now: Date): Promise<void> {
  if (!deps.mailer) return
  try {
    const token = randomToken()
    const expiresAt = new Date(now.getTime() + UNLOCK_TTL_MS)
    if (!(await deps.throttle.issueUnlock({ accountId: account.id, tokenHash: await sha256(token), now, expiresAt }))) return
    const base = (deps.linkBaseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '')
    const url = `${base}/admin/unlock?token=${encodeURIComponent(token)}`
    const minutes = Math.round(UNLOCK_TTL_MS / 60_000)
    const text = [
      'Bonjour,',
      '',
      `Plusieurs tentatives de connexion au back office de Guichet ont échoué avec votre adresse ; votre compte est bloqué pour l'instant (les attentes s'allongent à chaque nouvel échec).`,
      '',
      `Si c'était vous, ce lien lève le blocage (valable ${minutes} minutes, une seule fois ; il ne vous connecte pas) :`,
      url,
      '',
      `Si ce n'était pas vous, quelqu'un essaie peut-être de deviner votre mot de passe : n'ouvrez pas le lien, et prévenez un administrateur de Guichet.`,
    ].join('\n')
    const html = `<p>Bonjour,</p><p>Plusieurs tentatives de connexion au back office de Guichet ont échoué avec votre adresse ; votre compte est bloqué pour l'instant (les attentes s'allongent à chaque nouvel échec).</p><p>Si c'était vous, ce lien lève le blocage (valable ${minutes} minutes, une seule fois ; il ne vous connecte pas) :<br><a href="${escapeHtml(url)}">Débloquer mon compte</a></p><p>Si ce n'était pas vous, quelqu'un essaie peut-être de deviner votre mot de passe : n'ouvrez pas le lien, et prévenez un administrateur de Guichet.</p>`
    await deps.mailer.send({ to: account.email, subject: 'Guichet : votre compte d\'administration est bloqué', text, html })
  } catch (err) {
    deps.logger?.warn('admin unlock mail not sent', { error: String((err as Error).message ?? err).replace(/[^\s<>@]+@[^\s<>@]+/g, '<adresse>').slice(0, 200) })
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
}

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

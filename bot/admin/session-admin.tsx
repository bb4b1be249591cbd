/** @jsxImportSource hono/jsx */
// The session side of the admin desk: the login (form and JSON), the unlock link e-mailed to a
// locked account (both public, registered before the guard), then, behind it, the logout, the
// session's own account and the change of one's own password.
import type { Context, Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { ValidationError } from '../../core/errors.ts'
import type { AdminDeps } from './admin-deps.ts'
import { attemptLogin, closeSession, cookieOptions, LOGIN_COOKIE, openSession, parisTime, randomToken, sameToken, sha256, type LoginOutcome } from './auth.ts'
import { formText, parseWith, readAdminJson, readForm } from './body.ts'
import type { AdminEnv, AdminKit, AdminModule } from './kit.ts'
import { retryAfterSeconds, waitText } from './login-limits.ts'
import { Field, Layout } from './views.tsx'

type Env = AdminEnv

const LoginSchema = z.object({ email: z.string().trim().min(3, 'adresse e-mail attendue').max(200), password: z.string().min(1, 'mot de passe attendu').max(500) })
const PasswordChangeSchema = z.object({ current: z.string().min(1, 'mot de passe actuel attendu').max(500), next: z.string().min(12, '12 caractères au moins').max(500) }).strict()
/** The login form: its CSRF token (checked against the login cookie) beside the fields LoginSchema reads. */
const LoginForm = z.object({ _csrf: z.unknown().optional().transform((v) => (typeof v === 'string' ? v : undefined)) }).loose()
/** The unlock form: its single-use token ('' when absent). */
const UnlockForm = z.object({ token: formText })
/** The « Mon compte » form: both passwords as typed, then checked by PasswordChangeSchema. */
const PasswordChangeForm = z.object({ current: formText, next: formText })

const unlockHttpStatus = { live: 200, unlocked: 200, used: 410, expired: 410, unknown: 404 } as const

/** The public routes: the login (form and JSON) and the unlock link. Registered before the session guard. */
export function loginModule(deps: AdminDeps): AdminModule {
  return (app: Hono<Env>, { now }: AdminKit) => {
    const recordLogin = (actor: string, action: string) => deps.audit.record({ at: now().toISOString(), actor, action, target: 'session', before: null, after: null })
    // A failed login is recorded under the account's address when an account has it; an address no
    // account has (mistyped, invented, an erased admin's) is never written: only its keyed reference
    // (the one the rights requests use), so that repeated attempts on one address still show as such.
    const recordFailure = async (typed: string, reason: string) => {
      const account = await deps.accounts.findByEmail(typed.trim().toLowerCase())
      await recordLogin(account ? account.email : await deps.audit.subjectRef(typed), `login.${reason}`)
    }

    // ---------- public: login ----------
    app.get('/admin/login', (c) => {
      const token = randomToken()
      setCookie(c, LOGIN_COOKIE, token, cookieOptions(c, deps.publicUrl, 3600))
      return c.html(loginPage(token, c.req.query('erreur'), c.req.query('minutes'), !!deps.mailer))
    })
    app.post('/admin/login', async (c) => {
      const body = await readForm(c, LoginForm)
      if (!sameToken(body._csrf, getCookie(c, LOGIN_COOKIE))) return c.json({ error: { code: 'csrf', message: 'Jeton CSRF invalide / Invalid CSRF token' } }, 403)
      const parsed = LoginSchema.safeParse(body)
      if (!parsed.success) return c.redirect('/admin/login?erreur=invalide', 303)
      const outcome = await attemptLogin(deps, c, parsed.data.email, parsed.data.password)
      if (!outcome.ok) {
        await recordFailure(parsed.data.email, outcome.reason)
        if (outcome.reason === 'locked' && outcome.until) {
          // The page says when to retry: the minutes left, carried in the redirect (nothing else about the account).
          const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - now().getTime()) / 60_000))
          return c.redirect(`/admin/login?erreur=bloque&minutes=${minutes}`, 303)
        }
        return c.redirect('/admin/login?erreur=invalide', 303)
      }
      await openSession(deps, c, outcome.account)
      await recordLogin(outcome.account.email, 'login')
      return c.redirect('/admin', 303)
    })
    // JSON login: a cross-site form cannot send application/json without a CORS preflight.
    app.post('/api/admin/login', async (c) => {
      if (!(c.req.header('content-type') ?? '').startsWith('application/json')) throw new ValidationError([{ field: 'content-type', message: 'application/json attendu' }])
      const { email, password } = await readAdminJson(c, LoginSchema)
      const outcome = await attemptLogin(deps, c, email, password)
      if (!outcome.ok) {
        await recordFailure(email, outcome.reason)
        if (outcome.reason === 'locked' && outcome.until) {
          c.header('retry-after', String(retryAfterSeconds(outcome.until, now())))
          return c.json({ error: { code: 'locked', message: `${lockedMessage(outcome, now())} / Too many failures, retry later`, until: outcome.until.toISOString() } }, 429)
        }
        return c.json({ error: { code: 'invalid_credentials', message: 'Identifiants invalides / Invalid credentials' } }, 401)
      }
      const csrf = await openSession(deps, c, outcome.account)
      await recordLogin(outcome.account.email, 'login')
      return c.json({ account: outcome.account, csrf })
    })

    // ---------- public: the unlock link e-mailed to a locked account ----------
    // GET only shows a button (mail scanners open links; a GET must not use the single-use link);
    // the POST clears the account's lock. Neither logs anyone in.
    app.get('/admin/unlock', async (c) => {
      c.header('referrer-policy', 'no-referrer')
      const token = c.req.query('token') ?? ''
      if (!token) return c.html(unlockPage({ status: 'missing' }), 400)
      const st = await deps.throttle.unlockStatus(await sha256(token), now())
      return c.html(unlockPage(st.status === 'live' ? { status: 'live', token } : { status: st.status }), unlockHttpStatus[st.status])
    })
    app.post('/admin/unlock', async (c) => {
      c.header('referrer-policy', 'no-referrer')
      const { token } = await readForm(c, UnlockForm)
      if (!token) return c.html(unlockPage({ status: 'missing' }), 400)
      const st = await deps.throttle.redeemUnlock(await sha256(token), now())
      if (st.status === 'unlocked') await deps.audit.record({ at: now().toISOString(), actor: st.email, action: 'account.unlock', target: `account:${st.email}`, before: null, after: { via: 'email' } })
      return c.html(unlockPage({ status: st.status === 'live' ? 'unknown' : st.status }), unlockHttpStatus[st.status])
    })
  }
}

/** Behind the guard: the logout, the session's account, and the change of one's own password. */
export function sessionModule(deps: AdminDeps): AdminModule {
  return (app: Hono<Env>, { now, audit }: AdminKit) => {
    const logout = async (c: Context<Env>) => {
      await closeSession(deps, c)
      await audit(c, 'logout', 'session', null, null)
      return c.req.path.startsWith('/api/') ? c.json({ ok: true }) : c.redirect('/admin/login', 303)
    }
    app.post('/admin/logout', logout)
    app.post('/api/admin/logout', logout)
    app.get('/api/admin/me', (c) => c.json({ account: c.get('account'), csrf: c.get('csrf') }))

    // ---------- my account: change my password ----------
    /** Returns the CSRF token of the new session. */
    async function changeOwnPassword(c: Context<Env>, input: z.infer<typeof PasswordChangeSchema>): Promise<string> {
      const me = c.get('account')
      // The same limits as the login (a stolen session cannot guess the password faster).
      const checked = await attemptLogin(deps, c, me.email, input.current)
      if (!checked.ok && checked.reason === 'locked') throw new ValidationError([{ field: 'current', message: `trop d'échecs : réessayez dans ${checked.until ? waitText(checked.until, now()) : 'quelques minutes'}` }])
      if (!checked.ok) throw new ValidationError([{ field: 'current', message: 'mot de passe actuel incorrect' }])
      if (input.next === input.current) throw new ValidationError([{ field: 'next', message: 'le nouveau mot de passe doit être différent' }])
      const passwordHash = await deps.hasher.hash(input.next)
      const at = now().toISOString()
      await deps.curation.commit({ accountUpdates: [{ id: me.id, patch: { passwordHash } }], audit: [{ at, actor: me.email, action: 'account.password', target: `account:${me.email}`, before: null, after: null }] })
      // Every other session of this account ends; this one goes on under a new id.
      await deps.sessions.deleteForAccount(me.id)
      return openSession(deps, c, me)
    }
    app.post('/api/admin/me/password', async (c) => {
      return c.json({ ok: true, csrf: await changeOwnPassword(c, await readAdminJson(c, PasswordChangeSchema)) })
    })
    app.get('/admin/compte', (c) => c.html(myAccountPage(c, {})))
    app.post('/admin/compte', async (c) => {
      const typed = await readForm(c, PasswordChangeForm)
      try {
        await changeOwnPassword(c, parseWith(PasswordChangeSchema, typed))
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return c.html(myAccountPage(c, Object.fromEntries(err.issues.map((i) => [i.field, i.message]))), 400)
      }
      return c.redirect('/admin/compte?enregistre=1', 303)
    })
  }
}

/** « Trop d'échecs pour ce compte : réessayez dans 4 minutes (à 9 h 07). » */
function lockedMessage(outcome: Extract<LoginOutcome, { ok: false }>, now: Date): string {
  const where = outcome.by === 'address' ? 'depuis votre adresse' : 'pour ce compte'
  return outcome.until ? `Trop d'échecs ${where} : réessayez dans ${waitText(outcome.until, now)} (à ${parisTime(outcome.until)})` : `Trop d'échecs ${where} : réessayez plus tard`
}

function loginPage(token: string, error?: string, minutesText?: string, mails = true) {
  const minutes = Number(minutesText)
  const wait = Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440 ? `${minutes} minute${minutes > 1 ? 's' : ''}` : 'quelques minutes'
  const message = error === 'bloque'
    ? `Trop d'échecs : connexion refusée pour l'instant, réessayez dans ${wait}. ${mails ? 'Si c\'est votre compte qui est bloqué, un lien pour le débloquer a été envoyé à son adresse e-mail.' : 'Un administrateur peut aussi lever le blocage de votre compte.'}`
    : error ? 'Identifiants invalides.' : undefined
  return (
    <Layout title="Connexion">
      {message ? <p class="alert" role="alert" id="login-error">{message}</p> : null}
      <form method="post" action="/admin/login" class="card">
        <input type="hidden" name="_csrf" value={token} />
        <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required aria-describedby={message ? 'login-error' : undefined} />
        <label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Se connecter</button>
      </form>
      <p class="hint">Mot de passe oublié ? Un administrateur de Guichet peut le réinitialiser (page « Comptes »).</p>
    </Layout>
  )
}

type UnlockView = { status: 'live'; token: string } | { status: 'unlocked' | 'used' | 'expired' | 'unknown' | 'missing' }
function unlockPage(view: UnlockView) {
  const text: Record<Exclude<UnlockView['status'], 'live'>, string> = {
    unlocked: 'Votre compte est débloqué. Ce lien ne vous connecte pas : connectez-vous avec votre mot de passe.',
    used: 'Ce lien a déjà servi : il ne vaut qu\'une fois. Si le compte est de nouveau bloqué, un nouveau lien est envoyé par e-mail.',
    expired: 'Ce lien a expiré (il vaut une heure). Si le compte est encore bloqué, attendez la fin du blocage ou demandez à un administrateur de le lever.',
    unknown: 'Ce lien n\'est pas valide. Vérifiez qu\'il a été copié en entier.',
    missing: 'Lien incomplet : le paramètre « token » manque.',
  }
  return (
    <Layout title="Débloquer mon compte">
      {view.status === 'live' ? (
        <form method="post" action="/admin/unlock" class="card">
          <p>Ce lien lève le blocage de connexion de votre compte (une seule fois). Il ne vous connecte pas.</p>
          <input type="hidden" name="token" value={view.token} />
          <button type="submit">Débloquer mon compte</button>
        </form>
      ) : (
        <p class={view.status === 'unlocked' ? 'ok' : 'alert'} role={view.status === 'unlocked' ? 'status' : 'alert'}>{text[view.status]}</p>
      )}
      <p><a href="/admin/login">Page de connexion</a></p>
    </Layout>
  )
}

function myAccountPage(c: Context<Env>, errors: Record<string, string>) {
  const csrf = c.get('csrf')
  return (
    <Layout title="Mon compte" account={c.get('account')} csrf={csrf}>
      {c.req.query('enregistre') ? <p class="ok" role="status">Mot de passe changé. Vos autres sessions sont fermées.</p> : null}
      <p>{c.get('account').email} — {c.get('account').role === 'admin' ? 'administrateur' : 'éditeur'}</p>
      <form method="post" action="/admin/compte" class="card" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <Field name="current" label="Mot de passe actuel" type="password" value="" error={errors['current']} />
        <Field name="next" label="Nouveau mot de passe (12 caractères au moins)" type="password" value="" error={errors['next']} />
        <button type="submit">Changer le mot de passe</button>
      </form>
    </Layout>
  )
}

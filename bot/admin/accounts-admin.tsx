/** @jsxImportSource hono/jsx */
// The accounts of the admin desk (admins only, behind the admin guard): list, create, change a
// role, disable or re-enable, reset a forgotten password (a temporary one shown once), and clear
// an account's login lock. The desk never loses its last active administrator.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { NotFoundError, ValidationError } from '../../core/errors.ts'
import type { AdminDeps } from './admin-deps.ts'
import { parisTime, randomToken } from './auth.ts'
import { parseWith, readAdminJson, readForm } from './body.ts'
import type { AdminEnv, AdminKit, AdminModule } from './kit.ts'
import { LOGIN_LIMITS } from './login-limits.ts'
import { ROLES, type Account } from './ports.ts'
import { Field, Layout } from './views.tsx'

type Env = AdminEnv

const AccountCreateSchema = z.object({ email: z.email('adresse e-mail attendue'), role: z.enum(ROLES), password: z.string().min(12, '12 caractères au moins').max(500) }).strict()
const AccountPatchSchema = z.object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() }).strict()
/** The « Nouveau compte » form: the fields as typed (AccountCreateSchema checks them). */
const AccountCreateForm = z.object({ email: z.unknown().optional(), role: z.unknown().optional(), password: z.unknown().optional() })
/** A row's button: the role or the switch it sends, nothing for a field left out. */
const AccountPatchForm = z.object({ role: z.unknown().optional(), disabled: z.unknown().optional() }).transform((b) => ({ ...(b.role ? { role: b.role } : {}), ...(b.disabled ? { disabled: b.disabled === '1' } : {}) }))

// Over 80 lines: the account operations and their routes share the stores and the audit; each piece is short.
export function accountsModule(deps: AdminDeps): AdminModule {
  // Over 80 lines: as above, the registration of the module's routes.
  return (app: Hono<Env>, { now, audit }: AdminKit) => {
    async function createAccount(c: Context<Env>, input: z.infer<typeof AccountCreateSchema>) {
      if (await deps.accounts.findByEmail(input.email)) throw new ValidationError([{ field: 'email', message: 'compte déjà existant' }])
      const passwordHash = await deps.hasher.hash(input.password)
      const at = now().toISOString()
      const id = globalThis.crypto.randomUUID()
      const email = input.email.trim().toLowerCase()
      await deps.curation.commit({
        accountCreates: [{ id, email, role: input.role, passwordHash, createdAt: at }],
        audit: [{ at, actor: c.get('account').email, action: 'account.create', target: `account:${email}`, before: null, after: { email, role: input.role } }],
      })
      return (await deps.accounts.get(id))!
    }
    async function updateAccount(c: Context<Env>, id: string, input: z.infer<typeof AccountPatchSchema>) {
      const before = await deps.accounts.get(id)
      if (!before) throw new NotFoundError('Compte inconnu / Unknown account', 'id')
      // Never leave the desk without an active administrator (nobody could manage accounts again but from the CLI).
      const losesAdmin = before.role === 'admin' && !before.disabled && (input.role === 'editor' || input.disabled === true)
      if (losesAdmin && (await deps.accounts.list()).filter((a) => a.role === 'admin' && !a.disabled).length <= 1) {
        throw new ValidationError([{ field: input.disabled ? 'disabled' : 'role', message: 'dernier administrateur actif : nommez-en un autre d\'abord' }])
      }
      const after = { ...before, ...input }
      const at = now().toISOString()
      await deps.curation.commit({
        accountUpdates: [{ id, patch: input }],
        audit: [{ at, actor: c.get('account').email, action: 'account.update', target: `account:${before.email}`, before: { role: before.role, disabled: before.disabled }, after: { role: after.role, disabled: after.disabled } }],
      })
      if (input.disabled) await deps.sessions.deleteForAccount(id)
      return (await deps.accounts.get(id))!
    }
    app.get('/api/admin/accounts', async (c) => c.json({ accounts: await deps.accounts.list() }))
    app.post('/api/admin/accounts', async (c) => c.json({ account: await createAccount(c, await readAdminJson(c, AccountCreateSchema)) }, 201))
    app.patch('/api/admin/accounts/:id', async (c) => c.json({ account: await updateAccount(c, c.req.param('id'), await readAdminJson(c, AccountPatchSchema)) }))
    /** A forgotten password: a random temporary one, shown once to the admin, every session of the account ended. */
    async function resetPassword(c: Context<Env>, id: string): Promise<{ account: Account; password: string }> {
      const account = await deps.accounts.get(id)
      if (!account) throw new NotFoundError('Compte inconnu / Unknown account', 'id')
      const password = randomToken(15)
      const passwordHash = await deps.hasher.hash(password)
      const at = now().toISOString()
      await deps.curation.commit({ accountUpdates: [{ id, patch: { passwordHash } }], audit: [{ at, actor: c.get('account').email, action: 'account.password_reset', target: `account:${account.email}`, before: null, after: null }] })
      await deps.sessions.deleteForAccount(id)
      await deps.throttle.reset(account.email, now())
      return { account, password }
    }
    app.post('/api/admin/accounts/:id/password', async (c) => c.json(await resetPassword(c, c.req.param('id'))))
    /** Clears an account's login failures and lock (its unlock links are revoked). */
    async function unlockAccount(c: Context<Env>, id: string): Promise<Account> {
      const account = await deps.accounts.get(id)
      if (!account) throw new NotFoundError('Compte inconnu / Unknown account', 'id')
      const before = await deps.throttle.accountState(account.email, now(), deps.limits ?? LOGIN_LIMITS)
      await deps.throttle.reset(account.email, now())
      await audit(c, 'account.unlock', `account:${account.email}`, { failures: before.failures, lockedUntil: before.lockedUntil?.toISOString() ?? null }, { via: 'admin' })
      return account
    }
    app.post('/api/admin/accounts/:id/unlock', async (c) => c.json({ account: await unlockAccount(c, c.req.param('id')) }))
    app.post('/admin/accounts/:id/unlock', async (c) => { await unlockAccount(c, c.req.param('id')); return c.redirect('/admin/accounts?enregistre=1', 303) })
    app.post('/admin/accounts/:id/password', async (c) => {
      const { account, password } = await resetPassword(c, c.req.param('id'))
      return c.html(await accountsPage(c, {}, undefined, undefined, { email: account.email, password }))
    })
    app.get('/admin/accounts', async (c) => c.html(await accountsPage(c)))
    app.post('/admin/accounts', async (c) => {
      const b = await readForm(c, AccountCreateForm)
      try {
        await createAccount(c, parseWith(AccountCreateSchema, b))
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return c.html(await accountsPage(c, Object.fromEntries(err.issues.map((i) => [i.field, i.message])), undefined, { email: typeof b.email === 'string' ? b.email : '', role: typeof b.role === 'string' ? b.role : 'editor' }), 400)
      }
      return c.redirect('/admin/accounts', 303)
    })
    app.post('/admin/accounts/:id', async (c) => {
      const change = await readForm(c, AccountPatchForm)
      try {
        await updateAccount(c, c.req.param('id'), parseWith(AccountPatchSchema, change))
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return c.html(await accountsPage(c, {}, err.issues.map((i) => i.message).join(' ; ')), 400)
      }
      return c.redirect('/admin/accounts?enregistre=1', 303)
    })
  async function accountsPage(c: Context<Env>, errors: Record<string, string> = {}, refused?: string, typed: { email: string; role: string } = { email: '', role: 'editor' }, reset?: { email: string; password: string }) {
    const csrf = c.get('csrf')
    return (
      <Layout title="Comptes" account={c.get('account')} csrf={csrf}>
        {refused ? <div class="alert" role="alert" tabindex={-1} autofocus><p>Modification refusée : {refused}</p></div> : null}
        {c.req.query('enregistre') ? <p class="ok" role="status">Compte modifié.</p> : null}
        {reset ? (
          <div class="ok" role="status">
            <p>Mot de passe temporaire de {reset.email} (affiché une seule fois, à transmettre par un canal sûr ; ses sessions sont fermées) :</p>
            <p><code>{reset.password}</code></p>
            <p>La personne le remplace ensuite dans « Mon compte ».</p>
          </div>
        ) : null}
        <table><thead><tr><th scope="col">E-mail</th><th scope="col">Rôle</th><th scope="col">État</th><th scope="col">Actions</th></tr></thead>
          <tbody>{(await Promise.all((await deps.accounts.list()).map(async (a) => ({ a, lock: await deps.throttle.accountState(a.email, now(), deps.limits ?? LOGIN_LIMITS) })))).map(({ a, lock }: { a: Account; lock: { failures: number; lockedUntil?: Date } }) => (
            <tr><td>{a.email}</td><td>{a.role === 'admin' ? 'administrateur' : 'éditeur'}</td><td>{a.disabled ? 'désactivé' : 'actif'}{lock.lockedUntil ? ` — connexion bloquée jusqu'à ${parisTime(lock.lockedUntil)}` : lock.failures ? ` — ${lock.failures} échec${lock.failures > 1 ? 's' : ''} de connexion` : ''}</td>
              <td>
                {lock.failures ? <form method="post" action={`/admin/accounts/${a.id}/unlock`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary" aria-label={`Débloquer la connexion : ${a.email}`}>Débloquer</button></form> : null}
                <form method="post" action={`/admin/accounts/${a.id}`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="role" value={a.role === 'admin' ? 'editor' : 'admin'} /><button type="submit" class="secondary" aria-label={`${a.role === 'admin' ? 'Rendre éditeur' : 'Rendre administrateur'} : ${a.email}`}>{a.role === 'admin' ? 'Rendre éditeur' : 'Rendre administrateur'}</button></form>
                <form method="post" action={`/admin/accounts/${a.id}`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="disabled" value={a.disabled ? '0' : '1'} /><button type="submit" class="secondary" aria-label={`${a.disabled ? 'Réactiver' : 'Désactiver'} : ${a.email}`}>{a.disabled ? 'Réactiver' : 'Désactiver'}</button></form>
                <form method="post" action={`/admin/accounts/${a.id}/password`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary" aria-label={`Réinitialiser le mot de passe : ${a.email}`}>Réinitialiser le mot de passe</button></form>
              </td></tr>))}
          </tbody></table>
        <h2>Nouveau compte</h2>
        <form method="post" action="/admin/accounts" class="card" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <Field name="email" label="E-mail" type="email" value={typed.email} error={errors['email']} />
          <div><label for="f-role">Rôle</label><select id="f-role" name="role"><option value="editor" selected={typed.role !== 'admin'}>éditeur</option><option value="admin" selected={typed.role === 'admin'}>administrateur</option></select></div>
          <Field name="password" label="Mot de passe (12 caractères au moins)" type="password" value="" error={errors['password']} />
          <button type="submit">Créer</button>
        </form>
      </Layout>
    )
  }
  }
}

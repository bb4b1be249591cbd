// `npm run -s admin -- create-user <email> --role admin|editor` (password from ADMIN_PASSWORD,
// else read from stdin), `set-password <email>`, `list-users`, `unlock <email>`, `unlock-address <ip>`.
// Writes to GUICHET_DATA_DIR/guichet.sqlite (safe while the server runs: SQLite takes turns).
// `create-user … --sql` writes nothing: it prints the SQL that creates the account in a D1 database
// (Cloudflare Workers), to run with `npx wrangler d1 execute guichet --remote --file <fichier>`.
// `rights export <email>` prints as JSON all that concerns an e-mail address, `rights erase <email>`
// erases it (bot/admin/rights.ts); both audited under a keyed hash of the address, never the address.
import { isIP } from 'node:net'
import { createInterface } from 'node:readline'
import { LOGIN_LIMITS } from '../../bot/admin/login-limits.ts'
import { normaliseIp } from '../../core/ip.ts'
import { parseConfig } from '../../core/config.ts'
import { ROLES, type Role } from '../../bot/admin/ports.ts'
import { createAccountSql } from '../workers/admin-account-sql.ts'
import { createScryptHasher } from './admin-hasher.ts'
import { createAdminStores } from './admin-services.ts'
import { describeCounts, eraseSubject, exportSubject, RightsEmailSchema } from '../../bot/admin/rights.ts'
import { createSqliteRightsStore } from './sqlite-rights-store.ts'
import { openDatabase, type Db } from './sqlite.ts'

const USAGE = 'usage: npm run -s admin -- create-user <email> --role admin|editor [--sql] | set-password <email> | list-users | unlock <email> | unlock-address <ip> | rights export|erase <email>'

async function readPassword(): Promise<string> {
  if (process.env['ADMIN_PASSWORD']) return process.env['ADMIN_PASSWORD']
  if (process.stdin.isTTY) process.stderr.write('Mot de passe (12 caractères au moins) : ')
  const rl = createInterface({ input: process.stdin, terminal: false })
  for await (const line of rl) { rl.close(); return line }
  return ''
}

const HELP = `npm run -s admin -- <commande>

  create-user <email> --role admin|editor   crée un compte du back office
  create-user <email> --role admin --sql    n'écrit rien : affiche le SQL qui crée le compte dans la base
                                            D1 du déploiement Cloudflare Workers (mot de passe haché) :
        npm run -s admin -- create-user <email> --role admin --sql > compte.sql
        npx wrangler d1 execute guichet --remote --file compte.sql
  set-password <email>                      change le mot de passe d'un compte
  list-users                                liste les comptes (e-mail, rôle, état, blocage de connexion)
  unlock <email>                            lève le blocage de connexion d'un compte (efface ses échecs,
                                            annule ses liens de déblocage envoyés par e-mail)
  unlock-address <ip>                       efface les échecs de connexion comptés pour une adresse IP
  rights export <email>                     demande d'accès d'une personne : affiche en JSON tout ce que
                                            Guichet conserve pour cette adresse (abonnements aux alertes,
                                            journal d'envoi, e-mails en file, conversations Teams alertées ;
                                            son compte du back-office sans l'empreinte du mot de passe, ses
                                            sessions, ses échecs de connexion, les entrées du journal et
                                            les modifications du catalogue dont elle est l'auteur)
  rights erase <email>                      demande d'effacement : supprime tout cela définitivement (la
                                            base est réécrite, rien ne reste lisible dans ses fichiers) ;
                                            un compte du back-office est désactivé et son adresse remplacée,
                                            partout où elle figure, par « compte supprimé #<empreinte> »
                                            (les modifications restent attribuées à ce pseudonyme)
                                            Chaque demande est inscrite au journal du back office sous une
                                            empreinte de l'adresse, jamais l'adresse elle-même.
  --help                                    cette aide

Le mot de passe (12 caractères au moins) est lu dans ADMIN_PASSWORD, sinon sur l'entrée standard ;
il est enregistré haché (scrypt). Base : GUICHET_DATA_DIR/guichet.sqlite.
Limites de connexion : 5 échecs bloquent un compte 1 minute, puis chaque nouvel échec 2, 4, 8…
jusqu'à 60 minutes ; 20 échecs depuis une adresse la freinent de même pour les comptes qui ont déjà
2 échecs. Le serveur peut tourner pendant ces commandes.
Code de sortie : 0 réussi, 1 échec, 2 usage.
`

/** The role after --role (default editor), or undefined when it is not one. */
function roleOf(argv: string[]): Role | undefined {
  const i = argv.indexOf('--role')
  const role = (i >= 0 ? argv[i + 1] : 'editor') as Role
  return ROLES.includes(role) ? role : undefined
}

/** create-user --sql: the account's INSERT for D1 on stdout (the password hashed), nothing written here. */
async function createUserSql(argv: string[], email: string | undefined): Promise<number> {
  const role = roleOf(argv)
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email) || !role) { console.error(USAGE); return 2 }
  const password = await readPassword()
  if (password.length < 12) { console.error('mot de passe trop court (12 caractères au moins) / password too short'); return 2 }
  process.stdout.write(await createAccountSql({ email, role, passwordHash: await createScryptHasher().hash(password), now: new Date() }))
  console.error('À exécuter sur la base D1 : npx wrangler d1 execute guichet --remote --file <fichier où ce SQL a été écrit>')
  return 0
}

/** `rights export <email>` (JSON on stdout) and `rights erase <email>`, audited as `cli`. */
async function rights(db: Db, argv: string[]): Promise<number> {
  const [, kind, email] = argv
  const parsed = RightsEmailSchema.safeParse(email ?? '')
  if ((kind !== 'export' && kind !== 'erase') || !parsed.success) { console.error(USAGE); return 2 }
  const deps = { rights: createSqliteRightsStore(db), audit: createAdminStores(db).audit }
  const who = { at: new Date().toISOString(), actor: 'cli', via: 'cli' as const }
  if (kind === 'export') {
    process.stdout.write(`${JSON.stringify(await exportSubject(deps, parsed.data, who), null, 2)}\n`)
    return 0
  }
  const counts = await eraseSubject(deps, parsed.data, who)
  console.log(`effacé pour cette adresse : ${describeCounts(counts)}`)
  return 0
}

async function main(argv: string[]): Promise<number> {
  const [command, email] = argv
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  if (command === 'create-user' && argv.includes('--sql')) return createUserSql(argv, email)
  const config = parseConfig(process.env)
  const db = openDatabase(config.GUICHET_DATA_DIR)
  const stores = createAdminStores(db)
  try {
    if (command === 'rights') return await rights(db, argv)
    if (command === 'list-users') {
      for (const a of await stores.accounts.list()) {
        const lock = await stores.throttle.accountState(a.email, new Date(), LOGIN_LIMITS)
        console.log(`${a.email}\t${a.role}\t${a.disabled ? 'disabled' : 'active'}${lock.lockedUntil ? `\tlocked until ${lock.lockedUntil.toISOString()}` : ''}`)
      }
      return 0
    }
    if (command === 'unlock') {
      if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) { console.error(USAGE); return 2 }
      const found = await stores.accounts.findByEmail(email)
      if (!found) { console.error(`compte inconnu : ${email}`); return 1 }
      const now = new Date()
      const before = await stores.throttle.accountState(found.email, now, LOGIN_LIMITS)
      await stores.throttle.reset(found.email, now)
      await stores.audit.record({ at: now.toISOString(), actor: 'cli', action: 'account.unlock', target: `account:${found.email}`, before: { failures: before.failures, lockedUntil: before.lockedUntil?.toISOString() ?? null }, after: { via: 'cli' } })
      console.log(before.lockedUntil ? `compte débloqué : ${found.email}` : `compte débloqué : ${found.email} (il n'était pas bloqué ; ${before.failures} échec(s) effacé(s))`)
      return 0
    }
    if (command === 'unlock-address') {
      if (!email || !isIP(email)) { console.error(USAGE); return 2 }
      await stores.throttle.resetAddress(normaliseIp(email))
      console.log(`échecs effacés pour l'adresse ${normaliseIp(email)}`)
      return 0
    }
    if ((command !== 'create-user' && command !== 'set-password') || !email || !/^[^@\s]+@[^@\s]+$/.test(email)) { console.error(USAGE); return 2 }
    const password = await readPassword()
    if (password.length < 12) { console.error('mot de passe trop court (12 caractères au moins) / password too short'); return 2 }
    const hash = await stores.hasher.hash(password)
    const now = new Date()
    if (command === 'create-user') {
      const role = roleOf(argv)
      if (!role) { console.error(USAGE); return 2 }
      if (await stores.accounts.findByEmail(email)) { console.error(`compte déjà existant : ${email}`); return 1 }
      const account = await stores.accounts.create({ email, role, passwordHash: hash, now })
      await stores.audit.record({ at: now.toISOString(), actor: 'cli', action: 'account.create', target: `account:${account.email}`, before: null, after: { email: account.email, role } })
      console.log(`compte créé : ${account.email} (${role})`)
      return 0
    }
    const found = await stores.accounts.findByEmail(email)
    if (!found) { console.error(`compte inconnu : ${email}`); return 1 }
    await stores.accounts.update(found.id, { passwordHash: hash })
    await stores.sessions.deleteForAccount(found.id)
    await stores.audit.record({ at: now.toISOString(), actor: 'cli', action: 'account.password', target: `account:${found.email}`, before: null, after: null })
    console.log(`mot de passe changé : ${found.email}`)
    return 0
  } finally {
    db.close()
  }
}

process.exitCode = await main(process.argv.slice(2))

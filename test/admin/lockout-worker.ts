// One process of the cross-process lockout test (test/admin/lockout.test.ts): opens the SQLite
// file given in GUICHET_DATA_DIR and asks the login throttle N times whether an attempt on one
// account may go on to the password check, all processes starting at the test's signal; prints
// how many were let through.
import { LOGIN_LIMITS } from '../../bot/admin/login-limits.ts'
import { createSqliteLoginThrottle } from '../../runtime/node/admin-store.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'

const [account = '', times = '0', at = ''] = process.argv.slice(2)
const db = openDatabase(process.env['GUICHET_DATA_DIR']!)
const throttle = createSqliteLoginThrottle(db)
// Start together: say ready, wait for the test's "go" on stdin.
process.stdout.write('ready\n')
await new Promise<void>((resolve) => process.stdin.once('data', () => { process.stdin.pause(); resolve() }))
let passed = 0
for (let i = 0; i < Number(times); i++) {
  const d = await throttle.begin({ account, address: `198.51.100.${process.pid % 250}`, now: new Date(at) }, LOGIN_LIMITS)
  if (d.ok) passed++
}
db.close()
process.stdout.write(`${passed}\n`)

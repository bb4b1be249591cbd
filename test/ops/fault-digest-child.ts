// The child process of the digest fault-injection suite: the real Node alerts composition
// (composeAlerts: SQLite store, SMTP sender, signed webhooks, the run lock) over the SQLite file
// in FAULT_DATA_DIR, one digest at GUICHET_NOW, then exit. The parent SIGKILLs it at chosen
// instants. Exit codes: 0 the run completed, 3 it was skipped (the lock was held), 1 it failed.
// Prints « phase:ready » when composed and the report as one JSON line at the end.
import { createCatalogue } from '../../content/catalogue.ts'
import { silentLogger } from '../../core/logger.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { composeAlerts } from '../../runtime/node/alerts-services.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { FAULT_PUBLIC_URL, FAULT_SECRET, faultProgrammes } from './fault-digest-fixture.ts'

const dir = process.env.FAULT_DATA_DIR
const at = process.env.GUICHET_NOW
if (!dir || !at || !process.env.SMTP_URL) {
  console.error('FAULT_DATA_DIR, GUICHET_NOW and SMTP_URL are required')
  process.exit(2)
}
const now = new Date(at)
const db = openDatabase(dir)
const catalogue = createCatalogue({ curated: faultProgrammes() })
const config = { ...parseAlertsConfig({ ALERTS_SECRET: FAULT_SECRET, SMTP_URL: process.env.SMTP_URL, MAIL_FROM: 'Guichet <alertes@guichet.fault.test>', ALERTS_WEBHOOK_ALLOW_PRIVATE: 'true', ALERTS_SCHEDULE: 'off', ALERTS_RETRY_SCHEDULE: 'off' }), GUICHET_PUBLIC_URL: FAULT_PUBLIC_URL }
// The digest reads no geography (only the HTTP routes do, and they are not served here).
const alerts = composeAlerts({ db, config, clock: { now: () => new Date(now) }, logger: silentLogger, catalogue: () => catalogue, geography: {} as Geography })
process.stdout.write('phase:ready\n')
let code = 0
try {
  const report = await alerts.runDigest({ now })
  process.stdout.write(`${JSON.stringify({ skipped: report.skipped ?? null, messages: report.messages, rows: report.rows, ms: Math.round(report.ms) })}\n`)
  if (report.skipped) code = 3
} catch (err) {
  console.error(`digest failed: ${(err as Error).stack ?? err}`)
  code = 1
} finally {
  alerts.close()
  db.close()
}
process.exit(code)

// The information pages a public body must publish: GET /confidentialite (privacy notice),
// GET /confidentialite/registre.csv and .xlsx (the record of processing activities, RGPD art. 30)
// and GET /accessibilite (accessibility statement). All from the declaration in core/privacy/, the
// controller from the configuration, the runtime saying which sub-processors and transfers apply.
import { Hono } from 'hono'
import writeXlsxFile, { type SheetData } from 'write-excel-file/universal'
import type { Config } from '../../core/config.ts'
import { controllerOf } from '../../core/privacy/controller.ts'
import type { Runtime } from '../../core/privacy/declaration.ts'
import { registerCsv, registerRows } from '../../core/privacy/register.ts'
import { renderAccessibilityPage } from './accessibility-page.ts'
import { ACCESSIBILITY_PATH, PRIVACY_PATH } from './legal-layout.ts'
import { renderPrivacyPage } from './privacy-page.ts'

const REGISTER_FILE = 'registre-des-traitements-guichet'

export async function registerXlsx(rows: string[][]): Promise<ArrayBuffer> {
  const data: SheetData = rows.map((r, i) => r.map((v) => (i === 0 ? { value: v, type: String, fontWeight: 'bold' as const, wrap: true } : { value: v, type: String, wrap: true })))
  const blob = await writeXlsxFile(data, { sheet: 'Registre', stickyRowsCount: 1, columns: rows[0]!.map((_, i) => ({ width: i === 0 ? 20 : 36 })) }).toBlob()
  return blob.arrayBuffer()
}

export function legalRoutes({ config, runtime }: { config: Config; runtime: Runtime }): Hono {
  const app = new Hono()
  const controller = controllerOf(config)
  const cache = { 'cache-control': 'public, max-age=300' }
  app.get(PRIVACY_PATH, (c) => c.html(renderPrivacyPage({ controller, runtime, backupKeepDays: config.GUICHET_BACKUP_KEEP_DAYS }), 200, cache))
  app.get(`${PRIVACY_PATH}/registre.csv`, (c) =>
    c.body(registerCsv(controller, runtime, config.GUICHET_BACKUP_KEEP_DAYS), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${REGISTER_FILE}.csv"`, ...cache }),
  )
  app.get(`${PRIVACY_PATH}/registre.xlsx`, async (c) =>
    c.body(await registerXlsx(registerRows(controller, runtime, config.GUICHET_BACKUP_KEEP_DAYS)), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${REGISTER_FILE}.xlsx"`,
      ...cache,
    }),
  )
  app.get(ACCESSIBILITY_PATH, (c) => {
    const publicUrl = config.GUICHET_PUBLIC_URL ?? new URL(c.req.url).origin
    return c.html(renderAccessibilityPage({ controller, publicUrl }), 200, cache)
  })
  return app
}

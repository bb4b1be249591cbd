// Programmes created in the back office, as the catalogue takes them: checked again against the
// schema at each rebuild (a schema change may break one: logged and left out), and a curated file
// of the same id wins over them.
import type { Logger } from '../core/logger.ts'
import { ProgrammeSchema, type Programme } from '../core/programme.ts'
import type { CreatedProgramme } from './curation.ts'

export function acceptCreatedProgrammes(created: readonly CreatedProgramme[], files: readonly Programme[], logger: Pick<Logger, 'warn'>): Programme[] {
  const fileIds = new Set(files.map((p) => p.id))
  return created.flatMap((c) => {
    if (fileIds.has(c.programme.id)) return []
    const parsed = ProgrammeSchema.safeParse(c.programme)
    if (parsed.success) return [parsed.data]
    logger.warn('back-office programme left out', { id: c.programme.id, issues: parsed.error.issues.map((i) => i.path.join('.') + ': ' + i.message) })
    return []
  })
}

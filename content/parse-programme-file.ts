// Parses one curated programme file (content/programmes/<id>.yaml). Pure: the runtime reads
// the files; this turns text into a validated Programme or a ContentError naming file and field.
import { parse as parseYaml } from 'yaml'
import { ContentError, zodIssues } from '../core/errors.ts'
import { ProgrammeSchema, type Programme } from '../core/programme.ts'

export function parseProgrammeFile(fileName: string, source: string): Programme {
  let raw: unknown
  try {
    raw = parseYaml(source, { prettyErrors: true })
  } catch (err) {
    throw new ContentError(fileName, [{ field: '', message: `YAML illisible: ${(err as Error).message.split('\n')[0]}` }])
  }
  const parsed = ProgrammeSchema.safeParse(raw)
  if (!parsed.success) throw new ContentError(fileName, zodIssues(parsed.error.issues))
  const expectedId = fileName.replace(/^.*\//, '').replace(/\.ya?ml$/, '')
  if (parsed.data.id !== expectedId) {
    throw new ContentError(fileName, [{ field: 'id', message: `l'identifiant « ${parsed.data.id} » doit être le nom du fichier (${expectedId})` }])
  }
  return parsed.data
}

/** Parses every file; collects all errors so an editor sees every broken file at once. */
export function parseProgrammeFiles(files: { name: string; text: string }[]): Programme[] {
  const errors: ContentError[] = []
  const programmes: Programme[] = []
  for (const f of files) {
    try {
      programmes.push(parseProgrammeFile(f.name, f.text))
    } catch (err) {
      if (err instanceof ContentError) errors.push(err)
      else throw err
    }
  }
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'))
  return programmes.sort((a, b) => a.id.localeCompare(b.id))
}

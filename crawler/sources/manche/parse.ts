// Département de la Manche aid guide (`{count, aides[]}`, Aides-territoires-like field names and
// labels) → Programmes, through the Aides-territoires mapping with the Département as default
// funder and perimeter.
import type { ParseContext, ParseResult } from '../../types.ts'
import { listIn, parseJsonPayload } from '../../normalize/payload.ts'
import { createCollector } from '../../normalize/record.ts'
import { mapAtAid } from '../aides-territoires/parse.ts'

export const SOURCE_ID = 'manche'

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const data = parseJsonPayload(SOURCE_ID, payload)
  const items = listIn(SOURCE_ID, data, ['aides'], 'une réponse {count, aides}')
  const c = createCollector(SOURCE_ID, ctx)
  items.forEach((item, i) => {
    const draft = mapAtAid(c, item, i, { funders: ['Département de la Manche'], perimeter: 'Manche', atPages: false })
    if (draft) c.finish(draft)
  })
  return c.result()
}

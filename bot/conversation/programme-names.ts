// Programmes named in a message: the ones the project names (« candidater au FICOL », which then
// join the search words) and the one a « pourquoi la DETR ? » is about. Names are compared
// folded (core/french.ts), as whole words.
import type { Catalogue } from '../../content/catalogue.ts'
import { foldFrench } from '../../core/french.ts'
import type { Programme } from '../../core/programme.ts'

/** Programmes named by the user ("le FICOL", "la DETR"): their short names join the search terms. */
export function mentionedProgrammes(text: string, catalogue: Catalogue): string[] {
  if (!text) return []
  const words = ` ${foldWords(text)} `
  const found = new Set<string>()
  for (const [folded, name] of programmeNames(catalogue)) if (words.includes(folded)) found.add(name)
  return [...found]
}

/** Which of the programmes `ids` a « pourquoi … » is about (`about` as typed), if any. */
export function findProgramme(about: string | undefined, ids: string[], catalogue: Catalogue): string | undefined {
  if (!about) return undefined
  const norm = foldWords(about)
  const programmes = ids.map((id) => catalogue.get(id)).filter((p): p is Programme => !!p)
  // Its own short name or id first ("la DETR" is the DETR, not the fund that merges it), then its name, then keywords.
  const passes: ((p: Programme) => string[])[] = [(p) => [p.id, p.shortName ?? ''], (p) => [p.name], (p) => p.keywords]
  for (const names of passes) {
    for (const p of programmes) {
      const folded = names(p).map(foldWords).filter((n) => n.length >= 3)
      if (folded.some((n) => ` ${norm} `.includes(` ${n} `) || (n.length > 6 && n.includes(norm) && norm.length >= 4))) return p.id
    }
  }
  return undefined
}

// Short names and acronyms of a catalogue's programmes, folded once per catalogue.
const namesByCatalogue = new WeakMap<Catalogue, Map<string, string>>()
function programmeNames(catalogue: Catalogue): Map<string, string> {
  let names = namesByCatalogue.get(catalogue)
  if (!names) {
    names = new Map()
    for (const p of catalogue.all()) {
      const candidates = [p.shortName, ...p.keywords.filter((k) => /^[A-ZÉ0-9][A-ZÉ0-9 -]{2,}$/.test(k))]
      for (const n of candidates) if (n && n.length >= 3 && !names.has(` ${foldWords(n)} `)) names.set(` ${foldWords(n)} `, n)
    }
    namesByCatalogue.set(catalogue, names)
  }
  return names
}

/** Folded (core/french.ts), letters and digits only, words joined by single spaces. */
function foldWords(s: string): string {
  return foldFrench(s).replace(/[^a-z0-9]+/g, ' ').trim()
}

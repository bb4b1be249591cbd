// `npx tsx test/eval/generated/places-probe.ts [count]`: the first messages of the generated set's
// three styles, written for collectivités drawn at random from the whole geography (seeded), read
// by the understanding: how often the collectivité is misread, and the messages misread. A
// development tool over places no case was written for (the hold-out half is never looked into).
// `--applicants`: half the messages come from another applicant of the place (syndicat, CCAS…).
import { loadEtalabGeography } from '../../../core/geography/etalab-data.ts'
import type { CollectiviteProfile } from '../../../core/profile.ts'
import { understand } from '../../../bot/conversation/understand/understand.ts'
import { messages } from './build-cases.ts'
import etalab from '../../../core/geography/etalab-json.cjs'

const geo = loadEtalabGeography()
const count = Number(process.argv[2] ?? 400)
const applicants = process.argv.includes('--applicants')
let seed = 20261206
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!

const data = etalab as unknown as { communes: { code: string; type: string }[]; epci: { code: string }[]; departements: { code: string }[]; regions: { code: string }[] }
const communes = data.communes.filter((c) => c.type === 'commune-actuelle')
const places: CollectiviteProfile[] = []
for (let i = 0; i < count; i++) {
  const r = rand()
  const p = r < 0.7 ? geo.communeByInsee(pick(communes).code) : r < 0.88 ? geo.epciBySiren(pick(data.epci).code) : r < 0.97 ? geo.departement(pick(data.departements).code) : geo.region(pick(data.regions).code)
  if (p) places.push(p)
}
let misread = 0
let total = 0
const lines: string[] = []
for (const [i, p] of places.entries()) {
  // The collectivité's own type mostly; other applicants of its territory too (syndicat, CCAS/SDIS,
  // association, PETR, groupement, entreprise, a COM), as the generated cases write them.
  const others = p.type === 'commune' || p.type === 'departement' ? ['syndicat', 'etablissement_public', 'association', 'petr', 'groupement_collectivites', 'entreprise'] : [p.type]
  if (p.zone === 'com') others.push('collectivite_outre_mer')
  const applicant = applicants && rand() < 0.5 ? pick(others) : p.type
  const styles = messages(p, { applicant, themes: ['equipements_publics'], ...(applicant === 'syndicat' && { syndicatKind: pick(['energie', 'eau', 'dechets', 'scolaire']), applicantPopulation: 12000 }) } as never, `probe-${i}`)
  for (const [style, text] of Object.entries(styles)) {
    total++
    const c = understand(text, { geography: geo, today: '2026-03-01' }).collectivite
    const ok = c?.kind === 'found' ? c.profile.code === p.code : c?.kind === 'ambiguous' && c.candidates.some((x) => x.code === p.code)
    if (!ok) {
      misread++
      lines.push(`${p.type} ${p.code} ${style}: ${c?.kind === 'found' ? `→ ${c.profile.type} ${c.profile.name}` : `→ ${c?.kind ?? 'nothing'}`} :: ${text}`)
    }
  }
}
console.log(lines.join('\n'))
console.log(`${misread}/${total} first messages misread the collectivité (${((100 * misread) / total).toFixed(1)} %) over ${places.length} random collectivités`)

// The registry of crawl sources: id → plan + parse. The CLI and the runner (run-crawl.ts) look sources
// up here; adding a source is one folder and one line.
import type { CrawlSource } from '../types.ts'
import { plan as ademePlan } from './ademe-agir/plan.ts'
import { parse as ademeParse } from './ademe-agir/parse.ts'
import { plan as afdPlan } from './afd-ficol/plan.ts'
import { parse as afdParse } from './afd-ficol/parse.ts'
import { plan as atPlan } from './aides-territoires/plan.ts'
import { parse as atParse } from './aides-territoires/parse.ts'
import { plan as culturePlan } from './culture/plan.ts'
import { parse as cultureParse } from './culture/parse.ts'
import { plan as daectPlan } from './daect/plan.ts'
import { parse as daectParse } from './daect/parse.ts'
import { plan as sediaPlan } from './eu-sedia/plan.ts'
import { parse as sediaParse } from './eu-sedia/parse.ts'
import { plan as idfPlan } from './idf/plan.ts'
import { parse as idfParse } from './idf/parse.ts'
import { plan as manchePlan } from './manche/plan.ts'
import { parse as mancheParse } from './manche/parse.ts'
import { plan as naPlan } from './nouvelle-aquitaine/plan.ts'
import { parse as naParse } from './nouvelle-aquitaine/parse.ts'
import { plan as wePlan } from './welcome-europe/plan.ts'
import { parse as weParse } from './welcome-europe/parse.ts'

export const SOURCES: readonly CrawlSource[] = [
  { id: 'aides-territoires', plan: atPlan, parse: atParse },
  { id: 'eu-sedia', plan: sediaPlan, parse: sediaParse },
  { id: 'ademe-agir', plan: ademePlan, parse: ademeParse },
  { id: 'idf', plan: idfPlan, parse: idfParse },
  { id: 'nouvelle-aquitaine', plan: naPlan, parse: naParse },
  { id: 'manche', plan: manchePlan, parse: mancheParse },
  { id: 'culture', plan: culturePlan, parse: cultureParse },
  { id: 'welcome-europe', plan: wePlan, parse: weParse },
  { id: 'afd-ficol', plan: afdPlan, parse: afdParse },
  { id: 'daect', plan: daectPlan, parse: daectParse },
]

export const SOURCE_IDS = SOURCES.map((s) => s.id)

export function findSource(id: string): CrawlSource | undefined {
  return SOURCES.find((s) => s.id === id)
}

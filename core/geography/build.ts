// The geography's build: the Etalab data read into records — départements and régions by code,
// current communes (with the codes that now lead to them, postal codes, populations summed per
// département and région), EPCI by SIREN with their member communes and seats — and the
// CollectiviteProfile made from each record, on demand (fresh objects, safe to mutate).
import type { CollectiviteProfile } from '../profile.ts'
import type { EtalabCommune, EtalabDepartement, EtalabEpci, EtalabRegion, GeographyData } from './types.ts'

export interface GeographyRecords {
  regionByCode: Map<string, EtalabRegion>
  deptByCode: Map<string, EtalabDepartement>
  /** Current communes only. */
  communes: EtalabCommune[]
  communeByCode: Map<string, EtalabCommune>
  /** Old / delegated / associated / arrondissement code → current code. */
  aliasCode: Map<string, string>
  /** Communes served by a postal code, most populous first. */
  byPostalCode: Map<string, EtalabCommune[]>
  deptPopulation: Map<string, number>
  regionPopulation: Map<string, number>
  epciBySiren: Map<string, EtalabEpci>
  epciOfCommune: Map<string, EtalabEpci>
  /** An EPCI's most populous member commune. */
  epciSeat: Map<EtalabEpci, EtalabCommune>
  /** A région made of a single département (the DROM, the COM): that département. */
  singleDepartement: Map<string, EtalabDepartement>
}

/** Adds value to the list under key, once. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) {
    if (!list.includes(value)) list.push(value)
  } else map.set(key, [value])
}

export function buildRecords(data: GeographyData): GeographyRecords {
  const regionByCode = new Map<string, EtalabRegion>()
  for (const r of data.regions) regionByCode.set(r.code, r)
  const deptByCode = new Map<string, EtalabDepartement>()
  for (const d of data.departements) deptByCode.set(d.code, d)
  const communes = buildCommunes(data)
  const epci = buildEpci(data, communes.communeByCode)
  // A région made of a single département (the DROM, the COM) is also that département's territory:
  // rules that name or exclude the département apply to it.
  const singleDepartement = new Map<string, EtalabDepartement>()
  for (const r of data.regions) {
    const depts = data.departements.filter((d) => d.region === r.code)
    if (depts.length === 1) singleDepartement.set(r.code, depts[0]!)
  }
  return { regionByCode, deptByCode, ...communes, ...epci, singleDepartement }
}

function buildCommunes(data: GeographyData): Pick<GeographyRecords, 'communes' | 'communeByCode' | 'aliasCode' | 'byPostalCode' | 'deptPopulation' | 'regionPopulation'> {
  const communes: EtalabCommune[] = []
  const communeByCode = new Map<string, EtalabCommune>()
  const aliasCode = new Map<string, string>()
  const byPostalCode = new Map<string, EtalabCommune[]>()
  const deptPopulation = new Map<string, number>()
  const regionPopulation = new Map<string, number>()
  for (const c of data.communes) {
    if (c.type !== 'commune-actuelle') {
      const target = c.type === 'arrondissement-municipal' ? c.commune : c.chefLieu
      if (target && target !== c.code && !aliasCode.has(c.code)) aliasCode.set(c.code, target)
      continue
    }
    communes.push(c)
    communeByCode.set(c.code, c)
    if (c.anciensCodes) for (const old of c.anciensCodes) if (old !== c.code) aliasCode.set(old, c.code)
    if (c.codesPostaux) for (const cp of c.codesPostaux) pushTo(byPostalCode, cp, c)
    if (c.population !== undefined) {
      deptPopulation.set(c.departement, (deptPopulation.get(c.departement) ?? 0) + c.population)
      regionPopulation.set(c.region, (regionPopulation.get(c.region) ?? 0) + c.population)
    }
  }
  for (const list of byPostalCode.values()) list.sort((a, b) => (b.population ?? 0) - (a.population ?? 0))
  return { communes, communeByCode, aliasCode, byPostalCode, deptPopulation, regionPopulation }
}

function buildEpci(data: GeographyData, communeByCode: Map<string, EtalabCommune>): Pick<GeographyRecords, 'epciBySiren' | 'epciOfCommune' | 'epciSeat'> {
  const epciBySiren = new Map<string, EtalabEpci>()
  const epciOfCommune = new Map<string, EtalabEpci>()
  const epciSeat = new Map<EtalabEpci, EtalabCommune>()
  for (const e of data.epci) {
    epciBySiren.set(e.code, e)
    let seat: EtalabCommune | undefined
    for (const m of e.membres) {
      const c = communeByCode.get(m.code)
      if (!c) continue
      epciOfCommune.set(c.code, e)
      if (!seat || (c.population ?? 0) > (seat.population ?? 0)) seat = c
    }
    if (seat) epciSeat.set(e, seat)
  }
  return { epciBySiren, epciOfCommune, epciSeat }
}

// ---------------------------------------------------------------------------------------------
// Profiles

export interface Profiles {
  commune(c: EtalabCommune): CollectiviteProfile
  epci(e: EtalabEpci): CollectiviteProfile
  departement(d: EtalabDepartement): CollectiviteProfile
  region(r: EtalabRegion): CollectiviteProfile
}

export function createProfiles(records: GeographyRecords): Profiles {
  return {
    commune: (c) => communeProfile(records, c),
    epci: (e) => epciProfile(records, e),
    departement: (d) => departementProfile(records, d),
    region: (r) => regionProfile(records, r),
  }
}

const deptRef = (rec: GeographyRecords, code: string): { code: string; name: string } | undefined => {
  const d = rec.deptByCode.get(code)
  return d && { code: d.code, name: d.nom }
}
const regionRef = (rec: GeographyRecords, code: string): { code: string; name: string } | undefined => {
  const r = rec.regionByCode.get(code)
  return r && { code: r.code, name: r.nom }
}

function communeProfile(rec: GeographyRecords, c: EtalabCommune): CollectiviteProfile {
  const departement = deptRef(rec, c.departement)
  const region = regionRef(rec, c.region)
  const e = rec.epciOfCommune.get(c.code)
  return {
    type: 'commune',
    name: c.nom,
    code: c.code,
    ...(c.population !== undefined && { population: c.population }),
    ...(departement && { departement }),
    ...(region && { region }),
    zone: c.zone,
    ...(e && { epci: { siren: e.code, name: e.nom, kind: e.type } }),
    ...(c.codesPostaux && { postalCodes: [...c.codesPostaux] }),
  }
}

function epciProfile(rec: GeographyRecords, e: EtalabEpci): CollectiviteProfile {
  // Département, région and zone: those of the most populous member commune. An EPCI may
  // straddle a départemental border; its most populous commune is nearly always its seat and
  // the département whose prefect oversees it, and a profile carries one département.
  const seat = rec.epciSeat.get(e)
  const departement = seat && deptRef(rec, seat.departement)
  const region = seat && regionRef(rec, seat.region)
  return {
    type: 'epci',
    name: e.nom,
    code: e.code,
    // Population totale (municipale + comptée à part), the figure the DGCL and most programme
    // thresholds for EPCI use; populationMunicipale is slightly lower.
    population: e.populationTotale,
    ...(departement && { departement }),
    ...(region && { region }),
    zone: seat?.zone ?? 'metro',
    epci: { siren: e.code, name: e.nom, kind: e.type },
    ...(seat?.population !== undefined && { centre: { code: seat.code, name: seat.nom, population: seat.population } }),
  }
}

function departementProfile(rec: GeographyRecords, d: EtalabDepartement): CollectiviteProfile {
  const population = rec.deptPopulation.get(d.code)
  const region = regionRef(rec, d.region)
  return {
    type: 'departement',
    name: d.nom,
    code: d.code,
    // Sum of its current communes' populations municipales (none for TAAF, which has no inhabitants on record).
    ...(population !== undefined && { population }),
    // The département is its own: territory rules naming a département match it.
    departement: { code: d.code, name: d.nom },
    ...(region && { region }),
    zone: d.zone,
  }
}

function regionProfile(rec: GeographyRecords, r: EtalabRegion): CollectiviteProfile {
  const population = rec.regionPopulation.get(r.code)
  const only = rec.singleDepartement.get(r.code)
  return {
    type: 'region',
    name: r.nom,
    code: r.code,
    ...(population !== undefined && { population }),
    ...(only && { departement: { code: only.code, name: only.nom } }),
    region: { code: r.code, name: r.nom },
    zone: r.zone,
  }
}

// Types of etalab-areas.cjs.
declare const areas: {
  departements: { code: string; region: string; nom: string; zone: string }[]
  regions: { code: string; nom: string; zone: string }[]
}
export = areas

declare module '@etalab/decoupage-administratif/data/communes.json' {
  const value: unknown[]
  export default value
}
declare module '@etalab/decoupage-administratif/data/epci.json' {
  const value: unknown[]
  export default value
}

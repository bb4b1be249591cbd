// Type of the catalogue JSON written by build-catalogue.ts (validated again at startup).
declare const programmes: unknown[]
export default programmes

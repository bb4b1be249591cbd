// Type of the catalogue JSON written by build.ts (validated again at startup).
declare const programmes: unknown[]
export default programmes

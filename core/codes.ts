// French administrative codes, written once: every schema and parser that reads one uses these.

/** A commune's INSEE code: five digits, or 2A/2B and three digits in Corsica (« 89446 », « 2A004 »). */
export const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/
/** A département's code: two or three digits, or 2A/2B (« 89 », « 974 », « 2A »). */
export const DEPARTEMENT_CODE = /^(\d{2,3}|2[AB])$/
/** A SIREN (an EPCI's or any public body's): nine digits. */
export const SIREN = /^\d{9}$/

// What kind of body a Fonds vert beneficiary is, from its SIREN and its name: a commune or an EPCI
// à fiscalité propre when the geography knows the SIREN; a syndicat, a département by name; then the
// public-sector SIREN prefixes (21… communes, 22… départements) when the name agrees; else « other »
// (associations, conservatories, public establishments, companies…). Each answer says the rule that gave it.
import { foldFrench } from '../../core/french.ts'

export type BeneficiaryType = 'commune' | 'epci' | 'syndicat' | 'departement' | 'other'
export const BENEFICIARY_TYPES: readonly BeneficiaryType[] = ['commune', 'epci', 'syndicat', 'departement', 'other']

export type BeneficiaryRule = 'commune-siren' | 'epci-siren' | 'syndicat-name' | 'departement-name' | 'commune-name' | 'commune-prefix' | 'departement-prefix' | 'other'

export interface BeneficiaryLookups {
  /** Whether a SIREN is a current (or merged) commune's, from the Etalab geography. */
  isCommuneSiren(siren: string): boolean
  /** Whether a SIREN is an EPCI à fiscalité propre's. */
  isEpciSiren(siren: string): boolean
}

// Syndicats (intercommunal or mixed) by the words and acronyms of their names: SYND…, SIVOM, SIVU,
// SMICTOM…, the energy syndicats (SDE…, FDE, Territoire d'énergie, SYADEN, SEZEO), ASYMIX / S M / SM3A
// (syndicat mixte as SIRENE abbreviates it), EPTB and EPAGE (syndicats mixtes by law), PETR, pôles métropolitains.
const SYNDICAT = /\b(SYND\w*|SIVOM|SIVU|SMICTOM|SICTOM|SMIRTOM|SMITOM|SIRTOM|SMICTOM\w*|SMI\w*|SIAEP|SIAE|SIA|SIE|SIEA|SIEL|SDE\w*|SYDE\w*|SIEDS|SIEGE|SDEE\w*|SDEHG|SMBV\w*|SMAB\w*|EPTB|PETR|POLE D EQUILIBRE TERRITORIAL|POLE METROPOLITAIN|FDE\s?\d*|FEDERATION DEPARTEMENTALE D ENERGIE|TERRITOIRE (D )?ENERGIE|SYADEN|SEZEO|ASYMIX|S M|EPAGE|SM\d?A?)\b/
const DEPARTEMENT = /^(DEPARTEMENT|DEP|CONSEIL DEPARTEMENTAL|CD ?\d{2})\b/
// Collectivités with a 22… SIREN that are not départements (overseas collectivités, TAAF).
const NOT_DEPARTEMENT = /\b(TAAF|POLYNESIE|PROVINCE|NOUVELLE CALEDONIE|WALLIS|SAINT PIERRE|SAINT BARTHELEMY|SAINT MARTIN)\b/

function key(name: string): string {
  return foldFrench(name).toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim()
}

export function typeBeneficiary(b: { name: string; siren: string | undefined; communeName: string }, lookups: BeneficiaryLookups): { type: BeneficiaryType; rule: BeneficiaryRule } {
  const name = key(b.name)
  if (b.siren && lookups.isCommuneSiren(b.siren)) return { type: 'commune', rule: 'commune-siren' }
  if (b.siren && lookups.isEpciSiren(b.siren)) return { type: 'epci', rule: 'epci-siren' }
  if (SYNDICAT.test(name)) return { type: 'syndicat', rule: 'syndicat-name' }
  if (DEPARTEMENT.test(name)) return { type: 'departement', rule: 'departement-name' }
  // A commune whose SIREN the geography does not hold (a commune nouvelle's old SIREN…) but named like the row's commune.
  if (b.siren?.startsWith('21') && (name === key(b.communeName) || name.startsWith('COMMUNE') || name.startsWith('MAIRIE') || name.startsWith('VILLE'))) return { type: 'commune', rule: 'commune-name' }
  if (b.siren?.startsWith('21')) return { type: 'commune', rule: 'commune-prefix' }
  if (b.siren?.startsWith('22') && !NOT_DEPARTEMENT.test(name)) return { type: 'departement', rule: 'departement-prefix' }
  return { type: 'other', rule: 'other' }
}

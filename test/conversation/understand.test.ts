// understand() and detectCollectivite() on the real Etalab geography: the mayor's own words
// (typos, no accents, texting), homonyms, EPCI names, départements, régions, codes, partial
// profiles, and the whole message read into one Understanding.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Geography } from '../../core/geography/geography.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import {
  detectCollectivite,
  understand,
  type CollectiviteUnderstanding,
  type SlotName,
  type Understanding,
} from '../../bot/conversation/understand/understand.ts'

let geography: Geography
beforeAll(() => {
  geography = loadEtalabGeography()
})

const TODAY = '2026-03-15'
const u = (text: string, expectedSlot?: SlotName): Understanding =>
  understand(text, { geography, today: TODAY, ...(expectedSlot && { expectedSlot }) })
const col = (text: string, expectedSlot?: SlotName): CollectiviteUnderstanding | undefined =>
  detectCollectivite(text, { geography, ...(expectedSlot && { expectedSlot }) }).collectivite

function found(c: CollectiviteUnderstanding | undefined): CollectiviteProfile & { corrected?: string } {
  if (c?.kind !== 'found') throw new Error(`expected found, got ${JSON.stringify(c)?.slice(0, 300)}`)
  return { ...c.profile, ...(c.corrected !== undefined && { corrected: c.corrected }) }
}

function candidates(c: CollectiviteUnderstanding | undefined): CollectiviteProfile[] {
  if (c?.kind !== 'ambiguous') throw new Error(`expected ambiguous, got ${JSON.stringify(c)?.slice(0, 300)}`)
  return c.candidates
}

describe('detectCollectivite: communes named after a cue', () => {
  it('"je suis maire de Saint-Amand-Montrond" and "mairie de St Amand Montrond"', () => {
    expect(found(col('Bonjour, je suis maire de Saint-Amand-Montrond, on veut passer l\'éclairage public en LED')).code).toBe('18197')
    expect(found(col('mairie de St Amand Montrond')).code).toBe('18197')
    expect(found(col('je suis le maire de saint amand montrond on a un projet')).code).toBe('18197')
    expect(found(col('commune de Saint-Amand-Montrond')).name).toBe('Saint-Amand-Montrond')
  })

  it('names the applicant type the cue says', () => {
    expect(detectCollectivite('maire de Vézelay', { geography }).applicantHint).toBe('commune')
    expect(detectCollectivite('la com com du Pays de Fontainebleau', { geography }).applicantHint).toBe('epci')
  })

  it('stops the name at punctuation and clause words, keeps hyphens and connectors', () => {
    expect(found(col('je suis maire de Pont-à-Mousson et on veut installer de la vidéoprotection')).code).toBe('54431')
    expect(found(col('maire de vezelay, on voudrait refaire la voirie')).code).toBe('89446')
    expect(found(col('maire de Vézelay depuis 2020')).code).toBe('89446')
    expect(found(col('Je suis adjointe au maire à Vézelay, on réfléchit à une étude')).code).toBe('89446')
    expect(found(col('maire du Havre')).name).toBe('Le Havre')
  })

  it('a typo: found when one commune is clearly the closest, with what was typed', () => {
    const vezelay = found(col('maire de Vezelai'))
    expect(vezelay).toMatchObject({ code: '89446', name: 'Vézelay', corrected: 'Vezelai' })
    expect(found(col('Saint-Amand-Montron', 'collectivite'))).toMatchObject({ code: '18197', corrected: 'Saint-Amand-Montron' })
  })

  it('a name that matches nothing close enough: notFound with suggestions', () => {
    const c = col('je suis maire de Vzlyyy-sur-Cure')
    expect(c?.kind).toBe('notFound')
    if (c?.kind === 'notFound') expect(c.query).toBe('Vzlyyy-sur-Cure')
  })

  it('homonyms are ambiguous, a qualifier decides', () => {
    const all = candidates(col('Saint-Denis', 'collectivite'))
    expect(all.map((c) => c.departement?.code)).toEqual(expect.arrayContaining(['974', '93']))
    expect(candidates(col('Saint-Denis')).length).toBeGreaterThan(1) // a bare capitalised name, no slot
    expect(found(col('Saint-Denis (974)', 'collectivite')).code).toBe('97411')
    expect(found(col('Saint-Denis (974)')).code).toBe('97411')
    expect(found(col('Saint-Denis, La Réunion', 'collectivite')).code).toBe('97411')
    expect(found(col('maire de Saint-Denis (974)')).code).toBe('97411')
    expect(found(col('maire de Saint-Denis dans le 93')).code).toBe('93066')
    expect(found(col('maire de Sainte-Marie, La Réunion')).code).toBe('97418')
    expect(found(col('Vézelay 89', 'collectivite')).code).toBe('89446')
  })

  it('"à"/"pour" only before a capitalised name that is no project word', () => {
    expect(found(col('je suis à Vézelay')).code).toBe('89446')
    expect(col('pour l\'école')).toBeUndefined() // École (73) is a commune: not here
    expect(col('on veut une piscine à la campagne')).toBeUndefined()
    expect(col('à Noël on illumine le village')).toBeUndefined()
  })

  it('never takes project words or countries for communes', () => {
    expect(col('École', 'collectivite')).toBeUndefined()
    expect(col('on voudrait rénover l\'école et la piscine')).toBeUndefined()
    expect(col('Sénégal')).toBeUndefined()
    expect(col('jumelage avec une ville du Sénégal')).toBeUndefined()
    expect(col('une ville de taille moyenne')).toBeUndefined()
    expect(col('une commune de montagne')).toBeUndefined()
  })

  it('"maire de X" is a commune even when X sounds like a country', () => {
    expect(found(col('je suis maire de Grenade et on veut rénover la piscine')).code).toBe('31232')
  })
})

describe('detectCollectivite: EPCI, départements, régions, codes', () => {
  it('EPCI by kind words, abbreviations and name (findEpci)', () => {
    const fontainebleau = found(col('la com com du Pays de Fontainebleau'))
    expect(fontainebleau).toMatchObject({ type: 'epci', code: '200072346', name: 'CA du Pays de Fontainebleau' })
    expect(found(col('CC du Pays de Fontainebleau, on a un projet de tiers-lieu')).code).toBe('200072346')
    expect(found(col('Président de la communauté de communes Coeur de France')).code).toBe('200036135')
    expect(found(col('la métropole de Lyon')).name).toBe('Métropole de Lyon')
    expect(found(col('l\'agglo de Bourges')).name).toBe('CA Bourges Plus')
    expect(found(col('communauté d\'agglomération de Bourges')).name).toBe('CA Bourges Plus')
    expect(found(col('la CA du Grand Chalon')).name).toBe('CA Le Grand Chalon')
    expect(found(col('Bordeaux Métropole')).type).toBe('epci')
  })

  it('"ça" is not the CA, "en métropole" is not a métropole', () => {
    expect(col('ça coûte 200 k€')).toBeUndefined()
    expect(col('on est en métropole, pas outre-mer')).toBeUndefined()
  })

  it('départements and régions', () => {
    expect(found(col('le département de la Drôme'))).toMatchObject({ type: 'departement', code: '26' })
    expect(found(col('le conseil départemental de l\'Yonne'))).toMatchObject({ type: 'departement', code: '89' })
    expect(found(col('la région Occitanie'))).toMatchObject({ type: 'region', code: '76' })
    expect(found(col('on est au conseil régional Hauts-de-France'))).toMatchObject({ type: 'region', code: '32' })
    expect(found(col('Région Sud'))).toMatchObject({ type: 'region', code: '93' })
    expect(found(col('la Drôme', 'collectivite'))).toMatchObject({ type: 'departement', code: '26' })
  })

  it('INSEE and postal codes', () => {
    expect(found(col('18197', 'collectivite')).name).toBe('Saint-Amand-Montrond')
    expect(found(col('18197')).name).toBe('Saint-Amand-Montrond') // a code alone is an answer
    expect(found(col('code insee 89446')).name).toBe('Vézelay')
    const cp = candidates(col('18200', 'collectivite'))
    expect(cp[0]!.name).toBe('Saint-Amand-Montrond')
    expect(cp.length).toBeGreaterThan(5)
    expect(candidates(col('mon code postal est 89450')).map((c) => c.name)).toContain('Vézelay') // 89450 serves several villages
  })

  it('a code is no budget and a budget no code', () => {
    expect(col('18200', 'budget')).toBeUndefined()
    expect(col('on a 18200 € de budget')).toBeUndefined()
  })
})

describe('detectCollectivite: partial profiles', () => {
  it('"commune de 400 hab. dans l\'Yonne"', () => {
    const c = col('commune de 400 hab. dans l\'Yonne')
    expect(c?.kind).toBe('partial')
    if (c?.kind !== 'partial') return
    expect(c.population).toBe(400)
    expect(c.departement).toMatchObject({ type: 'departement', code: '89', name: 'Yonne' })
    expect(c.region?.code).toBe('27')
  })

  it('other ways of saying it', () => {
    expect(col('je suis maire d\'une commune de 400 habitants dans l\'Yonne')).toMatchObject({ kind: 'partial', population: 400 })
    expect(col('commune rurale de 350 habitants dans le Cher')).toMatchObject({ kind: 'partial', population: 350, departement: { code: '18' } })
    expect(col('nous sommes une commune de 1 200 habitants en Dordogne')).toMatchObject({ kind: 'partial', population: 1200, departement: { code: '24' } })
    expect(col('village de 250 âmes dans le 89')).toMatchObject({ kind: 'partial', population: 250, departement: { code: '89' } })
    expect(col('une petite commune de moins de 2000 habitants en Bretagne')).toMatchObject({ kind: 'partial', population: 1999, region: { code: '53' } })
    expect(col('on est dans la Loire')).toMatchObject({ kind: 'partial', departement: { code: '42' } })
  })

  it('a bare number answers the population question', () => {
    expect(col('400', 'population')).toMatchObject({ kind: 'partial', population: 400 })
    expect(col('environ 1 200', 'population')).toMatchObject({ kind: 'partial', population: 1200 })
  })

  it('"en somme", "en centre-bourg" name no place', () => {
    expect(col('en somme on veut refaire la place')).toBeUndefined()
    expect(col('un commerce en centre-bourg')).toBeUndefined()
  })
})

describe('understand: the whole message', () => {
  it('Saint-Amand-Montrond and LED public lighting', () => {
    const r = u('Bonjour, je suis maire de Saint-Amand-Montrond, on veut passer l\'éclairage public en LED')
    expect(found(r.collectivite).code).toBe('18197')
    expect(r.applicantType).toBe('commune')
    expect(r.themes).toEqual({ add: ['eclairage_public'], remove: [] })
    expect(r.terms.add).toEqual(['éclairage public', 'LED'])
    expect(r.intents).toEqual(['greeting'])
    expect(r.budget).toBeUndefined()
  })

  it('a long message: every fact at once', () => {
    const r = u(
      'Bonjour, je suis maire de Vézelay (89), on voudrait rénover l\'école (isolation, chaudière à granulés) pour environ 350 000 € HT avant l\'été 2027, on est PVD',
    )
    expect(found(r.collectivite).code).toBe('89446')
    expect(r.themes.add).toEqual(expect.arrayContaining(['ecoles', 'renovation_energetique', 'energies_renouvelables']))
    expect(r.stage).toBe('travaux')
    expect(r.budget).toBe(350000)
    expect(r.timing).toMatchObject({ label: 'avant l\'été 2027', before: '2027-06-21' })
    expect(r.closedLists).toEqual({ petites_villes_de_demain: true })
    expect(r.intents).toContain('greeting')
  })

  it('"commune de 400 hab." is no budget', () => {
    const r = u('commune de 400 hab. dans l\'Yonne')
    expect(r.budget).toBeUndefined()
    expect(r.collectivite).toMatchObject({ kind: 'partial', population: 400 })
    expect(r.applicantType).toBe('commune')
  })

  it('a partner city abroad: the country, cooperation, and no commune of ours', () => {
    const r = u('On voudrait monter un jumelage avec une ville du Sénégal')
    expect(r.partnerCountry).toBe('SN')
    expect(r.collectivite).toBeUndefined()
    expect(r.applicantType).toBeUndefined()
    expect(r.themes.add).toContain('cooperation_internationale')
    expect(u('jumelage avec une commune allemande').themes.add).toContain('cooperation_europeenne')
  })

  it('corrections: "non, c\'est un EPCI", "pas la fibre, le wifi"', () => {
    const epci = u('non, c\'est un EPCI')
    expect(epci.applicantType).toBe('epci')
    expect(epci.intents).toContain('no')
    const wifi = u('pas la fibre, le wifi')
    expect(wifi.terms).toEqual({ add: ['wifi'], remove: ['fibre'] })
    expect(wifi.themes).toEqual({ add: ['wifi_public'], remove: ['tres_haut_debit'] })
  })

  it('dialogue words: "je ne sais pas", "recommencer", "pourquoi la DETR ?"', () => {
    expect(u('je ne sais pas').intents).toEqual(['dontKnow'])
    expect(u('je ne sais pas', 'collectivite').collectivite).toBeUndefined()
    expect(u('recommencer').intents).toEqual(['reset'])
    expect(u('pourquoi la DETR ?')).toMatchObject({ intents: ['why'], whyAbout: 'DETR' })
  })

  it('the expected slot reads a bare answer as that fact', () => {
    expect(u('300 000', 'budget').budget).toBe(300000)
    expect(u('300 000').budget).toBeUndefined()
    expect(found(u('Vézelay', 'collectivite').collectivite).code).toBe('89446')
    expect(u('non', 'collectivite')).toMatchObject({ intents: ['no'] })
    expect(u('non', 'collectivite').collectivite).toBeUndefined()
  })

  it('today decides relative timings', () => {
    expect(u('avant l\'été').timing).toEqual({ label: 'avant l\'été', before: '2026-06-21' })
    expect(understand('avant l\'été', { geography, today: '2026-08-01' }).timing?.before).toBe('2027-06-21')
  })

})

// Classes of misreading, each read by its mechanism rather than phrase by phrase: the
// collectivité at the head of a message, a syndicat's territory, communes as a project's object,
// theme words judged in their phrase, official populations kept, and where a cooperation project
// takes place. Every sentence here was misread before these mechanisms.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { detectThemes, understand, type SlotName, type Understanding } from '../../bot/conversation/understand/understand.ts'

let geography: Geography
beforeAll(() => {
  geography = loadEtalabGeography()
})

const u = (text: string, expectedSlot?: SlotName): Understanding => understand(text, { geography, today: '2026-03-15', ...(expectedSlot && { expectedSlot }) })
/** The collectivité read: its code when found, else the kind of answer (ambiguous, notFound…). */
const code = (text: string) => {
  const c = u(text).collectivite
  return c?.kind === 'found' ? c.profile.code : c?.kind
}
/** The collectivité read as « type name ». */
const found = (text: string) => {
  const c = u(text).collectivite
  return c?.kind === 'found' ? `${c.profile.type} ${c.profile.name}` : c?.kind
}
const name = (text: string, expectedSlot?: SlotName): string | undefined => {
  const c = u(text, expectedSlot).collectivite
  return c?.kind === 'found' ? `${c.profile.type}:${c.profile.code}` : c ? c.kind : undefined
}

describe('the collectivité at the head of a message', () => {
  it('a bare name opening the message, before punctuation', () => {
    expect(name('Dijon Métropole, rénovation des écoles')).toBe('epci:242100410')
    expect(name('Avallon : réfection du gymnase')).toBe('commune:89025')
    expect(name('La Charité-sur-Loire - création d\'un tiers-lieu')).toBe('commune:58059')
    expect(name('Besançon. Nous voulons rénover les écoles')).toBe('commune:25056')
  })

  it('after a greeting', () => {
    expect(name('Bonjour, Tonnerre, on veut refaire la voirie')).toBe('commune:89418')
    expect(name('Bonjour Madame, Avallon souhaite rénover son école')).toBe('commune:89025')
    expect(name('Salut ! Saint Fargeau : city stade')).toBe('commune:89344')
  })

  it('in capitals, misspelt, or with its hyphens missing', () => {
    expect(name('SAINT AMAND MONTROND REFECTION DE LA VOIRIE')).toBe('commune:18197')
    expect(name('COMMUNE DE JOIGNY : MAISON DE SANTE')).toBe('commune:89206')
    expect(name('Saint Amand Montrond : rénovation de la salle des fêtes')).toBe('commune:18197')
    const typo = u('Vezlay : rénovation de l\'église').collectivite
    expect(typo).toMatchObject({ kind: 'found', profile: { code: '89446' }, corrected: 'Vezlay' })
    expect(name('nous sommes à Vezlay (89), projet d\'école')).toBe('commune:89446')
  })

  it('with its département: « X dans le … », « à X (…) »', () => {
    expect(name('Tonnerre dans l\'Yonne, on veut une maison de santé')).toBe('commune:89418')
    expect(name('Joigny dans l\'Yonne souhaite une maison de santé')).toBe('commune:89206')
    expect(name('les travaux sont prévus à Tonnerre (Yonne)')).toBe('commune:89418')
  })

  it('a heading is no place', () => {
    expect(u('Métropole : plan de rénovation des écoles').collectivite).toBeUndefined()
    expect(u('Métropole : plan de rénovation des écoles').themes.add).toContain('ecoles')
    expect(u('Commune : projet de piscine').collectivite).toBeUndefined()
    expect(u('Objet : rénovation de l\'école').collectivite).toBeUndefined()
    expect(u('Bonjour, Projet de piscine').collectivite).toBeUndefined()
    expect(u('Piscine : rénovation').collectivite).toBeUndefined()
  })

  it('a partner city abroad is not us', () => {
    expect(u('je suis maire de Kita (Mali)').collectivite).toBeUndefined()
    expect(u('coopération avec la commune de Kita, au Mali').partnerCountry).toBe('ML')
    expect(u('coopération avec la commune de Kita, au Mali').collectivite).toBeUndefined()
  })
})

describe('a syndicat named with its territory', () => {
  it('gives the territory as the collectivité, and the syndicat as applicant', () => {
    const cher = u('syndicat d\'énergie du Cher, éclairage public')
    expect(cher.collectivite).toMatchObject({ kind: 'found', profile: { type: 'departement', code: '18' } })
    expect(cher).toMatchObject({ applicantType: 'syndicat', syndicatKind: 'energie' })
    expect(u('SIAEP de la région de Joigny, canalisations')).toMatchObject({ applicantType: 'syndicat', syndicatKind: 'eau', collectivite: { profile: { code: '89206' } } })
    expect(name('le SIVOM du secteur de Tonnerre veut une cantine')).toBe('commune:89418')
    expect(name('Le SDE 18 veut rénover l\'éclairage')).toBe('departement:18')
    expect(name('syndicat des eaux du Val de Loire dans le Loiret')).toBe('departement:45')
  })

  it('when the dialogue asks for the collectivité', () => {
    expect(name('le syndicat d\'énergie du Cher', 'collectivite')).toBe('departement:18')
    expect(name('syndicat intercommunal des eaux de la Puisaye dans l\'Yonne', 'collectivite')).toBe('departement:89')
    expect(u('syndicat mixte de la Nièvre', 'collectivite').applicantType).toBe('syndicat')
  })
})

describe('the applicant', () => {
  it('communes as the object of an EPCI\'s project', () => {
    expect(u('Communauté d\'agglomération de l\'Auxerrois, une voie verte qui relie les communes').applicantType).toBe('epci')
    expect(u('CA de l\'Auxerrois, vélos pour toutes les communes membres').applicantType).toBe('epci')
    expect(u('notre agglo veut une navette entre les villages').applicantType).toBe('epci')
    expect(u('CA de l\'Auxerrois : le projet dessert la commune de Monéteau').applicantType).toBe('epci')
    expect(u('c\'est la commune qui porte, pas l\'agglo').applicantType).toBe('commune')
  })

  it('every kind of syndicat', () => {
    for (const s of ['Le SDE18 veut rénover l\'éclairage', 'président du SIVU scolaire, rénovation de l\'école', 'nous sommes un SIVOM', 'le syndicat mixte porte la fibre', 'syndicat des eaux, travaux de canalisations', 'le syndicat intercommunal va rénover le gymnase']) {
      expect(u(s).applicantType, s).toBe('syndicat')
    }
    expect(u('Le SDE18 veut rénover l\'éclairage').syndicatKind).toBe('energie')
  })
})

describe('theme words judged in their phrase', () => {
  const themes = (s: string) => detectThemes(s).themes.add
  it('longer phrases win over the words they contain', () => {
    expect(themes('travaux d\'alimentation en eau potable du hameau')).toEqual(['eau_assainissement'])
    expect(themes('remplacer la production d\'eau chaude sanitaire du gymnase')).toEqual(['renovation_energetique', 'sport'])
    expect(themes('un chauffe-eau solaire pour la salle')).toEqual(['energies_renouvelables'])
    expect(themes('étendre les réseaux de chaleur')).toEqual(['energies_renouvelables'])
    expect(themes('renouveler le réseau d\'eau potable')).toEqual(['eau_assainissement'])
    expect(themes('améliorer le réseau mobile avec une antenne relais')).toEqual(['reseaux_mobiles'])
    expect(themes('installer un pylône en zone blanche')).toEqual(['reseaux_mobiles'])
    expect(themes('agrandir le restaurant scolaire et la cantine')).toEqual(['ecoles'])
  })
  it('phrase-level blockers', () => {
    expect(themes('renforcer l\'alimentation électrique de la salle des fêtes')).toEqual(['equipements_publics'])
  })
})

describe('population', () => {
  it('an official figure is never replaced by a typed, rounded one', () => {
    const r = u('Besançon, environ 120 000 habitants, rénovation des écoles')
    expect(r.collectivite).toMatchObject({ kind: 'found', profile: { code: '25056' } })
    expect((r.collectivite as { profile: { population: number } }).profile.population).not.toBe(120000)
    expect(u('maire de Tonnerre, 4 000 habitants').collectivite).toMatchObject({ kind: 'found', profile: { code: '89418' } })
  })
  it('an unnamed intercommunalité: its own population, said as an EPCI', () => {
    expect(u('communauté de communes de 12 000 habitants dans l\'Yonne').collectivite).toMatchObject({ kind: 'partial', population: 12000, type: 'epci' })
    expect(u('une commune de 400 habitants').collectivite).not.toHaveProperty('type')
  })
})

describe('a public establishment named with its territory, as a syndicat is', () => {
  it('the territory is the collectivité and the establishment applies', () => {
    for (const [text, where] of [
      ['SDIS de la Côte-d\'Or, prévention des feux de forêt', 'departement:21'],
      ['je travaille au SDIS de la Gironde', 'departement:33'],
      ['SDIS 21 : achat de véhicules', 'departement:21'],
      ['je travaille au CCAS (établissement public) de Vendée.', 'departement:85'],
      ['CCAS DE VENDEE, LA REMISE EN ETAT DE L\'ATELIER', 'departement:85'],
      ['hôpital public de Grenoble, travaux d\'économies d\'énergie', 'commune:38185'],
      ['ccas de cures', 'commune:72111'],
    ] as const) {
      expect(name(text), text).toBe(where)
      expect(u(text).applicantType, text).toBe('etablissement_public')
    }
  })

  it('a bracketed département makes the name a commune of it, not a homonymous département', () => {
    expect(name('centre hospitalier de Vienne (Isère)')).toBe('commune:38544')
    expect(name('syndicat des eaux de Vienne (Isère)')).toBe('commune:38544')
    expect(name('syndicat des eaux de la Vienne')).toBe('departement:86')
  })

  it('a body of the commune named as its object is not the applicant', () => {
    expect(u('la commune de Mende veut agrandir l\'EHPAD').applicantType).toBe('commune')
    expect(u('la commune de Vienne (Isère) rénove l\'ancien hôpital').applicantType).toBe('commune')
  })

  it('the words of the body\'s own name are not the project\'s themes, unless nothing else is said', () => {
    expect(u('syndicat des eaux de la Vienne, rénovation énergétique du siège').themes.add).toEqual(['renovation_energetique'])
    expect(u('SIVU scolaire de Cures, rénovation énergétique').themes.add).toEqual(['renovation_energetique'])
    expect(u('syndicat mixte des ordures ménagères de la Vienne, panneaux solaires').themes.add).toEqual(['energies_renouvelables'])
    expect(u('syndicat des eaux de la Vienne, un projet').themes.add).toEqual(['eau_assainissement'])
  })
})

describe('names of communes that look like words or hold an apostrophe', () => {
  it('a lowercase name with its département in brackets is the commune, not a mistyped word', () => {
    expect(name('entreprise privee a changey (haute-marne), la renovation')).toBe('commune:52105')
    expect(name('association de changey (haute-marne)')).toBe('commune:52105')
  })
  it('a letter after an apostrophe inside a name belongs to it', () => {
    expect(name('CCAS de Plouezoc\'h : la rénovation')).toBe('commune:29186')
    expect(name('mairie de Plouezoc\'h')).toBe('commune:29186')
  })
})

describe('the partner country and where the project takes place', () => {
  it('« France Services », « France Travail »… are names, not the country', () => {
    // Nothing says where: the partner abroad decides (core/profile.ts projectLocation), not « en France ».
    expect(u('l\'accueil du public en France Services avec une collectivité partenaire au Cameroun').location).toBeUndefined()
    expect(u('l\'accueil du public en France Services, réalisé au Cameroun').location).toBe('abroad')
    expect(u('ouvrir une France Services, réalisé en France').location).toBe('france')
    expect(u('les jeunes inscrits en France Travail').location).toBeUndefined()
  })
  it('a guarded country name after a mistyped « partenaire »', () => {
    expect(u('parteanire jordanie').partnerCountry).toBe('JO')
    expect(u('partennaire maurice').partnerCountry).toBe('MU')
    expect(u('le maire Maurice Dupont').partnerCountry).toBeUndefined()
  })

  it('a country named anywhere', () => {
    expect(u('jumelage avec Ouagadougou au Burkina Faso').partnerCountry).toBe('BF')
    expect(u('un échange avec nos amis sénégalais').partnerCountry).toBe('SN')
    expect(u('notre ville jumelle en Allemagne').partnerCountry).toBe('DE')
  })
  it('abroad, or in France', () => {
    expect(u('nous allons forer un puits au Burkina').location).toBe('abroad')
    expect(u('construire une école au Mali avec notre commune partenaire').location).toBe('abroad')
    expect(u('les travaux se feront là-bas, au Sénégal').location).toBe('abroad')
    expect(u('accueillir chez nous une délégation malienne').location).toBe('france')
    expect(u('nos amis sénégalais viendront en France').location).toBe('france')
    expect(u('une ville jumelle en Allemagne').location).toBeUndefined()
    expect(u('jumelage avec Ouagadougou au Burkina Faso').location).toBeUndefined()
    expect(u('le festival n\'aura pas lieu en France mais au Maroc').location).toBe('abroad')
  })
})

describe('« stade » is a stage of the project or a stadium, by its phrase', () => {
  it('« au stade des études » says the stage, not sport', () => {
    expect(detectThemes('Région Normandie : lycées, on est au stade des études').themes.add).not.toContain('sport')
    expect(u('on est au stade de l\'étude de faisabilité pour la médiathèque').stage).toBe('etude')
    expect(detectThemes('à ce stade, rien de décidé pour la voirie').themes.add).toEqual(['voirie'])
  })
  it('a stadium is still sport', () => {
    expect(detectThemes('on refait le stade de foot').themes.add).toEqual(['sport'])
    expect(detectThemes('à ce stade, on veut rénover le stade municipal').themes.add).toEqual(['sport'])
  })
})

describe('typos a stem hides', () => {
  it('an inversion or a doubled letter in a phase word still reads', () => {
    expect(u('mairie de Vézelay, éclairage public, travuax en juin').stage).toBe('travaux')
    expect(u('on en est à l\'etdue').stage).toBe('etude')
    expect(u('frais de fonctionemment d\'un poste').stage).toBe('fonctionnement')
  })
  it('but a common word one letter away from a vocabulary word is not corrected', () => {
    expect(u('le projet porte sur la voirie').stage).toBeUndefined()
    expect(detectThemes('on refait la porte de la salle').themes.add).not.toContain('services_publics')
  })
})

describe('a place named after the body or person it belongs to', () => {
  it('« de X » / « à X » anywhere, when nothing else names the collectivité', () => {
    expect(code('je suis adjointe aux finances de Périgueux, on veut isoler la mairie')).toBe('24322')
    expect(code('le club de rugby de Tulle voudrait rénover ses vestiaires')).toBe('19272')
    expect(code('office de tourisme de Vézelay : nouveaux panneaux')).toBe('89446')
  })
  it('the territory after the name tells homonyms apart; an exact homonym is offered', () => {
    expect(code('Saint-Denis de la Réunion, médiathèque')).toBe('97411')
    expect(code('Saint-Pierre de la Martinique, front de mer')).toBe('97225')
    expect(code('EHPAD public de Clamecy, rénovation énergétique')).toBe('ambiguous')
  })
  it('a project word after « de » is no place', () => {
    expect(u('rénovation de la Maison des associations').collectivite).toBeUndefined()
  })
})

describe('names as the geography spells them, typed loosely', () => {
  it('every hyphen-joined word belongs to the name, whatever its case', () => {
    expect(code('j\'écris au nom de la commune de Wy-dit-Joli-Village (Val-d\'Oise)')).toBe('95690')
    expect(code('je suis maire de Palau-del-Vidre, on refait la voirie')).toBe('66133')
    expect(code('mairie de gercourt-et-drillancourt meuse, salle polyvalente')).toBe('55206')
  })
  it('after « département », its name even when it is an ordinary word in lowercase', () => {
    expect(code('Departement du var, les routes')).toBe('83')
    expect(code('slt departement du lot, collèges')).toBe('46')
  })
  it('an intercommunalité typed in lowercase keeps its « et », « à » and commas', () => {
    expect(code('slt cc anjou loir et sarthe, la salle des fêtes')).toBe('200068955')
    expect(code('cc de la cotiere a montluel, voirie')).toBe('240100610')
    expect(code('slt cc chinon, vienne et loire, l\'aménagement de la salle polyvalente')).toBe('200043081')
  })
  it('a collectivité d\'outre-mer named as such applies as one; « département de … » as said', () => {
    expect(u('Collectivité de Saint-Barthélemy : rénovation d\'un collège').applicantType).toBe('collectivite_outre_mer')
    expect(u('Département de Saint-Barthélemy : voirie').applicantType).toBe('departement')
  })
})

describe('the intercommunalité of a commune, a body of a commune typed in lowercase', () => {
  it('« l\'intercommunalité de X » is the EPCI X belongs to, told apart by its département', () => {
    expect(found('je travaille pour l\'intercommunalité de Saint-Georges (Cantal)')).toBe(`epci ${geography.communeByInsee('15188')!.epci!.name}`)
    expect(found('interco de chezelles (indre), salle des fêtes')).toBe(`epci ${geography.communeByInsee('36050')!.epci!.name}`)
  })
  it('« ccas de montferrat »: a commune right after a body\'s noun, even in lowercase', () => {
    expect(found('slt ccas de montferrat, la remise en etat de l\'atelier')).toMatch(/^(commune Montferrat|ambiguous)$/)
    expect(found('Ccas de appoigny, la renovation de la salle des fetes')).toBe('commune Appoigny')
  })
})

describe('a negation over a list of words of one theme', () => {
  it('« pas de biodiversité, nature en ville ni renaturation » rules the whole theme out', () => {
    const t = detectThemes('rénovation de la mairie, pas de biodiversité, nature en ville ni renaturation')
    expect(t.themes.remove).toContain('biodiversite')
    expect(t.themes.add).not.toContain('biodiversite')
  })
  it('but « pas la fibre, le wifi » still corrects to another theme', () => {
    expect(detectThemes('pas la fibre, le wifi').themes).toEqual({ add: ['wifi_public'], remove: ['tres_haut_debit'] })
  })
  it('« sans partenaire étranger », typos included', () => {
    expect(u('géothermie, sans partennaire etranger').foreignPartners).toBe(false)
  })
})

describe('official intercommunalité names with dashes, digits and commas', () => {
  it('reads the whole official name', () => {
    expect(code('je travaille pour CC Faucigny - Glières, salle des fêtes')).toBe('200000172')
    expect(code('CC des 7 Vallées : voirie')).toBe('200044030')
    expect(code('CA Paris - Vallée de la Marne : atelier municipal')).toBe('200057958')
    expect(code('slt cc de la cotiere a montluel, voirie')).toBe('240100610')
  })
})

describe('where the project takes place, read through a typo', () => {
  it('« en frnace », « en fance » say France; another word after « en » does not', () => {
    expect(u('mairie de lorient, cooperation decentralisee, realsie en frnace').location).toBe('france')
    expect(u('mairie de lorient, cooperation decentralisee, realise en fance').location).toBe('france')
    expect(u('mairie de lorient, on passe en phase travaux').location).toBeUndefined()
  })
})

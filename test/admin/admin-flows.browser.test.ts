// An administrator's session in Debian Chromium, through the pages only: create a programme with
// the form (checkboxes, population rule), create its duplicate, merge them from the « Doublons
// possibles » list and follow the public redirect; hide and verify; create an editor, make them
// admin, disable them; change one's own password and log in again with it.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchAgainst, type BrowserSession } from '../helpers/browser.ts'
import { PASSWORD, startAdmin, type AdminHarness } from './harness.ts'

let h: AdminHarness
let session: BrowserSession
let browser: Browser
let base = ''

beforeAll(async () => {
  h = await startAdmin()
  await h.createUser('chef@ville.fr', 'admin')
  session = await launchAgainst(h.app.fetch)
  browser = session.browser
  base = session.base
})

afterAll(async () => {
  await session?.close()
  h?.dispose()
})

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${base}/admin/login`)
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Mot de passe').fill(password)
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.waitForURL(`${base}/admin`)
}

async function createProgramme(page: Page, id: string, name: string): Promise<void> {
  await page.goto(`${base}/admin/nouveau-programme`)
  await page.getByLabel('Identifiant', { exact: true }).fill(id)
  await page.getByLabel('Nom', { exact: true }).fill(name)
  await page.getByLabel('Niveau').selectOption('departemental')
  await page.getByLabel('Financeurs').fill('Département de l\'Yonne')
  await page.getByLabel('Résumé').fill('Aide aux communes pour la réfection des ponts communaux.')
  await page.getByRole('group', { name: 'Thèmes', exact: true }).getByLabel('Voirie et espaces publics').check()
  await page.getByRole('group', { name: 'Porteurs admis' }).getByLabel('Commune', { exact: true }).check()
  await page.getByLabel('Règle 1 : porteurs').fill('commune')
  await page.getByLabel('Règle 1 : population maximale').fill('3500')
  await page.getByLabel('Territoire (en clair)').fill('Yonne')
  await page.getByLabel('Codes des départements admis').fill('89')
  await page.getByLabel('Type de calendrier').selectOption('oneOff')
  await page.getByLabel('Dates limites').fill('2026-09-30')
  await page.getByLabel('Page officielle').fill(`https://www.yonne.fr/aides/${id}`)
  await page.getByRole('button', { name: 'Créer le programme' }).click()
  await page.waitForURL(`${base}/admin/programmes/${id}?enregistre=1`)
}

describe('an administrator in a browser', () => {
  it('creates two programmes, merges the duplicate from the suggestions, hides and verifies', async () => {
    const page = await browser.newPage()
    page.setDefaultTimeout(5000)
    const errors: Error[] = []
    page.on('pageerror', (e) => errors.push(e))
    await logIn(page, 'chef@ville.fr', PASSWORD)

    await createProgramme(page, 'ponts-yonne', 'Fonds départemental pour les ponts communaux')
    const created = h.catalogue().get('ponts-yonne')!
    expect(created).toMatchObject({ level: 'departemental', themes: ['voirie'], eligibility: { applicants: ['commune'], population: [{ applicants: ['commune'], max: 3500 }], territory: { label: 'Yonne', departements: ['89'] } } })
    const match = (await (await fetch(`${base}/api/match?commune=89446&applicant=commune&q=${encodeURIComponent('réfection d\'un pont')}`)).json()) as { results: { id: string; calendar: { closesAt?: string } }[] }
    expect(match.results.find((r) => r.id === 'ponts-yonne')?.calendar.closesAt).toBe('2026-09-30')

    await createProgramme(page, 'ponts-yonne-relais', 'Ponts communaux : fonds départemental (Yonne)')
    const suggestions = page.locator('table').filter({ hasText: 'Indices' })
    expect(await suggestions.textContent()).toContain('ponts-yonne')
    await page.getByRole('button', { name: 'Fusionner cette fiche dans ponts-yonne' }).click()
    await page.waitForURL(`${base}/admin/programmes/ponts-yonne?enregistre=1`)
    expect(await page.getByRole('heading', { name: 'Provenance' }).locator('xpath=following-sibling::ul[1]').textContent()).toContain('ponts-yonne-relais')
    expect(h.catalogue().get('ponts-yonne-relais')).toBeUndefined()
    const followed = await fetch(`${base}/api/programmes/ponts-yonne-relais`)
    expect(followed.url).toBe(`${base}/api/programmes/ponts-yonne`)
    expect(((await followed.json()) as { programme: { id: string } }).programme.id).toBe('ponts-yonne')

    await page.getByRole('button', { name: 'Marquer comme vérifié' }).click()
    await page.waitForURL(/enregistre=1/)
    expect(await page.locator('main > p').filter({ hasText: 'Identifiant' }).textContent()).toMatch(/vérifié par chef@ville\.fr le 2026-03-01/)
    await page.getByRole('button', { name: 'Masquer (dépublier)' }).click()
    await page.waitForURL(/enregistre=1/)
    expect(h.catalogue().get('ponts-yonne')).toBeUndefined()
    expect((await fetch(`${base}/api/programmes/ponts-yonne`)).status).toBe(404)
    await page.getByRole('button', { name: 'Republier' }).click()
    await page.waitForURL(/enregistre=1/)
    expect(h.catalogue().get('ponts-yonne')).toBeDefined()
    expect(errors).toEqual([])
    await page.close()
  })

  it('tests a page source on its recorded page, enables it, and sees it among the crawl sources', async () => {
    const page = await browser.newPage()
    page.setDefaultTimeout(5000)
    await logIn(page, 'chef@ville.fr', PASSWORD)
    await page.getByRole('link', { name: 'Pages suivies' }).click()
    await page.getByRole('link', { name: /Département exemple/ }).first().click()
    await page.getByRole('button', { name: 'Tester sur la page enregistrée' }).click()
    expect(await page.locator('section[aria-labelledby="resultat"] [role="status"]').textContent()).toMatch(/2 fiche\(s\) lue\(s\), 2 erreur\(s\) de fiche, sur la page enregistrée/)
    expect(await page.locator('section[aria-labelledby="resultat"]').textContent()).toContain('31/13/2026') // the raw value beside its error
    const yaml = page.getByLabel('Configuration YAML')
    await yaml.fill((await yaml.inputValue()).replace('enabled: false', 'enabled: true').replace('level: departemental', 'level: communal'))
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
    expect(await page.getByRole('alert').first().textContent()).toMatch(/level/)
    await yaml.fill((await yaml.inputValue()).replace('level: communal', 'level: departemental'))
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click()
    expect(await page.getByRole('status').first().textContent()).toMatch(/Enregistrée/)
    await page.getByRole('link', { name: 'Collectes' }).click()
    expect(await page.getByRole('row').filter({ hasText: 'departement-exemple' }).first().textContent()).toMatch(/activée/)
    await page.close()
  })

  it('manages accounts and changes its own password', async () => {
    const page = await browser.newPage()
    page.setDefaultTimeout(5000)
    await logIn(page, 'chef@ville.fr', PASSWORD)
    await page.goto(`${base}/admin/accounts`)
    await page.getByLabel('E-mail').fill('nouvelle@ville.fr')
    await page.getByLabel('Mot de passe (12 caractères au moins)').fill('court')
    await page.getByRole('button', { name: 'Créer' }).click()
    expect(await page.locator('#f-password-error').textContent()).toMatch(/12/)
    expect(await page.getByLabel('E-mail').inputValue()).toBe('nouvelle@ville.fr') // kept
    await page.getByLabel('Mot de passe (12 caractères au moins)').fill('une phrase assez longue')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.getByRole('button', { name: 'Rendre administrateur : nouvelle@ville.fr' }).waitFor()
    await page.getByRole('button', { name: 'Rendre administrateur : nouvelle@ville.fr' }).click()
    await page.waitForURL(/enregistre=1/)
    expect((await h.stores.accounts.findByEmail('nouvelle@ville.fr'))!.role).toBe('admin')
    await page.getByRole('button', { name: 'Désactiver : nouvelle@ville.fr' }).click()
    await page.waitForURL(/enregistre=1/)
    expect((await h.stores.accounts.findByEmail('nouvelle@ville.fr'))!.disabled).toBe(true)
    // The last active admin cannot step down.
    await page.getByRole('button', { name: 'Rendre éditeur : chef@ville.fr' }).click()
    expect(await page.getByRole('alert').textContent()).toMatch(/dernier administrateur actif/)

    await page.getByRole('link', { name: 'chef@ville.fr' }).click()
    await page.getByLabel('Mot de passe actuel').fill(PASSWORD)
    await page.getByLabel('Nouveau mot de passe (12 caractères au moins)').fill('un nouveau mot de passe solide')
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click()
    expect(await page.getByRole('status').textContent()).toMatch(/Mot de passe changé/)
    await page.getByRole('button', { name: 'Se déconnecter' }).click()
    await page.waitForURL(`${base}/admin/login`)
    await logIn(page, 'chef@ville.fr', 'un nouveau mot de passe solide')
    await page.close()
  })
})

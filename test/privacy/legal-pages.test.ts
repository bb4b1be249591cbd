// The privacy notice, the processing record and the accessibility statement through the real Node
// composition (SQLite file, real HTTP through Hono): what a DPO and an accessibility referent read,
// generated from the declaration, with the controller from the configuration or the placeholder.
import { createRequire } from 'node:module'
import { unzipSync, strFromU8 } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PLACEHOLDER } from '../../core/privacy/controller.ts'
import { DATA_DECLARATION, LOG_DECLARATION, offTableStores } from '../../core/privacy/declaration.ts'
import { REGISTER_HEADER } from '../../core/privacy/register.ts'
import { AXE_CORE_VERSION } from '../../bot/pages/accessibility-page.ts'
import { renderPrivacyPage } from '../../bot/pages/privacy-page.ts'
import { startServices } from '../helpers/node-services.ts'

type Services = Awaited<ReturnType<typeof startServices>>
let unset: Services
let named: Services
beforeAll(async () => {
  ;[unset, named] = await Promise.all([
    startServices(),
    startServices({ GUICHET_CONTROLLER_NAME: 'Commune de Vézelay', GUICHET_CONTROLLER_CONTACT: 'rgpd@vezelay.example.fr', GUICHET_DPO_CONTACT: 'dpo@cdg89.example.fr', GUICHET_BACKUP_KEEP_DAYS: '14' }),
  ])
})
afterAll(() => {
  unset?.dispose()
  named?.dispose()
})

const get = (s: Services, path: string) => s.app.request(path)
/** The page's text, tags dropped and entities decoded, for assertions on what a reader sees. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ')

/** CSV of French Excel (« ; », quotes doubled) into rows. */
function parseCsv(body: string): string[][] {
  const rows: string[][] = [[]]
  let field = ''
  let quoted = false
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') (field += '"'), i++
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ';') rows.at(-1)!.push(field), (field = '')
    else if (ch === '\r' && body[i + 1] === '\n') rows.at(-1)!.push(field), (field = ''), rows.push([]), i++
    else field += ch
  }
  return rows.filter((r) => r.length > 0)
}

const nodeEntries = DATA_DECLARATION.filter((d) => d.runtimes.includes('node'))

describe('the privacy notice (GET /confidentialite)', () => {
  it('lists every kind of personal data declared, with its retention, purpose and legal basis', async () => {
    const res = await get(unset, '/confidentialite')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const page = text(await res.text())
    expect(page).toContain('Politique de confidentialité')
    for (const d of nodeEntries) {
      expect(page, d.id).toContain(text(d.label))
      expect(page, d.id).toContain(text(d.retention.text))
      expect(page, d.id).toContain(text(d.purpose))
    }
    for (const l of offTableStores('node')) {
      expect(page, l.id).toContain(text(l.label))
      expect(page, l.id).toContain(text(l.retention))
    }
    expect(page).toContain('7 jours après la sauvegarde, puis le fichier est supprimé')
    expect(page).toContain("mission d'intérêt public (RGPD, art. 6.1.e)")
    expect(page).toContain('30 jours après le dernier message')
  })

  it('says the controller is to be completed when unset, and names it when configured', async () => {
    const blank = text(await (await get(unset, '/confidentialite')).text())
    expect(blank).toContain(`Responsable du traitement : ${PLACEHOLDER}`)
    expect(blank).toContain(`Délégué à la protection des données (DPO) : ${PLACEHOLDER}`)
    const set = text(await (await get(named, '/confidentialite')).text())
    expect(set).toContain('Responsable du traitement : Commune de Vézelay')
    expect(set).toContain('Contact pour exercer vos droits : rgpd@vezelay.example.fr')
    expect(set).toContain('Délégué à la protection des données (DPO) : dpo@cdg89.example.fr')
    expect(set).not.toContain(PLACEHOLDER)
  })

  it('states the rights (RGPD art. 15 to 21), how to exercise them, and the CNIL complaint route', async () => {
    const html = await (await get(named, '/confidentialite')).text()
    const page = text(html)
    expect(page).toContain("vous donne, sur les données qui vous concernent, un droit d'accès (art. 15), un droit de rectification (art. 16), un droit à l'effacement (art. 17), un droit à la limitation du traitement (art. 18) et un droit d'opposition (art. 21).")
    expect(page).toContain('« Gérer ou supprimer mon abonnement »')
    expect(page).toContain("écrivez au contact de l'organisme (rgpd@vezelay.example.fr) ou à son délégué à la protection des données (dpo@cdg89.example.fr)")
    expect(html).toContain('href="https://www.cnil.fr/plaintes"')
  })

  it('says per runtime where the data goes: nothing outside the EU on Node; Cloudflare and Meilisearch on Workers, with no e-mail outbox there', async () => {
    const node = text(await (await get(unset, '/confidentialite')).text())
    expect(node).toContain("Aucun transfert hors de l'Union européenne")
    expect(node).not.toContain('Cloudflare')
    const controller = { name: PLACEHOLDER, contact: PLACEHOLDER, dpo: PLACEHOLDER }
    const workers = text(renderPrivacyPage({ controller, runtime: 'workers' }))
    // Erased data stays in D1's own history (Time Travel); no backup file nor erasure journal there.
    expect(workers).toContain('Historique de la base (D1 Time Travel)')
    expect(workers).not.toContain('Sauvegardes de la base')
    expect(workers).toContain('Cloudflare (Workers et D1)')
    expect(workers).toContain('Meilisearch (Meilisearch Cloud)')
    expect(workers).toContain('juridiction « UE »')
    expect(workers).not.toContain("E-mails d'alerte en file d'envoi")
    expect(node).toContain("E-mails d'alerte en file d'envoi")
  })
})

describe('the record of processing activities (RGPD art. 30)', () => {
  it('GET /confidentialite/registre.csv: French Excel CSV, one row per declared kind of data and the logs, each with the controller and DPO', async () => {
    const res = await get(named, '/confidentialite/registre.csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="registre-des-traitements-guichet.csv"')
    const bytes = new Uint8Array(await res.arrayBuffer())
    // The byte-order mark Excel needs to read the accents (TextDecoder drops it by default).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes))
    expect(header).toEqual([...REGISTER_HEADER])
    expect(rows.map((r) => r[0])).toEqual([...nodeEntries.map((d) => d.id), ...offTableStores('node').map((l) => l.id)])
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining([...LOG_DECLARATION.map((l) => l.id), 'backups', 'erasure-journal']))
    // Backups kept GUICHET_BACKUP_KEEP_DAYS (14 here), erased data in them until then, and the replay on restore.
    const backups = rows.find((r) => r[0] === 'backups')!
    expect(backups[13]).toMatch(/^14 jours après la sauvegarde, puis le fichier est supprimé\. Une donnée effacée reste dans les sauvegardes .* une restauration rejoue aussitôt les effacements faits depuis la sauvegarde/)
    expect(rows.find((r) => r[0] === 'erasure-journal')![13]).toBe('14 jours, la durée de conservation des sauvegardes, puis supprimé')
    for (const r of rows) {
      expect(r).toHaveLength(REGISTER_HEADER.length)
      expect(r.slice(2, 5)).toEqual(['Commune de Vézelay', 'rgpd@vezelay.example.fr', 'dpo@cdg89.example.fr'])
    }
    const chat = rows.find((r) => r[0] === 'chat-sessions')!
    expect(chat[9]).toBe('chat_sessions : state, client_hash')
    expect(chat[13]).toBe('30 jours après le dernier message, puis supprimée')
  })

  it('GET /confidentialite/registre.xlsx: a workbook holding the same rows', async () => {
    const res = await get(named, '/confidentialite/registre.xlsx')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    const xml = Object.entries(files).filter(([name]) => name.startsWith('xl/')).map(([, data]) => strFromU8(data)).join('\n')
    for (const d of nodeEntries) expect(xml, d.id).toContain(d.id)
    expect(xml).toContain('Registre')
    expect(xml).toContain('Commune de Vézelay')
    expect(xml).toContain('rgpd@vezelay.example.fr')
  })
})

describe('the accessibility statement (GET /accessibilite)', () => {
  it('follows the RGAA model: state, pages, method, known issues, contact, Défenseur des droits', async () => {
    const res = await get(named, '/accessibilite')
    expect(res.status).toBe(200)
    const html = await res.text()
    const page = text(html)
    expect(page).toContain("Déclaration d'accessibilité")
    expect(page).toContain('Guichet est non conforme avec le référentiel général d\'amélioration de l\'accessibilité (RGAA), version 4.1')
    expect(page).toContain("l'article 47 de la loi n° 2005-102 du 11 février 2005")
    for (const heading of ['État de conformité', 'Résultats des tests', 'Pages vérifiées', 'Contenus non accessibles ou non vérifiés', 'Établissement de cette déclaration', "Retour d'information et contact", 'Voies de recours']) expect(page).toContain(heading)
    expect(page).toContain('rgpd@vezelay.example.fr')
    expect(page).toContain('Commune de Vézelay s\'engage')
    expect(page).toContain('Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07')
    expect(html).toContain('href="https://formulaire.defenseurdesdroits.fr/"')
    expect(page).toContain(`axe-core ${AXE_CORE_VERSION}`)
  })

  it('names the axe-core version the browser tests really run', () => {
    expect(AXE_CORE_VERSION).toBe((createRequire(import.meta.url)('axe-core/package.json') as { version: string }).version)
  })
})

describe('the footer links', () => {
  for (const path of ['/', '/?commune=89446&themes=ecoles', '/plan?commune=89446&budget=250000&themes=ecoles', '/confidentialite', '/accessibilite']) {
    it(`${path} links the privacy notice and the accessibility statement with its state`, async () => {
      const html = await (await get(unset, path)).text()
      expect(html).toContain('<a href="/confidentialite">Politique de confidentialité</a>')
      expect(html).toContain('<a href="/accessibilite">Accessibilité : non conforme</a>')
    })
  }

  it('the OpenAPI document lists the four operations', async () => {
    const doc = (await (await get(unset, '/api/openapi.json')).json()) as { paths: Record<string, { get?: { operationId: string } }> }
    expect(['/confidentialite', '/confidentialite/registre.csv', '/confidentialite/registre.xlsx', '/accessibilite'].map((p) => doc.paths[p]?.get?.operationId)).toEqual(['getPrivacyNotice', 'getProcessingRecordCsv', 'getProcessingRecordXlsx', 'getAccessibilityStatement'])
  })
})

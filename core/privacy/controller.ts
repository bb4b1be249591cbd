// Who answers for the data, and where it goes, as the privacy notice, the processing record and the
// accessibility statement say it: the controller's name and contacts (GUICHET_CONTROLLER_NAME,
// GUICHET_CONTROLLER_CONTACT, GUICHET_DPO_CONTACT; an unset one shows the placeholder), and per
// runtime the sub-processors and transfers (as DEPLOY.md › Where data lives says them).
import type { Runtime } from './declaration.ts'

export const PLACEHOLDER = "à compléter par l'organisme"

export interface Controller {
  name: string
  contact: string
  dpo: string
}

/** The controller from the configuration, each unset field replaced by the placeholder. */
export function controllerOf(config: { GUICHET_CONTROLLER_NAME?: string | undefined; GUICHET_CONTROLLER_CONTACT?: string | undefined; GUICHET_DPO_CONTACT?: string | undefined }): Controller {
  return {
    name: config.GUICHET_CONTROLLER_NAME ?? PLACEHOLDER,
    contact: config.GUICHET_CONTROLLER_CONTACT ?? PLACEHOLDER,
    dpo: config.GUICHET_DPO_CONTACT ?? PLACEHOLDER,
  }
}

export interface SubProcessor {
  name: string
  role: string
  where: string
}

/** The sub-processors a runtime involves by design; those the organisation adds (its SMTP relay, its host) are said apart. */
export function subProcessors(runtime: Runtime): SubProcessor[] {
  const teams: SubProcessor = {
    name: 'Microsoft (Bot Framework, Teams)',
    role: "transmet les messages échangés dans Teams, si l'organisme installe l'application Teams",
    where: "selon le contrat de l'organisme avec Microsoft (Microsoft 365)",
  }
  if (runtime === 'node') return [teams]
  return [
    {
      name: 'Cloudflare (Workers et D1)',
      role: 'exécute le service et héberge sa base de données',
      where: 'base D1 créée dans la juridiction « UE » : données stockées et traitées dans l’Union européenne',
    },
    {
      name: 'Meilisearch (Meilisearch Cloud), si l’organisme l’utilise',
      role: "moteur de recherche : reçoit le texte des recherches (l'index ne contient que les programmes de financement)",
      where: 'région européenne choisie à la création du projet (Paris ou Francfort)',
    },
  ]
}

/** The transfers outside the European Union, in one French sentence. */
export function transfersText(runtime: Runtime): string {
  return runtime === 'node'
    ? "Aucun transfert hors de l'Union européenne : les données restent sur le serveur que l'organisme a choisi (fichier SQLite), le relais d'e-mails et, le cas échéant, le moteur de recherche qu'il exploite. Seuls les messages Teams passent par Microsoft, dans les conditions du contrat Microsoft 365 de l'organisme."
    : "Les données sont hébergées dans l'Union européenne (base Cloudflare D1 créée dans la juridiction « UE », moteur de recherche dans une région européenne). Cloudflare, Inc. est une société de droit américain : l'organisme s'appuie sur les garanties de son contrat de sous-traitance (RGPD, art. 28)."
}

/** The rights people have over their data (RGPD art. 15 to 21) and, in short, how each is exercised here. */
export const RIGHTS: readonly { right: string; article: string }[] = [
  { right: "droit d'accès", article: 'art. 15' },
  { right: 'droit de rectification', article: 'art. 16' },
  { right: "droit à l'effacement", article: 'art. 17' },
  { right: 'droit à la limitation du traitement', article: 'art. 18' },
  { right: "droit d'opposition", article: 'art. 21' },
]

export const CNIL_COMPLAINT_URL = 'https://www.cnil.fr/plaintes'

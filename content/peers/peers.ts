// The peer projects as the app serves them: the Fonds vert 2023 data file read once, the comparable
// projects of a collectivité, the per-département statistics, and the short list a match result's
// programme carries (`withPeerProjects` wraps a Matcher). Shown to mayors as what comparable communes
// obtained in 2023 — never an input of eligibility.
import { formatEuros } from '../../core/french.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import type { ThemeId } from '../../core/themes.ts'
import type { Matcher, MatchItem, MatchResponse } from '../matching.ts'
import { comparableProjects, statsByDepartementAndMeasure, type ComparableProject, type ComparableQuery, type MeasureStats } from './comparable.ts'
import peerData from './data.cjs'
import { MEASURES } from './measures.ts'
import { PEERS_SOURCE, readPeerData, type PeerDataFile, type PeerProject } from './projects.ts'

export const PEERS_TITLE = 'Projets financés en 2023 par le Fonds vert dans des communes comparables'

export interface Peers {
  readonly projects: readonly PeerProject[]
  comparable(q: ComparableQuery): ComparableProject[]
  stats(filter?: { departement?: string; measure?: string; themes?: readonly ThemeId[] }): MeasureStats[]
}

export function createPeers(file: PeerDataFile): Peers {
  const projects = readPeerData(file)
  return {
    projects,
    comparable: (q) => comparableProjects(projects, q),
    stats: (f = {}) => statsByDepartementAndMeasure(projects.filter((p) => (!f.departement || p.departement === f.departement) && (!f.measure || p.measure.id === f.measure) && (!f.themes?.length || p.themes.some((t) => f.themes!.includes(t))))),
  }
}

let loaded: Peers | undefined
/** The peers over the data file of the repository, read on first call. */
export function loadPeers(): Peers {
  loaded ??= createPeers(peerData)
  return loaded
}

/** What a result's programme carries: a few comparable projects, worded for people, with the source. */
export interface PeerList {
  title: string
  source: string
  projects: PeerLine[]
}

export interface PeerLine {
  commune: string | null
  departement: string
  scope: ComparableProject['scope']
  measure: string
  project: string
  beneficiary: string
  amountCents: number
  /** « 21 667 € ». */
  amount: string
}

export function peerLine(p: ComparableProject): PeerLine {
  return {
    commune: p.commune ? `${p.commune.name} (${p.departement})` : null,
    departement: p.departement,
    scope: p.scope,
    measure: p.measure.label,
    project: p.project,
    beneficiary: p.beneficiary.name,
    amountCents: p.amountCents,
    amount: formatEuros(Math.round(p.amountCents / 100)),
  }
}

/** Lists already made, per data set: the data never changes, and a conversation asks the same list at every turn. */
const madeLists = new WeakMap<Peers, Map<string, PeerList | undefined>>()
const MADE_LISTS_MAX = 512

/** The comparable projects of a collectivité, for its themes, as lines (same département first). */
export function peerList(peers: Peers, profile: CollectiviteProfile, themes: readonly ThemeId[], limit = 3): PeerList | undefined {
  const query = { ...queryOf(profile), themes, limit }
  let made = madeLists.get(peers)
  if (!made) madeLists.set(peers, (made = new Map()))
  const key = JSON.stringify(query)
  if (made.has(key)) return made.get(key)
  const found = peers.comparable(query)
  const list = found.length ? { title: PEERS_TITLE, source: PEERS_SOURCE, projects: found.map(peerLine) } : undefined
  // The oldest goes first past the bound (a Map keeps insertion order).
  if (made.size >= MADE_LISTS_MAX) made.delete(made.keys().next().value!)
  made.set(key, list)
  return list
}

export function queryOf(profile: CollectiviteProfile): Pick<ComparableQuery, 'departement' | 'region' | 'population'> {
  return {
    ...(profile.departement ? { departement: profile.departement.code } : profile.type === 'departement' ? { departement: profile.code } : {}),
    ...(profile.region ? { region: profile.region.code } : {}),
    ...(profile.population !== undefined && profile.type === 'commune' ? { population: profile.population } : {}),
  }
}

const FUNDED_THEMES = new Set<ThemeId>(MEASURES.flatMap((m) => m.themes))
export const FONDS_VERT_ID = 'fonds_vert'

/**
 * The themes a result's programme gets peer projects for: the Fonds vert's (the project's themes it
 * funds, else its own), or, for another programme, the project's themes it shares and a Fonds vert
 * measure funds. None: no list.
 */
export function peerThemes(item: Pick<MatchItem, 'id' | 'themes'>, facts: ProjectFacts | undefined): ThemeId[] {
  const asked = facts?.themes ?? []
  if (item.id === FONDS_VERT_ID) {
    const shared = asked.filter((t) => FUNDED_THEMES.has(t))
    return shared.length ? shared : item.themes.filter((t) => FUNDED_THEMES.has(t))
  }
  return asked.filter((t) => FUNDED_THEMES.has(t) && item.themes.includes(t))
}

/** A match item with the peer projects it carries (absent: none). */
export type WithPeers<T> = T & { peers?: PeerList }

/** A Matcher whose results carry, on each programme that is the Fonds vert or shares a funded theme, its comparable projects. */
export function withPeerProjects(matcher: Matcher, peers: () => Peers = loadPeers): Matcher {
  return {
    ...matcher,
    async match(input) {
      const response = await matcher.match(input)
      return addPeers(response, peers(), input.facts)
    },
  }
}

export function addPeers(response: MatchResponse, peers: Peers, facts: ProjectFacts | undefined): MatchResponse {
  const profile = response.profile
  if (!profile) return response
  const lists = new Map<string, PeerList | undefined>()
  const results = response.results.map((item): WithPeers<MatchItem> => {
    const themes = peerThemes(item, facts)
    if (!themes.length) return item
    const key = themes.join(',')
    if (!lists.has(key)) lists.set(key, peerList(peers, profile, themes))
    const list = lists.get(key)
    return list ? { ...item, peers: list } : item
  })
  return { ...response, results }
}

/** The peers list of a match item, when it carries one. */
export function peersOf(item: MatchItem): PeerList | undefined {
  return (item as WithPeers<MatchItem>).peers
}


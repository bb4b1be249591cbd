// Which collectivité is speaking, through the Geography API (never a scan of the communes).
//
// A name counts only when something introduces it, so that project words never become communes
// ("École" and "Piscine" are communes too):
// - codes: "18197" (INSEE), "18200" (postal: several communes → ambiguous), with "insee"/"cp" cues,
//   or as the whole answer;
// - cues: "maire de/d'/du", "mairie de", "commune de", "ville de", "village de" (a commune);
//   "com com", "comcom", "CC", "CA", "CU", "communauté de communes/d'agglomération/urbaine", "agglo",
//   "métropole", "interco", "EPCI" (an EPCI, through findEpci); "département de", "conseil
//   départemental de" (a département); "région", "conseil régional" (a région); and, weaker, "à",
//   "pour", "chez" before a capitalised name that is no vocabulary word ("à Vézelay", not "pour l'école");
// - the whole message when the dialogue just asked for the collectivité (expectedSlot), or when a
//   short message is nothing but a capitalised name.
// The name runs from the cue to punctuation, a clause word ("et", "on", "nous", "qui", "pour",
// "avec", "dans"…), a number, or, when typed with capitals, the first lowercase word that is no
// name connector ("de", "sur", "en", "lès"…). "Saint-Pierre et Miquelon": "et" before a capital goes on.
// Homonyms take a qualifier: "(974)", "(Cher)", ", La Réunion", " 89", "dans le 93", "en Corse".
// Results: one exact name → found; several → ambiguous; a typo → found when one candidate is
// clearly the closest (one edit, two from twelve letters, no other candidate as close; `corrected`
// then holds what was typed, for the dialogue to confirm), else notFound with suggestions. With no
// name, a population ("400 hab.") or a place ("dans l'Yonne") gives a partial profile.
//
// The reader is cut along its steps: collectivite-names.ts (name spans, qualifiers, vocabulary),
// collectivite-lookup.ts (the geography's matches ranked into an outcome), collectivite-cues.ts (the
// cues and how each reads its name), collectivite-places.ts (places found without a cue) and
// collectivite-detection.ts (the state of one reading). This file runs the steps in order.
import type { ApplicantType } from '../../../core/applicants.ts'
import { COMMUNE_CODE, SIREN } from '../../../core/codes.ts'
import { readCues } from './collectivite-cues.ts'
import { done, type CollectiviteContext, type CollectiviteDetection, type Detection } from './collectivite-detection.ts'
import { resolveWhole } from './collectivite-lookup.ts'
import { isVocabulary } from './collectivite-names.ts'
import { bodyTerritory, leadingName, placeAfterOf, qualifiedName, wholeAnswer } from './collectivite-places.ts'
import { detectPopulation } from './population.ts'
import { findTerritoryHints, withRegion } from './territory.ts'
import { asText, rawSpan, type Text } from './text.ts'

export type { CollectiviteContext, CollectiviteDetection } from './collectivite-detection.ts'

export function detectCollectivite(input: string | Text, ctx: CollectiviteContext): CollectiviteDetection {
  const text = asText(input)
  const population = detectPopulation(text, { bare: ctx.expectedSlot === 'population' })
  const d: Detection = { text, geo: ctx.geography, ctx }
  return readCode(d) ?? readBody(d) ?? readCues(d) ?? readName(d) ?? readPartial(d, population)
}

/** 1. Codes: "code postal 18200", "insee 18197", or a code as the whole answer. */
function readCode(d: Detection): CollectiviteDetection | undefined {
  const { text, geo, ctx } = d
  const { tokens } = text
  for (const t of tokens) {
    if (text.consumed[t.index] || !(COMMUNE_CODE.test(t.word.toUpperCase()) || SIREN.test(t.word))) continue
    const before = tokens.slice(Math.max(0, t.index - 3), t.index).map((x) => x.word)
    const cp = before.includes('postal') || before.includes('cp')
    const insee = before.includes('insee')
    // "Marseille 13001", "Saint-Denis (93200)": the code qualifies the name, read with it below.
    const prev = tokens[t.index - 1]
    if (!cp && !insee && prev && /^[a-z]/.test(prev.word) && (!t.breakBefore || t.before.endsWith('('))) continue
    const alone = tokens.length <= 3 && ctx.expectedSlot !== 'budget' && !/^\s*(?:€|euros?|k|hab)/.test(text.lower.slice(t.end))
    if (!cp && !insee && !alone && ctx.expectedSlot !== 'collectivite') continue
    const r = geo.resolve(insee ? `insee ${t.word}` : cp ? `cp ${t.word}` : t.word)
    const from = Math.max(0, t.index - (cp || insee ? before.length : 0))
    if (r.kind === 'found') return done(d, { kind: 'found', profile: r.profile }, from, t.index + 1)
    if (r.kind === 'ambiguous') return done(d, { kind: 'ambiguous', query: t.word, candidates: r.candidates }, from, t.index + 1)
    if (cp || insee) return done(d, { kind: 'notFound', query: t.word, suggestions: [] }, from, t.index + 1)
  }
  return undefined
}

/** 2. A syndicat or a public establishment named with its territory: the territory, applied for by the body. */
function readBody(d: Detection): CollectiviteDetection | undefined {
  const body = bodyTerritory(d.text, d.geo)
  if (!body) return undefined
  d.applicantHint = body.applicant
  return { ...done(d, body.outcome, body.from, body.to), bodyName: body.name }
}

/** Steps 3b to 5a: a name found without a cue, or the département kept from step 3. */
function readName(d: Detection): CollectiviteDetection | undefined {
  const { text, geo, ctx } = d
  const { tokens } = text
  // 3b. A name with its département in brackets, wherever it stands ("association, Lodève (Hérault)").
  const qualified = qualifiedName(text, geo)
  if (qualified) return done(d, qualified.outcome, qualified.from, qualified.to)

  // 4. The message opens with the name ("Vezelay : éclairage", "Bonjour, Tonnerre dans l'Yonne, …").
  const leading = ctx.expectedSlot === undefined || ctx.expectedSlot === 'collectivite' ? leadingName(text, geo) : undefined
  if (leading) return done(d, leading.outcome, leading.from, leading.to, leading.hint)

  // 5. The whole message as the answer ("Saint-Denis (974)", "Vezelai", "CC Coeur de France").
  const whole = wholeAnswer(text)
  if (whole) {
    const [from, to] = whole
    let typed = rawSpan(text, from, to)
    if ((typed.match(/\(/g) ?? []).length > (typed.match(/\)/g) ?? []).length) typed += ')'
    const short = to - from <= 6 && tokens.length <= 7
    if (ctx.expectedSlot === 'collectivite' && to - from <= 10 && !isVocabulary(typed)) {
      const outcome = resolveWhole(geo, typed, false)
      if (outcome) return done(d, outcome, from, to)
    } else if (ctx.expectedSlot === undefined && short && tokens[from]!.capitalized && !isVocabulary(typed)) {
      const outcome = resolveWhole(geo, typed, true)
      if (outcome) return done(d, outcome, from, to)
    }
  }

  // 5b. "du département de l'Isère" when no other collectivité is named.
  if (d.ofDepartement) {
    d.applicantHint ??= d.ofDepartement.hint
    return done(d, d.ofDepartement.outcome, d.ofDepartement.from, d.ofDepartement.to)
  }

  // 5a. A capitalised commune name after « de », « d' », « du » or « à », anywhere, when nothing else
  // named the collectivité: the body or person it belongs to comes first (« adjoint à l'urbanisme de
  // Besançon », « association sportive de Tulle », « office de tourisme de Vézelay », « Saint-Denis de
  // la Réunion »). Only a name the geography knows exactly or as a variant, with no homonym left.
  const afterOf = ctx.expectedSlot === undefined || ctx.expectedSlot === 'collectivite' ? placeAfterOf(text, geo) : undefined
  if (afterOf) return done(d, afterOf.outcome, afterOf.from, afterOf.to, afterOf.hint)
  return undefined
}

/** 6. No name: what is known (population, département, région). */
function readPartial(d: Detection, population: ReturnType<typeof detectPopulation>): CollectiviteDetection {
  const { text, geo } = d
  const place = findTerritoryHints(text, geo)
  if (population || place) {
    const hint = place && withRegion(place, geo)
    return {
      collectivite: {
        kind: 'partial',
        ...(population && { population: population.population }),
        ...(hint?.departement && { departement: hint.departement }),
        ...(hint?.region && { region: hint.region }),
        ...(d.applicantHint && d.applicantHint !== 'commune' && PARTIAL_TYPES.has(d.applicantHint) && { type: d.applicantHint as 'epci' | 'departement' | 'region' }),
      },
      ...(d.applicantHint && { applicantHint: d.applicantHint }),
    }
  }
  return d.applicantHint ? { applicantHint: d.applicantHint } : {}
}

/** The bodies a partial profile may describe ("une communauté de communes de 12 000 habitants"). */
const PARTIAL_TYPES = new Set<ApplicantType>(['epci', 'departement', 'region'])

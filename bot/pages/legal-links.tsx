/** @jsxImportSource hono/jsx */
// The footer links every page carries (privacy notice, accessibility statement with its state), for
// the pages written in JSX (home, back office); legal-layout.ts writes the same as an HTML string.
import { ACCESSIBILITY_STATE } from './accessibility-state.ts'
import { ACCESSIBILITY_PATH, PRIVACY_PATH } from './legal-layout.ts'

export function LegalLinks() {
  return (
    <nav aria-label="Informations légales" class="legal">
      <a href={PRIVACY_PATH}>Politique de confidentialité</a> · <a href={ACCESSIBILITY_PATH}>Accessibilité : {ACCESSIBILITY_STATE}</a>
    </nav>
  )
}

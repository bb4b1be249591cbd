// The conformance state the accessibility statement declares and every page footer shows (RGAA:
// « totalement conforme », « partiellement conforme » or « non conforme »). No complete RGAA audit has
// been made: the state is « non conforme » until one is (bot/pages/accessibility-page.ts says why).
export const ACCESSIBILITY_STATE = 'non conforme'

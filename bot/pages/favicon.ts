// Guichet's favicon: a neutral mark in the pages' own accent colour (no State identity), as SVG.
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b5c6b"/><path d="M21.5 11.2A7 7 0 1 0 23 17h-6.5" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/></svg>
`

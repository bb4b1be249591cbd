// One CSV field for French Excel (« ; » between fields): quoted when it holds a separator, a quote or
// a line break; a field starting with = + - @ is prefixed with a quote so a spreadsheet never reads it as a formula.
export function csvField(v: string): string {
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

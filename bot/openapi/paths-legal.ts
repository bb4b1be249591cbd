// The information pages of the OpenAPI document (bot/openapi.ts): the privacy notice, the record of
// processing activities (CSV, XLSX) and the accessibility statement (bot/pages/legal-routes.ts).
import { html, type Paths } from './kit.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export function legalPaths(): Paths {
  return {
    '/confidentialite': {
      get: {
        tags: ['service'],
        operationId: 'getPrivacyNotice',
        summary: 'The privacy notice (« Politique de confidentialité », HTML in French), generated from the declaration of stored personal data (core/privacy/declaration.ts)',
        responses: { 200: html('The page') },
      },
    },
    '/confidentialite/registre.csv': {
      get: {
        tags: ['service'],
        operationId: 'getProcessingRecordCsv',
        summary: 'The record of processing activities (RGPD art. 30) as CSV for French Excel (UTF-8 with BOM, « ; »), one row per kind of personal data',
        responses: { 200: { description: 'CSV file', content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
    '/confidentialite/registre.xlsx': {
      get: {
        tags: ['service'],
        operationId: 'getProcessingRecordXlsx',
        summary: 'The record of processing activities (RGPD art. 30) as an XLSX workbook',
        responses: { 200: { description: 'XLSX file', content: { [XLSX]: { schema: { type: 'string', contentEncoding: 'binary' } } } } },
      },
    },
    '/accessibilite': {
      get: {
        tags: ['service'],
        operationId: 'getAccessibilityStatement',
        summary: 'The accessibility statement (« Déclaration d\'accessibilité », RGAA 4.1 model, HTML in French)',
        responses: { 200: html('The page') },
      },
    },
  }
}

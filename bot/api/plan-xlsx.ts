// The financing plan as an XLSX workbook (write-excel-file, pure JavaScript over fflate: runs on
// Node and on Workers): the same rows as the CSV, amounts as numbers in a euro format.
import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/universal'
import { planRows } from '../../core/financing-csv.ts'
import type { FinancingPlan } from '../../core/financing-plan.ts'

const EURO_FORMAT = '#,##0.00 "€"'

export async function planXlsx(plan: FinancingPlan): Promise<ArrayBuffer> {
  const rows = planRows(plan)
  const data: SheetData = rows.map((r, i) =>
    r.map((v): Cell => {
      if (v === null || v === '') return null
      if (typeof v === 'number') return { value: v, type: Number, format: EURO_FORMAT }
      return i === 0 ? { value: v, type: String, fontWeight: 'bold' } : { value: v, type: String }
    }),
  )
  const blob = await writeXlsxFile(data, { sheet: 'Plan de financement', columns: [{ width: 48 }, { width: 30 }, { width: 14 }, { width: 18 }, { width: 14 }, { width: 16 }, { width: 20 }, { width: 20 }, { width: 80 }] }).toBlob()
  return blob.arrayBuffer()
}

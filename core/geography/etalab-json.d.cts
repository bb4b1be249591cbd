// Types of etalab-json.cjs (see there why the JSON is required from a .cjs file).
import type { GeographyData } from './geography.ts'

declare const etalabData: GeographyData
export = etalabData

import type { PeerDataFile } from './projects.ts'
declare const data: PeerDataFile
export = data

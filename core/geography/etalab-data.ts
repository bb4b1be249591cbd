import communes from '@etalab/decoupage-administratif/data/communes.json' with { type: 'json' }
import epci from '@etalab/decoupage-administratif/data/epci.json' with { type: 'json' }
export const n = communes.length + epci.length

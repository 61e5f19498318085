// Vault answers a read with a 100 MB value: accepted, although the source declares maxValueBytes 512 KiB?
import { oversizedCase } from '../lib/shapes.mjs';

await oversizedCase('vault-oversized-value', 'vault');

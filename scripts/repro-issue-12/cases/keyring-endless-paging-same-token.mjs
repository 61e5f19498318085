// createKeyRing on an aws-sm secret while ListSecretVersionIds returns the same NextToken again: does it end?
import { keyRingEndlessCase } from '../lib/shapes.mjs';

await keyRingEndlessCase('keyring-endless-paging-same-token', 'same');

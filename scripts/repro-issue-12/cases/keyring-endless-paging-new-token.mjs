// createKeyRing on an aws-sm secret while ListSecretVersionIds returns a new NextToken every page: does it end?
import { keyRingEndlessCase } from '../lib/shapes.mjs';

await keyRingEndlessCase('keyring-endless-paging-new-token', 'new');

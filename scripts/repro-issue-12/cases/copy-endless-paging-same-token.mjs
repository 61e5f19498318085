// `secretsource copy aws-sm:app/ memory: --apply` while ListSecrets returns the same NextToken again: does it end?
import { copyEndlessCase } from '../lib/shapes.mjs';

await copyEndlessCase('copy-endless-paging-same-token', 'same');

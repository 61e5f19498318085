// `secretsource copy aws-sm:app/ memory: --apply` while ListSecrets returns a new NextToken every page: does it end?
import { copyEndlessCase } from '../lib/shapes.mjs';

await copyEndlessCase('copy-endless-paging-new-token', 'new');

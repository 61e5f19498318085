import { randomBytes } from 'node:crypto';
import { azureTestSource } from './azure.js';
import { runCopySuite } from './suite.js';

// Key Vault names are letters, digits and "-" ("_" is mapped to "-"): a flat, unique prefix per test.
runCopySuite({
  name: 'azure-kv',
  create: async () => ({ source: azureTestSource(), prefix: `c${randomBytes(4).toString('hex')}_` }),
});

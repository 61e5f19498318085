import { randomBytes } from 'node:crypto';
import { beforeAll } from 'vitest';
import { hashicorpVault } from '../../providers/vault/index.js';
import { runCopySuite } from './suite.js';

// The shared emulator (test/emulators/vault.start.ts); node-vault reads VAULT_*, so keep them out.
const address = process.env.SECRETSOURCE_TEST_VAULT_ADDR;
const token = process.env.SECRETSOURCE_TEST_VAULT_TOKEN;
beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
});

runCopySuite({
  name: 'vault (KV v2)',
  create: async () => {
    if (address === undefined || token === undefined) {
      throw new Error('SECRETSOURCE_TEST_VAULT_ADDR is unset: run through vitest (test/global-setup.ts)');
    }
    return {
      source: hashicorpVault({ endpoint: address, token }),
      prefix: `copy/${randomBytes(5).toString('hex')}/`,
    };
  },
});

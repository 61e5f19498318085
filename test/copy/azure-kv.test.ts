import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { runCopySuite } from './suite.js';

/** The loopback Key Vault emulator (test/emulators/azure-kv.start.ts) and a client that trusts it. */
export function azureTestSource() {
  const url = process.env.SECRETSOURCE_TEST_AZURE_KV_URL;
  const caPath = process.env.SECRETSOURCE_TEST_AZURE_KV_CA;
  const token = process.env.SECRETSOURCE_TEST_AZURE_KV_TOKEN;
  if (!url || !caPath || !token)
    throw new Error('the Azure Key Vault emulator is not running: run through vitest');
  const credential: TokenCredential = {
    getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const clientOptions = {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: readFileSync(caPath, 'utf8') },
    retryOptions: { maxRetries: 0 },
  } as SecretClientOptions;
  return azureKeyVault({ vaultUrl: url, credential, clientOptions, pollIntervalMs: 20 });
}

// Key Vault names are letters, digits and "-" ("_" is mapped to "-"): a flat, unique prefix per test.
runCopySuite({
  name: 'azure-kv',
  create: async () => ({ source: azureTestSource(), prefix: `c${randomBytes(4).toString('hex')}_` }),
});

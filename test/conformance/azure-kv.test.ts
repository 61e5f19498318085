/**
 * azureKeyVault() on the shared loopback Key Vault emulator (test/emulators/azure-kv.start.ts),
 * through the real @azure/keyvault-secrets client. Names are unique per test, so one vault serves all.
 */
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { describe, it } from 'vitest';
import { azureKeyVault, toAzureSecretName } from '../../providers/azure-kv/index.js';
import { runConformance } from '../../src/testing/conformance.js';

function emulatorEnv(): { url: string; ca: string; token: string } {
  const url = process.env.SECRETSOURCE_TEST_AZURE_KV_URL;
  const caPath = process.env.SECRETSOURCE_TEST_AZURE_KV_CA;
  const token = process.env.SECRETSOURCE_TEST_AZURE_KV_TOKEN;
  if (!url || !caPath || !token) {
    throw new Error(
      'the Azure Key Vault emulator is not running: run the tests with vitest (test/global-setup.ts starts test/emulators/azure-kv.start.ts)',
    );
  }
  return { url, ca: readFileSync(caPath, 'utf8'), token };
}

const env = emulatorEnv();
// A static credential: the emulator accepts one fixed token, whatever tenant it names (docs/protocols/azure-key-vault.md#tenant).
const credential: TokenCredential = {
  getToken: async () => ({ token: env.token, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
// Test-only settings: a loopback host cannot pass challenge resource verification, and the CA is ours.
const clientOptions = {
  disableChallengeResourceVerification: true,
  tlsOptions: { ca: env.ca },
  retryOptions: { maxRetries: 0 },
} as SecretClientOptions;
const seeder = new SecretClient(env.url, credential, clientOptions);

await runConformance(
  {
    name: 'azure-kv',
    async create(initial) {
      for (const [name, value] of Object.entries(initial)) {
        if (typeof value !== 'string') throw new Error('Key Vault stores text only');
        await seeder.setSecret(toAzureSecretName(name), value);
      }
      return { source: azureKeyVault({ vaultUrl: env.url, credential, clientOptions, pollIntervalMs: 20 }) };
    },
  },
  { describe, it },
);

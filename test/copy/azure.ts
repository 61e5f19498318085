/** A Key Vault source and client options for the loopback emulator (test/emulators/azure-kv.start.ts). */
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { azureKeyVault } from '../../providers/azure-kv/index.js';

/** Our Key Vault source on the loopback emulator. */
export function azureTestSource() {
  const { url, credential, clientOptions } = azureTestClient();
  return azureKeyVault({ vaultUrl: url, credential, clientOptions, pollIntervalMs: 20 });
}

/** The emulator's URL, a credential it accepts, and client options that trust its certificate. */
export function azureTestClient(): {
  url: string;
  credential: TokenCredential;
  clientOptions: SecretClientOptions;
} {
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
  return { url, credential, clientOptions };
}

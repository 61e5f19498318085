/** The emulated stores the key tests write to, built from what test/global-setup.ts hands the workers. */
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import type { SecretSource } from '../../src/core/source.js';

/** Azure Key Vault on the emulator, with its token and CA. */
export function emulatedAzure(): SecretSource {
  const credential: TokenCredential = {
    getToken: async () => ({
      token: process.env.SECRETSOURCE_TEST_AZURE_KV_TOKEN!,
      expiresOnTimestamp: Date.now() + 3_600_000,
    }),
  };
  const clientOptions = {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: readFileSync(process.env.SECRETSOURCE_TEST_AZURE_KV_CA!, 'utf8') },
    retryOptions: { maxRetries: 0 },
  } as SecretClientOptions;
  return azureKeyVault({ vaultUrl: process.env.SECRETSOURCE_TEST_AZURE_KV_URL!, credential, clientOptions });
}

/** Vault KV v2 on the emulator's `secret/` mount. Callers drop `VAULT_*` from the environment first. */
export function emulatedVault(): SecretSource {
  return hashicorpVault({
    endpoint: process.env.SECRETSOURCE_TEST_VAULT_ADDR,
    token: process.env.SECRETSOURCE_TEST_VAULT_TOKEN,
  });
}

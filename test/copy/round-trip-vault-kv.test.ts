/** The .env round trip into HashiCorp Vault (KV v2) and Azure Key Vault emulators, read back with node-vault and the Azure SDK. */
import { SecretClient } from '@azure/keyvault-secrets';
import nodeVault from 'node-vault';
import { beforeAll } from 'vitest';
import { toAzureSecretName } from '../../providers/azure-kv/names.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import { azureTestClient, azureTestSource } from './azure.js';
import { runRoundTrip, uid } from './round-trip.js';

// The shared emulators (test/emulators/*.start.ts); node-vault reads VAULT_*, so keep them out.
const address = process.env.SECRETSOURCE_TEST_VAULT_ADDR ?? '';
const token = process.env.SECRETSOURCE_TEST_VAULT_TOKEN ?? '';
beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
});

if (!address || !token)
  throw new Error('the Vault emulator is not running: run through vitest (test/global-setup.ts)');

// One client of each kind for every read back (a new Azure client per read is a new TLS session).
let vaultClient: ReturnType<typeof nodeVault> | undefined;
let azure: SecretClient | undefined;

/** One Vault KV v2 value with node-vault (no batch read in KV). */
async function readVault(name: string): Promise<string | undefined> {
  vaultClient ??= nodeVault({ endpoint: address, token });
  try {
    const out = (await vaultClient.read(
      `secret/data/${name.split('/').map(encodeURIComponent).join('/')}`,
    )) as { data: { data: { value?: string } } };
    return out.data.data.value;
  } catch (err) {
    if ((err as { response?: { statusCode?: number } }).response?.statusCode === 404) return undefined;
    throw err;
  }
}

/** One Key Vault value with the Azure SDK (no batch read in Key Vault). */
async function readAzure(name: string): Promise<string | undefined> {
  if (!azure) {
    const { url, credential, clientOptions } = azureTestClient();
    azure = new SecretClient(url, credential, clientOptions);
  }
  try {
    return (await azure.getSecret(toAzureSecretName(name))).value;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

runRoundTrip({
  name: 'vault (KV v2)',
  create: async () => ({ source: hashicorpVault({ endpoint: address, token }), prefix: `rt/${uid()}/` }),
  readRaw: (names) => Promise.all(names.map(readVault)),
});

runRoundTrip({
  name: 'azure-kv',
  create: async () => ({ source: azureTestSource(), prefix: `rt${uid()}_` }),
  readRaw: (names) => Promise.all(names.map(readAzure)),
});

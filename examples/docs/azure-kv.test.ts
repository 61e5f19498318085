// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/providers/azure-kv.md's sample, against the Key Vault emulator. */
// #region read
import { azureKeyVault } from 'secretsource/providers/azure-kv';
// #endregion read
import { startAzureKvEmulator } from 'secretsource/testing';
import { expect, it } from 'vitest';

it('reads JWT_SECRET_KEY from the Key Vault secret JWT-SECRET-KEY', async () => {
  const emulator = await startAzureKvEmulator();
  try {
    emulator.seed({ 'JWT-SECRET-KEY': 'a-key-vault-test-key' });
    const { url: vaultUrl, credential, clientOptions } = emulator;

    // #region read

    // In production only vaultUrl is needed (https://<name>.vault.azure.net, or AZURE_KEY_VAULT_URL):
    // credential defaults to DefaultAzureCredential. A test vault passes its own, as here.
    const kv = azureKeyVault({ vaultUrl, credential, clientOptions });
    const jwt = await kv.get('JWT_SECRET_KEY'); // reads the Key Vault secret "JWT-SECRET-KEY"
    // #endregion read

    expect(jwt?.value.reveal()).toBe('a-key-vault-test-key');
    await kv.close?.();
  } finally {
    await emulator.stop();
  }
});

/**
 * Starts the shared Vault emulator for a test run (discovered by test/global-setup.ts). Its
 * address and root token go to `SECRETSOURCE_TEST_VAULT_*`, never `VAULT_ADDR`/`VAULT_TOKEN`,
 * which node-vault would pick up silently (docs/protocols/vault.md#environment-variables).
 */
import { startVaultEmulator } from '../../src/testing/emulators/vault.js';

/** Starts the emulator and returns the env vars the test workers need. */
export async function start(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const vault = await startVaultEmulator();
  return {
    env: {
      SECRETSOURCE_TEST_VAULT_ADDR: vault.address,
      SECRETSOURCE_TEST_VAULT_TOKEN: vault.rootToken,
    },
    stop: () => vault.stop(),
  };
}

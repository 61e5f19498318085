/**
 * Starts the shared Azure Key Vault emulator for the test run (picked up by test/global-setup.ts).
 * Workers read `SECRETSOURCE_TEST_AZURE_KV_URL` and trust the certificate at `SECRETSOURCE_TEST_AZURE_KV_CA`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzureKvEmulator } from '../../src/testing/emulators/azure-kv.js';

/** Starts one emulator and writes its CA certificate (public, no key) to a temp file. */
export async function start(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const emulator = await startAzureKvEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'secretsource-azure-kv-'));
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, emulator.ca);
  return {
    env: {
      SECRETSOURCE_TEST_AZURE_KV_URL: emulator.url,
      SECRETSOURCE_TEST_AZURE_KV_CA: caPath,
      SECRETSOURCE_TEST_AZURE_KV_TENANT: emulator.tenantId,
      SECRETSOURCE_TEST_AZURE_KV_TOKEN: emulator.token,
    },
    async stop() {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

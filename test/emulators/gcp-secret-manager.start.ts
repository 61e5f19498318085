/**
 * Starts the shared Google Secret Manager emulator for the test run (picked up by test/global-setup.ts).
 * Workers read `SECRETSOURCE_TEST_GCP_SM_PORT` and its tokens; the emulator speaks plain http on
 * 127.0.0.1, as the real client's `protocol: 'http'` expects. Each test uses its own project.
 */
import { startGcpSecretManagerEmulator } from '../../src/testing/emulators/gcp-secret-manager.js';

/** Starts one emulator. */
export async function start(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const emulator = await startGcpSecretManagerEmulator();
  return {
    env: {
      SECRETSOURCE_TEST_GCP_SM_PORT: String(emulator.endpoint.port),
      SECRETSOURCE_TEST_GCP_SM_TOKEN: emulator.token,
      SECRETSOURCE_TEST_GCP_SM_READER_TOKEN: emulator.readerToken,
    },
    stop: () => emulator.stop(),
  };
}

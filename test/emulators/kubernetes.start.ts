/**
 * Starts the shared Kubernetes API emulator for the test run (picked up by test/global-setup.ts).
 * Workers read `SECRETSOURCE_TEST_K8S_URL`, its tokens, and trust the CA at `SECRETSOURCE_TEST_K8S_CA`
 * (never `KUBECONFIG` or `KUBERNETES_SERVICE_HOST`, which the provider would pick up by itself).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubernetesEmulator } from '../../src/testing/emulators/kubernetes.js';

/** Starts one emulator and writes its CA certificate (public, no key) to a temp file. */
export async function start(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const emulator = await startKubernetesEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'secretsource-k8s-'));
  const caPath = join(dir, 'ca.crt');
  writeFileSync(caPath, emulator.ca ?? '');
  return {
    env: {
      SECRETSOURCE_TEST_K8S_URL: emulator.url,
      SECRETSOURCE_TEST_K8S_CA: caPath,
      SECRETSOURCE_TEST_K8S_TOKEN: emulator.token,
      SECRETSOURCE_TEST_K8S_READER_TOKEN: emulator.readerToken,
    },
    async stop() {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `k8s` source pointed at the run's shared Kubernetes emulator (test/emulators/kubernetes.start.ts). */
import { readFileSync } from 'node:fs';
import { type KubernetesSecretsOptions, kubernetesSecrets } from '../../providers/k8s/index.js';

function need(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(`${name} is not set: run through vitest (test/global-setup.ts starts the emulators)`);
  return v;
}

/** Connection options for the shared emulator (admin token unless `reader`). */
export function k8sTestOptions(o: { reader?: boolean } = {}): KubernetesSecretsOptions {
  return {
    server: need('SECRETSOURCE_TEST_K8S_URL'),
    token: need(o.reader ? 'SECRETSOURCE_TEST_K8S_READER_TOKEN' : 'SECRETSOURCE_TEST_K8S_TOKEN'),
    ca: readFileSync(need('SECRETSOURCE_TEST_K8S_CA'), 'utf8'),
    env: {},
  };
}

/** A source on the shared emulator. */
export const k8sTestSource = (o: KubernetesSecretsOptions = {}) =>
  kubernetesSecrets({ ...k8sTestOptions(), ...o });

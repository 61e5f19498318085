/** The `gcp-sm` source pointed at the run's shared Secret Manager emulator (test/emulators/gcp-secret-manager.start.ts). */
import { randomBytes } from 'node:crypto';
import { type GcpSecretManagerOptions, gcpSecretManager } from '../../providers/gcp-sm/index.js';

function need(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(`${name} is not set: run through vitest (test/global-setup.ts starts the emulators)`);
  return v;
}

/** A project id of its own, so tests on the shared emulator never see each other's secrets. */
export const freshProject = (): string => `p-${randomBytes(5).toString('hex')}`;

/**
 * Options for the real client on the emulator: REST (`fallback`), loopback http, and an auth
 * client that hands out a static token (admin unless `reader`).
 */
export function gcpTestOptions(o: { reader?: boolean; projectId?: string } = {}): GcpSecretManagerOptions {
  const token = need(o.reader ? 'SECRETSOURCE_TEST_GCP_SM_READER_TOKEN' : 'SECRETSOURCE_TEST_GCP_SM_TOKEN');
  return {
    projectId: o.projectId ?? freshProject(),
    apiEndpoint: '127.0.0.1',
    port: Number(need('SECRETSOURCE_TEST_GCP_SM_PORT')),
    protocol: 'http',
    authClient: { getRequestHeaders: async () => ({ authorization: `Bearer ${token}` }) },
    env: {},
  };
}

/** A source on the shared emulator, in a fresh project unless one is given. */
export const gcpTestSource = (o: GcpSecretManagerOptions = {}) =>
  gcpSecretManager({ ...gcpTestOptions(), ...o });

/**
 * How each store's REAL client is pointed at a fault proxy in front of the run's shared emulator
 * (moto for aws-sm/aws-ssm, the Vault and Key Vault emulators), and how values are seeded
 * straight into the emulator, bypassing the proxy.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { gcpSecretManager } from '../../providers/gcp-sm/index.js';
import { kubernetesSecrets } from '../../providers/k8s/index.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import type { SecretSource } from '../../src/core/source.js';
import { gcpTestOptions } from '../helpers/gcp-sm.js';
import { k8sTestOptions } from '../helpers/k8s.js';
import type { FaultProxy, StoreFlavor } from './proxy.js';

/** One store as the fault suite drives it. */
export interface FaultStore {
  id: string;
  flavor: StoreFlavor;
  /** The emulator the proxy forwards to. */
  target(): { url: string; ca?: string };
  /** The real provider, talking to the proxy with the client's default retry policy (AWS SDK: 3 attempts). */
  source(proxy: FaultProxy, options?: { retries?: number }): SecretSource;
  /** Writes a value straight into the emulator; returns the name refs use. */
  seed(tag: string, value: string): Promise<string>;
  /** Most requests one read may make with the retry policy `source()` sets by default. */
  maxAttempts: number;
  /** Matches the proxy descriptor of a read of one secret. */
  read: RegExp;
  /** A refusal in the store's shape, for "denied is never masked by stale". */
  denied: { status: number; body: string };
}

const uid = () => randomBytes(4).toString('hex');
const AWS_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

function need(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(`${name} is not set: run through vitest (test/global-setup.ts starts the emulators)`);
  return v;
}

/** Secrets Manager on moto. */
export const awsSmStore: FaultStore = {
  id: 'aws-sm',
  flavor: 'aws',
  target: () => ({ url: need('AWS_ENDPOINT_URL') }),
  source: (proxy) =>
    awsSecretsManager({
      endpoint: proxy.url,
      region: 'us-east-1',
      credentials: AWS_CREDENTIALS,
    }),
  async seed(tag, value) {
    const name = `faults/${uid()}/${tag}`;
    await awsSecretsManager({ region: 'us-east-1', credentials: AWS_CREDENTIALS }).set(name, value);
    return name;
  },
  maxAttempts: 3,
  read: /secretsmanager\.GetSecretValue/,
  denied: {
    status: 400,
    body: JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized' }),
  },
};

/** Parameter Store on moto. */
export const awsSsmStore: FaultStore = {
  id: 'aws-ssm',
  flavor: 'aws',
  target: () => ({ url: need('AWS_ENDPOINT_URL') }),
  source: (proxy) =>
    awsSsm({
      endpoint: proxy.url,
      region: 'us-east-1',
      credentials: AWS_CREDENTIALS,
    }),
  async seed(tag, value) {
    const name = `/faults/${uid()}/${tag}`;
    await awsSsm({ region: 'us-east-1', credentials: AWS_CREDENTIALS }).set(name, value, { overwrite: true });
    return name;
  },
  maxAttempts: 3,
  read: /AmazonSSM\.GetParameter$/,
  denied: {
    status: 400,
    body: JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized' }),
  },
};

/** KV v2 on the Vault emulator, through node-vault (which has no retries of its own). */
export const vaultStore: FaultStore = {
  id: 'vault',
  flavor: 'vault',
  target: () => ({ url: need('SECRETSOURCE_TEST_VAULT_ADDR') }),
  source: (proxy) => hashicorpVault({ endpoint: proxy.url, token: need('SECRETSOURCE_TEST_VAULT_TOKEN') }),
  async seed(tag, value) {
    const name = `faults/${uid()}/${tag}`;
    await hashicorpVault({
      endpoint: need('SECRETSOURCE_TEST_VAULT_ADDR'),
      token: need('SECRETSOURCE_TEST_VAULT_TOKEN'),
    }).set(name, value);
    return name;
  },
  maxAttempts: 1,
  read: /^GET \/v1\/secret\/data\//,
  denied: { status: 403, body: JSON.stringify({ errors: ['permission denied'] }) },
};

function azureCredential(): TokenCredential {
  const token = need('SECRETSOURCE_TEST_AZURE_KV_TOKEN');
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/** Key Vault on its HTTPS emulator; the proxy terminates TLS with its own certificate. */
export const azureKvStore: FaultStore = {
  id: 'azure-kv',
  flavor: 'azure',
  target: () => ({
    url: need('SECRETSOURCE_TEST_AZURE_KV_URL'),
    ca: readFileSync(need('SECRETSOURCE_TEST_AZURE_KV_CA'), 'utf8'),
  }),
  source: (proxy, o = {}) =>
    azureKeyVault({
      vaultUrl: proxy.url,
      credential: azureCredential(),
      clientOptions: {
        // Test-only: a loopback host cannot pass the challenge's resource check; the CA is the proxy's.
        disableChallengeResourceVerification: true,
        tlsOptions: { ca: proxy.ca },
        // The SDK's own backoff (0.8 s doubling) is kept in shape but shortened, so runs stay in seconds.
        retryOptions: { maxRetries: o.retries ?? 2, retryDelayInMs: 50, maxRetryDelayInMs: 400 },
      } as SecretClientOptions,
      pollIntervalMs: 20,
    }),
  async seed(tag, value) {
    const name = `FAULTS_${uid()}_${tag.replace(/[^A-Za-z0-9]/g, '_')}`;
    const t = azureKvStore.target();
    const direct = azureKeyVault({
      vaultUrl: t.url,
      credential: azureCredential(),
      clientOptions: {
        disableChallengeResourceVerification: true,
        tlsOptions: { ca: t.ca },
        retryOptions: { maxRetries: 0 },
      } as SecretClientOptions,
    });
    if (!direct.set) throw new Error('azure-kv lost its set()');
    await direct.set(name, value);
    return name;
  },
  maxAttempts: 3,
  read: /^GET \/secrets\/FAULTS-/,
  denied: {
    status: 403,
    body: JSON.stringify({ error: { code: 'Forbidden', message: 'Caller is not authorized.' } }),
  },
};

/** Kubernetes Secrets on the HTTPS API emulator; @kubernetes/client-node has no retries of its own. */
export const k8sStore: FaultStore = {
  id: 'k8s',
  flavor: 'k8s',
  target: () => {
    const o = k8sTestOptions();
    return { url: o.server!, ca: String(o.ca) };
  },
  source: (proxy) => kubernetesSecrets({ ...k8sTestOptions(), server: proxy.url, ca: proxy.ca }),
  async seed(tag, value) {
    const name = `faults/f${uid()}/${tag.replace(/[^A-Za-z0-9]/g, '_')}`;
    await kubernetesSecrets(k8sTestOptions()).set(name, value);
    return name;
  },
  maxAttempts: 1,
  read: /^GET \/api\/v1\/namespaces\/faults\/secrets\//,
  denied: {
    status: 403,
    body: JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'secrets "x" is forbidden',
      reason: 'Forbidden',
      code: 403,
    }),
  },
};

const GCP_FAULT_PROJECT = 'faults';

/** Secret Manager on its REST emulator; the client retries reads (access) only, 3 attempts by default. */
export const gcpSmStore: FaultStore = {
  id: 'gcp-sm',
  flavor: 'gcp',
  target: () => ({ url: `http://127.0.0.1:${need('SECRETSOURCE_TEST_GCP_SM_PORT')}` }),
  source: (proxy, o = {}) =>
    gcpSecretManager({
      ...gcpTestOptions({ projectId: GCP_FAULT_PROJECT }),
      port: Number(new URL(proxy.url).port),
      ...(o.retries === undefined ? {} : { retries: o.retries }),
    }),
  async seed(tag, value) {
    const name = `f${uid()}_${tag.replace(/[^A-Za-z0-9]/g, '_')}`;
    await gcpSecretManager(gcpTestOptions({ projectId: GCP_FAULT_PROJECT })).set(name, value);
    return name;
  },
  maxAttempts: 3,
  read: /^GET \/v1\/projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+:access/,
  denied: {
    status: 403,
    body: JSON.stringify({
      error: {
        code: 403,
        message: "Permission 'secretmanager.versions.access' denied",
        status: 'PERMISSION_DENIED',
      },
    }),
  },
};

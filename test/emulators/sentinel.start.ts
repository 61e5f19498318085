/**
 * Plants one sentinel value in every emulator of the run (moto Secrets Manager and SSM, Vault,
 * Key Vault, Kubernetes, Secret Manager) under fixed names, for the final leak scan (`scripts/leak-scan.ts`): whatever the
 * suite prints, captures or leaves in temporary files must never contain it. Picked up by
 * test/global-setup.ts like any starter.
 *
 * The other starters run at the same time and their addresses reach `process.env` only once all
 * have started, so planting waits for them in the background and `stop()` awaits it. The record
 * of what was planted (`reports/leak-scan/planted.json`) is the sentinel's one written copy.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SecretClientOptions } from '@azure/keyvault-secrets';

/** Where each store holds the sentinel (names are per store; Key Vault maps `_` to `-`). */
export const SENTINEL_NAMES = {
  'aws-sm': 'secretsource-canary/leak-scan',
  'aws-ssm': '/secretsource-canary/leak-scan',
  vault: 'secretsource-canary/leak-scan',
  'azure-kv': 'SECRETSOURCE_CANARY_LEAK_SCAN',
  // Namespace/Secret/key: the three shapes are keys of one Secret.
  k8s: 'secretsource-canary/leak-scan/value',
  'gcp-sm': 'secretsource-canary-leak-scan',
} as const;

/** The Secret Manager project the sentinel is planted in. */
export const SENTINEL_GCP_PROJECT = 'secretsource-canary';

/**
 * The shapes the sentinel is planted in, by name suffix (`_JSON` and `_LINES` in Key Vault): plain,
 * as the `password` field of a JSON object, and split across the lines of a PEM-like block.
 */
export const SENTINEL_SHAPES = {
  plain: { suffix: '', value: (s: string) => s },
  json: { suffix: '-json', value: (s: string) => JSON.stringify({ user: 'canary', password: s }) },
  lines: {
    suffix: '-lines',
    value: (s: string) =>
      `-----BEGIN CANARY-----\n${s.slice(0, s.length >> 1)}\n${s.slice(s.length >> 1)}\n-----END CANARY-----\n`,
  },
} as const;

/** The store name of `shape` in `store`. */
export function sentinelName(
  store: keyof typeof SENTINEL_NAMES,
  shape: keyof typeof SENTINEL_SHAPES,
): string {
  const suffix = SENTINEL_SHAPES[shape].suffix;
  return store === 'azure-kv'
    ? `${SENTINEL_NAMES[store]}${suffix.replace('-', '_').toUpperCase()}`
    : `${SENTINEL_NAMES[store]}${suffix}`;
}

/** The record `scripts/leak-scan.ts` reads. */
export const PLANTED_FILE = fileURLToPath(new URL('../../reports/leak-scan/planted.json', import.meta.url));

const NEEDED = [
  'AWS_ENDPOINT_URL',
  'SECRETSOURCE_TEST_VAULT_ADDR',
  'SECRETSOURCE_TEST_VAULT_TOKEN',
  'SECRETSOURCE_TEST_AZURE_KV_URL',
  'SECRETSOURCE_TEST_AZURE_KV_CA',
  'SECRETSOURCE_TEST_AZURE_KV_TOKEN',
  'SECRETSOURCE_TEST_K8S_URL',
  'SECRETSOURCE_TEST_K8S_CA',
  'SECRETSOURCE_TEST_K8S_TOKEN',
  'SECRETSOURCE_TEST_GCP_SM_PORT',
  'SECRETSOURCE_TEST_GCP_SM_TOKEN',
];

/** The shape of a sentinel: random runs joined by characters that URL, JSON-ASCII and base64 encode. */
export const SENTINEL_SHAPE = /^[A-Za-z0-9]{24}\/[A-Za-z0-9]{8}\+[A-Za-z0-9]{8}é[A-Za-z0-9]{6}=$/;

/**
 * A fresh sentinel per run (or the one the caller set): nothing but random characters, so any
 * 8-character piece of it found anywhere is a leak and not a coincidence (a fixed word such as
 * "SENTINEL" would match every test title), with `/`, `+`, `é` and `=` between the runs so that
 * its URL-encoded, `\u`-escaped and UTF-16 forms differ from the raw one. Safe unquoted in a .env
 * file, and long random runs make it look like a value where it is passed as a name.
 */
function sentinelValue(): string {
  const given = process.env.SECRETSOURCE_TEST_SENTINEL;
  if (given && SENTINEL_SHAPE.test(given)) return given;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const run = (n: number) => {
    // Upper, lower and digits in every long run: it must read as random, not as a word.
    for (;;) {
      const out = Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
      if (n < 24 || (/[A-Z].*[A-Z]/.test(out) && /[a-z].*[a-z]/.test(out) && /[0-9].*[0-9]/.test(out)))
        return out;
    }
  };
  return `${run(24)}/${run(8)}+${run(8)}é${run(6)}=`;
}

async function waitForEmulators(): Promise<Record<string, string>> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (NEEDED.every((k) => process.env[k]))
      return Object.fromEntries(NEEDED.map((k) => [k, process.env[k]!]));
    // Unref'd: a run whose other starters failed must not be kept alive by this wait.
    await new Promise((r) => setTimeout(r, 20).unref());
  }
  throw new Error(
    `the sentinel could not be planted: ${NEEDED.filter((k) => !process.env[k]).join(', ')} never appeared`,
  );
}

/** The `k8s` source's options for the run's emulator (also the canary's kind). */
export function sentinelK8sOptions(env: Record<string, string | undefined> = process.env) {
  return {
    server: env.SECRETSOURCE_TEST_K8S_URL,
    token: env.SECRETSOURCE_TEST_K8S_TOKEN,
    ca: readFileSync(env.SECRETSOURCE_TEST_K8S_CA ?? '', 'utf8'),
    env: {},
  };
}

/** The `gcp-sm` source's options for the run's emulator, in the sentinel's project (also the canary's kind). */
export function sentinelGcpOptions(env: Record<string, string | undefined> = process.env) {
  const token = env.SECRETSOURCE_TEST_GCP_SM_TOKEN ?? '';
  return {
    apiEndpoint: '127.0.0.1',
    port: Number(env.SECRETSOURCE_TEST_GCP_SM_PORT),
    protocol: 'http' as const,
    projectId: SENTINEL_GCP_PROJECT,
    authClient: { getRequestHeaders: async () => ({ authorization: `Bearer ${token}` }) },
    env: {},
  };
}

async function plant(sentinel: string): Promise<string[]> {
  const env = await waitForEmulators();
  const aws = { endpoint: env.AWS_ENDPOINT_URL!, region: process.env.AWS_REGION || 'us-east-1' };
  const [
    { awsSecretsManager },
    { awsSsm },
    { hashicorpVault },
    { azureKeyVault },
    { kubernetesSecrets },
    { gcpSecretManager },
  ] = await Promise.all([
    import('../../providers/aws/sm.js'),
    import('../../providers/aws/ssm.js'),
    import('../../providers/vault/index.js'),
    import('../../providers/azure-kv/index.js'),
    import('../../providers/k8s/index.js'),
    import('../../providers/gcp-sm/index.js'),
  ]);
  const token = env.SECRETSOURCE_TEST_AZURE_KV_TOKEN!;
  const shapes = Object.keys(SENTINEL_SHAPES) as Array<keyof typeof SENTINEL_SHAPES>;
  const each = (
    store: keyof typeof SENTINEL_NAMES,
    write: (name: string, value: string) => Promise<unknown>,
  ) =>
    Promise.all(
      shapes.map((shape) => write(sentinelName(store, shape), SENTINEL_SHAPES[shape].value(sentinel))),
    );
  const sm = awsSecretsManager(aws);
  const ssm = awsSsm(aws);
  const vault = hashicorpVault({
    endpoint: env.SECRETSOURCE_TEST_VAULT_ADDR,
    token: env.SECRETSOURCE_TEST_VAULT_TOKEN,
  });
  const writes: Array<[string, Promise<unknown>]> = [
    ['aws-sm', each('aws-sm', (n, v) => sm.set(n, v))],
    ['aws-ssm', each('aws-ssm', (n, v) => ssm.set(n, v, { overwrite: true }))],
    ['vault', each('vault', (n, v) => vault.set(n, v))],
    [
      'azure-kv',
      (async () => {
        const kv = azureKeyVault({
          vaultUrl: env.SECRETSOURCE_TEST_AZURE_KV_URL,
          credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
          clientOptions: {
            // Test-only: a loopback host cannot pass the challenge's resource check; the CA is the emulator's.
            disableChallengeResourceVerification: true,
            tlsOptions: { ca: readFileSync(env.SECRETSOURCE_TEST_AZURE_KV_CA!, 'utf8') },
            retryOptions: { maxRetries: 0 },
          } as SecretClientOptions,
        });
        if (!kv.set) throw new Error('azure-kv has no set()');
        return each('azure-kv', (n, v) => kv.set!(n, v));
      })(),
    ],
  ];
  const k8s = kubernetesSecrets(sentinelK8sOptions(env));
  const gcp = gcpSecretManager(sentinelGcpOptions(env));
  writes.push(
    [
      'k8s',
      // One after another: the three keys are merge patches of one Secret, pinned to its resourceVersion.
      (async () => {
        for (const shape of shapes)
          await k8s.set(sentinelName('k8s', shape), SENTINEL_SHAPES[shape].value(sentinel));
      })(),
    ],
    ['gcp-sm', each('gcp-sm', (n, v) => gcp.set(n, v))],
  );
  const settled = await Promise.allSettled(writes.map(([, p]) => p));
  const failed = settled
    .map((s, i) =>
      s.status === 'rejected' ? `${writes[i]![0]} (${(s.reason as { code?: string })?.code ?? 'error'})` : '',
    )
    .filter(Boolean);
  if (failed.length) throw new Error(`the sentinel could not be planted in ${failed.join(', ')}`);
  return writes.map(([id]) => id);
}

/** Starts planting; the env var carries the sentinel to the test workers. */
export async function start(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const sentinel = sentinelValue();
  const record = (stores: string[], error?: string) => {
    mkdirSync(fileURLToPath(new URL('../../reports/leak-scan/', import.meta.url)), { recursive: true });
    writeFileSync(
      PLANTED_FILE,
      `${JSON.stringify({ sentinel, stores, names: SENTINEL_NAMES, shapes: Object.keys(SENTINEL_SHAPES), ...(error ? { error } : {}) }, null, 2)}\n`,
    );
  };
  const planting = plant(sentinel).then(
    (stores) => record(stores),
    (err: unknown) => record([], err instanceof Error ? err.message : String(err)),
  );
  return {
    env: { SECRETSOURCE_TEST_SENTINEL: sentinel },
    async stop() {
      await planting;
    },
  };
}

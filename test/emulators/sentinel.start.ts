/**
 * Plants one sentinel value in every emulator of the run (moto Secrets Manager and SSM, Vault,
 * Key Vault) under fixed names, for the final leak scan (`scripts/leak-scan.ts`): whatever the
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
} as const;

/** The record `scripts/leak-scan.ts` reads. */
export const PLANTED_FILE = fileURLToPath(new URL('../../reports/leak-scan/planted.json', import.meta.url));

const NEEDED = [
  'AWS_ENDPOINT_URL',
  'SECRETSOURCE_TEST_VAULT_ADDR',
  'SECRETSOURCE_TEST_VAULT_TOKEN',
  'SECRETSOURCE_TEST_AZURE_KV_URL',
  'SECRETSOURCE_TEST_AZURE_KV_CA',
  'SECRETSOURCE_TEST_AZURE_KV_TOKEN',
];

/** A fresh sentinel per run (or the one the caller set): letters, digits and `-`, so no encoding changes it. */
function sentinelValue(): string {
  const given = process.env.SECRETSOURCE_TEST_SENTINEL;
  if (given && /^[A-Za-z0-9-]{16,}$/.test(given)) return given;
  return ['SENTINEL', 'leakscan', randomBytes(12).toString('hex')].join('-');
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

async function plant(sentinel: string): Promise<string[]> {
  const env = await waitForEmulators();
  const aws = { endpoint: env.AWS_ENDPOINT_URL!, region: process.env.AWS_REGION || 'us-east-1' };
  const [{ awsSecretsManager }, { awsSsm }, { hashicorpVault }, { azureKeyVault }] = await Promise.all([
    import('../../providers/aws/sm.js'),
    import('../../providers/aws/ssm.js'),
    import('../../providers/vault/index.js'),
    import('../../providers/azure-kv/index.js'),
  ]);
  const token = env.SECRETSOURCE_TEST_AZURE_KV_TOKEN!;
  const writes: Array<[string, Promise<unknown>]> = [
    ['aws-sm', awsSecretsManager(aws).set(SENTINEL_NAMES['aws-sm'], sentinel)],
    ['aws-ssm', awsSsm(aws).set(SENTINEL_NAMES['aws-ssm'], sentinel, { overwrite: true })],
    [
      'vault',
      hashicorpVault({
        endpoint: env.SECRETSOURCE_TEST_VAULT_ADDR,
        token: env.SECRETSOURCE_TEST_VAULT_TOKEN,
      }).set(SENTINEL_NAMES.vault, sentinel),
    ],
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
        return kv.set(SENTINEL_NAMES['azure-kv'], sentinel);
      })(),
    ],
  ];
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
      `${JSON.stringify({ sentinel, stores, names: SENTINEL_NAMES, ...(error ? { error } : {}) }, null, 2)}\n`,
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

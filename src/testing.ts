/**
 * `secretsource/testing`: what an app's own tests need: LocalStack (or moto) discovery for AWS,
 * loopback Vault, Key Vault, Kubernetes and Secret Manager emulators, seeding helpers, the memory source, and the conformance
 * suite a third-party source can prove itself with. Loads no store SDK: the helpers take a source
 * the caller built, and the emulators load `selfsigned` (an optional peer) only when they start.
 */
import { OperationUnsupportedError, SourceError } from './core/errors.js';
import type { Secret } from './core/secret.js';
import { type SecretSource, type SetResult, supports } from './core/source.js';

export {
  type MemorySource,
  type MemorySourceOptions,
  type MemoryStats,
  memorySource,
} from '../providers/memory.js';
export {
  type ConformanceRunner,
  type ConformanceTarget,
  runConformance,
} from './testing/conformance.js';
export {
  type AzureKvEmulator,
  type AzureKvEmulatorOptions,
  DEFAULT_TENANT_ID as AZURE_KV_EMULATOR_TENANT_ID,
  type PlantAttributes,
  type RecordedRequest,
  startAzureKvEmulator,
} from './testing/emulators/azure-kv.js';
export {
  type GcpSecretManagerEmulator,
  type GcpSecretManagerEmulatorOptions,
  startGcpSecretManagerEmulator,
  type VersionState as GcpVersionState,
} from './testing/emulators/gcp-secret-manager.js';
export {
  type KubernetesEmulator,
  type KubernetesEmulatorOptions,
  type PlantedSecret as KubernetesPlantedSecret,
  startKubernetesEmulator,
} from './testing/emulators/kubernetes.js';
export {
  startVaultEmulator,
  type VaultEmulator,
  type VaultEmulatorOptions,
  type VaultFault,
  type VaultPolicyRule,
  type VaultTokenOptions,
} from './testing/emulators/vault.js';

/** LocalStack's usual edge endpoint. */
export const DEFAULT_LOCALSTACK_ENDPOINT = 'http://localhost:4566';

/**
 * The AWS endpoint tests should use: `LOCALSTACK_ENDPOINT`, then `AWS_ENDPOINT_URL`, then
 * LocalStack's default.
 * @default 'http://localhost:4566'
 * @example
 * const sm = awsSecretsManager({ endpoint: localstackEndpoint() });
 */
export function localstackEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCALSTACK_ENDPOINT || env.AWS_ENDPOINT_URL || DEFAULT_LOCALSTACK_ENDPOINT;
}

/** Connection options for the AWS providers pointing at a local emulator. */
export interface LocalAwsOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Options to spread into `awsSecretsManager()` / `awsSsm()` for a local emulator: the discovered
 * endpoint, `AWS_REGION` (else us-east-1) and the environment's keys, else the fake `test`/`test`
 * pair emulators accept, so a test never signs with real credentials by accident.
 * @example
 * const sm = awsSecretsManager({ ...localAwsOptions() });
 */
export function localAwsOptions(env: NodeJS.ProcessEnv = process.env): LocalAwsOptions {
  return {
    endpoint: localstackEndpoint(env),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID || 'test',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY || 'test',
    },
  };
}

/** How to get an AWS endpoint for tests, named by {@link waitForEndpoint}'s error. */
const START_AN_EMULATOR =
  'start LocalStack (`docker run --rm -p 4566:4566 localstack/localstack`) or moto ' +
  "(`pip install 'moto[server]'`, then `python3 -m moto.server -p 4566`), or set LOCALSTACK_ENDPOINT " +
  'or AWS_ENDPOINT_URL to where yours listens';

/**
 * Resolves once `url` answers any HTTP request (an emulator still starting). Otherwise rejects after
 * `timeoutMs` with `ERR_SOURCE_UNAVAILABLE`, whose hint says how to start LocalStack or moto. The
 * default wait fits inside vitest's default hook timeout (10 s), so a `beforeAll` fails with this
 * error rather than with the runner's timeout.
 * @default timeoutMs 8000
 * @example
 * beforeAll(() => waitForEndpoint());
 */
export async function waitForEndpoint(url: string = localstackEndpoint(), timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(Math.max(1, Math.min(1000, deadline - Date.now()))),
      });
      await res.body?.cancel();
      return;
    } catch {
      if (Date.now() >= deadline) {
        throw new SourceError(
          'ERR_SOURCE_UNAVAILABLE',
          `no AWS endpoint answered at ${url} within ${timeoutMs} ms`,
          {
            source: 'testing',
            hint: START_AN_EMULATOR,
          },
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** The `set` options a source accepts (store-specific ones included, e.g. SSM's `overwrite`). */
type SetOptionsOf<S extends SecretSource> =
  NonNullable<S['set']> extends (name: string, value: never, options?: infer O) => Promise<SetResult>
    ? O
    : never;

/**
 * Writes every entry of `secrets` into `source` (at most 8 writes at a time) and returns what
 * each write did. Throws the first failure; `ERR_OPERATION_UNSUPPORTED` when the source is read-only.
 * @example
 * await seedSecrets(awsSecretsManager(), { 'app/jwt': 'a-long-random-test-key' });
 * await seedSecrets(awsSsm(), { '/app/db': 'pw' }, { tier: 'Advanced' });
 */
export async function seedSecrets<S extends SecretSource>(
  source: S,
  secrets: Readonly<Record<string, string | Uint8Array | Secret>>,
  options?: SetOptionsOf<S>,
): Promise<Map<string, SetResult>> {
  if (!supports(source, 'set')) throw new OperationUnsupportedError(source.id, 'writes');
  const set = source.set.bind(source);
  const entries = Object.entries(secrets);
  const out = new Map<string, SetResult>();
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const [name, value] = entries[next++]!;
      out.set(name, await set(name, value, options as never));
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, entries.length) }, worker));
  return new Map(entries.filter(([n]) => out.has(n)).map(([n]) => [n, out.get(n)!]));
}

/**
 * `secretsource/testing`: what an app's own tests need to run against LocalStack (or moto) and
 * against memory. Loads no store SDK: the helpers take a source the caller built.
 */
import { OperationUnsupportedError } from './core/errors.js';
import type { Secret } from './core/secret.js';
import { type SecretSource, type SetResult, supports } from './core/source.js';

export {
  type MemorySource,
  type MemorySourceOptions,
  type MemoryStats,
  memorySource,
} from '../providers/memory.js';

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

/**
 * Resolves once `url` answers any HTTP request (an emulator still starting), or rejects after
 * `timeoutMs`.
 * @default timeoutMs 30000
 */
export async function waitForEndpoint(url: string = localstackEndpoint(), timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return;
    } catch {
      if (Date.now() >= deadline) throw new Error(`no endpoint answered at ${url} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
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

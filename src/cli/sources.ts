/**
 * The CLI's lazy registry: builds sources from each provider's standard environment variables.
 * The one place in src/ that imports providers, and only with `await import()` when a ref names one.
 */
import { resolve as resolvePath } from 'node:path';
import { SecretError } from '../core/errors.js';
import type { SecretSource } from '../core/source.js';
import { own } from '../internal/own.js';
import type { CliIo } from './io.js';

/** Options common to commands that read sources. */
export interface SourceFlags {
  /** .env files given with --dotenv, in order. */
  envFile?: string[] | undefined;
  environment?: string | undefined;
}

type Factory = (io: CliIo, flags: SourceFlags) => Promise<SecretSource>;

/** Every source id the CLI knows, with how to build it. Cloud SDKs load only on a source's first call. */
export const SOURCE_FACTORIES: Readonly<Record<string, Factory>> = {
  env: async (io) => (await import('../../providers/env.js')).envSource({ env: io.env }),
  dotenv: async (io, flags) =>
    (await import('../../providers/dotenv.js')).dotenvSource({
      cwd: io.cwd,
      ...(flags.envFile?.length ? { path: flags.envFile } : {}),
      environment: flags.environment ?? io.env.NODE_ENV,
    }),
  file: async (io) =>
    (await import('../../providers/file.js')).fileSource({
      dir: io.env.SECRETSOURCE_FILE_DIR ?? '/run/secrets',
    }),
  memory: async () => (await import('../../providers/memory.js')).memorySource(),
  // The providers read region, endpoint and keys from the run's environment with the library's own
  // builder (awsClientConfig), so the CLI and the library can never disagree on a variable.
  'aws-sm': async (io) => (await import('../../providers/aws/sm.js')).awsSecretsManager({ env: io.env }),
  'aws-ssm': async (io) => (await import('../../providers/aws/ssm.js')).awsSsm({ env: io.env }),
  'azure-kv': async (io) =>
    (await import('../../providers/azure-kv/index.js')).azureKeyVault({
      vaultUrl: io.env.AZURE_KEY_VAULT_URL,
      ...(await (await import('./azure-test-vault.js')).azureTestVaultOptions(io)),
    }),
  // KUBECONFIG, else the pod's service account, else ~/.kube/config (docs/providers/k8s.md).
  k8s: async (io) =>
    (await import('../../providers/k8s/index.js')).kubernetesSecrets({
      env: io.env,
      namespace: io.env.SECRETSOURCE_K8S_NAMESPACE,
      context: io.env.SECRETSOURCE_K8S_CONTEXT,
    }),
  // GOOGLE_CLOUD_PROJECT and Application Default Credentials, as the library reads them.
  'gcp-sm': async (io) => (await import('../../providers/gcp-sm/index.js')).gcpSecretManager({ env: io.env }),
  vault: async (io) => {
    const kv = io.env.SECRETSOURCE_VAULT_KV_VERSION;
    const caFile = io.env.VAULT_CACERT;
    return (await import('../../providers/vault/index.js')).hashicorpVault({
      endpoint: io.env.VAULT_ADDR,
      token: io.env.VAULT_TOKEN,
      namespace: io.env.VAULT_NAMESPACE,
      mount: io.env.SECRETSOURCE_VAULT_MOUNT,
      kvVersion: kv === '1' ? 1 : 2,
      ...(caFile ? { ca: (await import('node:fs')).readFileSync(resolvePath(io.cwd, caFile), 'utf8') } : {}),
    });
  },
};

/**
 * Sources whose ref names a place rather than a name prefix: `dotenv:.env` (a file), `file:/run/secrets`
 * (a folder). `copy` builds them from the path it is given.
 */
export const PATH_FACTORIES: Readonly<Record<string, (io: CliIo, path: string) => Promise<SecretSource>>> = {
  dotenv: async (io, path) => (await import('../../providers/dotenv.js')).dotenvSource({ cwd: io.cwd, path }),
  file: async (io, path) =>
    (await import('../../providers/file.js')).fileSource({ dir: resolvePath(io.cwd, path) }),
};

/**
 * Source ids whose refs `run` resolves in variable values. Not `file` (`file:./dev.db` is a common
 * database URL, not a secret ref) nor `memory` (empty in a new process, so its refs could never resolve).
 */
export const RUN_REF_SOURCES: readonly string[] = [
  'env',
  'dotenv',
  'aws-sm',
  'aws-ssm',
  'azure-kv',
  'vault',
  'k8s',
  'gcp-sm',
];

/** Ids used for bare names: `SECRETSOURCE_SOURCES` (comma-separated), else env, then .env files when given. */
export function defaultOrder(io: CliIo, flags: SourceFlags): string[] {
  const fromEnv = io.env.SECRETSOURCE_SOURCES;
  if (fromEnv)
    return fromEnv
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return flags.envFile?.length ? ['env', 'dotenv'] : ['env'];
}

/** Builds the sources for `ids` (unknown ids are a usage error naming the known ones). */
export async function buildSources(
  ids: readonly string[],
  io: CliIo,
  flags: SourceFlags,
): Promise<SecretSource[]> {
  const out: SecretSource[] = [];
  for (const id of [...new Set(ids)]) {
    const factory = own(SOURCE_FACTORIES, id);
    if (!factory) {
      throw new SecretError(
        'ERR_USAGE',
        `unknown source "${id}"; known: ${Object.keys(SOURCE_FACTORIES).join(', ')}`,
      );
    }
    out.push(await factory(io, flags));
  }
  return out;
}

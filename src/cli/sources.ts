/**
 * The CLI's lazy registry: builds sources from each provider's standard environment variables.
 * The one place in src/ that imports providers, and only with `await import()` when a ref names one.
 */
import { SecretError } from '../errors.js';
import type { SecretSource } from '../source.js';
import type { CliIo } from './io.js';

/** Options common to commands that read sources. */
export interface SourceFlags {
  /** .env files given with --env-file, in order. */
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
};

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
    const factory = SOURCE_FACTORIES[id];
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

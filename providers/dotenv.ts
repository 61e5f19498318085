/** `dotenvSource()`: layered .env files (`.env`, `.env.local`, `.env.<environment>`, `.env.<environment>.local`). */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, SourceError } from '../src/core/errors.js';
import { validateName } from '../src/core/names.js';
import { Secret } from '../src/core/secret.js';
import type {
  Capabilities,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
} from '../src/core/source.js';
import { MAX_SIZE, parseDotenv } from '../src/dotenv/parse.js';
import { readBoundedFile } from '../src/internal/read-file.js';

/** Options for {@link dotenvSource}. */
export interface DotenvSourceOptions {
  /**
   * Files to read, later ones winning. A missing file given here is an error.
   * @default the layered convention in `cwd`; missing layers are skipped
   */
  path?: string | readonly string[] | undefined;
  /** Environment name for the `.env.<environment>` layers. @default process.env.NODE_ENV */
  environment?: string | undefined;
  /** Directory of the layered files. @default process.cwd() */
  cwd?: string | undefined;
  /** Source id. @default 'dotenv' */
  id?: string | undefined;
}

const CAPABILITIES: Capabilities = {
  read: true,
  write: false,
  delete: false,
  list: true,
  versions: false,
  revoke: false,
  batchGet: false,
  binary: false,
  tags: false,
  maxValueBytes: undefined,
  // ${VAR} and $VAR are kept as written (dotenv's reading); copy shows them as their own plan state.
  references: true,
  nameRule: { pattern: /^[\w.-]+$/, maxLength: 1024, description: 'a .env name: letters, digits, _ . -' },
};

/**
 * The layers read for `environment`, lowest priority first, as the common convention (Vite, Next.js)
 * has them: `.env.local` is skipped in `test` so tests do not depend on a developer's machine.
 */
export function dotenvLayers(environment: string | undefined): string[] {
  const layers = ['.env'];
  if (environment !== 'test') layers.push('.env.local');
  if (environment) layers.push(`.env.${environment}`, `.env.${environment}.local`);
  return layers;
}

/**
 * Reads secrets from .env files. The files are parsed again whenever one changes (by mtime and size).
 * Values are exactly what `dotenv.parse` returns. A file with any form on which dotenv would
 * silently drop or change something (a line that is not `NAME=value`, an unclosed quote, a value
 * on the next line, a NUL, bytes that are not UTF-8; docs/dotenv.md lists them) fails every read
 * with `ERR_CONFIG_INVALID` listing each file and line, never any text of the line.
 * @example
 * const resolver = createResolver({ sources: [envSource(), dotenvSource({ environment: 'production' })] });
 */
export function dotenvSource(options: DotenvSourceOptions = {}): SecretSource {
  const id = options.id ?? 'dotenv';
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.path !== undefined;
  const given = (
    explicit ? [options.path].flat() : dotenvLayers(options.environment ?? process.env.NODE_ENV)
  ) as string[];
  const files = given.map((p) => resolve(cwd, p));
  // Messages name a file as it was given (`app.env:3`), not resolved: a temporary directory's random
  // name in an absolute path can look like a value, and every message hides words that do.
  const labels = given;
  let memo: { stamp: string; values: Map<string, string> } | undefined;

  async function load(): Promise<Map<string, string>> {
    const stats = await Promise.all(
      files.map(async (f, k) => {
        try {
          const s = await stat(f);
          return `${f}:${s.mtimeMs}:${s.size}`;
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === 'ENOENT' && !explicit) return `${f}:absent`;
          throw new SourceError(
            code === 'EACCES' ? 'ERR_SOURCE_ACCESS_DENIED' : 'ERR_SOURCE_MISCONFIGURED',
            `source "${id}" cannot read ${labels[k]} (${code ?? 'error'})`,
            {
              source: id,
              cause: err,
            },
          );
        }
      }),
    );
    const stamp = stats.join('|');
    if (memo?.stamp === stamp) return memo.values;
    const values = new Map<string, string>();
    const issues = [];
    for (const [k, f] of files.entries()) {
      if (stats[k]!.endsWith(':absent')) continue;
      // Bytes, not text: bytes that are not UTF-8 are refused with their line, never read as U+FFFD.
      // At most one byte past the parser's limit is read, whatever the file (or device) holds.
      const parsed = parseDotenv(await readBoundedFile(f, { maxBytes: MAX_SIZE, truncate: true }), labels[k]);
      issues.push(...parsed.issues.filter((i) => i.severity === 'error'));
      for (const [key, value] of Object.entries(parsed.values)) values.set(key, value);
    }
    if (issues.length > 0) {
      throw new ConfigError(
        `source "${id}" found ${issues.length} problem${issues.length === 1 ? '' : 's'} in its .env files:\n  ${issues.map((i) => i.message).join('\n  ')}`,
        issues,
        {
          source: id,
        },
      );
    }
    memo = { stamp, values };
    return values;
  }

  return {
    id,
    capabilities: CAPABILITIES,
    async get(name: string): Promise<SecretRecord | undefined> {
      validateName(id, name, CAPABILITIES.nameRule);
      const value = (await load()).get(name);
      return value === undefined ? undefined : { name, value: new Secret(value, { name }) };
    },
    /** Names in the order the files define them (the order dotenv-expand expands them in). */
    async *list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
      for (const name of (await load()).keys()) {
        if (opts.prefix === undefined || name.startsWith(opts.prefix)) yield { name };
      }
    },
  };
}

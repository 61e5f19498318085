/** `fileSource()`: one secret per file, as Docker and Kubernetes mount them under /run/secrets. */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { SourceError } from '../src/core/errors.js';
import { validateName } from '../src/core/names.js';
import type {
  Capabilities,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
} from '../src/core/source.js';
import { readSecretFile } from '../src/internal/read-file.js';

/** Options for {@link fileSource}. */
export interface FileSourceOptions {
  /** Directory holding one file per secret. @default '/run/secrets' */
  dir?: string | undefined;
  /** Source id. @default 'file' */
  id?: string | undefined;
}

const CAPABILITIES: Capabilities = {
  read: true,
  write: false,
  delete: false,
  list: true,
  versions: false,
  batchGet: false,
  binary: true,
  tags: false,
  maxValueBytes: undefined,
  nameRule: {
    pattern: /^(?!\.\.)[A-Za-z0-9_.@+=,-]+(?:\/(?!\.\.)[A-Za-z0-9_.@+=,-]+)*$/,
    maxLength: 1024,
    description:
      'file names of letters, digits and _ . @ + = , -, with / for subdirectories; none starting with ".."',
  },
};

/**
 * Reads each secret from `dir/<name>`. Text files lose one trailing newline; non-UTF-8 files are binary.
 * Kubernetes' `..data` bookkeeping entries are not listed.
 * @example
 * const resolver = createResolver({ sources: [envSource(), fileSource({ dir: '/run/secrets' })] });
 */
export function fileSource(options: FileSourceOptions = {}): SecretSource {
  const id = options.id ?? 'file';
  const dir = options.dir ?? '/run/secrets';
  return {
    id,
    capabilities: CAPABILITIES,
    async get(name: string): Promise<SecretRecord | undefined> {
      validateName(id, name, CAPABILITIES.nameRule);
      const value = await readSecretFile(join(dir, ...name.split('/')), {
        source: id,
        name,
        missing: 'absent',
      });
      return value ? { name, value } : undefined;
    },
    async *list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
      let entries: string[];
      try {
        entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
          .filter((n) => !n.split('/').some((seg) => seg.startsWith('..')))
          .sort();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ENOENT') return;
        throw new SourceError(
          code === 'EACCES' ? 'ERR_SOURCE_ACCESS_DENIED' : 'ERR_SOURCE_MISCONFIGURED',
          `source "${id}" could not list its directory (${code ?? 'error'})`,
          {
            source: id,
            cause: err,
          },
        );
      }
      for (const name of entries) {
        if (opts.prefix !== undefined && !name.startsWith(opts.prefix)) continue;
        yield { name };
      }
    },
  };
}

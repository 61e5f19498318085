/** `fileSource()`: one secret per file, as Docker and Kubernetes mount them under /run/secrets. */
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { SourceError } from '../src/core/errors.js';
import { printableName, validateName } from '../src/core/names.js';
import type {
  GetOptions,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
} from '../src/core/source.js';
import { DEFAULT_SECRET_FILE_BYTES, readSecretFile } from '../src/internal/read-file.js';
import { capabilities } from './kit/capabilities.js';

/** Options for {@link fileSource}. */
export interface FileSourceOptions {
  /** Directory holding one file per secret. @default '/run/secrets' */
  dir?: string | undefined;
  /** Source id. @default 'file' */
  id?: string | undefined;
  /** Largest file read, in bytes; a larger one is refused unread. @default 1048576 */
  maxFileBytes?: number | undefined;
}

const CAPABILITIES = capabilities({
  list: true,
  binary: true,
  nameRule: {
    pattern: /^(?!\.\.)[A-Za-z0-9_.@+=,-]+(?:\/(?!\.\.)[A-Za-z0-9_.@+=,-]+)*$/,
    maxLength: 1024,
    description:
      'file names of letters, digits and _ . @ + = , -, with / for subdirectories; none starting with ".."',
  },
});

/** True when `path` is `root` or below it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Reads each secret from `dir/<name>`. Text files lose one trailing newline; non-UTF-8 files are binary.
 * Symbolic links are followed only while they stay inside `dir`: a Kubernetes secret volume
 * (`NAME -> ..data/NAME`) reads and lists fully, a link to `../outside` or `/etc/hostname` is
 * refused. Kubernetes' `..data` bookkeeping entries are not listed.
 * @example
 * const resolver = createResolver({ sources: [envSource(), fileSource({ dir: '/run/secrets' })] });
 */
export function fileSource(options: FileSourceOptions = {}): SecretSource {
  const id = options.id ?? 'file';
  const dir = options.dir ?? '/run/secrets';
  const maxBytes = options.maxFileBytes ?? DEFAULT_SECRET_FILE_BYTES;

  /** The real path of `dir`, or undefined when it does not exist. */
  async function root(): Promise<string | undefined> {
    try {
      return await realpath(dir);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw listError(err);
    }
  }

  function listError(err: unknown): SourceError {
    const code = (err as { code?: string }).code;
    return new SourceError(
      code === 'EACCES' ? 'ERR_SOURCE_ACCESS_DENIED' : 'ERR_SOURCE_MISCONFIGURED',
      `source "${id}" could not list its directory (${code ?? 'error'})`,
      { source: id, cause: err },
    );
  }

  /** Where `name` really is, links resolved; undefined when absent; refused when it leaves `dir`. */
  async function locate(name: string): Promise<string | undefined> {
    const top = await root();
    if (top === undefined) return undefined;
    let real: string;
    try {
      real = await realpath(join(top, ...name.split('/')));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      // Unreadable paths and other failures are reported by the read itself.
      return join(top, ...name.split('/'));
    }
    if (!inside(top, real)) {
      throw new SourceError(
        'ERR_SOURCE_ACCESS_DENIED',
        `source "${id}" refused secret "${printableName(name)}": it is a link to a file outside its directory`,
        {
          source: id,
          secretName: name,
          hint: 'secret files (and what their links point to) must stay inside the directory',
        },
      );
    }
    return real;
  }

  return {
    id,
    capabilities: CAPABILITIES,
    async get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
      validateName(id, name, CAPABILITIES.nameRule);
      const path = await locate(name);
      if (path === undefined) return undefined;
      const value = await readSecretFile(path, {
        source: id,
        name,
        missing: 'absent',
        maxBytes,
        signal: opts.signal,
      });
      if (!value) return undefined;
      // When the file was last written (a mounted secret is replaced on update): the value's age.
      const updatedAt = (await stat(path).catch(() => undefined))?.mtime;
      return { name, value, ...(updatedAt ? { updatedAt } : {}) };
    },
    async *list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
      const top = await root();
      if (top === undefined) return;
      let names: string[];
      try {
        const entries = await readdir(top, { recursive: true, withFileTypes: true });
        const found = await Promise.all(
          entries.map(async (e) => {
            const name = relative(top, join(e.parentPath, e.name)).split(sep).join('/');
            // Kubernetes keeps its versioned copies under `..`-names: the links beside them are the secrets.
            if (name.split('/').some((seg) => seg.startsWith('..'))) return undefined;
            if (e.isFile()) return name;
            if (!e.isSymbolicLink()) return undefined;
            try {
              const real = await realpath(join(top, name));
              return inside(top, real) && (await stat(real)).isFile() ? name : undefined;
            } catch {
              return undefined;
            }
          }),
        );
        names = found.filter((n): n is string => n !== undefined).sort();
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') return;
        throw listError(err);
      }
      for (const name of names) {
        if (opts.prefix !== undefined && !name.startsWith(opts.prefix)) continue;
        yield { name };
      }
    },
  };
}

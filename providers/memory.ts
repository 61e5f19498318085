/**
 * `memorySource()`: an in-process store with versions, the reference implementation of the
 * SecretSource contract. Good for tests and for layering defaults that are not secrets.
 */
import { SecretError, SecretNotFoundError } from '../src/core/errors.js';
import { validateName } from '../src/core/names.js';
import { isSecret, Secret } from '../src/core/secret.js';
import type {
  BatchEntry,
  Capabilities,
  DeleteOptions,
  GetOptions,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
} from '../src/core/source.js';

/** Options for {@link memorySource}. */
export interface MemorySourceOptions {
  /** Source id, for more than one memory source in a resolver. @default 'memory' */
  id?: string | undefined;
  /** Secrets to start with, one version each. */
  initial?: Readonly<Record<string, string | Uint8Array>> | undefined;
}

/** Calls made to a memory source, for tests that count store calls. */
export interface MemoryStats {
  get: number;
  getMany: number;
  list: number;
  set: number;
  delete: number;
  versions: number;
  revoke: number;
}

/** A memory source: a SecretSource plus call counters. */
export interface MemorySource extends SecretSource {
  readonly stats: MemoryStats;
}

interface Version {
  id: string;
  value: string | Uint8Array;
  createdAt: Date;
  stages: string[];
  /** Set by `revokeVersions`: listed as disabled, and no longer the `previous` stage. */
  revoked: boolean;
}

interface Item {
  versions: Version[];
  tags: Record<string, string> | undefined;
  contentType: string | undefined;
  createdAt: Date;
}

const CAPABILITIES: Capabilities = {
  read: true,
  write: true,
  delete: true,
  list: true,
  versions: true,
  revoke: true,
  batchGet: true,
  binary: true,
  tags: true,
  maxValueBytes: undefined,
  nameRule: {
    pattern: /^[^\s#?%][^#?%]*$/u,
    maxLength: 1024,
    description: 'any printable name without #, ? or %, up to 1024 characters',
  },
};

/**
 * Creates an in-memory source. Versions are numbered from 1; the stages `current` and `previous`
 * are kept on the newest two, so `get(name, { version: 'previous' })` works like a store's stage.
 * @example
 * const mem = memorySource({ initial: { JWT_SECRET_KEY: generateKey() } });
 */
export function memorySource(options: MemorySourceOptions = {}): MemorySource {
  const id = options.id ?? 'memory';
  const items = new Map<string, Item>();
  const stats: MemoryStats = { get: 0, getMany: 0, list: 0, set: 0, delete: 0, versions: 0, revoke: 0 };
  const check = (name: string) => validateName(id, name, CAPABILITIES.nameRule);

  function write(name: string, value: string | Uint8Array, opts: SetOptions = {}): SetResult {
    const now = new Date();
    let item = items.get(name);
    const created = item === undefined;
    if (!item) {
      item = { versions: [], tags: undefined, contentType: undefined, createdAt: now };
      items.set(name, item);
    }
    const next = String(Number(item.versions[0]?.id ?? '0') + 1);
    for (const v of item.versions) v.stages = v.stages.filter((s) => s !== 'current' && s !== 'previous');
    if (item.versions[0] && !item.versions[0].revoked) item.versions[0].stages.push('previous');
    item.versions.unshift({
      id: next,
      value: typeof value === 'string' ? value : Uint8Array.from(value),
      createdAt: now,
      stages: ['current'],
      revoked: false,
    });
    if (opts.tags) item.tags = { ...opts.tags };
    if (opts.contentType !== undefined) item.contentType = opts.contentType;
    return { version: next, created };
  }

  for (const [name, value] of Object.entries(options.initial ?? {})) write(check(name), value);

  function read(name: string, version: string | undefined): SecretRecord | undefined {
    const item = items.get(name);
    if (!item) return undefined;
    const v =
      version === undefined
        ? item.versions[0]
        : item.versions.find((x) => x.id === version || x.stages.includes(version));
    if (!v) {
      throw new SecretNotFoundError(
        `version "${version}" of secret "${name}" was not found in source "${id}"`,
        {
          source: id,
          secretName: name,
          version: true,
        },
      );
    }
    return {
      name,
      value: new Secret(v.value, { name }),
      version: v.id,
      createdAt: item.createdAt,
      updatedAt: item.versions[0]!.createdAt,
      tags: item.tags ? { ...item.tags } : undefined,
      contentType: item.contentType,
      stages: [...v.stages],
    };
  }

  return {
    id,
    capabilities: CAPABILITIES,
    stats,
    async get(name: string, opts: GetOptions = {}) {
      stats.get++;
      return read(check(name), opts.version);
    },
    async getMany(names: readonly string[], opts: GetOptions = {}) {
      stats.getMany++;
      const out = new Map<string, BatchEntry>();
      for (const name of names) {
        try {
          out.set(name, { ok: true, record: read(check(name), opts.version) });
        } catch (err) {
          out.set(name, { ok: false, error: err as SecretError });
        }
      }
      return out;
    },
    async *list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
      stats.list++;
      for (const name of [...items.keys()].sort()) {
        if (opts.prefix !== undefined && !name.startsWith(opts.prefix)) continue;
        const item = items.get(name);
        if (!item) continue;
        yield {
          name,
          version: item.versions[0]?.id,
          createdAt: item.createdAt,
          updatedAt: item.versions[0]?.createdAt,
          tags: item.tags,
          contentType: item.contentType,
        };
      }
    },
    async set(name: string, value: string | Uint8Array | Secret, opts: SetOptions = {}) {
      stats.set++;
      check(name);
      if (opts.ifAbsent && items.has(name)) {
        throw new SecretError('ERR_SECRET_CONFLICT', `secret "${name}" already exists in source "${id}"`, {
          source: id,
          secretName: name,
        });
      }
      const raw = isSecret(value) ? (value.isBinary ? value.bytes() : value.reveal()) : value;
      return write(name, raw, opts);
    },
    async delete(name: string, _opts: DeleteOptions = {}) {
      stats.delete++;
      return items.delete(check(name));
    },
    async *versions(name: string): AsyncIterable<SecretVersionInfo> {
      stats.versions++;
      const item = items.get(check(name));
      for (const v of item?.versions ?? []) {
        yield {
          version: v.id,
          createdAt: v.createdAt,
          stages: [...v.stages],
          current: v.stages.includes('current'),
          enabled: !v.revoked,
        };
      }
    },
    async revokeVersions(name: string, keep: string) {
      stats.revoke++;
      const item = items.get(check(name));
      if (!item) {
        throw new SecretNotFoundError(`secret "${name}" was not found in source "${id}"`, {
          source: id,
          secretName: name,
        });
      }
      const at = item.versions.findIndex((v) => v.id === keep);
      if (at < 0) {
        throw new SecretNotFoundError(
          `version "${keep}" of secret "${name}" was not found in source "${id}"`,
          {
            source: id,
            secretName: name,
            version: true,
          },
        );
      }
      const revoked: string[] = [];
      for (const v of item.versions.slice(at + 1)) {
        v.stages = v.stages.filter((s) => s !== 'previous');
        if (v.revoked) continue;
        v.revoked = true;
        revoked.push(v.id);
      }
      return revoked;
    },
    async close() {
      items.clear();
    },
  };
}

/**
 * Google Cloud Secret Manager as a SecretSource (id `gcp-sm`), on `@google-cloud/secret-manager`
 * loaded on first use. Names are secret ids in the source's project (`db-password`) or full names
 * (`projects/p/secrets/db-password`); versions are numbers or `latest`. What every store needs
 * (guard, pager, batch skeleton, values, messages) comes from the kit; this file keeps what is
 * Secret Manager's own: versions and their states, CRC-32C checks, labels, automatic replication.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { CallOptions } from 'google-gax';
import type { SecretError } from '../../src/core/errors.js';
import { validateName } from '../../src/core/names.js';
import type { Secret } from '../../src/core/secret.js';
import type {
  BatchEntry,
  DeleteOptions,
  GetOptions,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
  VersionsOptions,
} from '../../src/core/source.js';
import { crc32c } from '../../src/internal/crc32c.js';
import { batchGet } from '../kit/batch.js';
import { capabilities } from '../kit/capabilities.js';
import { type CallSite, callError, versionNotFound } from '../kit/errors.js';
import { type CallLimits, callLimits } from '../kit/guard.js';
import { pages } from '../kit/pager.js';
import { readValue, writeValue } from '../kit/value.js';
import { type Client, type GcpConnectionOptions, gcpSession, RPC, rpcCode } from './client.js';

export type { CallLimits } from '../kit/guard.js';
export type { GcpAuthClient, GcpConnectionOptions } from './client.js';

/** A payload holds 1 byte to 64 KiB. */
const MAX_VALUE_BYTES = 65_536;
const VERSION = /^(?:[1-9]\d{0,18}|latest)$/;
const FULL_NAME = /^projects\/([^/]+)\/secrets\/([^/]+)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Options for {@link gcpSecretManager}. */
export interface GcpSecretManagerOptions extends GcpConnectionOptions, CallLimits {
  /** Source id, for more than one project in a resolver. @default 'gcp-sm' */
  id?: string | undefined;
  /** Also read each secret's labels on every read (one more call per secret, in parallel), so records carry tags. @default false */
  includeMetadata?: boolean | undefined;
  /** Retries of a read the service answers UNAVAILABLE or RESOURCE_EXHAUSTED (only reads are retried). @default 2 */
  retries?: number | undefined;
  /** Most reads in flight at once in `getMany`. @default 50 */
  concurrency?: number | undefined;
}

/** A Secret Manager source: every optional method of the contract is present. */
export interface GcpSecretManagerSource extends SecretSource {
  getMany(names: readonly string[], options?: GetOptions): Promise<Map<string, BatchEntry>>;
  list(options?: ListOptions): AsyncIterable<SecretMetadata>;
  set(name: string, value: string | Uint8Array | Secret, options?: SetOptions): Promise<SetResult>;
  delete(name: string, options?: DeleteOptions): Promise<boolean>;
  versions(name: string, options?: VersionsOptions): AsyncIterable<SecretVersionInfo>;
  close(): Promise<void>;
}

const CAPABILITIES = capabilities({
  write: true,
  delete: true,
  list: true,
  versions: true,
  batchGet: true,
  binary: true,
  maxValueBytes: MAX_VALUE_BYTES,
  // The service refuses an empty payload.
  emptyValues: false,
  nameRule: {
    pattern: /^(?:projects\/[a-z0-9][-a-z0-9.:]{0,62}\/secrets\/)?[A-Za-z0-9_-]{1,255}$/,
    maxLength: 336,
    description: 'a secret id (1 to 255 of A-Z a-z 0-9 _ -), or projects/<project>/secrets/<id>',
  },
});

const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** A Timestamp as the client decodes it (`{ seconds: '…', nanos }`), as a Date. */
function toDate(t: unknown): Date | undefined {
  const ts = t as { seconds?: unknown; nanos?: unknown } | null | undefined;
  if (ts === null || ts === undefined || ts.seconds === undefined || ts.seconds === null) return undefined;
  const ms = Number(ts.seconds) * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1e6);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

const lastSegment = (name: unknown) =>
  typeof name === 'string' ? name.slice(name.lastIndexOf('/') + 1) : '';

/** A simple limit on calls in flight. */
function limiter(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * A SecretSource backed by Google Cloud Secret Manager: text and binary payloads checked against
 * their CRC-32C, numbered versions (a disabled or destroyed one is `ERR_SECRET_DISABLED`, never
 * absent), writes that add a version (creating the secret with automatic replication), labels as
 * tags, paged listings. Application Default Credentials work unchanged.
 * @example
 * import { gcpSecretManager } from 'secretsource/providers/gcp-sm';
 * const sm = gcpSecretManager({ projectId: 'my-project' });
 * const resolver = createResolver({ sources: [sm] });
 * const db = await resolver.get('gcp-sm:db-password');
 * const old = await resolver.get('gcp-sm:db-password?version=3');
 */
export function gcpSecretManager(options: GcpSecretManagerOptions = {}): GcpSecretManagerSource {
  const id = options.id ?? 'gcp-sm';
  const limits = callLimits(options);
  const session = gcpSession(id, options, limits);
  const retries = Math.max(0, Math.trunc(options.retries ?? 2));
  const concurrency = Math.max(1, Math.trunc(options.concurrency ?? 50));
  const slot = limiter(concurrency);
  const location = options.projectId ? `project ${options.projectId}` : undefined;
  const at = (action: string, name?: string): CallSite => ({ source: id, action, name, where: location });
  // gax's own retries are off everywhere: its last error after retrying is DEADLINE_EXCEEDED, which
  // would hide UNAVAILABLE behind a timeout. Reads are retried below instead, inside the guard.
  const noRetry = (): CallOptions => ({ timeout: limits.timeoutMs, retry: null }) as unknown as CallOptions;

  /** One access, retried on UNAVAILABLE or RESOURCE_EXHAUSTED (only access, as the service's client does). */
  async function access(c: Client, signal: AbortSignal, name: string) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await c.accessSecretVersion({ name }, noRetry());
      } catch (err) {
        const code = rpcCode(err);
        if (attempt >= retries || (code !== RPC.UNAVAILABLE && code !== RPC.RESOURCE_EXHAUSTED)) throw err;
        // 100 ms, then 200, 400 … (capped at 1 s); the guard's deadline ends the wait.
        await delay(Math.min(100 * 2 ** attempt, 1000), undefined, { signal });
      }
    }
  }

  /** `projects/<p>/secrets/<id>` for a caller's name. */
  async function pathOf(name: string): Promise<string> {
    validateName(id, name, CAPABILITIES.nameRule);
    return FULL_NAME.test(name) ? name : `projects/${await session.project()}/secrets/${name}`;
  }

  async function call<T>(
    site: CallSite,
    signal: AbortSignal | undefined,
    fn: (c: Client) => Promise<T>,
  ): Promise<T> {
    try {
      return await session.attempt(site, signal, fn);
    } catch (err) {
      throw session.mapError(err, site);
    }
  }

  /** Runs `fn`; the service's NOT_FOUND becomes `undefined`. */
  async function orAbsent<T>(
    site: CallSite,
    signal: AbortSignal | undefined,
    fn: (c: Client) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await session.attempt(site, signal, fn);
    } catch (err) {
      if (rpcCode(err) === RPC.NOT_FOUND) return undefined;
      throw session.mapError(err, site);
    }
  }

  const garbage = (site: CallSite) =>
    callError(
      'ERR_SOURCE_UNAVAILABLE',
      site,
      'the service answered with something that is not a secret version',
      {
        retryable: true,
        hint: 'check for a proxy between the app and the service',
      },
    );

  /** Why a version cannot be read: disabled or destroyed (asked of the service), never "absent". */
  async function refusal(
    path: string,
    version: string,
    site: CallSite,
    signal?: AbortSignal,
  ): Promise<SecretError> {
    const v = await session
      .attempt(at('read', site.name), signal, (c) =>
        c.getSecretVersion({ name: `${path}/versions/${version}` }, noRetry()),
      )
      .then(
        ([r]) => r,
        () => undefined,
      );
    const n = lastSegment(v?.name) || version;
    const state =
      v?.state === 'DESTROYED'
        ? 'was destroyed'
        : v?.state === 'DISABLED'
          ? 'is disabled'
          : 'is disabled or destroyed';
    return callError('ERR_SECRET_DISABLED', site, `version ${n} ${state}`, {
      hint: state === 'was destroyed' ? 'read another version' : 'enable it: gcloud secrets versions enable',
    });
  }

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    const path = await pathOf(name);
    const site = at('read', name);
    const version = opts.version ?? 'latest';
    if (!VERSION.test(version))
      throw versionNotFound(site, version, 'is not a version number or "latest" and was not found');
    const meta = options.includeMetadata
      ? call(at('describe', name), opts.signal, (c) => c.getSecret({ name: path }, noRetry())).then(
          ([s]) => s,
        )
      : undefined;
    meta?.catch(() => {});
    let res: { name?: string | null; payload?: { data?: unknown; dataCrc32c?: unknown } | null } | undefined;
    try {
      [res] = await session.attempt(site, opts.signal, (c, signal) =>
        access(c, signal, `${path}/versions/${version}`),
      );
    } catch (err) {
      const code = rpcCode(err);
      if (code === RPC.FAILED_PRECONDITION) throw await refusal(path, version, site, opts.signal);
      if (code !== RPC.NOT_FOUND) throw session.mapError(err, site);
      // NOT_FOUND says neither whether the secret or the version is missing: ask.
      if (opts.version === undefined) return undefined;
      const secret = await orAbsent(at('describe', name), opts.signal, (c) =>
        c.getSecret({ name: path }, noRetry()),
      );
      if (secret === undefined) return undefined;
      throw versionNotFound(site, version);
    }
    const data = res?.payload?.data;
    const got = lastSegment(res?.name);
    if (!(data instanceof Uint8Array) || data.byteLength === 0 || !/^\d+$/.test(got)) throw garbage(site);
    const sum = res?.payload?.dataCrc32c;
    // int64 arrives as a string; a payload that fails its checksum was changed on the way.
    if (sum !== undefined && sum !== null && String(sum) !== String(crc32c(data))) {
      throw callError('ERR_SOURCE_UNAVAILABLE', site, 'the payload failed its CRC-32C check', {
        retryable: true,
      });
    }
    let value: string | Uint8Array;
    try {
      value = utf8.decode(data);
    } catch {
      value = new Uint8Array(data);
    }
    const record: SecretRecord = { name, value: readValue(site, value, MAX_VALUE_BYTES), version: got };
    if (meta === undefined) return record;
    const s = await meta;
    return { ...record, tags: { ...(s?.labels ?? {}) }, createdAt: toDate(s?.createTime) };
  }

  async function getMany(names: readonly string[], opts: GetOptions = {}): Promise<Map<string, BatchEntry>> {
    // Each read in flight listens to the signal, and Node warns past 10 listeners on one signal:
    // the reads listen to a signal of their own, which follows the caller's through one listener.
    const outer = opts.signal;
    const inner = outer && new AbortController();
    const follow = () => inner?.abort(outer?.reason);
    if (inner) {
      setMaxListeners(concurrency + 1, inner.signal);
      if (outer.aborted) follow();
      else outer.addEventListener('abort', follow, { once: true });
    }
    const each = inner ? { ...opts, signal: inner.signal } : opts;
    try {
      // The service has no batch read: parallel reads, at most `concurrency` in flight, one client.
      return await batchGet(names, {
        site: { source: id },
        validate: (n) => validateName(id, n, CAPABILITIES.nameRule),
        chunkSize: 0,
        readChunk: async () => {},
        readOne: (n) => slot(() => get(n, each)),
      });
    } finally {
      outer?.removeEventListener('abort', follow);
    }
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const prefix = opts.prefix ?? '';
    const full = /^projects\/([^/]+)\/secrets\/(.*)$/.exec(prefix);
    const project = full ? full[1]! : await session.project();
    const idPrefix = full ? full[2]! : prefix;
    const pageSize = Math.min(Math.max(Math.trunc(opts.pageSize ?? 100), 1), 25_000);
    const site = at('list');
    const listing = pages(site, limits, async (token, timeoutMs) => {
      const [secrets, next] = await session
        .attempt(
          site,
          opts.signal,
          (c) =>
            c.listSecrets(
              {
                parent: `projects/${project}`,
                pageSize,
                ...(token ? { pageToken: token } : {}),
                // A narrowing hint only: the names are checked against the prefix below.
                ...(/^[A-Za-z0-9_-]+$/.test(idPrefix) ? { filter: `name:${idPrefix}` } : {}),
              },
              { ...noRetry(), autoPaginate: false } as CallOptions,
            ),
          timeoutMs,
        )
        .catch((err: unknown) => {
          throw session.mapError(err, site);
        });
      if (!Array.isArray(secrets)) throw garbage(site);
      return { page: secrets, next: (next as { pageToken?: string } | null)?.pageToken || undefined };
    });
    for await (const page of listing) {
      for (const s of page) {
        const secretId = lastSegment(s?.name);
        if (secretId === '' || !secretId.startsWith(idPrefix)) continue;
        yield {
          name: full ? `projects/${project}/secrets/${secretId}` : secretId,
          createdAt: toDate(s.createTime),
          tags: { ...(s.labels ?? {}) },
        };
      }
    }
  }

  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: SetOptions = {},
  ): Promise<SetResult> {
    const path = await pathOf(name);
    const site = at('write', name);
    const raw = writeValue(site, value, CAPABILITIES);
    // Always bytes: a string payload would be read as base64 by the client.
    const data = Buffer.from(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);
    const labels =
      opts.tags === undefined || Object.keys(opts.tags).length === 0 ? undefined : { ...opts.tags };
    if (labels && !Object.entries(labels).every(([k, v]) => LABEL_KEY.test(k) && LABEL_VALUE.test(v))) {
      throw callError(
        'ERR_SECRET_MALFORMED',
        site,
        'tags must be valid labels (lowercase keys and values, 63 characters at most)',
      );
    }
    const slash = path.lastIndexOf('/secrets/');
    const create = () =>
      session.attempt(at('create', name), opts.signal, (c) =>
        c.createSecret(
          {
            parent: path.slice(0, slash),
            secretId: path.slice(slash + '/secrets/'.length),
            secret: { replication: { automatic: {} }, ...(labels ? { labels } : {}) },
          },
          noRetry(),
        ),
      );
    const add = () =>
      call(site, opts.signal, (c) =>
        c.addSecretVersion({ parent: path, payload: { data, dataCrc32c: String(crc32c(data)) } }, noRetry()),
      );
    if (!opts.ifAbsent) {
      // Most writes add a version to an existing secret: try that first.
      try {
        const [v] = await session.attempt(site, opts.signal, (c) =>
          c.addSecretVersion(
            { parent: path, payload: { data, dataCrc32c: String(crc32c(data)) } },
            noRetry(),
          ),
        );
        if (labels) await relabel(path, name, labels, opts.signal);
        return { version: lastSegment(v?.name) || undefined, created: false };
      } catch (err) {
        if (rpcCode(err) !== RPC.NOT_FOUND) throw session.mapError(err, site);
      }
    }
    let created = false;
    try {
      await create();
      created = true;
    } catch (err) {
      if (rpcCode(err) !== RPC.ALREADY_EXISTS) throw session.mapError(err, at('create', name));
      if (opts.ifAbsent) {
        // A secret with no version yet reads as absent: it is not a conflict.
        const [versions] = await call(at('list versions of', name), opts.signal, (c) =>
          c.listSecretVersions({ parent: path, pageSize: 1 }, {
            ...noRetry(),
            autoPaginate: false,
          } as CallOptions),
        );
        if (Array.isArray(versions) && versions.length > 0) {
          throw callError('ERR_SECRET_CONFLICT', site, 'refused: the secret already exists');
        }
      }
      if (labels) await relabel(path, name, labels, opts.signal);
    }
    const [v] = await add();
    return { version: lastSegment(v?.name) || undefined, created };
  }

  /** Merges `labels` into the secret's labels. */
  async function relabel(path: string, name: string, labels: Record<string, string>, signal?: AbortSignal) {
    const site = at('tag', name);
    const [s] = await call(site, signal, (c) => c.getSecret({ name: path }, noRetry()));
    await call(site, signal, (c) =>
      c.updateSecret(
        {
          secret: { name: path, labels: { ...(s?.labels ?? {}), ...labels } },
          updateMask: { paths: ['labels'] },
        },
        noRetry(),
      ),
    );
  }

  async function remove(name: string, opts: DeleteOptions = {}): Promise<boolean> {
    const path = await pathOf(name);
    // Every version goes with the secret: Secret Manager keeps no recovery window.
    const done = await orAbsent(at('delete', name), opts.signal, (c) =>
      c.deleteSecret({ name: path }, noRetry()),
    );
    return done !== undefined;
  }

  async function* versions(name: string, opts: VersionsOptions = {}): AsyncIterable<SecretVersionInfo> {
    const path = await pathOf(name);
    const site = at('list versions of', name);
    const all: SecretVersionInfo[] = [];
    const listing = pages(site, limits, async (token, timeoutMs) => {
      const got = await session
        .attempt(
          site,
          opts.signal,
          (c) =>
            c.listSecretVersions({ parent: path, pageSize: 100, ...(token ? { pageToken: token } : {}) }, {
              ...noRetry(),
              autoPaginate: false,
            } as CallOptions),
          timeoutMs,
        )
        .catch((err: unknown) => {
          if (rpcCode(err) === RPC.NOT_FOUND) return undefined;
          throw session.mapError(err, site);
        });
      if (got === undefined) return { page: [], next: undefined };
      const [items, next] = got;
      if (!Array.isArray(items)) throw garbage(site);
      return { page: items, next: (next as { pageToken?: string } | null)?.pageToken || undefined };
    });
    for await (const page of listing) {
      for (const v of page) {
        const n = lastSegment(v?.name);
        if (!/^\d+$/.test(n)) continue;
        all.push({
          version: n,
          createdAt: toDate(v.createTime),
          current: false,
          enabled: v.state === 'ENABLED',
          stages: [],
        });
      }
    }
    all.sort((a, b) => Number(b.version) - Number(a.version));
    // `latest` is the newest version, whatever its state: that is what a plain read returns.
    if (all[0]) all[0] = { ...all[0], current: true, stages: ['latest'] };
    yield* all;
  }

  return {
    id,
    // The project of short names when given; Application Default Credentials' is known only on the first call.
    location,
    capabilities: Object.freeze({ ...CAPABILITIES, tags: options.includeMetadata === true }),
    get,
    getMany,
    list,
    set,
    delete: remove,
    versions,
    close: session.close,
  };
}

/**
 * HashiCorp Vault KV (v2, or v1) as a SecretSource (id `vault`), on `node-vault` loaded on first
 * use. Works around the client's known traps (docs/protocols/vault.md#node-vault): it encodes every path
 * segment itself, never uses the mustache-rendered helpers for user paths, treats LIST-404 as an
 * empty folder and a deleted-version 404 as absent, and never copies Vault's or axios's messages.
 */
import type NodeVault from 'node-vault';
import { OperationUnsupportedError, type SecretError } from '../../src/core/errors.js';
import { validateName } from '../../src/core/names.js';
import type { Secret } from '../../src/core/secret.js';
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  RevokeOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
  VersionsOptions,
} from '../../src/core/source.js';
import { capabilities } from '../kit/capabilities.js';
import { type CallSite, callError, versionNotFound } from '../kit/errors.js';
import { type CallLimits, callLimits } from '../kit/guard.js';
import { isLoopback } from '../kit/http.js';
import { type ListingBudget, listingBudget } from '../kit/pager.js';
import { readValue, writeValue } from '../kit/value.js';
import {
  bodyOf,
  createVaultSession,
  encodePath,
  firstError,
  statusOf,
  type VaultAppRoleAuth,
  type VaultCallContext,
  type VaultCallOptions,
  type VaultClient,
  type VaultKubernetesAuth,
  type VaultRequestOptions,
} from './session.js';

export type { CallLimits } from '../kit/guard.js';
export type { VaultAppRoleAuth, VaultKubernetesAuth, VaultRequestOptions };

const DEFAULT_ENDPOINT = 'http://127.0.0.1:8200';
/** Metadata reads in flight at once while `list()` walks a folder. */
const LIST_CONCURRENCY = 8;

/** Vault's value limit as declared: Consul storage caps an entry at 512 KiB, integrated storage at 1 MiB. */
const MAX_VALUE_BYTES = 512 * 1024;

/** Options for {@link hashicorpVault}. */
export interface HashicorpVaultOptions extends CallLimits {
  /** Source id, for more than one Vault source in a resolver. @default 'vault' */
  id?: string | undefined;
  /** Vault's address. @default process.env.VAULT_ADDR, else 'http://127.0.0.1:8200' */
  endpoint?: string | undefined;
  /** A token to send as is. Ignored when `appRole` or `kubernetes` is given. @default process.env.VAULT_TOKEN */
  token?: string | undefined;
  /** Log in with AppRole (once, shared by concurrent callers; again when the token expires or is refused). */
  appRole?: VaultAppRoleAuth | undefined;
  /** Log in with the Kubernetes auth method (same sharing rules as `appRole`). */
  kubernetes?: VaultKubernetesAuth | undefined;
  /** Enterprise/HCP namespace, sent as `X-Vault-Namespace` on every request, logins included. @default process.env.VAULT_NAMESPACE */
  namespace?: string | undefined;
  /** Where the KV engine is mounted. @default 'secret' */
  mount?: string | undefined;
  /** KV engine version. Version 1 has no versions, no check-and-set and no tags. @default 2 */
  kvVersion?: 1 | 2 | undefined;
  /** TLS material and timeout for every request. */
  requestOptions?: VaultRequestOptions | undefined;
  /** Shorthand for `requestOptions.ca`. */
  ca?: string | Buffer | undefined;
  /**
   * Allow plain `http://` to a host other than loopback. The token and every value then cross the
   * network in clear text. @default false
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * A prebuilt node-vault client (custom transport, tests); `endpoint`, `namespace`, TLS options,
   * `maxResponseBytes` and the redirect refusal are then its own business. Calls are still bounded.
   */
  client?: NodeVault.client | undefined;
}

/** A Vault source. `versions` is present only for KV v2. */
export interface HashicorpVaultSource extends SecretSource {
  list(options?: ListOptions): AsyncIterable<SecretMetadata>;
  set(name: string, value: string | Uint8Array | Secret, options?: SetOptions): Promise<SetResult>;
  delete(name: string, options?: DeleteOptions): Promise<boolean>;
  close(): Promise<void>;
}

interface VersionMeta {
  created_time?: string;
  deletion_time?: string;
  destroyed?: boolean;
  version?: number;
  custom_metadata?: Record<string, string> | null;
}

interface KeyMeta {
  current_version?: number;
  oldest_version?: number;
  max_versions?: number;
  created_time?: string;
  updated_time?: string;
  custom_metadata?: Record<string, string> | null;
  versions?: Record<string, VersionMeta>;
}

const NAME_RULE = {
  // Segments are non-empty: no leading, trailing or doubled `/` (a trailing `/` names a folder in Vault).
  pattern: /^[^/]+(?:\/[^/]+)*$/u,
  maxLength: 1024,
  description: 'a Vault path: non-empty segments separated by "/", no leading or trailing "/"',
};

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** docs/protocols/vault.md#deleted-and-destroyed-versions: a version is readable unless destroyed or its deletion time has passed. */
function isLive(v: VersionMeta | undefined): boolean {
  if (v === undefined || v.destroyed === true) return false;
  const deleted = toDate(v.deletion_time);
  return deleted === undefined || deleted.getTime() > Date.now();
}

/**
 * The record value of a KV map: the `value` string when the map is exactly `{ value: <string> }`
 * (what `set` writes), otherwise the JSON text of the whole map, so `#field` works in the resolver.
 */
function mapToText(map: unknown): string {
  if (map !== null && typeof map === 'object' && !Array.isArray(map)) {
    const keys = Object.keys(map);
    const value = (map as Record<string, unknown>).value;
    if (keys.length === 1 && keys[0] === 'value' && typeof value === 'string') return value;
  }
  return JSON.stringify(map ?? {});
}

/**
 * A SecretSource backed by a HashiCorp Vault KV engine. A secret is a KV map: `set` writes
 * `{ value: "<text>" }`; `get` returns the `value` string when the map is exactly that, else the
 * map's JSON text (so `vault:app/db#password` selects a field). Deletes are soft (the versions stay
 * recoverable with `vault kv undelete`); `delete(name, { force: true })` destroys every version and
 * the metadata.
 * @example
 * import { hashicorpVault } from 'secretsource/providers/vault';
 * const vault = hashicorpVault({
 *   endpoint: 'https://vault.internal:8200',
 *   appRole: { roleId: process.env.ROLE_ID!, secretId: process.env.SECRET_ID! },
 * });
 * const resolver = createResolver({ sources: [vault] });
 * const dbPassword = await resolver.get('vault:app/db#password');
 */
export function hashicorpVault(options: HashicorpVaultOptions = {}): HashicorpVaultSource {
  const id = options.id ?? 'vault';
  const setup = (detail: string, hint?: string) =>
    callError('ERR_SOURCE_MISCONFIGURED', { source: id, action: 'configure' }, detail, hint ? { hint } : {});
  const kv = options.kvVersion ?? 2;
  if (kv !== 1 && kv !== 2) throw setup('kvVersion must be 1 or 2');
  if (options.appRole !== undefined && options.kubernetes !== undefined)
    throw setup('give appRole or kubernetes, not both');
  const endpoint = options.endpoint ?? process.env.VAULT_ADDR ?? DEFAULT_ENDPOINT;
  if (options.client === undefined) {
    const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw setup('the endpoint must be an http(s):// URL', 'e.g. https://vault.internal:8200');
    }
    // The token and every value would cross the network in clear text.
    if (url.protocol === 'http:' && !isLoopback(url.hostname) && options.allowInsecureHttp !== true) {
      throw setup(
        'plain http:// is allowed only to a loopback address',
        'use https://, or pass allowInsecureHttp: true if the network path is trusted',
      );
    }
  }
  const namespace = options.namespace ?? process.env.VAULT_NAMESPACE;
  const mountSegments = (options.mount ?? 'secret').split('/').filter((s) => s !== '');
  if (mountSegments.length === 0) throw setup('mount must not be empty');
  const mount = mountSegments.map(encodeURIComponent).join('/');
  const caps = capabilities({
    write: true,
    delete: true,
    list: true,
    versions: kv === 2,
    revoke: kv === 2,
    tags: kv === 2,
    maxValueBytes: MAX_VALUE_BYTES,
    nameRule: NAME_RULE,
  });
  const check = (name: string) => validateName(id, name, NAME_RULE);
  const req = options.requestOptions ?? {};
  // A LIST of a large folder is the largest answer Vault sends.
  const limits = callLimits({ ...options, timeoutMs: options.timeoutMs ?? req.timeout }, 8 * 1024 * 1024);

  // The endpoint was checked above: its origin, never a path, query or user info.
  const location = options.client === undefined ? new URL(endpoint).origin : undefined;
  const session = createVaultSession({
    id,
    mount,
    endpoint,
    location,
    // A prebuilt client keeps its own token unless one is passed explicitly.
    token: options.client === undefined ? (options.token ?? process.env.VAULT_TOKEN) : options.token,
    namespace,
    appRole: options.appRole,
    kubernetes: options.kubernetes,
    tls: {
      ca: req.ca ?? options.ca,
      cert: req.cert,
      key: req.key,
      // docs/protocols/vault.md#environment-variables: VAULT_SKIP_VERIFY would silently turn off TLS verification; only strictSSL:false may.
      rejectUnauthorized: req.strictSSL !== false,
    },
    limits,
    client: options.client,
  });
  const attempt = session.attempt;
  const mapError = session.mapError;
  type Ctx = VaultCallContext;
  type Call<T> = (c: VaultClient, o: VaultCallOptions) => Promise<T>;
  const site = (ctx: Ctx): CallSite => ({
    source: id,
    where: location,
    action: ctx.action,
    name: ctx.secretName,
  });

  /** {@link attempt} with every failure mapped to a coded SecretError. */
  async function call<T>(ctx: Ctx, fn: Call<T>): Promise<T> {
    try {
      return await attempt(ctx, fn);
    } catch (err) {
      throw mapError(err, ctx);
    }
  }

  /** A plain 404: no such key, version or folder (docs/protocols/vault.md#listing, #three-kinds-of-404), as opposed to an unknown mount. */
  function isAbsent(err: unknown): boolean {
    return statusOf(err) === 404 && !/no handler for route/.test(firstError(err));
  }

  /** {@link call}, with Vault's "not here" 404 turned into `undefined`. */
  async function orAbsent<T>(ctx: Ctx, fn: Call<T>): Promise<T | undefined> {
    try {
      return await attempt(ctx, fn);
    } catch (err) {
      if (isAbsent(err)) return undefined;
      throw mapError(err, ctx);
    }
  }

  /**
   * The KV map of a 200 answer. Anything else (an empty, cut or non-JSON body from a proxy, a
   * body without the envelope) is a bad answer, never a value and never "absent".
   */
  function kvMap(map: unknown, ctx: Ctx): Record<string, unknown> {
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) return map as Record<string, unknown>;
    throw callError('ERR_SOURCE_UNAVAILABLE', site(ctx), "Vault's answer is not a KV secret", {
      retryable: true,
      hint: 'check for a proxy between the app and Vault',
    });
  }

  /** The value of a KV map, within the declared size. */
  const secretOf = (name: string, map: unknown, ctx: Ctx): Secret =>
    readValue(
      { source: id, where: location, action: 'read', name },
      mapToText(kvMap(map, ctx)),
      MAX_VALUE_BYTES,
    );

  // --- KV helpers ---------------------------------------------------------------------------
  const dataPath = (name: string) =>
    kv === 2 ? `${mount}/data/${encodePath(name)}` : `${mount}/${encodePath(name)}`;
  const metaPath = (name: string) => `${mount}/metadata/${encodePath(name)}`;

  /** The mount's `max_versions`, or undefined when the token may not read the mount config. */
  async function mountMaxVersions(ctx: Ctx): Promise<number | undefined> {
    try {
      const res = await attempt({ ...ctx, action: 'read mount config of' }, (c, o) =>
        c.read(`${mount}/config`, o as never),
      );
      const max = (res?.data as { max_versions?: unknown } | undefined)?.max_versions;
      return typeof max === 'number' ? max : undefined;
    } catch {
      return undefined;
    }
  }

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    check(name);
    const ctx: Ctx = { action: 'read', secretName: name, signal: opts.signal };
    if (kv === 1) {
      if (opts.version !== undefined) throw new OperationUnsupportedError(id, 'versions (KV v1 keeps none)');
      const res = await orAbsent(ctx, (c, o) => c.read(dataPath(name), o as never));
      if (res === undefined) return undefined;
      return { name, value: secretOf(name, res?.data, ctx) };
    }
    let query = '';
    if (opts.version !== undefined) {
      if (!/^[1-9]\d{0,15}$/.test(opts.version)) {
        throw versionNotFound(
          site(ctx),
          opts.version,
          'is not a KV version number (1, 2, ...) and was not found',
        );
      }
      query = `?version=${opts.version}`;
    }
    let res: { data?: { data?: unknown; metadata?: VersionMeta } } | undefined;
    try {
      res = await attempt(ctx, (c, o) => c.read(`${dataPath(name)}${query}`, o as never));
    } catch (err) {
      if (!isAbsent(err)) throw mapError(err, ctx);
      // docs/protocols/vault.md#three-kinds-of-404: deleted/destroyed (404 + envelope) or missing (404 {"errors":[]}): nothing to read.
      if (opts.version === undefined) return undefined;
      const deleted = (bodyOf(err)?.data as { metadata?: VersionMeta } | null | undefined)?.metadata;
      if (deleted !== undefined && deleted !== null) {
        throw versionNotFound(site(ctx), opts.version, deleted.destroyed ? 'was destroyed' : 'was deleted');
      }
      // A missing key is absent; a missing (or pruned) version of an existing key is "version not found".
      const meta = await orAbsent({ ...ctx, action: 'read metadata of' }, (c, o) =>
        c.read(metaPath(name), o as never),
      );
      if (meta === undefined) return undefined;
      const km = (meta.data ?? {}) as KeyMeta;
      if (typeof km.oldest_version === 'number' && Number(opts.version) < km.oldest_version) {
        // A.4 max_versions pruned it: say which setting, so a rotation can warn in Vault's terms.
        const mountMax = await mountMaxVersions(ctx);
        throw callError('ERR_SECRET_VERSION_NOT_FOUND', site(ctx), `version "${opts.version}" was pruned`, {
          hint: `Vault keeps the newest max_versions versions (key: ${km.max_versions ?? 0}, mount: ${mountMax ?? 'not readable'}; 0 means the default of 10); raise it to keep previous keys`,
        });
      }
      throw versionNotFound(site(ctx), opts.version);
    }
    const meta = res?.data?.metadata ?? {};
    return {
      name,
      value: secretOf(name, res?.data?.data, ctx),
      version: typeof meta.version === 'number' ? String(meta.version) : undefined,
      updatedAt: toDate(meta.created_time),
      tags: meta.custom_metadata ? { ...meta.custom_metadata } : undefined,
    };
  }

  /**
   * Walks LIST folders depth-first; LIST-404 is an empty folder (docs/protocols/vault.md#listing). Every LIST counts as one
   * page of the listing, so a store answering folders forever hits `maxPages` or the deadline.
   */
  async function* walk(
    folder: string,
    prefix: string,
    ctx: Ctx,
    budget: ListingBudget,
  ): AsyncGenerator<string> {
    const listPath = kv === 2 ? `${mount}/metadata/${encodePath(folder)}` : `${mount}/${encodePath(folder)}`;
    const res = await budget.page((timeoutMs) =>
      orAbsent({ ...ctx, timeoutMs }, (c, o) => c.list(listPath, o as never)),
    );
    const keys: unknown = res?.data?.keys;
    if (!Array.isArray(keys)) return;
    for (const key of keys) {
      if (typeof key !== 'string' || key === '') continue;
      const full = `${folder}${key}`;
      if (key.endsWith('/')) {
        if (full.startsWith(prefix) || prefix.startsWith(full)) yield* walk(full, prefix, ctx, budget);
      } else if (full.startsWith(prefix)) {
        yield full;
      }
    }
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const prefix = opts.prefix ?? '';
    const start = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const ctx: Ctx = { action: 'list', signal: opts.signal };
    const budget = listingBudget(site(ctx), limits);
    if (kv === 1) {
      for await (const name of walk(start, prefix, ctx, budget)) yield { name };
      return;
    }
    // docs/protocols/vault.md#listing: soft-deleted keys still list, so each key's metadata says whether it is readable.
    let batch: string[] = [];
    const flush = async function* (): AsyncGenerator<SecretMetadata> {
      const metas = await Promise.all(
        batch.map((name) =>
          orAbsent({ ...ctx, secretName: name }, (c, o) => c.read(metaPath(name), o as never)),
        ),
      );
      for (const [i, res] of metas.entries()) {
        const meta = res?.data as KeyMeta | undefined;
        if (meta === undefined) continue;
        const current = meta.versions?.[String(meta.current_version)];
        if (!isLive(current)) continue;
        yield {
          name: batch[i]!,
          version: String(meta.current_version),
          createdAt: toDate(meta.created_time),
          updatedAt: toDate(current?.created_time ?? meta.updated_time),
          tags: meta.custom_metadata ? { ...meta.custom_metadata } : undefined,
        };
      }
      batch = [];
    };
    for await (const name of walk(start, prefix, ctx, budget)) {
      batch.push(name);
      if (batch.length >= LIST_CONCURRENCY) yield* flush();
    }
    yield* flush();
  }

  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: SetOptions = {},
  ): Promise<SetResult> {
    check(name);
    const ctx: Ctx = { action: 'write', secretName: name, signal: opts.signal };
    const text = writeValue(site(ctx), value, caps) as string;
    const tags = opts.tags === undefined || Object.keys(opts.tags).length === 0 ? undefined : opts.tags;
    if (tags !== undefined) checkTags(name, tags);
    const conflict = () => callError('ERR_SECRET_CONFLICT', site(ctx), 'refused: the name already exists');
    if (kv === 1) {
      // KV v1 has no check-and-set: this read-then-write is not atomic (documented).
      const existing = await orAbsent({ ...ctx, action: 'read' }, (c, o) =>
        c.read(dataPath(name), o as never),
      );
      if (opts.ifAbsent && existing !== undefined) throw conflict();
      await call(ctx, (c, o) => c.write(dataPath(name), { value: text }, o as never));
      return { created: existing === undefined };
    }
    const write = (cas: number | undefined) =>
      attempt(ctx, (c, o) =>
        c.write(
          dataPath(name),
          { data: { value: text }, ...(cas === undefined ? {} : { options: { cas } }) },
          o as never,
        ),
      );
    let res: { data?: VersionMeta } | undefined;
    try {
      // docs/protocols/vault.md#check-and-set: cas 0 = "only if the key does not exist", atomically in Vault.
      res = await write(opts.ifAbsent ? 0 : undefined);
    } catch (err) {
      if (!opts.ifAbsent || !isCasMismatch(err)) throw mapWriteError(err, ctx);
      // docs/protocols/vault.md#check-and-set: a key whose versions are all deleted still exists for CAS, but is absent for readers.
      const meta = await orAbsent({ ...ctx, action: 'read metadata of' }, (c, o) =>
        c.read(metaPath(name), o as never),
      );
      const km = (meta?.data ?? undefined) as KeyMeta | undefined;
      const current = km?.current_version;
      if (typeof current !== 'number' || isLive(km?.versions?.[String(current)])) throw conflict();
      try {
        res = await write(current);
      } catch (again) {
        throw isCasMismatch(again) ? conflict() : mapWriteError(again, ctx);
      }
    }
    if (tags !== undefined) {
      // custom_metadata is per key, not per version; written after the data so a refused write changes nothing.
      await call({ ...ctx, action: 'tag' }, (c, o) =>
        c.write(metaPath(name), { custom_metadata: tags }, o as never),
      );
    }
    const version = res?.data?.version;
    return { version: typeof version === 'number' ? String(version) : undefined, created: version === 1 };
  }

  /** docs/protocols/vault.md#check-and-set: CAS failures are 400s with exact texts; the mismatch is the one `ifAbsent` expects. */
  function isCasMismatch(err: unknown): boolean {
    return (
      statusOf(err) === 400 && firstError(err) === 'check-and-set parameter did not match the current version'
    );
  }

  function mapWriteError(err: unknown, ctx: Ctx): SecretError {
    if (statusOf(err) === 400 && firstError(err) === 'check-and-set parameter required for this call') {
      return callError('ERR_SECRET_CONFLICT', site(ctx), 'refused: the key requires check-and-set', {
        cause: err,
        hint: 'use set(name, value, { ifAbsent: true }) for new keys, or turn off cas_required',
      });
    }
    return mapError(err, ctx);
  }

  function checkTags(name: string, tags: Readonly<Record<string, string>>): void {
    const entries = Object.entries(tags);
    // docs/protocols/vault.md#metadata custom metadata limits, checked before anything is written.
    const bad =
      entries.length > 64 ||
      entries.some(
        ([k, v]) => typeof v !== 'string' || Buffer.byteLength(k) > 128 || Buffer.byteLength(v) > 512,
      );
    if (bad) {
      throw new OperationUnsupportedError(id, 'tags beyond 64 keys of 128 bytes with values of 512 bytes', {
        secretName: name,
      });
    }
  }

  async function del(name: string, opts: DeleteOptions = {}): Promise<boolean> {
    check(name);
    const ctx: Ctx = { action: 'delete', secretName: name, signal: opts.signal };
    if (kv === 1) {
      const existing = await orAbsent({ ...ctx, action: 'read' }, (c, o) =>
        c.read(dataPath(name), o as never),
      );
      if (existing === undefined) return false;
      await call(ctx, (c, o) => c.delete(dataPath(name), o as never));
      return true;
    }
    const meta = await orAbsent(ctx, (c, o) => c.read(metaPath(name), o as never));
    if (meta === undefined) return false;
    const km = (meta?.data ?? {}) as KeyMeta;
    const live = isLive(km.versions?.[String(km.current_version)]);
    if (opts.force) {
      // docs/protocols/vault.md#kv-version-2 delete all: every version and the key itself; only when asked.
      await call({ ...ctx, action: 'destroy' }, (c, o) => c.delete(metaPath(name), o as never));
      return live;
    }
    if (!live) return false;
    // docs/protocols/vault.md#kv-version-2 soft delete of the latest version; `vault kv undelete` can bring it back.
    await call(ctx, (c, o) => c.delete(dataPath(name), o as never));
    return true;
  }

  async function* versions(name: string, opts: VersionsOptions = {}) {
    check(name);
    const ctx: Ctx = { action: 'list versions of', secretName: name, signal: opts.signal };
    const res = await orAbsent(ctx, (c, o) => c.read(metaPath(name), o as never));
    const meta = (res?.data ?? undefined) as KeyMeta | undefined;
    if (meta?.versions === undefined) return;
    // docs/protocols/vault.md#metadata: the version keys of the metadata map are strings.
    const numbers = Object.keys(meta.versions)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0)
      .sort((a, b) => b - a);
    for (const n of numbers) {
      const v = meta.versions[String(n)]!;
      const current = n === meta.current_version;
      const info: SecretVersionInfo = {
        version: String(n),
        createdAt: toDate(v.created_time),
        stages: current ? ['current'] : [],
        current,
        enabled: isLive(v),
      };
      yield info;
    }
  }

  /**
   * Revokes in Vault's terms: every live version older than `keep` is deleted (A.4 soft delete of
   * versions: its data is kept and `vault kv undelete` brings it back; `vault kv destroy` erases it).
   */
  async function revokeVersions(name: string, keep: string, opts: RevokeOptions = {}): Promise<string[]> {
    check(name);
    const ctx: Ctx = { action: 'revoke versions of', secretName: name, signal: opts.signal };
    const res = await orAbsent(ctx, (c, o) => c.read(metaPath(name), o as never));
    const meta = (res?.data ?? undefined) as KeyMeta | undefined;
    if (meta?.versions === undefined) throw callError('ERR_SECRET_NOT_FOUND', site(ctx), 'no such secret');
    const kept = Number(keep);
    if (!/^[1-9]\d{0,15}$/.test(keep) || meta.versions[keep] === undefined) {
      throw versionNotFound(site(ctx), keep);
    }
    const older = Object.keys(meta.versions)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0 && n < kept && isLive(meta.versions![String(n)]))
      .sort((a, b) => b - a);
    if (older.length === 0) return [];
    await call(ctx, (c, o) =>
      c.write(`${mount}/delete/${encodePath(name)}`, { versions: older }, o as never),
    );
    return older.map(String);
  }

  const source: HashicorpVaultSource = {
    id,
    location,
    capabilities: caps,
    get,
    list,
    set,
    delete: del,
    close: () => session.close(),
  };
  if (kv === 2) {
    source.versions = versions;
    source.revokeVersions = revokeVersions;
  }
  return source;
}

/**
 * HashiCorp Vault KV (v2, or v1) as a SecretSource (id `vault`), on `node-vault` loaded on first
 * use. Works around the client's known traps (PROTOCOLS.md A.6/A.7): it encodes every path
 * segment itself, never uses the mustache-rendered helpers for user paths, treats LIST-404 as an
 * empty folder and a deleted-version 404 as absent, and never copies Vault's or axios's messages.
 */
import { readFile } from 'node:fs/promises';
import type NodeVault from 'node-vault';
import {
  isSecretError,
  OperationUnsupportedError,
  SecretError,
  SecretNotFoundError,
  SourceError,
} from '../src/errors.js';
import { printableName, validateName } from '../src/names.js';
import { loadPeer, once } from '../src/peer.js';
import { isSecret, Secret } from '../src/secret.js';
import type {
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
} from '../src/source.js';

const PEER = 'node-vault';
const DEFAULT_ENDPOINT = 'http://127.0.0.1:8200';
const DEFAULT_JWT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** Renew a token once this fraction of its TTL has passed. */
const RENEW_FRACTION = 2 / 3;
/** A fresh login that is refused again within this window is a policy denial, not a stale token. */
const RELOGIN_COOLDOWN_MS = 10_000;
/** Metadata reads in flight at once while `list()` walks a folder. */
const LIST_CONCURRENCY = 8;

/** AppRole login (`auth/<mount>/login`). */
export interface VaultAppRoleAuth {
  roleId: string;
  secretId: string;
  /** Where the AppRole auth method is mounted. @default 'approle' */
  mount?: string | undefined;
}

/** Kubernetes login (`auth/<mount>/login`) with the pod's service-account JWT. */
export interface VaultKubernetesAuth {
  /** The Vault role bound to the service account. */
  role: string;
  /** File holding the JWT, read again at every login (Kubernetes rotates it). @default '/var/run/secrets/kubernetes.io/serviceaccount/token' */
  jwtPath?: string | undefined;
  /** Where the Kubernetes auth method is mounted. @default 'kubernetes' */
  mount?: string | undefined;
}

/** Transport options passed to node-vault (TLS material and a per-request timeout). */
export interface VaultRequestOptions {
  /** PEM CA bundle that signed Vault's certificate. */
  ca?: string | Buffer | undefined;
  /** Client certificate and key, for TLS client auth. */
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  /** Verify Vault's certificate. `VAULT_SKIP_VERIFY` is deliberately ignored. @default true */
  strictSSL?: boolean | undefined;
  /** Milliseconds before a request fails with `ERR_SOURCE_TIMEOUT`. @default no timeout */
  timeout?: number | undefined;
}

/** Options for {@link hashicorpVault}. */
export interface HashicorpVaultOptions {
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
  /** A prebuilt node-vault client (custom transport, tests); `endpoint`, `namespace` and TLS options are then ignored. */
  client?: NodeVault.client | undefined;
}

/** A Vault source. `versions` is present only for KV v2. */
export interface HashicorpVaultSource extends SecretSource {
  list(options?: ListOptions): AsyncIterable<SecretMetadata>;
  set(name: string, value: string | Uint8Array | Secret, options?: SetOptions): Promise<SetResult>;
  delete(name: string, options?: DeleteOptions): Promise<boolean>;
  close(): Promise<void>;
}

/** What node-vault rejects with for a non-200/204 answer (`ApiResponseError`). */
interface ApiError {
  response?: { statusCode?: number; body?: unknown };
  code?: unknown;
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
  created_time?: string;
  updated_time?: string;
  custom_metadata?: Record<string, string> | null;
  versions?: Record<string, VersionMeta>;
}

/** The Vault client the source drives: node-vault's generic calls only (A.6: no mustache helpers). */
type Client = Pick<NodeVault.client, 'read' | 'write' | 'list' | 'delete'> & { token?: string | undefined };

const NAME_RULE = Object.freeze({
  // Segments are non-empty: no leading, trailing or doubled `/` (a trailing `/` names a folder in Vault).
  pattern: /^[^/]+(?:\/[^/]+)*$/u,
  maxLength: 1024,
  description: 'a Vault path: non-empty segments separated by "/", no leading or trailing "/"',
});

function statusOf(err: unknown): number | undefined {
  const s = (err as ApiError | null)?.response?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function bodyOf(err: unknown): Record<string, unknown> | undefined {
  const b = (err as ApiError | null)?.response?.body;
  return b !== null && typeof b === 'object' ? (b as Record<string, unknown>) : undefined;
}

/** First entry of a Vault `errors` array, only for matching known server texts, never for messages. */
function firstError(err: unknown): string {
  const errors = bodyOf(err)?.errors;
  return Array.isArray(errors) && typeof errors[0] === 'string' ? errors[0] : '';
}

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A.4: a version is readable unless destroyed or its deletion time has passed. */
function isLive(v: VersionMeta | undefined): boolean {
  if (v === undefined || v.destroyed === true) return false;
  const deleted = toDate(v.deletion_time);
  return deleted === undefined || deleted.getTime() > Date.now();
}

/** A.6: node-vault concatenates paths unencoded, so `#`, `?` and `%` must be encoded per segment. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
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

/** Rejects with the signal's abort as soon as it fires (node-vault takes no signal). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

class AbortedError extends Error {
  override name = 'AbortError';
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

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
  const kv = options.kvVersion ?? 2;
  if (kv !== 1 && kv !== 2) {
    throw new SourceError('ERR_SOURCE_MISCONFIGURED', `source "${id}": kvVersion must be 1 or 2`, {
      source: id,
    });
  }
  if (options.appRole !== undefined && options.kubernetes !== undefined) {
    throw new SourceError(
      'ERR_SOURCE_MISCONFIGURED',
      `source "${id}": give appRole or kubernetes, not both`,
      {
        source: id,
      },
    );
  }
  const mode = options.appRole ? 'approle' : options.kubernetes ? 'kubernetes' : 'token';
  const endpoint = options.endpoint ?? process.env.VAULT_ADDR ?? DEFAULT_ENDPOINT;
  const staticToken = mode === 'token' ? (options.token ?? process.env.VAULT_TOKEN) : undefined;
  const namespace = options.namespace ?? process.env.VAULT_NAMESPACE;
  const mountSegments = (options.mount ?? 'secret').split('/').filter((s) => s !== '');
  if (mountSegments.length === 0) {
    throw new SourceError('ERR_SOURCE_MISCONFIGURED', `source "${id}": mount must not be empty`, {
      source: id,
    });
  }
  const mount = mountSegments.map(encodeURIComponent).join('/');
  const capabilities: Capabilities = Object.freeze({
    read: true,
    write: true,
    delete: true,
    list: true,
    versions: kv === 2,
    batchGet: false,
    binary: false,
    tags: kv === 2,
    // Consul storage caps an entry at 512 KiB and integrated storage at 1 MiB: the smaller is safe on both.
    maxValueBytes: 512 * 1024,
    nameRule: NAME_RULE,
  });
  const check = (name: string) => validateName(id, name, NAME_RULE);

  // --- client and token lifecycle ------------------------------------------------------------
  const getClient = once(async (): Promise<Client> => {
    if (options.client !== undefined) {
      if (staticToken !== undefined && options.token !== undefined) options.client.token = staticToken;
      return options.client;
    }
    const mod = await loadPeer(id, PEER, () => import('node-vault'));
    const factory = ((mod as { default?: unknown }).default ?? mod) as typeof NodeVault;
    const req = options.requestOptions ?? {};
    const requestOptions: Record<string, unknown> = {};
    for (const k of ['ca', 'cert', 'key', 'strictSSL', 'timeout'] as const) {
      if (req[k] !== undefined) requestOptions[k] = req[k];
    }
    if (options.ca !== undefined && requestOptions.ca === undefined) requestOptions.ca = options.ca;
    const config: NodeVault.VaultOptions & { rpDefaults: { strictSSL: boolean } } = {
      apiVersion: 'v1',
      endpoint,
      ...(staticToken === undefined ? {} : { token: staticToken }),
      ...(namespace === undefined ? {} : { namespace }),
      requestOptions,
      // A.6: VAULT_SKIP_VERIFY would silently turn off TLS verification; only strictSSL:false may.
      rpDefaults: { strictSSL: req.strictSSL !== false },
    };
    const client = factory(config);
    // A.6: node-vault falls back to VAULT_PREFIX/VAULT_TOKEN/VAULT_NAMESPACE; pin what we resolved.
    const c = client as unknown as Record<string, unknown>;
    c.pathPrefix = '';
    c.namespace = namespace;
    c.token = staticToken;
    return client;
  });

  /** Token lifetime as last learned (login, renew-self or lookup-self); times in ms since epoch. */
  const state = {
    generation: 0,
    loggedIn: false,
    renewable: false,
    renewAt: 0,
    expiresAt: 0,
    lastLoginAt: 0,
  };
  let loginFlight: Promise<void> | undefined;
  let renewFlight: Promise<void> | undefined;

  const learnLifetime = (ttlSeconds: unknown, renewable: unknown) => {
    const ttl = typeof ttlSeconds === 'number' && ttlSeconds > 0 ? ttlSeconds * 1000 : 0;
    const now = Date.now();
    state.renewable = renewable === true && ttl > 0;
    state.expiresAt = ttl > 0 ? now + ttl : 0;
    state.renewAt = ttl > 0 ? now + ttl * RENEW_FRACTION : 0;
  };

  const doLogin = async (c: Client): Promise<void> => {
    let path: string;
    let body: Record<string, string>;
    let what: string;
    if (options.appRole) {
      what = 'AppRole login';
      path = `auth/${encodePath(options.appRole.mount ?? 'approle')}/login`;
      body = { role_id: options.appRole.roleId, secret_id: options.appRole.secretId };
    } else {
      const k8s = options.kubernetes!;
      what = 'Kubernetes login';
      const jwtPath = k8s.jwtPath ?? DEFAULT_JWT_PATH;
      let jwt: string;
      try {
        jwt = (await readFile(jwtPath, 'utf8')).trim();
      } catch (err) {
        throw new SourceError(
          'ERR_SOURCE_MISCONFIGURED',
          `${what} for source "${id}" failed: the service-account token file could not be read`,
          { source: id, cause: err, hint: `check kubernetes.jwtPath (${printableName(jwtPath)})` },
        );
      }
      path = `auth/${encodePath(k8s.mount ?? 'kubernetes')}/login`;
      body = { role: k8s.role, jwt };
    }
    // A stale token must not ride along on the login request.
    c.token = '';
    let res: { auth?: { client_token?: unknown; lease_duration?: unknown; renewable?: unknown } } | undefined;
    try {
      // A.6: the generic write, not approleLogin/kubernetesLogin, whose paths are mustache-escaped.
      res = await c.write(path, body);
    } catch (err) {
      const status = statusOf(err);
      // A.2: bad AppRole credentials are a 400, a bad JWT a 403: both mean "these credentials are refused".
      if (status === 400 || status === 403) {
        throw new SourceError(
          'ERR_SOURCE_ACCESS_DENIED',
          `${what} for source "${id}" was refused (HTTP ${status})`,
          {
            source: id,
            cause: err,
            hint: options.appRole
              ? 'check appRole.roleId and appRole.secretId'
              : 'check kubernetes.role and the JWT',
          },
        );
      }
      throw mapError(err, { action: what });
    }
    const token = res?.auth?.client_token;
    if (typeof token !== 'string' || token === '') {
      throw new SourceError('ERR_SOURCE_UNAVAILABLE', `${what} for source "${id}" returned no token`, {
        source: id,
        retryable: true,
      });
    }
    c.token = token;
    state.generation += 1;
    state.loggedIn = true;
    state.lastLoginAt = Date.now();
    learnLifetime(res?.auth?.lease_duration, res?.auth?.renewable);
  };

  /** One login at a time; every concurrent caller waits on the same one. */
  const login = (c: Client): Promise<void> => {
    loginFlight ??= doLogin(c).finally(() => {
      loginFlight = undefined;
    });
    return loginFlight;
  };

  const renew = (c: Client): Promise<void> => {
    renewFlight ??= (async () => {
      try {
        const res = await c.write('auth/token/renew-self', {});
        learnLifetime(res?.auth?.lease_duration, res?.auth?.renewable);
      } catch {
        // A failed renewal is not fatal while the token still lives; logins get a fresh token instead.
        if (mode !== 'token') state.loggedIn = false;
        else state.renewable = false;
      }
    })().finally(() => {
      renewFlight = undefined;
    });
    return renewFlight;
  };

  /** Learns a static token's TTL once, so a renewable token can be renewed before it expires. */
  let looked = false;
  let lookupFlight: Promise<void> | undefined;
  const lookupStatic = (c: Client): Promise<void> => {
    lookupFlight ??= (async () => {
      try {
        const res = await c.read('auth/token/lookup-self');
        learnLifetime(res?.data?.ttl, res?.data?.renewable);
        looked = true;
      } catch (err) {
        // A refused lookup means "do not renew" (the real call reports any denial); other failures retry later.
        if (statusOf(err) === 403) looked = true;
      }
    })().finally(() => {
      lookupFlight = undefined;
    });
    return lookupFlight;
  };

  /** A client holding a usable token: logged in, renewed when due. */
  const ready = async (): Promise<Client> => {
    const c = await getClient();
    const now = Date.now();
    if (mode === 'token') {
      if ((c.token ?? '') === '') {
        throw new SourceError('ERR_SOURCE_MISCONFIGURED', `source "${id}" has no Vault token`, {
          source: id,
          hint: 'set VAULT_TOKEN, or pass token, appRole or kubernetes',
        });
      }
      if (!looked) await lookupStatic(c);
      if (state.renewable && now >= state.renewAt && now < state.expiresAt) await renew(c);
      return c;
    }
    // A re-login under way (after a 403) replaces the token: wait for it rather than race it.
    if (loginFlight !== undefined) await loginFlight;
    if (!state.loggedIn || (state.expiresAt > 0 && now >= state.expiresAt)) {
      await login(c);
    } else if (state.renewable && now >= state.renewAt) {
      await renew(c);
      if (!state.loggedIn) await login(c);
    }
    return c;
  };

  interface Ctx {
    action: string;
    secretName?: string | undefined;
    signal?: AbortSignal | undefined;
  }

  /**
   * Runs one Vault call with a ready token and rejects with the raw error, so callers can read
   * Vault's status and body. A login token refused with 403 gets one fresh login and one retry.
   */
  async function attempt<T>(ctx: Ctx, fn: (c: Client) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const c = await ready();
      const generation = state.generation;
      try {
        return await fn(c);
      } catch (err) {
        if (mode === 'token' || statusOf(err) !== 403) throw err;
        // Another caller already logged in again: just retry with the new token.
        if (generation === state.generation) {
          // A token we just got being refused means the policy denies it, not that it went stale.
          if (Date.now() - state.lastLoginAt < RELOGIN_COOLDOWN_MS) throw err;
          await login(c);
        }
        return fn(c);
      }
    };
    return abortable(run(), ctx.signal);
  }

  /** {@link attempt} with every failure mapped to a coded SecretError. */
  async function call<T>(ctx: Ctx, fn: (c: Client) => Promise<T>): Promise<T> {
    try {
      return await attempt(ctx, fn);
    } catch (err) {
      throw mapError(err, ctx);
    }
  }

  /** A plain 404: no such key, version or folder (A.7.2/A.7.3), as opposed to an unknown mount. */
  function isAbsent(err: unknown): boolean {
    return statusOf(err) === 404 && !/no handler for route/.test(firstError(err));
  }

  /** {@link call}, with Vault's "not here" 404 turned into `undefined`. */
  async function orAbsent<T>(ctx: Ctx, fn: (c: Client) => Promise<T>): Promise<T | undefined> {
    try {
      return await attempt(ctx, fn);
    } catch (err) {
      if (isAbsent(err)) return undefined;
      throw mapError(err, ctx);
    }
  }

  function mapError(err: unknown, ctx: Ctx): SecretError {
    if (isSecretError(err)) return err;
    const name = ctx.secretName === undefined ? '' : ` "${printableName(ctx.secretName)}"`;
    const what = `${ctx.action}${name} in source "${id}"`;
    const base = { source: id, secretName: ctx.secretName, cause: err };
    if (err instanceof AbortedError) {
      return new SourceError('ERR_SOURCE_TIMEOUT', `${what} was aborted before it completed`, base);
    }
    const status = statusOf(err);
    if (status === undefined) {
      const raw = (err as ApiError | null)?.code;
      // Only a bare system code (ECONNRESET) goes into the message.
      const code = typeof raw === 'string' && /^[A-Z0-9_]{1,40}$/.test(raw) ? raw : '';
      if (TIMEOUT_CODES.has(code)) {
        return new SourceError('ERR_SOURCE_TIMEOUT', `${what} timed out`, { ...base, retryable: true });
      }
      if (TLS_CODE.test(code)) {
        return new SourceError(
          'ERR_SOURCE_MISCONFIGURED',
          `${what} failed: Vault's TLS certificate was not trusted`,
          {
            ...base,
            hint: 'pass the CA that signed it as `ca` (or requestOptions.ca)',
          },
        );
      }
      return new SourceError(
        'ERR_SOURCE_UNAVAILABLE',
        `${what} failed: Vault could not be reached${code ? ` (${code})` : ''}`,
        { ...base, retryable: true },
      );
    }
    // A.2 / A.7.7: match on the status, never on the text.
    if (status === 403) {
      return new SourceError('ERR_SOURCE_ACCESS_DENIED', `${what} was denied (HTTP 403)`, {
        ...base,
        hint: 'check that the token is valid and that its policy grants this path; the README lists the policy each operation needs',
      });
    }
    if (status === 503 && /sealed/i.test(firstError(err))) {
      return new SourceError('ERR_SOURCE_UNAVAILABLE', `${what} failed: Vault is sealed (HTTP 503)`, {
        ...base,
        retryable: true,
        hint: 'an operator must unseal Vault',
      });
    }
    // A.1: 412 (consistency), 429 and 472/473 (standbys), 5xx: trying again may work.
    if (status >= 500 || status === 412 || status === 429 || status === 472 || status === 473) {
      return new SourceError(
        'ERR_SOURCE_UNAVAILABLE',
        `${what} failed: Vault is unavailable (HTTP ${status})`,
        {
          ...base,
          retryable: true,
        },
      );
    }
    if (status === 404 && /no handler for route/.test(firstError(err))) {
      return new SourceError(
        'ERR_SOURCE_MISCONFIGURED',
        `${what} failed: no engine is mounted at "${mount}"`,
        {
          ...base,
          hint: 'check the mount and namespace options',
        },
      );
    }
    if (status === 413) {
      return new SecretError(
        'ERR_SECRET_MALFORMED',
        `${what} refused: the request is too large (HTTP 413)`,
        base,
      );
    }
    return new SourceError('ERR_SOURCE_MISCONFIGURED', `${what} was refused by Vault (HTTP ${status})`, {
      ...base,
      hint: 'check the mount and kvVersion options',
    });
  }

  // --- KV helpers ---------------------------------------------------------------------------
  const dataPath = (name: string) =>
    kv === 2 ? `${mount}/data/${encodePath(name)}` : `${mount}/${encodePath(name)}`;
  const metaPath = (name: string) => `${mount}/metadata/${encodePath(name)}`;

  const versionNotFound = (name: string, version: string, why: string) =>
    new SecretNotFoundError(
      `version "${version}" of secret "${printableName(name)}" ${why} in source "${id}"`,
      {
        source: id,
        secretName: name,
        version: true,
      },
    );

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    check(name);
    const ctx: Ctx = { action: 'read of secret', secretName: name, signal: opts.signal };
    if (kv === 1) {
      if (opts.version !== undefined) throw new OperationUnsupportedError(id, 'versions (KV v1 keeps none)');
      const res = await orAbsent(ctx, (c) => c.read(dataPath(name)));
      if (res === undefined) return undefined;
      return { name, value: new Secret(mapToText(res?.data), { name }) };
    }
    let query = '';
    if (opts.version !== undefined) {
      if (!/^[1-9]\d{0,15}$/.test(opts.version)) {
        throw versionNotFound(
          name,
          printableName(opts.version),
          'is not a KV version number (1, 2, ...) and was not found',
        );
      }
      query = `?version=${opts.version}`;
    }
    let res: { data?: { data?: unknown; metadata?: VersionMeta } } | undefined;
    try {
      res = await attempt(ctx, (c) => c.read(`${dataPath(name)}${query}`));
    } catch (err) {
      if (!isAbsent(err)) throw mapError(err, ctx);
      // A.7.3: deleted/destroyed (404 + envelope) or missing (404 {"errors":[]}): nothing to read.
      if (opts.version === undefined) return undefined;
      const deleted = (bodyOf(err)?.data as { metadata?: VersionMeta } | null | undefined)?.metadata;
      if (deleted !== undefined && deleted !== null) {
        throw versionNotFound(name, opts.version, deleted.destroyed ? 'was destroyed' : 'was deleted');
      }
      // A missing key is absent; a missing (or pruned) version of an existing key is "version not found".
      const meta = await orAbsent({ ...ctx, action: 'metadata read of secret' }, (c) =>
        c.read(metaPath(name)),
      );
      if (meta === undefined) return undefined;
      throw versionNotFound(name, opts.version, 'was not found');
    }
    const meta = res?.data?.metadata ?? {};
    return {
      name,
      value: new Secret(mapToText(res?.data?.data), { name }),
      version: typeof meta.version === 'number' ? String(meta.version) : undefined,
      updatedAt: toDate(meta.created_time),
      tags: meta.custom_metadata ? { ...meta.custom_metadata } : undefined,
    };
  }

  /** Walks LIST folders depth-first; LIST-404 is an empty folder (A.7.2). */
  async function* walk(folder: string, prefix: string, ctx: Ctx): AsyncGenerator<string> {
    const listPath = kv === 2 ? `${mount}/metadata/${encodePath(folder)}` : `${mount}/${encodePath(folder)}`;
    const res = await orAbsent(ctx, (c) => c.list(listPath));
    const keys: unknown = res?.data?.keys;
    if (!Array.isArray(keys)) return;
    for (const key of keys) {
      if (typeof key !== 'string' || key === '') continue;
      const full = `${folder}${key}`;
      if (key.endsWith('/')) {
        if (full.startsWith(prefix) || prefix.startsWith(full)) yield* walk(full, prefix, ctx);
      } else if (full.startsWith(prefix)) {
        yield full;
      }
    }
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const prefix = opts.prefix ?? '';
    const start = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const ctx: Ctx = { action: 'list', signal: opts.signal };
    if (kv === 1) {
      for await (const name of walk(start, prefix, ctx)) yield { name };
      return;
    }
    // A.4: soft-deleted keys still list, so each key's metadata says whether it is readable.
    let batch: string[] = [];
    const flush = async function* (): AsyncGenerator<SecretMetadata> {
      const metas = await Promise.all(
        batch.map((name) => orAbsent({ ...ctx, secretName: name }, (c) => c.read(metaPath(name)))),
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
    for await (const name of walk(start, prefix, ctx)) {
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
    if (value instanceof Uint8Array || (isSecret(value) && value.isBinary)) {
      throw new OperationUnsupportedError(id, 'binary values (KV stores JSON text)', { secretName: name });
    }
    const text = isSecret(value) ? value.reveal() : value;
    if (Buffer.byteLength(text, 'utf8') > capabilities.maxValueBytes!) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `write of secret "${printableName(name)}" in source "${id}" refused: the value is larger than ${capabilities.maxValueBytes} bytes`,
        {
          source: id,
          secretName: name,
          hint: 'Vault storage backends cap one entry at 512 KiB (Consul) or 1 MiB (integrated storage)',
        },
      );
    }
    const tags = opts.tags === undefined || Object.keys(opts.tags).length === 0 ? undefined : opts.tags;
    if (tags !== undefined) checkTags(name, tags);
    const ctx: Ctx = { action: 'write of secret', secretName: name, signal: opts.signal };
    const conflict = () =>
      new SecretError(
        'ERR_SECRET_CONFLICT',
        `secret "${printableName(name)}" already exists in source "${id}"`,
        {
          source: id,
          secretName: name,
        },
      );
    if (kv === 1) {
      // KV v1 has no check-and-set: this read-then-write is not atomic (documented).
      const existing = await orAbsent({ ...ctx, action: 'read of secret' }, (c) => c.read(dataPath(name)));
      if (opts.ifAbsent && existing !== undefined) throw conflict();
      await call(ctx, (c) => c.write(dataPath(name), { value: text }));
      return { created: existing === undefined };
    }
    const write = (cas: number | undefined) =>
      attempt(ctx, (c) =>
        c.write(dataPath(name), {
          data: { value: text },
          ...(cas === undefined ? {} : { options: { cas } }),
        }),
      );
    let res: { data?: VersionMeta } | undefined;
    try {
      // A.4: cas 0 = "only if the key does not exist", atomically in Vault.
      res = await write(opts.ifAbsent ? 0 : undefined);
    } catch (err) {
      if (!opts.ifAbsent || !isCasMismatch(err)) throw mapWriteError(err, ctx);
      // A.4: a key whose versions are all deleted still exists for CAS, but is absent for readers.
      const meta = await orAbsent({ ...ctx, action: 'metadata read of secret' }, (c) =>
        c.read(metaPath(name)),
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
      await call({ ...ctx, action: 'tagging of secret' }, (c) =>
        c.write(metaPath(name), { custom_metadata: tags }),
      );
    }
    const version = res?.data?.version;
    return { version: typeof version === 'number' ? String(version) : undefined, created: version === 1 };
  }

  /** A.4/A.7.5: CAS failures are 400s with exact texts; the mismatch is the one `ifAbsent` expects. */
  function isCasMismatch(err: unknown): boolean {
    return (
      statusOf(err) === 400 && firstError(err) === 'check-and-set parameter did not match the current version'
    );
  }

  function mapWriteError(err: unknown, ctx: Ctx): SecretError {
    if (statusOf(err) === 400 && firstError(err) === 'check-and-set parameter required for this call') {
      return new SecretError(
        'ERR_SECRET_CONFLICT',
        `write of secret "${printableName(ctx.secretName ?? '')}" in source "${id}" refused: the key requires check-and-set`,
        {
          source: id,
          secretName: ctx.secretName,
          cause: err,
          hint: 'use set(name, value, { ifAbsent: true }) for new keys, or turn off cas_required',
        },
      );
    }
    return mapError(err, ctx);
  }

  function checkTags(name: string, tags: Readonly<Record<string, string>>): void {
    const entries = Object.entries(tags);
    // A.4 custom metadata limits, checked before anything is written.
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
    const ctx: Ctx = { action: 'delete of secret', secretName: name, signal: opts.signal };
    if (kv === 1) {
      const existing = await orAbsent({ ...ctx, action: 'read of secret' }, (c) => c.read(dataPath(name)));
      if (existing === undefined) return false;
      await call(ctx, (c) => c.delete(dataPath(name)));
      return true;
    }
    const meta = await orAbsent(ctx, (c) => c.read(metaPath(name)));
    if (meta === undefined) return false;
    const km = (meta?.data ?? {}) as KeyMeta;
    const live = isLive(km.versions?.[String(km.current_version)]);
    if (opts.force) {
      // A.4 delete all: every version and the key itself; only when asked.
      await call({ ...ctx, action: 'destroy of secret' }, (c) => c.delete(metaPath(name)));
      return live;
    }
    if (!live) return false;
    // A.4 soft delete of the latest version; `vault kv undelete` can bring it back.
    await call(ctx, (c) => c.delete(dataPath(name)));
    return true;
  }

  async function* versions(name: string, opts: { signal?: AbortSignal | undefined } = {}) {
    check(name);
    const ctx: Ctx = { action: 'version list of secret', secretName: name, signal: opts.signal };
    const res = await orAbsent(ctx, (c) => c.read(metaPath(name)));
    const meta = (res?.data ?? undefined) as KeyMeta | undefined;
    if (meta?.versions === undefined) return;
    // A.7.6: the version keys of the metadata map are strings.
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

  const source: HashicorpVaultSource = {
    id,
    capabilities,
    get,
    list,
    set,
    delete: del,
    async close() {
      state.loggedIn = false;
    },
  };
  if (kv === 2) source.versions = versions;
  return source;
}

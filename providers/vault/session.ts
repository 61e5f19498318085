/**
 * The connection half of the Vault source: the node-vault client (loaded on first use), the token
 * lifecycle (static token, AppRole or Kubernetes login shared by concurrent callers, renewal before
 * expiry, one re-login on 403) and the mapping of Vault and transport failures to coded errors.
 */
import { readFile } from 'node:fs/promises';
import type NodeVault from 'node-vault';
import { isSecretError, SecretError, SourceError } from '../../src/core/errors.js';
import { printableName } from '../../src/core/names.js';
import { loadPeer, once } from '../kit/peer.js';

const PEER = 'node-vault';
const DEFAULT_JWT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** Renew a token once this fraction of its TTL has passed. */
const RENEW_FRACTION = 2 / 3;
/** A fresh login that is refused again within this window is a policy denial, not a stale token. */
const RELOGIN_COOLDOWN_MS = 10_000;

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

/** What node-vault rejects with for a non-200/204 answer (`ApiResponseError`). */
interface ApiError {
  response?: { statusCode?: number; body?: unknown };
  code?: unknown;
}
/** The Vault client the source drives: node-vault's generic calls only (A.6: no mustache helpers). */
export type VaultClient = Pick<NodeVault.client, 'read' | 'write' | 'list' | 'delete' | 'health'> & {
  token?: string | undefined;
};

/** The HTTP status of a node-vault rejection, if Vault answered at all. */
export function statusOf(err: unknown): number | undefined {
  const s = (err as ApiError | null)?.response?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** The parsed body of a node-vault rejection (facts to match on, never to print). */
export function bodyOf(err: unknown): Record<string, unknown> | undefined {
  const b = (err as ApiError | null)?.response?.body;
  return b !== null && typeof b === 'object' ? (b as Record<string, unknown>) : undefined;
}

/** First entry of a Vault `errors` array, only for matching known server texts, never for messages. */
export function firstError(err: unknown): string {
  const errors = bodyOf(err)?.errors;
  return Array.isArray(errors) && typeof errors[0] === 'string' ? errors[0] : '';
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

/** A.6: node-vault concatenates paths unencoded, so `#`, `?` and `%` must be encoded per segment. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** What a call is about, for error messages and cancellation. */
export interface VaultCallContext {
  action: string;
  secretName?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Where and how to connect; resolved from the source options (env defaults already applied). */
export interface VaultSessionSettings {
  id: string;
  /** The encoded KV mount, named in "no engine is mounted" errors. */
  mount: string;
  endpoint: string;
  token: string | undefined;
  namespace: string | undefined;
  appRole: VaultAppRoleAuth | undefined;
  kubernetes: VaultKubernetesAuth | undefined;
  requestOptions: VaultRequestOptions | undefined;
  ca: string | Buffer | undefined;
  client: NodeVault.client | undefined;
}

/** One authenticated connection to Vault, shared by every call of a source. */
export interface VaultSession {
  /**
   * Runs one Vault call with a ready token and rejects with the raw error, so callers can read
   * Vault's status and body. A login token refused with 403 gets one fresh login and one retry.
   */
  attempt<T>(ctx: VaultCallContext, fn: (c: VaultClient) => Promise<T>): Promise<T>;
  /** Maps anything a call threw to a coded SecretError whose message never quotes Vault. */
  mapError(err: unknown, ctx: VaultCallContext): SecretError;
  /** Forgets the login so the next call logs in again. */
  close(): void;
}

/** Creates the session; nothing is loaded or sent before the first call. */
export function createVaultSession(settings: VaultSessionSettings): VaultSession {
  const { id, mount, endpoint, namespace } = settings;
  const mode = settings.appRole ? 'approle' : settings.kubernetes ? 'kubernetes' : 'token';
  const staticToken = mode === 'token' ? settings.token : undefined;

  const getClient = once(async (): Promise<VaultClient> => {
    if (settings.client !== undefined) {
      if (staticToken !== undefined) settings.client.token = staticToken;
      return settings.client;
    }
    const mod = await loadPeer(id, PEER, () => import('node-vault'));
    const factory = ((mod as { default?: unknown }).default ?? mod) as typeof NodeVault;
    const req = settings.requestOptions ?? {};
    const requestOptions: Record<string, unknown> = {};
    for (const k of ['ca', 'cert', 'key', 'strictSSL', 'timeout'] as const) {
      if (req[k] !== undefined) requestOptions[k] = req[k];
    }
    if (settings.ca !== undefined && requestOptions.ca === undefined) requestOptions.ca = settings.ca;
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

  const doLogin = async (c: VaultClient): Promise<void> => {
    let path: string;
    let body: Record<string, string>;
    let what: string;
    if (settings.appRole) {
      what = 'AppRole login';
      path = `auth/${encodePath(settings.appRole.mount ?? 'approle')}/login`;
      body = { role_id: settings.appRole.roleId, secret_id: settings.appRole.secretId };
    } else {
      const k8s = settings.kubernetes!;
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
            hint: settings.appRole
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
  const login = (c: VaultClient): Promise<void> => {
    loginFlight ??= doLogin(c).finally(() => {
      loginFlight = undefined;
    });
    return loginFlight;
  };

  const renew = (c: VaultClient): Promise<void> => {
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
  const lookupStatic = (c: VaultClient): Promise<void> => {
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
  const ready = async (): Promise<VaultClient> => {
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

  /**
   * Runs one Vault call with a ready token and rejects with the raw error, so callers can read
   * Vault's status and body. A login token refused with 403 gets one fresh login and one retry.
   */
  async function attempt<T>(ctx: VaultCallContext, fn: (c: VaultClient) => Promise<T>): Promise<T> {
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
    return abortable(
      run().catch(async (err: unknown) => {
        if (statusOf(err) === 503 && !/sealed/i.test(firstError(err))) await probeSealed(err);
        throw err;
      }),
      ctx.signal,
    );
  }

  /** 503s whose own body did not say "sealed" but whose `sys/health` did (A.3). */
  const confirmedSealed = new WeakSet<object>();

  /**
   * A 503 without Vault's "sealed" text (a proxy, maintenance) is checked against `sys/health`.
   * A.6: node-vault's health() resolves whatever the status, so the body's `sealed` decides.
   */
  async function probeSealed(err: unknown): Promise<void> {
    if (typeof err !== 'object' || err === null) return;
    try {
      const c = await getClient();
      const health = (await c.health()) as { sealed?: unknown } | undefined;
      if (health?.sealed === true) confirmedSealed.add(err);
    } catch {
      // No health answer: the 503 stays a plain "unavailable".
    }
  }

  function mapError(err: unknown, ctx: VaultCallContext): SecretError {
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
    const sealed =
      /sealed/i.test(firstError(err)) ||
      (typeof err === 'object' && err !== null && confirmedSealed.has(err));
    if (status === 503 && sealed) {
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

  return {
    attempt,
    mapError,
    close() {
      state.loggedIn = false;
    },
  };
}

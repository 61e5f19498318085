/**
 * The connection half of the Vault source: the node-vault client (loaded on first use) on the
 * kit's bounded transport, the token lifecycle (static token, AppRole or Kubernetes login shared
 * by concurrent callers, renewal before expiry, one re-login on 403), every call under the kit's
 * guard, and the mapping of Vault and transport failures to coded errors.
 */
import type NodeVault from 'node-vault';
import { isSecretError, type SecretError } from '../../src/core/errors.js';
import { printableName } from '../../src/core/names.js';
import { readBoundedFile } from '../../src/internal/read-file.js';
import { type CallSite, callError } from '../kit/errors.js';
import { guarded, type Limits } from '../kit/guard.js';
import { type HttpTransport, httpTransport, type TlsSettings, transportFailure } from '../kit/http.js';
import { lazyPeer, once } from '../kit/peer.js';

const PEER = 'node-vault';
const DEFAULT_JWT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** Renew a token once this fraction of its TTL has passed. */
const RENEW_FRACTION = 2 / 3;
/** A fresh login that is refused again within this window is a policy denial, not a stale token. */
const RELOGIN_COOLDOWN_MS = 10_000;
/** A service-account JWT is a few KB; anything much larger is not one. */
const MAX_JWT_BYTES = 64 * 1024;

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

/** Transport options (TLS material and a per-call timeout). */
export interface VaultRequestOptions {
  /** PEM CA bundle that signed Vault's certificate. */
  ca?: string | Buffer | undefined;
  /** Client certificate and key, for TLS client auth. */
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  /** Verify Vault's certificate. `VAULT_SKIP_VERIFY` is deliberately ignored. @default true */
  strictSSL?: boolean | undefined;
  /** Milliseconds before a call fails with `ERR_SOURCE_TIMEOUT` (the same as the source's `timeoutMs`). */
  timeout?: number | undefined;
}

/** Per-call options node-vault passes through to the transport. */
export interface VaultCallOptions {
  signal: AbortSignal;
}

/** The Vault client the source drives: node-vault's generic calls only (docs/protocols/vault.md#generated-commands-escape-paths: no mustache helpers). */
export type VaultClient = Pick<NodeVault.client, 'read' | 'write' | 'list' | 'delete' | 'health'> & {
  token?: string | undefined;
};

/** What node-vault rejects with for a non-200/204 answer (`ApiResponseError`). */
interface ApiError {
  response?: { statusCode?: number; body?: unknown };
  code?: unknown;
}

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

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

/** docs/protocols/vault.md#paths-are-not-encoded: node-vault concatenates paths unencoded, so `#`, `?` and `%` must be encoded per segment. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** What a call is about, for error messages and cancellation. */
export interface VaultCallContext {
  action: string;
  secretName?: string | undefined;
  signal?: AbortSignal | undefined;
  /** This call's deadline when shorter than `timeoutMs` (what is left of a listing's). */
  timeoutMs?: number | undefined;
}

/** Where and how to connect; resolved from the source options (env defaults already applied). */
export interface VaultSessionSettings {
  id: string;
  /** The encoded KV mount, named in "no engine is mounted" errors. */
  mount: string;
  endpoint: string;
  /** The endpoint's origin, named in store failures; undefined for a prebuilt client. */
  location: string | undefined;
  token: string | undefined;
  namespace: string | undefined;
  appRole: VaultAppRoleAuth | undefined;
  kubernetes: VaultKubernetesAuth | undefined;
  tls: TlsSettings;
  limits: Limits;
  client: NodeVault.client | undefined;
}

/** One authenticated connection to Vault, shared by every call of a source. */
export interface VaultSession {
  /**
   * Runs one Vault call under the guard with a ready token and rejects with the raw error, so
   * callers can read Vault's status and body. A login token refused with 403 gets one fresh login
   * and one retry. `fn` must pass the options it gets to node-vault (they carry the signal).
   */
  attempt<T>(ctx: VaultCallContext, fn: (c: VaultClient, o: VaultCallOptions) => Promise<T>): Promise<T>;
  /** Maps anything a call threw to a coded SecretError whose message never quotes Vault. */
  mapError(err: unknown, ctx: VaultCallContext): SecretError;
  /**
   * Closes every socket and drops every token the session gave a client (a login's, or the
   * `token` option set on a client passed in); resolves once the sockets have closed, when nothing
   * of the session holds a token any more. The next call starts afresh.
   */
  close(): Promise<void>;
}

/** node-vault's debug hook, replaced so `DEBUG=node-vault` can never print a credential or a value. */
const silent = Object.assign(() => {}, { enabled: false });

/** node-vault's `request-promise` hook, answered by the kit's bounded transport. */
function requestHook(transport: HttpTransport) {
  type Options = {
    method: string;
    uri: string;
    headers?: Record<string, string>;
    json?: unknown;
    signal?: AbortSignal;
  };
  const send = async (o: Options) => {
    const body = o.json !== undefined && typeof o.json === 'object' ? JSON.stringify(o.json) : undefined;
    const res = await transport.request({
      method: o.method,
      url: o.uri,
      headers: {
        ...o.headers,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
      signal: o.signal,
    });
    const text = res.body.toString('utf8');
    let parsed: unknown = text === '' ? undefined : text;
    try {
      if (text !== '') parsed = JSON.parse(text);
    } catch {
      // Not JSON: node-vault gets the text, as it would from its own client.
    }
    return { statusCode: res.status, body: parsed, request: { path: new URL(o.uri).pathname } };
  };
  return { defaults: () => send };
}

/** Creates the session; nothing is loaded or sent before the first call. */
export function createVaultSession(settings: VaultSessionSettings): VaultSession {
  const { id, mount, endpoint, namespace, limits } = settings;
  const mode = settings.appRole ? 'approle' : settings.kubernetes ? 'kubernetes' : 'token';
  const staticToken = mode === 'token' ? settings.token : undefined;
  const transport = httpTransport(endpoint, {
    tls: settings.tls,
    maxResponseBytes: limits.maxResponseBytes,
  });
  const nodeVault = lazyPeer(id, PEER, () => import('node-vault'));

  /** The client built for this session (or passed in), until close(). */
  let built: VaultClient | undefined;
  /** Counts close() calls: a login that finishes after one does not hand its token to a client. */
  let closings = 0;
  const build = async (): Promise<VaultClient> => {
    if (settings.client !== undefined) {
      if (staticToken !== undefined) settings.client.token = staticToken;
      built = settings.client;
      return settings.client;
    }
    const mod = await nodeVault();
    const factory = ((mod as { default?: unknown }).default ?? mod) as typeof NodeVault;
    const config = {
      apiVersion: 'v1',
      endpoint,
      ...(staticToken === undefined ? {} : { token: staticToken }),
      ...(namespace === undefined ? {} : { namespace }),
      debug: silent,
      'request-promise': requestHook(transport),
    } as NodeVault.VaultOptions;
    const client = factory(config);
    // docs/protocols/vault.md#environment-variables: node-vault falls back to VAULT_PREFIX/VAULT_TOKEN/VAULT_NAMESPACE; pin what we resolved.
    const c = client as unknown as Record<string, unknown>;
    c.pathPrefix = '';
    c.namespace = namespace;
    c.token = staticToken;
    built = client;
    return client;
  };
  let getClient = once(build);

  /** Token lifetime as last learned (login, renew-self or lookup-self); times in ms since epoch. */
  const fresh = () => ({
    generation: 0,
    loggedIn: false,
    renewable: false,
    renewAt: 0,
    expiresAt: 0,
    lastLoginAt: 0,
    looked: false,
  });
  let state = fresh();
  let loginFlight: Promise<void> | undefined;
  let renewFlight: Promise<void> | undefined;
  let lookupFlight: Promise<void> | undefined;

  const site = (ctx: VaultCallContext): CallSite => ({
    source: id,
    where: settings.location,
    action: ctx.action,
    name: ctx.secretName,
  });
  /** Token work shared by callers runs under its own deadline, not one caller's signal. */
  const shared = <T>(action: string, fn: (o: VaultCallOptions) => Promise<T>): Promise<T> =>
    guarded({ source: id, where: settings.location, action }, limits.timeoutMs, undefined, (signal) =>
      fn({ signal }),
    );

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
        jwt = (await readBoundedFile(jwtPath, { maxBytes: MAX_JWT_BYTES })).toString('utf8').trim();
      } catch (err) {
        throw callError(
          'ERR_SOURCE_MISCONFIGURED',
          { source: id, where: settings.location, action: what },
          'the service-account token file could not be read',
          {
            cause: err,
            hint: `check kubernetes.jwtPath (${printableName(jwtPath)})`,
          },
        );
      }
      path = `auth/${encodePath(k8s.mount ?? 'kubernetes')}/login`;
      body = { role: k8s.role, jwt };
    }
    // A stale token must not ride along on the login request.
    c.token = '';
    const closingsAtStart = closings;
    let res: { auth?: { client_token?: unknown; lease_duration?: unknown; renewable?: unknown } } | undefined;
    try {
      // docs/protocols/vault.md#generated-commands-escape-paths: the generic write, not approleLogin/kubernetesLogin, whose paths are mustache-escaped.
      res = await shared(what, (o) => c.write(path, body, o as never));
    } catch (err) {
      const status = statusOf(err);
      // docs/protocols/vault.md#approle-and-kubernetes-logins: bad AppRole credentials are a 400, a bad JWT a 403: both mean "these credentials are refused".
      if (status === 400 || status === 403) {
        throw callError(
          'ERR_SOURCE_ACCESS_DENIED',
          { source: id, where: settings.location, action: what },
          `refused (HTTP ${status})`,
          {
            cause: err,
            hint: settings.appRole
              ? 'check appRole.roleId and appRole.secretId'
              : 'check kubernetes.role and the JWT',
          },
        );
      }
      throw mapError(err, { action: what });
    }
    if (closings !== closingsAtStart) {
      throw callError('ERR_ABORTED', { source: id, action: what }, 'the source was closed during the login');
    }
    const token = res?.auth?.client_token;
    if (typeof token !== 'string' || token === '') {
      throw callError(
        'ERR_SOURCE_UNAVAILABLE',
        { source: id, where: settings.location, action: what },
        'Vault returned no token',
        {
          retryable: true,
        },
      );
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
        const res = await shared('token renewal', (o) => c.write('auth/token/renew-self', {}, o as never));
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
  const lookupStatic = (c: VaultClient): Promise<void> => {
    lookupFlight ??= (async () => {
      try {
        const res = await shared('token lookup', (o) => c.read('auth/token/lookup-self', o as never));
        learnLifetime(res?.data?.ttl, res?.data?.renewable);
        state.looked = true;
      } catch (err) {
        // A refused lookup means "do not renew" (the real call reports any denial); other failures retry later.
        if (statusOf(err) === 403) state.looked = true;
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
        throw callError(
          'ERR_SOURCE_MISCONFIGURED',
          { source: id, where: settings.location, action: 'connect' },
          'no Vault token is set',
          {
            hint: 'set VAULT_TOKEN, or pass token, appRole or kubernetes',
          },
        );
      }
      if (!state.looked) await lookupStatic(c);
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

  async function attempt<T>(
    ctx: VaultCallContext,
    fn: (c: VaultClient, o: VaultCallOptions) => Promise<T>,
  ): Promise<T> {
    // Loading node-vault is local work, not a store call: it does not count against the deadline.
    await getClient();
    return guarded(site(ctx), ctx.timeoutMs ?? limits.timeoutMs, ctx.signal, async (signal) => {
      const o = { signal };
      const c = await ready();
      const generation = state.generation;
      try {
        return await fn(c, o);
      } catch (err) {
        if (statusOf(err) === 503 && !/sealed/i.test(firstError(err))) await probeSealed(err, o);
        if (mode === 'token' || statusOf(err) !== 403) throw err;
        // Another caller already logged in again: just retry with the new token.
        if (generation === state.generation) {
          // A token we just got being refused means the policy denies it, not that it went stale.
          if (Date.now() - state.lastLoginAt < RELOGIN_COOLDOWN_MS) throw err;
          await login(c);
        }
        return fn(c, o);
      }
    });
  }

  /** 503s whose own body did not say "sealed" but whose `sys/health` did (docs/protocols/vault.md#health-and-seal). */
  const confirmedSealed = new WeakSet<object>();

  /**
   * A 503 without Vault's "sealed" text (a proxy, maintenance) is checked against `sys/health`.
   * docs/protocols/vault.md#health-never-rejects: node-vault's health() resolves whatever the status, so the body's `sealed` decides.
   */
  async function probeSealed(err: unknown, o: VaultCallOptions): Promise<void> {
    if (typeof err !== 'object' || err === null) return;
    try {
      const c = await getClient();
      const health = (await c.health({ requestOptions: o } as never)) as { sealed?: unknown } | undefined;
      if (health?.sealed === true) confirmedSealed.add(err);
    } catch {
      // No health answer: the 503 stays a plain "unavailable".
    }
  }

  function mapError(err: unknown, ctx: VaultCallContext): SecretError {
    if (isSecretError(err)) return err;
    const at = site(ctx);
    const refused = transportFailure(err, at);
    if (refused) return refused;
    const base = { cause: err };
    if ((err as { name?: unknown } | null)?.name === 'AbortError') {
      return callError('ERR_ABORTED', at, 'aborted before it completed', base);
    }
    const status = statusOf(err);
    if (status === undefined) {
      const raw = (err as ApiError | null)?.code;
      // Only a bare system code (ECONNRESET) goes into the message.
      const code = typeof raw === 'string' && /^[A-Z0-9_]{1,40}$/.test(raw) ? raw : '';
      if (TIMEOUT_CODES.has(code))
        return callError('ERR_SOURCE_TIMEOUT', at, 'timed out', { ...base, retryable: true });
      if (TLS_CODE.test(code)) {
        return callError('ERR_SOURCE_MISCONFIGURED', at, "Vault's TLS certificate was not trusted", {
          ...base,
          hint: 'pass the CA that signed it as `ca` (or requestOptions.ca)',
        });
      }
      return callError(
        'ERR_SOURCE_UNAVAILABLE',
        at,
        `Vault could not be reached${code ? ` (${code})` : ''}`,
        {
          ...base,
          retryable: true,
        },
      );
    }
    // docs/protocols/vault.md#authentication: match on the status, never on the text.
    if (status === 403) {
      return callError('ERR_SOURCE_ACCESS_DENIED', at, 'denied (HTTP 403)', {
        ...base,
        hint: 'check that the token is valid and that its policy grants this path; docs/providers/vault.md lists the policy each operation needs',
      });
    }
    const sealed =
      /sealed/i.test(firstError(err)) ||
      (typeof err === 'object' && err !== null && confirmedSealed.has(err));
    if (status === 503 && sealed) {
      return callError('ERR_SOURCE_UNAVAILABLE', at, 'Vault is sealed (HTTP 503)', {
        ...base,
        retryable: true,
        hint: 'an operator must unseal Vault',
      });
    }
    // docs/protocols/vault.md#status-codes: 412 (consistency), 429 and 472/473 (standbys), 5xx: trying again may work.
    if (status >= 500 || status === 412 || status === 429 || status === 472 || status === 473) {
      return callError('ERR_SOURCE_UNAVAILABLE', at, `Vault is unavailable (HTTP ${status})`, {
        ...base,
        retryable: true,
      });
    }
    if (status === 404 && /no handler for route/.test(firstError(err))) {
      return callError('ERR_SOURCE_MISCONFIGURED', at, `no engine is mounted at "${mount}"`, {
        ...base,
        hint: 'check the mount and namespace options',
      });
    }
    if (status === 413)
      return callError('ERR_SECRET_MALFORMED', at, 'the request is too large (HTTP 413)', base);
    return callError('ERR_SOURCE_MISCONFIGURED', at, `refused by Vault (HTTP ${status})`, {
      ...base,
      hint: 'check the mount and kvVersion options',
    });
  }

  return {
    attempt,
    mapError,
    async close() {
      closings += 1;
      const c = built;
      built = undefined;
      // Every token the session gave a client goes: a login's, or the `token` option. A client
      // passed in with a token of its own, which the session never replaced, keeps it.
      if (
        c !== undefined &&
        (settings.client === undefined || mode !== 'token' || staticToken !== undefined)
      ) {
        c.token = undefined;
      }
      state = fresh();
      loginFlight = undefined;
      getClient = once(build);
      // Until its socket has closed, a request still holds its headers, the token among them.
      await transport.close();
    },
  };
}

/**
 * The connection half of the `k8s` source: where the API server is and how to authenticate
 * (explicit `{ server, token, ca }`, a kubeconfig, or the pod's service account), the
 * `@kubernetes/client-node` CoreV1Api (loaded on first use) sending over the kit's bounded
 * transport, every call under the kit's guard, and the mapping of failures to coded errors.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type * as K8s from '@kubernetes/client-node';
import { isSecretError, type SecretError } from '../../src/core/errors.js';
import { readBoundedFile } from '../../src/internal/read-file.js';
import { type CallSite, callError } from '../kit/errors.js';
import { guarded, type Limits } from '../kit/guard.js';
import {
  type HttpTransport,
  httpTransport,
  isLoopback,
  socketFailure,
  transportFailure,
} from '../kit/http.js';
import { lazyPeer, once } from '../kit/peer.js';
import { type KubernetesConnectionOptions, SERVICE_ACCOUNT_DIR } from './options.js';

type Sdk = typeof import('@kubernetes/client-node');

const PEER = '@kubernetes/client-node';
/** A token or a CA bundle is a few KB; anything much larger is not one. */
const MAX_CREDENTIAL_BYTES = 256 * 1024;

/** The CoreV1Api and the per-call options that carry the guard's signal (and a content type). */
export interface KubeCall {
  api: K8s.CoreV1Api;
  /** Per-call options: the signal, and `contentType` when given (merge patches). */
  options(contentType?: string): K8s.ConfigurationOptions;
}

/** One connection to the API server, shared by every call of a source. */
export interface KubernetesSession {
  /** The namespace a one-segment name lives in (option, kubeconfig context, pod, else `default`). */
  namespace(): Promise<string>;
  /** Runs one API call under the guard; rejects with the raw error (see {@link statusOf}). */
  attempt<T>(
    site: CallSite,
    signal: AbortSignal | undefined,
    fn: (c: KubeCall) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T>;
  /** Maps anything a call threw to a coded error that never quotes the API server's body. */
  mapError(err: unknown, site: CallSite): SecretError;
  close(): void;
}

interface Connection {
  sdk: Sdk;
  api: K8s.CoreV1Api;
  namespace: string;
  /** Reads the token again (service account: it rotates); true when it changed. */
  refresh?(): Promise<boolean>;
}

/** The HTTP status of an `ApiException`, if the API server answered. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; body?: unknown; headers?: unknown } | null;
  return typeof e?.code === 'number' && e !== null && 'headers' in e ? e.code : undefined;
}

/** The `reason` of the Status in an error body (`NotFound`, `Expired`, `Conflict`), for matching only. */
export function reasonOf(err: unknown): string {
  const body = (err as { body?: unknown } | null)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return '';
    }
  }
  const reason = (parsed as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' && /^[A-Za-z]{1,40}$/.test(reason) ? reason : '';
}

/** The Status message of an error body, only for matching known server texts, never for messages. */
export function statusMessage(err: unknown): string {
  const body = (err as { body?: unknown } | null)?.body;
  try {
    const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    const m = (parsed as { message?: unknown } | null)?.message;
    return typeof m === 'string' ? m : '';
  } catch {
    return '';
  }
}

/** Creates the session; nothing is loaded, read or sent before the first call. */
export function kubernetesSession(
  id: string,
  o: KubernetesConnectionOptions & { namespace?: string | undefined },
  limits: Limits,
): KubernetesSession {
  const env = o.env ?? process.env;
  const sdk = lazyPeer(id, PEER, () => import('@kubernetes/client-node'));
  const setup = (detail: string, hint?: string) =>
    callError('ERR_SOURCE_MISCONFIGURED', { source: id, action: 'configure' }, detail, hint ? { hint } : {});
  let transport: HttpTransport | undefined;

  /** The transport for `server`, refusing clear text off loopback. */
  function transportFor(
    server: string,
    tls: {
      ca?: Buffer | string | undefined;
      cert?: Buffer | undefined;
      key?: Buffer | undefined;
      rejectUnauthorized?: boolean;
    },
  ) {
    const url = URL.canParse(server) ? new URL(server) : undefined;
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw setup('the API server must be an http(s):// URL');
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname) && o.allowInsecureHttp !== true) {
      throw setup(
        'plain http:// is allowed only to a loopback address',
        'use https://, or pass allowInsecureHttp: true if the network path is trusted',
      );
    }
    transport?.close();
    transport = httpTransport(url.origin, { tls, maxResponseBytes: o.maxResponseBytes ?? 32 * 1024 * 1024 });
    return { origin: url.origin, base: server.replace(/\/+$/, ''), transport };
  }

  /** The CoreV1Api on our transport; `auth` sets the Authorization header of each request. */
  function api(
    m: Sdk,
    base: string,
    t: HttpTransport,
    auth: (ctx: K8s.RequestContext) => Promise<void>,
  ): K8s.CoreV1Api {
    const httpApi = m.wrapHttpLibrary({
      async send(ctx) {
        const body = ctx.getBody();
        const res = await t.request({
          method: ctx.getHttpMethod(),
          url: ctx.getUrl(),
          headers: ctx.getHeaders(),
          body: typeof body === 'string' ? body : undefined,
          signal: ctx.getSignal() as AbortSignal | undefined,
        });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
        return new m.ResponseContext(res.status, headers, {
          text: async () => res.body.toString('utf8'),
          binary: async () => res.body,
        });
      },
    });
    const config = m.createConfiguration({
      baseServer: new m.ServerConfiguration(base, {}),
      httpApi,
      authMethods: { default: { getName: () => 'secretsource', applySecurityAuthentication: auth } },
    });
    return new m.CoreV1Api(config);
  }

  const bearer = (token: string | undefined) => async (ctx: K8s.RequestContext) => {
    if (token) ctx.setHeaderParam('Authorization', `Bearer ${token}`);
  };

  async function fromServiceAccount(m: Sdk, dir: string): Promise<Connection> {
    const host = env.KUBERNETES_SERVICE_HOST ?? '';
    const port = env.KUBERNETES_SERVICE_PORT ?? '443';
    const read = (f: string) => readBoundedFile(join(dir, f), { maxBytes: MAX_CREDENTIAL_BYTES });
    const [ca, namespace] = await Promise.all([
      read('ca.crt').catch(() => {
        throw setup(
          `no CA at ${join(dir, 'ca.crt')}`,
          'mount the service account, or pass server, token and ca',
        );
      }),
      read('namespace').then(
        (b) => b.toString('utf8').trim(),
        () => undefined,
      ),
    ]);
    const tokenPath = join(dir, 'token');
    let token = '';
    let seen = '';
    // Kubernetes rotates the projected token file: read it again whenever it changed.
    const load = async (): Promise<boolean> => {
      const st = statSync(tokenPath, { throwIfNoEntry: false });
      const stamp = st ? `${st.mtimeMs}:${st.size}:${st.ino}` : '';
      if (stamp === seen && token !== '') return false;
      const next = (await read('token')).toString('utf8').trim();
      seen = stamp;
      const changed = next !== token;
      token = next;
      return changed;
    };
    await load().catch(() => {
      throw setup(`no service-account token at ${tokenPath}`);
    });
    const serverHost = host.includes(':') ? `[${host}]` : host;
    const { base, transport: t } = transportFor(`https://${serverHost}:${port}`, { ca });
    return {
      sdk: m,
      api: api(m, base, t, async (ctx) => {
        await load();
        ctx.setHeaderParam('Authorization', `Bearer ${token}`);
      }),
      namespace: o.namespace ?? namespace ?? 'default',
      refresh: () => load(),
    };
  }

  async function fromKubeconfig(m: Sdk, files: string[]): Promise<Connection> {
    const kc = new m.KubeConfig();
    try {
      kc.loadFromFile(files[0]!);
      for (const f of files.slice(1)) {
        const more = new m.KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more, true);
      }
    } catch {
      throw setup(`the kubeconfig (${files.join(delimiter)}) could not be read`);
    }
    if (o.context !== undefined) {
      if (kc.getContextObject(o.context) === null)
        throw setup(`the kubeconfig has no context "${o.context}"`);
      kc.setCurrentContext(o.context);
    }
    const cluster = kc.getCurrentCluster();
    const user = kc.getCurrentUser();
    if (cluster === null)
      throw setup('the kubeconfig has no current cluster', 'set current-context, or pass context');
    if (cluster.proxyUrl) throw setup('a proxy-url in the kubeconfig is not supported');
    const read = (file?: string, data?: string) => m.bufferFromFileOrString(file, data) ?? undefined;
    const tls = {
      ca: read(cluster.caFile, cluster.caData),
      cert: read(user?.certFile, user?.certData),
      key: read(user?.keyFile, user?.keyData),
      ...(cluster.skipTLSVerify ? { rejectUnauthorized: false } : {}),
    };
    const { base, transport: t } = transportFor(cluster.server, tls);
    const context = kc.getContextObject(kc.getCurrentContext());
    return {
      sdk: m,
      // The kubeconfig's own authenticators (token, exec plugin, OIDC) set the headers; its agent is not used.
      api: api(m, base, t, (ctx) => kc.applySecurityAuthentication(ctx)),
      namespace: o.namespace ?? context?.namespace ?? 'default',
    };
  }

  const connect = once(async (): Promise<Connection> => {
    const m = await sdk();
    if (o.server !== undefined) {
      const { base, transport: t } = transportFor(o.server, { ca: o.ca });
      return { sdk: m, api: api(m, base, t, bearer(o.token)), namespace: o.namespace ?? 'default' };
    }
    const kubeconfig = o.kubeconfig ?? env.KUBECONFIG;
    if (kubeconfig) return fromKubeconfig(m, kubeconfig.split(delimiter).filter(Boolean));
    if (env.KUBERNETES_SERVICE_HOST) return fromServiceAccount(m, o.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
    const home = join(env.HOME ?? homedir(), '.kube', 'config');
    if (existsSync(home)) return fromKubeconfig(m, [home]);
    throw setup(
      'no API server: not in a pod, no KUBECONFIG and no ~/.kube/config',
      'pass server and token, or a kubeconfig',
    );
  });

  /** Per-call options: the guard's signal, and the content type (PATCH otherwise goes out as a JSON patch). */
  function options(m: Sdk, signal: AbortSignal) {
    return (contentType?: string): K8s.ConfigurationOptions => {
      const middleware: K8s.ObservableMiddleware = {
        pre: (ctx) => {
          ctx.setSignal(signal as Parameters<K8s.RequestContext['setSignal']>[0]);
          if (contentType !== undefined) ctx.setHeaderParam('Content-Type', contentType);
          return new m.Observable(Promise.resolve(ctx));
        },
        post: (res) => new m.Observable(Promise.resolve(res)),
      };
      return { middleware: [middleware], middlewareMergeStrategy: 'append' };
    };
  }

  function mapError(err: unknown, site: CallSite): SecretError {
    if (isSecretError(err)) return err;
    const refused = transportFailure(err, site);
    if (refused) return refused;
    const status = statusOf(err);
    if (status !== undefined) {
      const reason = reasonOf(err);
      // Keep the status and reason only: an error body may echo the whole Secret, values included.
      const cause = { name: 'ApiException', status, ...(reason ? { code: reason } : {}) };
      if (status === 401) {
        return callError('ERR_SOURCE_ACCESS_DENIED', site, 'the API server refused the credentials (401)', {
          cause,
          hint: 'check the token, the kubeconfig user, or the service account',
        });
      }
      if (status === 403) {
        return callError('ERR_SOURCE_ACCESS_DENIED', site, 'forbidden by RBAC (403)', {
          cause,
          hint: 'grant the verb on secrets in this namespace (docs/providers/k8s.md lists each one)',
        });
      }
      if (status === 422 && /immutable/.test(statusMessage(err))) return immutable(site);
      if (status === 422 || status === 413) {
        return callError(
          'ERR_SECRET_MALFORMED',
          site,
          `the API server refused the Secret as invalid (${status})`,
          {
            cause,
            hint: 'a Secret holds at most 1 MiB of data; keys are A-Z a-z 0-9 . _ -; labels 63 characters',
          },
        );
      }
      if (status === 409) {
        return callError(
          'ERR_SECRET_CONFLICT',
          site,
          `the Secret changed meanwhile (409 ${reason || 'Conflict'})`,
          {
            cause,
            retryable: true,
          },
        );
      }
      if (status === 429 || status >= 500) {
        return callError('ERR_SOURCE_UNAVAILABLE', site, `the API server answered ${status}`, {
          cause,
          retryable: true,
        });
      }
      if (status === 404 || status === 405 || status === 415) {
        return callError(
          'ERR_SOURCE_MISCONFIGURED',
          site,
          `the API server answered ${status} ${reason}`.trimEnd(),
          {
            cause,
            hint: 'check that the server URL is a Kubernetes API server (and the namespace exists)',
          },
        );
      }
      return callError('ERR_SOURCE_UNAVAILABLE', site, `the API server answered ${status}`, { cause });
    }
    const socket = socketFailure(
      err,
      site,
      'the API server',
      "pass the CA that signed the API server's certificate",
    );
    if (socket) return socket;
    // A body that is not a Status or a Secret (a proxy's page, cut JSON): never quoted.
    return callError('ERR_SOURCE_UNAVAILABLE', site, "the API server's answer could not be read", {
      cause: err,
      retryable: true,
      hint: 'check for a proxy between the app and the API server',
    });
  }

  return {
    namespace: async () => (await connect()).namespace,
    async attempt(site, signal, fn, timeoutMs = limits.timeoutMs) {
      const c = await connect();
      const run = () =>
        guarded(site, timeoutMs, signal, (s) => fn({ api: c.api, options: options(c.sdk, s) }));
      try {
        return await run();
      } catch (err) {
        // A rotated service-account token: read it again and try once more.
        if (statusOf(err) === 401 && c.refresh && (await c.refresh())) return run();
        throw err;
      }
    },
    mapError,
    close() {
      transport?.close();
    },
  };
}

/** `ERR_SECRET_IMMUTABLE`: the Secret is marked immutable, so its data cannot change. */
export function immutable(site: CallSite): SecretError {
  return callError('ERR_SECRET_IMMUTABLE', site, 'refused: the Secret is immutable', {
    hint: 'an immutable Secret can only be deleted and created again',
  });
}

/**
 * The connection half of the `gcp-sm` source: `@google-cloud/secret-manager` (loaded on first use)
 * in REST mode, sending every request over the kit's bounded transport through an auth client of
 * ours (Application Default Credentials, or the caller's auth client, supply the headers), every
 * call under the kit's guard, and the mapping of google.rpc failures to coded errors.
 *
 * The client's promise methods drop the canceller gax returns, so the guard's signal reaches the
 * request through AsyncLocalStorage: the transport reads it and closes the socket on abort, and a
 * retry gax schedules after that fails at once without being sent.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { isSecretError, type SecretError } from '../../src/core/errors.js';
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

type Sdk = typeof import('@google-cloud/secret-manager');
export type Client = SecretManagerServiceClient;

const PEER = '@google-cloud/secret-manager';

/** What supplies the Authorization header (google-auth-library clients have this method). */
export interface GcpAuthClient {
  getRequestHeaders(url?: string): Promise<Headers | Record<string, string>>;
}

/** Where the service is and who the caller is. */
export interface GcpConnectionOptions {
  /** Project of short names (`gcp-sm:db-password`). @default GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT, else the credentials' project */
  projectId?: string | undefined;
  /** Host of the API. @default 'secretmanager.googleapis.com' */
  apiEndpoint?: string | undefined;
  /** @default 443 */
  port?: number | undefined;
  /** @default 'https' */
  protocol?: 'https' | 'http' | undefined;
  /** PEM CA for a private endpoint. */
  ca?: string | Buffer | undefined;
  /** Supplies the Authorization header. @default Application Default Credentials */
  authClient?: GcpAuthClient | undefined;
  /** Largest answer read, in bytes. @default 8388608 */
  maxResponseBytes?: number | undefined;
  /** Allow plain http:// to a host other than loopback. @default false */
  allowInsecureHttp?: boolean | undefined;
  /** A prebuilt client (its own transport and auth); calls are still bounded by the guard. */
  client?: SecretManagerServiceClient | undefined;
  /** Environment read for the project. @default process.env */
  env?: NodeJS.ProcessEnv | undefined;
}

/** One connection, shared by every call of a source. */
export interface GcpSession {
  /** The project of short names; throws ERR_SOURCE_MISCONFIGURED when none can be found. */
  project(): Promise<string>;
  /** Runs one client call under the guard; rejects with the raw error (see {@link rpcCode}). */
  attempt<T>(
    site: CallSite,
    signal: AbortSignal | undefined,
    fn: (c: Client, signal: AbortSignal) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T>;
  mapError(err: unknown, site: CallSite): SecretError;
  close(): Promise<void>;
}

/** google.rpc codes the source branches on. */
export const RPC = {
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** The google.rpc code of a GoogleError, if the service answered with one. */
export function rpcCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; name?: unknown } | null;
  return e?.name === 'GoogleError' || (e !== null && typeof e === 'object' && 'statusDetails' in e)
    ? typeof e.code === 'number'
      ? e.code
      : undefined
    : undefined;
}

const CODE_NAMES = Object.fromEntries(Object.entries(RPC).map(([k, v]) => [v, k]));

function headerRecord(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (h && typeof (h as Headers).forEach === 'function') {
    (h as Headers).forEach((v, k) => {
      out[k] = v;
    });
  } else if (h && typeof h === 'object') {
    for (const [k, v] of Object.entries(h)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  }
  return out;
}

/** Creates the session; nothing is loaded or sent before the first call. */
export function gcpSession(id: string, o: GcpConnectionOptions, limits: Limits): GcpSession {
  const env = o.env ?? process.env;
  const sdk = lazyPeer(id, PEER, () => import('@google-cloud/secret-manager'));
  const callSignal = new AsyncLocalStorage<AbortSignal>();
  const setup = (detail: string, hint?: string) =>
    callError('ERR_SOURCE_MISCONFIGURED', { source: id, action: 'configure' }, detail, hint ? { hint } : {});
  const endpoint = {
    apiEndpoint: o.apiEndpoint ?? 'secretmanager.googleapis.com',
    port: o.port ?? 443,
    protocol: o.protocol ?? 'https',
  };
  if (
    o.client === undefined &&
    endpoint.protocol === 'http' &&
    !isLoopback(endpoint.apiEndpoint) &&
    o.allowInsecureHttp !== true
  ) {
    throw setup(
      'plain http is allowed only to a loopback address',
      'use https, or pass allowInsecureHttp: true',
    );
  }
  let transport: HttpTransport | undefined;
  let created: Client | undefined;

  const build = async (): Promise<Client> => {
    if (o.client !== undefined) return o.client;
    const mod = await sdk();
    const Ctor = (mod.SecretManagerServiceClient ??
      (mod as unknown as { default: Sdk }).default
        .SecretManagerServiceClient) as Sdk['SecretManagerServiceClient'];
    // ADC as the library finds it (env keys, gcloud, the metadata server); used for headers only.
    const auth: GcpAuthClient =
      o.authClient ?? (new Ctor({ fallback: true, ...endpoint }).auth as unknown as GcpAuthClient);
    const t = httpTransport(`${endpoint.protocol}://${endpoint.apiEndpoint}:${endpoint.port}`, {
      tls: o.ca === undefined ? {} : { ca: o.ca },
      maxResponseBytes: o.maxResponseBytes ?? 8 * 1024 * 1024,
    });
    transport = t;
    const bounded = {
      getRequestHeaders: (url?: string) => auth.getRequestHeaders(url),
      async fetch(
        url: string,
        init: { method?: string; headers?: unknown; body?: string | Buffer; signal?: AbortSignal },
      ) {
        const signals = [init.signal, callSignal.getStore()].filter((s): s is AbortSignal => s !== undefined);
        const headers = { ...headerRecord(init.headers), ...headerRecord(await auth.getRequestHeaders(url)) };
        const res = await t.request({
          method: init.method ?? 'GET',
          url,
          headers,
          body: init.body,
          signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
        });
        const body = res.body;
        return {
          ok: res.status >= 200 && res.status < 300,
          status: res.status,
          headers: new Headers(headerRecord(res.headers)),
          arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
        };
      },
    };
    created = new Ctor({ fallback: true, ...endpoint, authClient: bounded as never });
    return created;
  };
  let client = once(build);

  const project = once(async (): Promise<string> => {
    const p = o.projectId ?? env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
    if (p) return p;
    try {
      const found = await (await client()).getProjectId();
      if (found) return found;
    } catch {}
    throw setup(
      'no project: pass projectId, set GOOGLE_CLOUD_PROJECT, or use full names (projects/p/secrets/s)',
    );
  });

  function mapError(err: unknown, site: CallSite): SecretError {
    if (isSecretError(err)) return err;
    const refused = transportFailure(err, site);
    if (refused) return refused;
    const code = rpcCode(err);
    if (code !== undefined) {
      const name = CODE_NAMES[code] ?? String(code);
      // The service's message is never copied: keep the code's name only.
      const cause = { name: 'GoogleError', code: name };
      const at = (
        c: Parameters<typeof callError>[0],
        detail: string,
        extra: { retryable?: boolean; hint?: string } = {},
      ) => callError(c, site, detail, { cause, ...extra });
      switch (code) {
        case RPC.PERMISSION_DENIED:
        case RPC.UNAUTHENTICATED:
          return at('ERR_SOURCE_ACCESS_DENIED', `refused (${name})`, {
            hint: 'grant the IAM role the operation needs (docs/providers/gcp-sm.md lists them)',
          });
        case RPC.ALREADY_EXISTS:
          return at('ERR_SECRET_CONFLICT', 'refused: the secret already exists');
        case RPC.ABORTED:
          return at('ERR_SECRET_CONFLICT', 'the secret changed meanwhile (ABORTED)', { retryable: true });
        case RPC.INVALID_ARGUMENT:
          return at('ERR_SECRET_MALFORMED', 'the service refused the request as invalid (INVALID_ARGUMENT)', {
            hint: 'a payload is 1 byte to 64 KiB; labels are lowercase, 63 characters at most',
          });
        case RPC.DEADLINE_EXCEEDED:
          return at('ERR_SOURCE_TIMEOUT', 'the service gave up (DEADLINE_EXCEEDED)', { retryable: true });
        case RPC.RESOURCE_EXHAUSTED:
        case RPC.UNAVAILABLE:
          return at('ERR_SOURCE_UNAVAILABLE', `the service answered ${name}`, { retryable: true });
        default:
          return at('ERR_SOURCE_UNAVAILABLE', `the service answered ${name}`, {
            retryable: code === 13 || code === 2,
          });
      }
    }
    const socket = socketFailure(err, site, 'the service');
    if (socket) return socket;
    return callError('ERR_SOURCE_UNAVAILABLE', site, "the service's answer could not be read", {
      cause: { name: (err as Error | null)?.name ?? 'Error' },
      retryable: true,
      hint: 'check for a proxy between the app and the service',
    });
  }

  return {
    project,
    async attempt(site, signal, fn, timeoutMs = limits.timeoutMs) {
      const c = await client();
      return guarded(site, timeoutMs, signal, (s) => callSignal.run(s, () => fn(c, s)));
    },
    mapError,
    async close() {
      const c = created;
      created = undefined;
      // A call after close() builds a new client rather than use the closed one.
      client = once(build);
      transport?.close();
      await c?.close();
    },
  };
}

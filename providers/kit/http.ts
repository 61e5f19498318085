/**
 * A bounded HTTP transport for clients that let us supply one (node-vault takes a
 * `request-promise` replacement). Written on node:http because what it must refuse is exactly
 * what general clients do for convenience: it never follows a redirect (node-vault's axios does,
 * and resends `X-Vault-Token` to the new host), it stops reading an answer past `maxResponseBytes`,
 * it cancels the request (closing its socket) when the call's signal aborts, and it owns its
 * keep-alive agent so `close()` leaves no socket open.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { pipeline, type Readable, Transform } from 'node:stream';
import type { SecretError } from '../../src/core/errors.js';
import { type CallSite, callError } from './errors.js';

/** TLS material for https endpoints. */
export interface TlsSettings {
  ca?: string | Buffer | undefined;
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  /** Verify the server's certificate. @default true */
  rejectUnauthorized?: boolean | undefined;
}

/** One request. */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string> | undefined;
  body?: string | Buffer | undefined;
  signal?: AbortSignal | undefined;
}

/** One answer, read whole (within the size cap). */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A transport bound to one origin. */
export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpResponse>;
  /**
   * Closes every socket the transport holds and resolves once each has closed (until then a
   * socket still holds its last request, token header included); later requests open new ones.
   */
  close(): Promise<void>;
}

/** Raised by the transport; mapped by {@link transportFailure}. */
class TransportRefusal extends Error {
  constructor(
    readonly kind: 'redirect' | 'too-large' | 'other-origin',
    readonly status: number | undefined,
    readonly limit?: number,
  ) {
    super(kind);
    this.name = 'TransportRefusal';
  }
}

/**
 * Reads `stream` whole, or destroys it and rejects once more than `maxBytes` arrived (the
 * connection closes; the rest is never read).
 */
export function readCapped(stream: NodeJS.ReadableStream | Readable, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > maxBytes) {
        (stream as Readable).destroy?.();
        reject(new TransportRefusal('too-large', undefined, maxBytes));
        return;
      }
      chunks.push(b);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('close', () => {
      if (!(stream as Readable).readableEnded) {
        reject(Object.assign(new Error('the connection closed mid-answer'), { code: 'ECONNRESET' }));
      }
    });
  });
}

/**
 * `stream` passed through a counter that fails it (and destroys the source, closing the
 * connection) once more than `maxBytes` went by: for clients that read bodies themselves (AWS).
 */
export function capStream(stream: Readable, maxBytes: number): Readable {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) done(new TransportRefusal('too-large', undefined, maxBytes));
      else done(null, chunk);
    },
  });
  // Errors and destruction travel both ways: a refused answer closes the socket it came from.
  return pipeline(stream, counter, () => {});
}

/** Loopback hosts, where plain http never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Creates a transport that only talks to `origin` (scheme, host and port of the endpoint). */
export function httpTransport(
  origin: string,
  o: { tls?: TlsSettings; maxResponseBytes: number },
): HttpTransport {
  const base = new URL(origin);
  const secure = base.protocol === 'https:';
  const makeAgent = () =>
    secure
      ? new HttpsAgent({
          keepAlive: true,
          ...(o.tls?.ca === undefined ? {} : { ca: o.tls.ca }),
          ...(o.tls?.cert === undefined ? {} : { cert: o.tls.cert }),
          ...(o.tls?.key === undefined ? {} : { key: o.tls.key }),
          rejectUnauthorized: o.tls?.rejectUnauthorized !== false,
        })
      : new HttpAgent({ keepAlive: true });
  let agent = makeAgent();
  /** Every socket a request of this transport got, until it closes. */
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    if (sockets.has(socket)) return;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  function request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    if (url.origin !== base.origin) return Promise.reject(new TransportRefusal('other-origin', undefined));
    return new Promise<HttpResponse>((resolve, reject) => {
      if (req.signal?.aborted) return reject(abortError(req.signal));
      const send = secure ? httpsRequest : httpRequest;
      const r = send(url, { method: req.method, headers: req.headers, agent }, (res) => {
        const status = res.statusCode ?? 0;
        // No redirect is followed: the next hop would get our token and our body.
        if (isRedirect(status)) {
          res.destroy();
          return reject(redirectRefusal(status));
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > o.maxResponseBytes) {
          r.destroy();
          return reject(new TransportRefusal('too-large', status, o.maxResponseBytes));
        }
        readCapped(res, o.maxResponseBytes).then(
          (body) => resolve({ status, headers: res.headers, body }),
          (err: unknown) => {
            r.destroy();
            reject(err);
          },
        );
      });
      r.on('socket', track);
      const onAbort = () => {
        // Destroying the request closes its socket: the work stops, not only the waiting.
        r.destroy();
        reject(abortError(req.signal));
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
      r.on('error', reject);
      r.end(req.body);
    });
  }

  return {
    request,
    async close() {
      agent.destroy();
      agent = makeAgent();
      const closing = [...sockets].map((socket) => {
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        socket.destroy();
        return closed;
      });
      await Promise.all(closing);
    },
  };
}

function abortError(signal: AbortSignal | undefined): Error {
  const err = new Error('aborted');
  err.name = 'AbortError';
  (err as Error & { reason?: unknown }).reason = signal?.reason;
  return err;
}

/** True for the 3xx statuses a redirect uses. */
export function isRedirect(status: number | undefined): boolean {
  return status !== undefined && status >= 300 && status < 400;
}

/**
 * What a transport step throws for a redirect answer it will not follow (for clients whose own
 * pipeline we add a step to); {@link transportFailure} maps it to {@link redirectRefused}.
 */
export function redirectRefusal(status: number): Error {
  return new TransportRefusal('redirect', status);
}

/** The coded error for a redirect a store answered with: never followed, whatever the client. */
export function redirectRefused(site: CallSite, status: number | undefined): SecretError {
  return callError(
    'ERR_SOURCE_MISCONFIGURED',
    site,
    `the store answered with a redirect${status === undefined ? '' : ` (HTTP ${status})`}, which is not followed`,
    {
      hint: 'point the endpoint at the address that answers: a redirect would carry the token and the request elsewhere',
    },
  );
}

/** The coded error for a transport refusal, or undefined when `err` is something else. */
export function transportFailure(err: unknown, site: CallSite): SecretError | undefined {
  if (!(err instanceof TransportRefusal)) return undefined;
  if (err.kind === 'too-large') {
    return callError(
      'ERR_SOURCE_UNAVAILABLE',
      site,
      `the answer is larger than ${err.limit} bytes; it was not read`,
      {
        retryable: false,
        hint: 'a store never answers this much for one call: check for a proxy in between, or raise maxResponseBytes',
      },
    );
  }
  if (err.kind === 'redirect') return redirectRefused(site, err.status);
  return callError(
    'ERR_SOURCE_MISCONFIGURED',
    site,
    'the request would have gone to another origin than the endpoint',
  );
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

/**
 * The coded error for a socket-level failure (a TLS verification error: misconfigured; a refused,
 * reset or unresolved connection: unavailable, retryable), or undefined when `err` is something else.
 * `peer` names the other end in the message ("the API server").
 */
export function socketFailure(
  err: unknown,
  site: CallSite,
  peer: string,
  tlsHint?: string,
): SecretError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (TLS_CODE.test(code)) {
    return callError('ERR_SOURCE_MISCONFIGURED', site, `TLS verification failed (${code})`, {
      cause: err,
      ...(tlsHint ? { hint: tlsHint } : {}),
    });
  }
  if (NETWORK_CODES.has(code)) {
    return callError('ERR_SOURCE_UNAVAILABLE', site, `${peer} could not be reached (${code})`, {
      cause: err,
      retryable: true,
    });
  }
  return undefined;
}

/**
 * A loopback fault proxy that sits between a provider's real client and its emulator. It speaks
 * HTTP (moto, Vault) or terminates HTTPS with its own self-signed certificate (Azure Key Vault,
 * the same approach as the emulator) and forwards to the emulator over TLS trusting its CA, so
 * every fault reaches the real SDK exactly as a network or a store would send it. Faults apply to
 * the next N matching requests or to a seeded random share of them, and errors use each store's
 * real error shape (AWS JSON protocol, Vault `{"errors":[]}`, Key Vault `{"error":{code,message}}`).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { startLoopback } from '../../src/testing/emulators/loopback.js';

/** Whose error shape the proxy speaks. */
export type StoreFlavor = 'aws' | 'vault' | 'azure' | 'k8s' | 'gcp';

/** One fault. */
export type Fault =
  /** Wait, then forward. */
  | { kind: 'latency'; ms: number }
  /** Accept the request and never answer (until the client gives up or the proxy stops). */
  | { kind: 'hang' }
  /** Close the connection without an answer. */
  | { kind: 'drop' }
  /** Reset the TCP connection (RST). */
  | { kind: 'reset' }
  /** A server error in the store's shape. */
  | { kind: 'status'; status: number }
  /** Throttling in the store's shape (AWS: 400 ThrottlingException; Vault and Azure: 429). */
  | { kind: 'throttle' }
  /** Forward, then send the headers and half of the upstream body and cut the connection. */
  | { kind: 'truncate' }
  /** A 200 whose JSON body is cut in the middle (with a matching content-length). */
  | { kind: 'malformed' }
  /** Any answer at all. */
  | { kind: 'body'; status: number; body: string | Buffer; contentType?: string };

/** When a fault applies. */
export interface FaultRule {
  fault: Fault;
  /** Tested against `METHOD /path target` (target: AWS `x-amz-target`, else empty). @default every request */
  match?: RegExp;
  /** Apply to this many matching requests, then retire. @default unlimited */
  times?: number;
  /** Apply to this share (0..1) of matching requests, decided by the proxy's seeded generator. @default 1 */
  rate?: number;
}

/** What the proxy saw. */
export interface ProxiedRequest {
  method: string;
  path: string;
  target: string;
  /** The fault applied, or undefined when forwarded untouched. */
  fault: Fault['kind'] | undefined;
}

/** Options for {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The emulator, e.g. `http://127.0.0.1:5000` or `https://127.0.0.1:8443`. */
  target: string;
  flavor: StoreFlavor;
  /** The PEM CA to trust when the target is https. */
  targetCa?: string;
  /** Serve HTTPS with a self-signed certificate made at start. @default true when the target is https */
  tls?: boolean;
  /** Seed for `rate` decisions, so a run is reproducible. @default 1 */
  seed?: number;
  /** Seconds in the Retry-After header of Azure throttling answers. @default 0 */
  retryAfterSeconds?: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** Where clients connect: `http(s)://127.0.0.1:<port>`. */
  url: string;
  /** The PEM certificate clients trust, when serving HTTPS. */
  ca: string | undefined;
  requests: ProxiedRequest[];
  /** Adds a rule; the first live matching rule wins. Returns the rule so a test can remove it. */
  inject(rule: FaultRule): FaultRule;
  remove(rule: FaultRule): void;
  /** Removes every rule and forgets the requests seen. */
  clear(): void;
  /** Requests seen whose `METHOD /path target` matches. */
  count(match?: RegExp): number;
  /**
   * The most `hang` requests that were open at one time since the last `clear()`: requests sent
   * together under one deadline all hang at once; requests sent one after another's timeout never
   * overlap (each is closed by the client before the next goes out).
   */
  peakHanging(): number;
  stop(): Promise<void>;
}

interface LiveRule extends FaultRule {
  left: number;
}

/** Starts a proxy on 127.0.0.1 (an ephemeral port). */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
    throw new Error('the fault proxy only forwards to loopback');
  }
  const upstreamTls = target.protocol === 'https:';
  const serveTls = options.tls ?? upstreamTls;
  const agent = upstreamTls
    ? new HttpsAgent({
        keepAlive: true,
        maxSockets: 64,
        ...(options.targetCa ? { ca: options.targetCa } : {}),
      })
    : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const rules: LiveRule[] = [];
  let hanging = 0;
  let peakHanging = 0;
  const requests: ProxiedRequest[] = [];
  let rand = mulberry32(options.seed ?? 1);

  const pick = (descriptor: string): Fault | undefined => {
    for (const rule of rules) {
      if (rule.left <= 0) continue;
      if (rule.match && !rule.match.test(descriptor)) continue;
      if (rule.rate !== undefined && rand() >= rule.rate) continue;
      rule.left--;
      return rule.fault;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, body: Buffer, onResponse: (res: IncomingMessage) => void) => {
    const send = upstreamTls ? httpsRequest : httpRequest;
    const up = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        // The Host header stays the proxy's: Key Vault builds ids from it, and SigV4 signed it.
        headers: req.headers,
        agent,
      },
      onResponse,
    );
    up.on('error', () => {
      if (!req.socket.destroyed) req.socket.destroy();
    });
    up.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const amzTarget = String(req.headers['x-amz-target'] ?? '');
    const descriptor = `${req.method} ${path} ${amzTarget}`;
    const fault = pick(descriptor);
    requests.push({ method: req.method ?? 'GET', path, target: amzTarget, fault: fault?.kind });
    res.on('error', () => {});
    if (!fault) {
      forward(req, body, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      return;
    }
    switch (fault.kind) {
      case 'latency':
        setTimeout(() => {
          if (req.socket.destroyed) return;
          forward(req, body, (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          });
        }, fault.ms);
        return;
      case 'hang':
        hanging += 1;
        peakHanging = Math.max(peakHanging, hanging);
        res.once('close', () => {
          hanging -= 1;
        });
        return;
      case 'drop':
        req.socket.end();
        req.socket.destroy();
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'status':
        sendStoreError(res, options, fault.status, amzTarget);
        return;
      case 'throttle':
        sendThrottle(res, options, amzTarget);
        return;
      case 'truncate':
        forward(req, body, (up) => {
          const got: Buffer[] = [];
          up.on('data', (c: Buffer) => got.push(c));
          up.on('end', () => {
            const full = Buffer.concat(got);
            const headers = { ...up.headers, 'content-length': String(full.length) };
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode ?? 200, headers);
            res.write(full.subarray(0, Math.floor(full.length / 2)));
            // Let the half reach the client before the connection dies.
            setTimeout(() => req.socket.destroy(), 10);
          });
        });
        return;
      case 'malformed': {
        const text = malformedBody(options.flavor);
        res.writeHead(200, { 'content-type': contentType(options.flavor), 'content-length': text.length });
        res.end(text);
        return;
      }
      case 'body': {
        const b = typeof fault.body === 'string' ? Buffer.from(fault.body) : fault.body;
        res.writeHead(fault.status, {
          'content-type': fault.contentType ?? contentType(options.flavor),
          'content-length': b.length,
        });
        res.end(b);
        return;
      }
    }
  };

  // The emulators' loopback server (socket tracking, self-signed TLS); a fault that throws drops
  // the connection, as a real proxy would, instead of the emulators' 500.
  const loop = await startLoopback(
    (req, res) =>
      handle(req, res).catch(() => {
        if (!req.socket.destroyed) req.socket.destroy();
      }),
    { tls: serveTls },
  );

  return {
    url: loop.url,
    ca: loop.ca,
    requests,
    inject(rule) {
      const live: LiveRule = { ...rule, left: rule.times ?? Number.POSITIVE_INFINITY };
      rules.push(live);
      return live;
    },
    remove(rule) {
      const i = rules.indexOf(rule as LiveRule);
      if (i >= 0) rules.splice(i, 1);
    },
    clear() {
      rules.length = 0;
      requests.length = 0;
      peakHanging = hanging;
      rand = mulberry32(options.seed ?? 1);
    },
    count(match) {
      return match
        ? requests.filter((r) => match.test(`${r.method} ${r.path} ${r.target}`)).length
        : requests.length;
    },
    peakHanging: () => peakHanging,
    async stop() {
      agent.destroy();
      await loop.stop();
    },
  };
}

function contentType(flavor: StoreFlavor): string {
  return flavor === 'aws' ? 'application/x-amz-json-1.1' : 'application/json; charset=utf-8';
}

/** A JSON body cut in the middle of a string, as a proxy that lost the end would send. */
function malformedBody(flavor: StoreFlavor): Buffer {
  if (flavor === 'aws') return Buffer.from('{"Parameter":{"Name":"x","Value":"abc');
  if (flavor === 'vault') return Buffer.from('{"request_id":"1","data":{"data":{"value":"abc');
  if (flavor === 'k8s') return Buffer.from('{"kind":"Secret","apiVersion":"v1","metadata":{"name":"x');
  if (flavor === 'gcp')
    return Buffer.from('{"name":"projects/1/secrets/x/versions/1","payload":{"data":"YWJj');
  return Buffer.from('{"value":"abc","id":"https://');
}

function sendJson(res: ServerResponse, status: number, flavor: StoreFlavor, body: unknown, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType(flavor),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A 5xx as each store sends it. */
function sendStoreError(res: ServerResponse, o: FaultProxyOptions, status: number, amzTarget: string) {
  if (o.flavor === 'aws') {
    // Secrets Manager calls its 500 InternalServiceError, SSM InternalServerError (awsJson1_1).
    const type =
      status === 503
        ? 'ServiceUnavailable'
        : amzTarget.startsWith('secretsmanager.')
          ? 'InternalServiceError'
          : 'InternalServerError';
    sendJson(
      res,
      status,
      o.flavor,
      { __type: type, message: 'injected server error' },
      {
        'x-amzn-errortype': type,
      },
    );
  } else if (o.flavor === 'vault') {
    sendJson(res, status, o.flavor, { errors: ['injected server error'] });
  } else if (o.flavor === 'k8s') {
    sendJson(
      res,
      status,
      o.flavor,
      kubeStatus(status, status === 503 ? 'ServiceUnavailable' : 'InternalError'),
    );
  } else if (o.flavor === 'gcp') {
    const rpc = status === 503 ? 'UNAVAILABLE' : 'INTERNAL';
    sendJson(res, status, o.flavor, {
      error: { code: status, message: 'Injected server error.', status: rpc },
    });
  } else {
    const code = status === 503 ? 'ServiceUnavailable' : 'InternalServerError';
    sendJson(res, status, o.flavor, { error: { code, message: 'Injected server error.' } });
  }
}

function sendThrottle(res: ServerResponse, o: FaultProxyOptions, amzTarget: string) {
  if (o.flavor === 'aws') {
    // AWS JSON services throttle with 400 and an error type, not 429.
    const type = amzTarget.startsWith('AmazonSSM.') ? 'ThrottlingException' : 'ThrottlingException';
    sendJson(res, 400, o.flavor, { __type: type, message: 'Rate exceeded' }, { 'x-amzn-errortype': type });
  } else if (o.flavor === 'vault') {
    sendJson(res, 429, o.flavor, { errors: ['request path "x": rate limit quota exceeded'] });
  } else if (o.flavor === 'k8s') {
    sendJson(res, 429, o.flavor, kubeStatus(429, 'TooManyRequests'), { 'retry-after': '1' });
  } else if (o.flavor === 'gcp') {
    const error = { code: 429, message: 'Quota exceeded.', status: 'RESOURCE_EXHAUSTED' };
    sendJson(res, 429, o.flavor, { error });
  } else {
    sendJson(
      res,
      429,
      o.flavor,
      { error: { code: 'Throttled', message: 'Operations per second limit reached.' } },
      { 'retry-after': String(o.retryAfterSeconds ?? 0) },
    );
  }
}

/** A Kubernetes `Status` failure, the body the API server sends with every error. */
function kubeStatus(code: number, reason: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'injected',
    reason,
    code,
  };
}

/** A small seeded generator, so `rate` faults hit the same requests on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

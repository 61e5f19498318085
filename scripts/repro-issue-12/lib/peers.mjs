/**
 * Hostile loopback peers, the fixed side of every reproduction: they speak just enough of Vault's
 * HTTP API or the AWS JSON protocol for the real client to get there, and count on the server side
 * what a reproduction decides on: each request (with its headers and body), connections open now,
 * and body bytes sent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1 / localhost, made per process with the openssl CLI (Node
 * has no API that makes an X.509 certificate).
 */
export function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), 'repro12-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const pems = {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  };
  rmSync(dir, { recursive: true, force: true });
  return pems;
}

/**
 * Starts an HTTP(S) server on `host` (an ephemeral port) that records every request and hands it
 * to `handle(req, res, body, peer)`. `tls`: `{ key, cert }` for https.
 */
export async function startPeer(handle, { host = '127.0.0.1', tls } = {}) {
  const sockets = new Set();
  const timers = new Set();
  const peer = {
    url: '',
    requests: [],
    bytesSent: 0,
    openSockets: () => sockets.size,
    /** An interval that is cleared when the peer stops. */
    every(ms, fn) {
      const t = setInterval(fn, ms);
      timers.add(t);
      return t;
    },
    clear(t) {
      clearInterval(t);
      timers.delete(t);
    },
    send(res, status, body, headers = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      peer.bytesSent += Buffer.byteLength(text);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
    },
  };
  const onRequest = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      peer.requests.push({ method: req.method, path: req.url, headers: req.headers, body });
      handle(req, res, body, peer);
    });
  };
  const server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A plain-http peer counts at the TCP level too (a TLS socket closes with its TCP socket).
  if (tls) {
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }
  server.on('clientError', (_err, s) => s.destroy());
  await new Promise((r) => server.listen(0, host, r));
  const { port } = server.address();
  peer.url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  return peer;
}

/** Accepts connections and reads what comes, and never answers. */
export async function startSilentPeer(host = '127.0.0.1') {
  const sockets = new Set();
  let bytes = 0;
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('data', (c) => {
      bytes += c.length;
    });
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, host, r));
  return {
    url: `http://${host}:${server.address().port}`,
    openSockets: () => sockets.size,
    bytesReceived: () => bytes,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
    },
  };
}

// ---- Vault ---------------------------------------------------------------------------------

/**
 * Vault's answers, enough for the KV v2 source: AppRole and Kubernetes logins (a fresh token made
 * by `token()`), token lookups, data reads (the value `valueOf(name)`), writes and metadata.
 */
export function vaultAnswers({
  value = () => 'peer-value',
  token = () => 'hvs.peer-token',
  delayMs = 0,
} = {}) {
  return (req, res, _body, peer) => {
    const answer = () => {
      const url = new URL(req.url, 'http://x');
      const path = url.pathname;
      if (/^\/v1\/auth\/[^/]+\/login$/.test(path)) {
        return peer.send(res, 200, {
          auth: { client_token: token(), lease_duration: 3600, renewable: true, policies: ['default'] },
        });
      }
      if (path.startsWith('/v1/auth/token/')) {
        return peer.send(res, 200, { data: { ttl: 3600, renewable: true }, auth: { lease_duration: 3600 } });
      }
      const data = /^\/v1\/secret\/data\/(.+)$/.exec(path);
      if (data && req.method === 'GET') {
        return peer.send(res, 200, {
          data: {
            data: { value: value(decodeURIComponent(data[1])) },
            metadata: { version: 1, created_time: new Date().toISOString(), destroyed: false },
          },
        });
      }
      if (data) return peer.send(res, 200, { data: { version: 1, created_time: new Date().toISOString() } });
      if (/^\/v1\/secret\/metadata\//.test(path)) {
        const now = new Date().toISOString();
        return peer.send(res, 200, {
          data: {
            current_version: 1,
            created_time: now,
            updated_time: now,
            versions: { 1: { created_time: now, destroyed: false, deletion_time: '' } },
          },
        });
      }
      return peer.send(res, 404, { errors: [] });
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  };
}

/** 307 to `to` + the request's path, for every request. */
export const redirectTo = (to) => (req, res, _body, peer) =>
  peer.send(res, 307, '', { location: `${to}${req.url}`, 'content-length': '0' });

/**
 * 200 and headers at once, then one byte of JSON whitespace every `everyMs`, forever. Vault's
 * token endpoints (`/v1/auth/…`) are answered normally, so each read gets its own trickle.
 */
export const trickle = (everyMs) => (req, res, body, peer) => {
  if (req.url.startsWith('/v1/auth/')) return vaultAnswers()(req, res, body, peer);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(' ');
  const t = peer.every(everyMs, () => {
    if (res.destroyed || res.writableEnded) return peer.clear(t);
    peer.bytesSent += 1;
    res.write(' ');
  });
  res.on('close', () => peer.clear(t));
};

/**
 * A 200 whose body is valid JSON in the given shape around a value of `bytes` bytes, streamed
 * (no content-length) as fast as the client takes it. `shape` is [before, after] around the value.
 */
export const oversized = (bytes, shape) => (_req, res, _body, peer) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'A');
  let left = bytes;
  res.write(shape[0]);
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      peer.bytesSent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return res.once('drain', pump);
    }
    res.end(shape[1]);
  };
  res.on('error', () => {});
  pump();
};

/** The KV v2 read envelope, split around its value. */
export const VAULT_VALUE_SHAPE = [
  '{"data":{"data":{"value":"',
  `"},"metadata":{"version":1,"created_time":"${new Date().toISOString()}","destroyed":false}}}`,
];

// ---- AWS (JSON 1.1 protocol, Secrets Manager) -----------------------------------------------

/** The AWS operation a request is (`X-Amz-Target: secretsmanager.GetSecretValue` → GetSecretValue). */
export const awsOp = (req) => String(req.headers['x-amz-target'] ?? '').replace(/^.*\./, '');

/**
 * Secrets Manager's answers: a value for every read, empty listings, and listings that never end
 * when `pages` is 'new' (a new NextToken every page) or 'same' (the same one again).
 */
export function awsAnswers({ pages, value = () => 'peer-value', big } = {}) {
  let page = 0;
  const arn = (name) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;
  return (req, res, body, peer) => {
    const op = awsOp(req);
    const input = body ? JSON.parse(body) : {};
    const send = (o) => peer.send(res, 200, o, { 'content-type': 'application/x-amz-json-1.1' });
    const next = () => (pages === 'new' ? `token-${++page}` : pages === 'same' ? 'same-token' : undefined);
    switch (op) {
      case 'ListSecrets':
        return send({ SecretList: [], ...(pages ? { NextToken: next() } : {}) });
      case 'ListSecretVersionIds':
        return send({
          ARN: arn(input.SecretId),
          Name: input.SecretId,
          Versions: pages ? [] : [{ VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9 }],
          ...(pages ? { NextToken: next() } : {}),
        });
      case 'GetSecretValue':
        if (big) return big(req, res, body, peer);
        return send({
          ARN: arn(input.SecretId),
          Name: input.SecretId,
          SecretString: value(input.SecretId),
          VersionId: input.VersionId ?? 'v1',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1.7e9,
        });
      case 'DescribeSecret':
        return send({
          ARN: arn(input.SecretId),
          Name: input.SecretId,
          VersionIdsToStages: { v1: ['AWSCURRENT'] },
          CreatedDate: 1.7e9,
        });
      case 'PutSecretValue':
        return send({ ARN: arn(input.SecretId), Name: input.SecretId, VersionId: 'v2' });
      default:
        return send({});
    }
  };
}

/** Secrets Manager's GetSecretValue answer, split around its SecretString. */
export const AWS_VALUE_SHAPE = [
  '{"ARN":"arn:aws:secretsmanager:us-east-1:000000000000:secret:app/big-AbCdEf","Name":"app/big","SecretString":"',
  '","VersionId":"v1","VersionStages":["AWSCURRENT"],"CreatedDate":1.7E9}',
];

/** The CLI's standard AWS variables for a peer. */
export const awsEnv = (url) => ({
  AWS_ENDPOINT_URL: url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
});

/**
 * Loopback peers that behave the way a hostile or broken store (or a proxy before it) can: they
 * redirect to another origin, trickle one byte at a time, accept and never answer, page forever,
 * or answer far more than any store would. Each speaks just enough of its store's wire shape
 * (AWS JSON protocol, Vault, Key Vault with its 401 challenge) for the real client to get there,
 * and counts on the server side what matters: connections still open, bytes it managed to send,
 * and every request, so a test can assert that nothing reached another origin.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { Transform } from 'node:stream';
import { crc32c } from '../../src/internal/crc32c.js';
import { selfSigned } from '../../src/testing/emulators/loopback.js';

/** Whose wire shape the peer speaks. */
export type Flavor = 'aws' | 'vault' | 'azure' | 'k8s' | 'gcp';

/** How the peer answers store calls. */
export type Behaviour =
  /** A valid answer: a secret (value `other-origin-value`), or an empty listing. */
  | { kind: 'answer' }
  /** 307 to `to` + the request's path. */
  | { kind: 'redirect'; to: string }
  /** 200 and headers at once, then one byte of body every `everyMs`, forever. */
  | { kind: 'trickle'; everyMs: number }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Listings never end: a new token every page, or the same one again. */
  | { kind: 'pages'; token: 'new' | 'same' }
  /** A 200 whose body goes on for `bytes` bytes (no content-length), a value of that size. */
  | { kind: 'oversized'; bytes: number }
  /** Key Vault: a delete is accepted, and the deleted secret never appears (the poll never ends). */
  | { kind: 'deleting' };

/** One request as the peer saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running peer. */
export interface Peer {
  url: string;
  /** The PEM certificate to trust, when serving https. */
  ca: string | undefined;
  requests: SeenRequest[];
  /** Connections open right now, as the server counts them. */
  openSockets(): number;
  /** Body bytes written to clients so far. */
  bytesSent(): number;
  behave(b: Behaviour): void;
  /** Resolves once no connection is open (or rejects after `ms`). */
  drained(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

const TENANT = '00000000-0000-4000-8000-00000000a2c7';
/**
 * Node's HTTP parser refuses Vault's `LIST` verb before any handler runs, so the plain-http Vault
 * peer takes connections itself and hands each to its HTTP server with `LIST` spelled as a verb
 * the parser knows. Connections are counted where the client sees them.
 */
const LIST_AS = 'REPORT';

let certificate: Promise<{ key: string; cert: string }> | undefined;
/** One self-signed certificate for 127.0.0.1, made once per run (the emulators' own, from `selfsigned`). */
function certificateOnce(): Promise<{ key: string; cert: string }> {
  certificate ??= selfSigned();
  return certificate;
}

/** Starts a peer on 127.0.0.1 (an ephemeral port). */
export async function startPeer(o: { flavor: Flavor; tls?: boolean }): Promise<Peer> {
  const { flavor } = o;
  const tls = o.tls ?? flavor === 'azure';
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  let sent = 0;
  let behaviour: Behaviour = { kind: 'answer' };
  let page = 0;
  let url = '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    sent += Buffer.byteLength(text);
    res.writeHead(status, { 'content-type': contentType(flavor), 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  /** The store call a request is, in the peer's flavor. */
  const kindOf = (req: IncomingMessage): 'list' | 'read' | 'other' => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (flavor === 'aws') {
      if (/ListSecrets$|DescribeParameters$|ListSecretVersionIds$|GetParameterHistory$/.test(target))
        return 'list';
      return /GetSecretValue$|GetParameter$/.test(target) ? 'read' : 'other';
    }
    if (flavor === 'vault') {
      if (req.method === 'LIST' || req.method === LIST_AS) return 'list';
      return req.method === 'GET' && /\/v1\/secret\/(data|metadata)\//.test(req.url ?? '') ? 'read' : 'other';
    }
    if (flavor === 'k8s') {
      if (req.method !== 'GET') return 'other';
      return /\/secrets(\?|$)/.test(req.url ?? '')
        ? 'list'
        : /\/secrets\/[^/?]+/.test(req.url ?? '')
          ? 'read'
          : 'other';
    }
    if (flavor === 'gcp') {
      if (req.method !== 'GET') return 'other';
      // The secrets listing, or one secret's version listing (`…/secrets/s/versions?pageToken=`).
      return /\/secrets(\/[^/?]+\/versions)?(\?|$)/.test(req.url ?? '')
        ? 'list'
        : /:access/.test(req.url ?? '')
          ? 'read'
          : 'other';
    }
    if (req.method === 'GET' && /^\/secrets(\?|\/[^/]+\/versions)/.test(req.url ?? '')) return 'list';
    return req.method === 'GET' && /^\/secrets\/[^/?]+/.test(req.url ?? '') ? 'read' : 'other';
  };

  /** A valid answer for the call (the value is the other origin's, so a test can tell it was read). */
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const kind = kindOf(req);
    const value = 'other-origin-value';
    if (flavor === 'aws') {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (kind === 'list') return json(res, 200, {});
      if (/GetParameter$/.test(target))
        return json(res, 200, { Parameter: { Name: '/x', Value: value, Version: 1 } });
      if (kind === 'read') return json(res, 200, { Name: 'x', SecretString: value, VersionId: 'v1' });
      return json(res, 200, {});
    }
    if (flavor === 'vault') {
      if (req.url?.includes('lookup-self')) return json(res, 200, { data: { ttl: 0, renewable: false } });
      if (kind === 'list') return json(res, 200, { data: { keys: [] } });
      return json(res, 200, {
        data: { data: { value }, metadata: { version: 1, created_time: new Date().toISOString() } },
      });
    }
    if (flavor === 'k8s') {
      if (kind === 'list')
        return json(res, 200, { kind: 'SecretList', apiVersion: 'v1', metadata: {}, items: [] });
      // The Secret the path names, one key `jwt`.
      const name = /\/secrets\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? 'x';
      return json(res, 200, {
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { name, namespace: 'default', resourceVersion: '1' },
        data: { jwt: Buffer.from(value).toString('base64') },
      });
    }
    if (flavor === 'gcp') {
      if (kind === 'list') return json(res, 200, {});
      if (kind === 'read') {
        return json(res, 200, {
          name: 'projects/p/secrets/x/versions/1',
          payload: {
            data: Buffer.from(value).toString('base64'),
            dataCrc32c: String(crc32c(Buffer.from(value))),
          },
        });
      }
      return json(res, 200, { name: 'projects/p/secrets/x' });
    }
    if (kind === 'list') return json(res, 200, { value: [] });
    return json(res, 200, {
      value,
      id: `${url}/secrets/x/0123456789abcdef0123456789abcdef`,
      attributes: { enabled: true },
    });
  };

  /** A page that names a next page forever. */
  const endless = (req: IncomingMessage, res: ServerResponse, token: 'new' | 'same') => {
    page++;
    const next = token === 'new' ? `t${page}` : 'same-token';
    if (flavor === 'aws') {
      const target = String(req.headers['x-amz-target'] ?? '');
      const item = /DescribeParameters|GetParameterHistory/.test(target)
        ? { Parameters: [{ Name: `/endless/p${page}`, Version: page }] }
        : /ListSecretVersionIds/.test(target)
          ? {
              Versions: [
                { VersionId: `00000000-0000-4000-8000-${String(page).padStart(12, '0')}`, VersionStages: [] },
              ],
            }
          : { SecretList: [{ Name: `endless/s${page}` }] };
      return json(res, 200, { ...item, NextToken: next });
    }
    if (flavor === 'vault') {
      // Vault lists folders, not pages: every folder holds one more folder.
      return json(res, 200, { data: { keys: ['a/'] } });
    }
    if (flavor === 'k8s') {
      return json(res, 200, {
        kind: 'SecretList',
        apiVersion: 'v1',
        metadata: { continue: next },
        items: [{ metadata: { name: `endless${page}` }, data: { k: 'eA==' } }],
      });
    }
    if (flavor === 'gcp') {
      const versions = /\/secrets\/([^/?]+)\/versions/.exec(req.url ?? '');
      if (versions) {
        return json(res, 200, {
          versions: [
            {
              name: `projects/p/secrets/${versions[1]}/versions/${page}`,
              state: 'ENABLED',
              createTime: new Date().toISOString(),
            },
          ],
          nextPageToken: next,
        });
      }
      return json(res, 200, {
        secrets: [{ name: `projects/p/secrets/endless${page}` }],
        nextPageToken: next,
      });
    }
    const base = (req.url ?? '/secrets').split('?')[0];
    return json(res, 200, {
      value: [{ id: `${url}/secrets/endless${page}`, attributes: { enabled: true } }],
      nextLink: `${url}${base}?api-version=7.5&$skiptoken=${next}`,
    });
  };

  /** A body that never ends (one byte at a time) or goes on for `bytes`. */
  const stream = (res: ServerResponse, prefix: string, bytes: number, everyMs: number | undefined) => {
    res.writeHead(200, { 'content-type': contentType(flavor) });
    res.write(prefix);
    sent += prefix.length;
    if (everyMs !== undefined) {
      const t = setInterval(() => {
        if (res.destroyed || res.writableEnded) return clearInterval(t);
        res.write('A');
        sent += 1;
      }, everyMs);
      timers.add(t);
      res.on('close', () => {
        clearInterval(t);
        timers.delete(t);
      });
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, 'A');
    let left = bytes;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const ok = res.write(chunk);
        sent += chunk.length;
        left -= chunk.length;
        if (!ok) return res.once('drain', pump);
      }
      if (!res.destroyed) res.end('"}');
    };
    pump();
  };

  const valuePrefix = (req: IncomingMessage) =>
    flavor === 'aws'
      ? /GetParameter$/.test(String(req.headers['x-amz-target'] ?? ''))
        ? '{"Parameter":{"Name":"/x","Version":1,"Value":"'
        : '{"Name":"x","VersionId":"v1","SecretString":"'
      : flavor === 'vault'
        ? '{"data":{"metadata":{"version":1},"data":{"value":"'
        : flavor === 'k8s'
          ? '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"app"},"data":{"jwt":"'
          : flavor === 'gcp'
            ? '{"name":"projects/p/secrets/x/versions/1","payload":{"data":"'
            : `{"id":"${url}/secrets/x/0123456789abcdef0123456789abcdef","attributes":{"enabled":true},"value":"`;

  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    // Key Vault's first request of a client is unauthenticated: answer the challenge (PROTOCOLS B.2).
    if (flavor === 'azure' && req.headers.authorization === undefined) {
      res.writeHead(401, {
        'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"`,
        'content-length': 0,
      });
      return res.end();
    }
    // Token bookkeeping is not the call under test.
    if (flavor === 'vault' && req.url?.includes('/auth/token/')) return answer(req, res);
    const b = behaviour;
    const kind = kindOf(req);
    if (b.kind === 'answer') return answer(req, res);
    if (b.kind === 'redirect') {
      res.writeHead(307, { location: `${b.to}${req.url ?? '/'}`, 'content-length': 0 });
      return res.end();
    }
    if (b.kind === 'hang') return;
    if (b.kind === 'trickle') return stream(res, valuePrefix(req), Number.POSITIVE_INFINITY, b.everyMs);
    if (b.kind === 'pages') return kind === 'list' ? endless(req, res, b.token) : answer(req, res);
    if (b.kind === 'deleting') {
      const name = /^\/(?:deleted)?secrets\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? 'x';
      if (req.method === 'DELETE') {
        return json(res, 200, {
          recoveryId: `${url}/deletedsecrets/${name}`,
          id: `${url}/secrets/${name}/0123456789abcdef0123456789abcdef`,
          attributes: { enabled: true, recoveryLevel: 'Recoverable+Purgeable' },
        });
      }
      if (req.url?.startsWith('/deletedsecrets/')) {
        return json(res, 404, { error: { code: 'SecretNotFound', message: 'not deleted yet' } });
      }
      return answer(req, res);
    }
    return kind === 'read' ? stream(res, valuePrefix(req), b.bytes, undefined) : answer(req, res);
  };

  let server: Server;
  let ca: string | undefined;
  if (tls) {
    const { key, cert } = await certificateOnce();
    ca = cert;
    server = createHttpsServer({ key, cert }, listener) as unknown as Server;
  } else {
    server = createHttpServer(listener);
  }
  server.on('clientError', (_err, socket) => socket.destroy());
  const count = (sk: Socket) => {
    sockets.add(sk);
    sk.on('close', () => sockets.delete(sk));
  };
  let front: { close(cb: () => void): void } = server;
  let inner: { close(cb: () => void): void } | undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  let port = (server.address() as { port: number }).port;
  if (flavor === 'vault' && !tls) {
    const innerPort = port;
    const net = createNetServer((client) => {
      count(client);
      const upstream = connect(innerPort, '127.0.0.1');
      const spell = new Transform({
        transform(chunk: Buffer, _e, done) {
          done(
            null,
            Buffer.from(chunk.toString('latin1').replace(/(^|\r\n\r\n)LIST /g, `$1${LIST_AS} `), 'latin1'),
          );
        },
      });
      client.pipe(spell).pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', () => resolve()));
    port = (net.address() as { port: number }).port;
    inner = server;
    front = net;
  } else {
    server.on('connection', count);
  }
  url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    url,
    ca,
    requests,
    openSockets: () => sockets.size,
    bytesSent: () => sent,
    behave(b) {
      behaviour = b;
      page = 0;
    },
    // A wait, not a timing assertion: sockets close at once; the bound only ends a test that would hang.
    async drained(ms = 15_000) {
      const until = Date.now() + ms;
      while (sockets.size > 0) {
        if (Date.now() > until) throw new Error(`${sockets.size} connection(s) still open after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      if (inner) await new Promise<void>((resolve) => inner?.close(() => resolve()));
    },
  };
}

function contentType(flavor: Flavor): string {
  return flavor === 'aws' ? 'application/x-amz-json-1.1' : 'application/json; charset=utf-8';
}

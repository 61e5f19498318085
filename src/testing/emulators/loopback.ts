/**
 * What the Kubernetes and Secret Manager emulators share: a loopback HTTP(S) server that tracks
 * its sockets (so `stop()` closes them all), a self-signed certificate for 127.0.0.1, a bounded
 * body reader, and JSON answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { selfSignedPems } from './tls.js';

/** One request as an emulator saw it, for assertions. */
export interface SeenRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
}

/** A running loopback server. */
export interface LoopbackServer {
  /** `http(s)://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** PEM of the self-signed certificate, when serving https. */
  ca: string | undefined;
  stop(): Promise<void>;
}

/** A handler's answer. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A self-signed EC certificate for 127.0.0.1 and localhost, valid for a day (selfsigned loads on first use). */
export async function selfSigned(): Promise<{ key: string; cert: string }> {
  const pems = await selfSignedPems('localhost', 1);
  return { key: pems.private, cert: pems.cert };
}

/** Reads a request body, refusing more than `max` bytes (the connection is then dropped). */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes `answer` as JSON (a string or Buffer body is sent as it is). */
export function send(res: ServerResponse, answer: Answer): void {
  const raw =
    answer.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(answer.body)
        ? answer.body
        : Buffer.from(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': String(raw.length),
    ...answer.headers,
  });
  res.end(raw);
}

/** Starts a server on 127.0.0.1 (an ephemeral port, or `port`); `handle` answers each request. */
export async function startLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  o: { tls: boolean; port?: number },
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: { message: 'emulator error' } });
      else req.socket.destroy();
    });
  };
  let ca: string | undefined;
  let server: Server;
  if (o.tls) {
    const pems = await selfSigned();
    ca = pems.cert;
    server = createHttpsServer({ key: pems.key, cert: pems.cert }, listener) as unknown as Server;
  } else {
    server = createHttpServer(listener);
  }
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    ca,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts a loopback server that records each request in `requests`, then sends what `route` answers. */
export function startRoutedLoopback(
  route: (req: IncomingMessage, seen: SeenRequest) => Promise<Answer>,
  requests: SeenRequest[],
  o: { tls: boolean; port?: number },
): Promise<LoopbackServer> {
  return startLoopback(async (req, res) => {
    const { path, query } = parseUrl(req);
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path,
      query,
      contentType: req.headers['content-type'],
    };
    requests.push(seen);
    send(res, await route(req, seen));
  }, o);
}

/** The request's path (decoded per segment by the caller) and query as a plain record. */
export function parseUrl(req: IncomingMessage): { path: string; query: Record<string, string> } {
  const url = new URL(req.url ?? '/', 'http://emulator');
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

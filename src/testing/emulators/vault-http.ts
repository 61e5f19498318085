/**
 * A minimal HTTP/1.1 server over `node:net` for the Vault emulator. Node's own parser (llhttp)
 * rejects the non-standard `LIST` method before any handler runs (docs/protocols/vault.md#the-list-verb), so the
 * emulator parses requests itself: request line, headers, Content-Length or chunked bodies,
 * keep-alive and pipelining.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/** One parsed request. Header names are lower-cased. */
export interface RawRequest {
  method: string;
  /** The request target as sent (path and query, still percent-encoded). */
  target: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** What a handler answers; `body` undefined means no body (used for 204). */
export interface RawResponse {
  status: number;
  body?: unknown;
  /** Send these bytes verbatim instead of JSON-encoding `body`. */
  rawBody?: Buffer;
  /** Close the connection without answering (an outage as a client sees it). */
  drop?: boolean;
}

export type RawHandler = (req: RawRequest) => Promise<RawResponse>;

/** docs/protocols/vault.md#transport: the largest request body is 32 MiB. */
const MAX_BODY = 32 * 1024 * 1024;
const MAX_HEAD = 64 * 1024;

const REASONS: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Thrown by the parser for malformed input; the connection answers 400/413 and closes. */
class ParseError extends Error {
  constructor(readonly status: number) {
    super(`HTTP parse error ${status}`);
  }
}

/**
 * Starts a loopback server (HTTPS when `tls` holds a key and certificate); every socket is tracked
 * so `close()` never waits on keep-alive clients.
 */
export function startRawHttp(
  handler: RawHandler,
  tls?: { key: string; cert: string },
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    serveConnection(socket, handler);
  };
  const server: Server = tls === undefined ? createServer(onConnection) : createTlsServer(tls, onConnection);
  // A failed TLS handshake (a client that does not trust us) is the client's problem, not the server's.
  server.on('tlsClientError', (_err: unknown, socket: Socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      resolve({
        port: address.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function serveConnection(socket: Socket, handler: RawHandler): void {
  let buffered: Buffer = Buffer.alloc(0);
  let busy = false;

  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      // Pipelined requests are answered strictly in order, one at a time.
      for (;;) {
        let parsed: { req: RawRequest; rest: Buffer } | undefined;
        try {
          parsed = parseRequest(buffered);
        } catch (err) {
          const status = err instanceof ParseError ? err.status : 400;
          writeResponse(socket, { status, body: { errors: [] } }, true);
          socket.end();
          return;
        }
        if (parsed === undefined) return;
        buffered = parsed.rest;
        const res = await handler(parsed.req).catch(
          (): RawResponse => ({ status: 500, body: { errors: ['internal error'] } }),
        );
        if (socket.destroyed) return;
        if (res.drop) {
          socket.destroy();
          return;
        }
        const close = (parsed.req.headers.connection ?? '').toLowerCase() === 'close';
        writeResponse(socket, res, close);
        if (close) {
          socket.end();
          return;
        }
      }
    } finally {
      busy = false;
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    void pump();
  });
}

/** Parses one request from the front of `buf`, or returns undefined when more bytes are needed. */
function parseRequest(buf: Buffer): { req: RawRequest; rest: Buffer } | undefined {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) {
    if (buf.length > MAX_HEAD) throw new ParseError(400);
    return undefined;
  }
  const lines = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const requestLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
  if (requestLine === null) throw new ParseError(400);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ParseError(400);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let offset = headEnd + 4;
  let body: Buffer;
  if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', offset);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(buf.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
      if (!Number.isFinite(size) || size < 0) throw new ParseError(400);
      total += size;
      if (total > MAX_BODY) throw new ParseError(413);
      if (size === 0) {
        const trailerEnd = buf.indexOf('\r\n\r\n', lineEnd);
        if (buf.subarray(lineEnd, lineEnd + 4).toString() === '\r\n\r\n') {
          offset = lineEnd + 4;
        } else if (trailerEnd < 0) {
          return undefined;
        } else {
          offset = trailerEnd + 4;
        }
        break;
      }
      if (buf.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(chunks);
  } else {
    const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
    if (!Number.isInteger(length) || length < 0) throw new ParseError(400);
    if (length > MAX_BODY) throw new ParseError(413);
    if (buf.length < offset + length) return undefined;
    body = Buffer.from(buf.subarray(offset, offset + length));
    offset += length;
  }
  return {
    req: { method: requestLine[1]!, target: requestLine[2]!, headers, body },
    rest: Buffer.from(buf.subarray(offset)),
  };
}

function writeResponse(socket: Socket, res: RawResponse, close: boolean): void {
  const payload =
    res.rawBody ??
    (res.body === undefined || res.status === 204 ? undefined : Buffer.from(JSON.stringify(res.body)));
  const head = [
    `HTTP/1.1 ${res.status} ${REASONS[res.status] ?? 'Status'}`,
    'Cache-Control: no-store',
    `Date: ${new Date().toUTCString()}`,
  ];
  if (payload !== undefined) head.push('Content-Type: application/json', `Content-Length: ${payload.length}`);
  else if (res.status !== 204) head.push('Content-Length: 0');
  head.push(close ? 'Connection: close' : 'Connection: keep-alive');
  // One write per response: a split head and body meets Nagle plus delayed ACK (40 ms a request).
  const headBytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
  socket.write(payload === undefined ? headBytes : Buffer.concat([headBytes, payload]));
}

/**
 * Vault `close()` drops the login token (issue 12): after it, nothing this process can reach holds
 * the token an AppRole login returned, neither the source's own client nor a client passed in.
 * The peer is a loopback server in this file that makes the token from random bytes and never
 * holds it as a JavaScript string, so a heap snapshot of this worker can tell whether our code
 * still keeps it; the same search before `close()` shows the search finds it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { getHeapSnapshot, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import NodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashicorpVault } from '../../providers/vault/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Lowercase letters from random bytes, as bytes: the token never exists here as a string. */
function tokenBytes(): Buffer {
  const b = randomBytes(40);
  for (let i = 0; i < b.length; i++) b[i] = 0x61 + (b[i]! % 26);
  return b;
}

interface TokenPeer {
  url: string;
  /** The token the last login returned, as bytes. */
  token: Buffer;
  logins: number;
  /** When set, login answers wait until it resolves; `onLogin` fires as a login arrives. */
  hold: Promise<void> | undefined;
  onLogin: (() => void) | undefined;
  stop(): Promise<void>;
}

/** Answers an AppRole login with a fresh token, and any KV read with a value; keeps no request. */
async function startTokenPeer(): Promise<TokenPeer> {
  const peer = { token: Buffer.alloc(0), logins: 0 } as TokenPeer;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      if (req.url === '/v1/auth/approle/login' && peer.hold !== undefined) {
        peer.onLogin?.();
        await peer.hold;
      }
      let body: Buffer;
      if (req.url === '/v1/auth/approle/login') {
        peer.logins++;
        peer.token = tokenBytes();
        body = Buffer.concat([
          Buffer.from('{"auth":{"client_token":"'),
          peer.token,
          Buffer.from('","lease_duration":3600,"renewable":false}}'),
        ]);
      } else {
        body = Buffer.from('{"data":{"data":{"value":"a-value"},"metadata":{"version":1}}}');
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  peer.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return peer;
}

/** Whether a string in this worker's heap (after a full GC) contains `needle`; searched as bytes. */
async function heapHolds(needle: Buffer): Promise<boolean> {
  gc();
  gc();
  let tail = Buffer.alloc(0);
  for await (const chunk of getHeapSnapshot()) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    if (window.includes(needle)) return true;
    tail = window.subarray(Math.max(0, window.length - needle.length + 1));
  }
  return false;
}

const appRole = { roleId: 'role-for-close-test', secretId: 'secret-id-for-close-test' };
let peer: TokenPeer;
beforeAll(async () => {
  peer = await startTokenPeer();
});
afterAll(() => peer.stop());

describe('vault close() drops the login token', () => {
  it("the source's own client: no string in the heap holds the token after close()", async () => {
    const source = hashicorpVault({ endpoint: peer.url, appRole });
    expect((await source.get('app/jwt'))?.value.reveal()).toBe('a-value');
    const token = peer.token;
    // The search works: while the source is open, its client holds the token.
    expect(await heapHolds(token)).toBe(true);
    await source.close();
    expect(await heapHolds(token)).toBe(false);
    // Closed, not broken: the next call logs in again with a new token.
    expect((await source.get('app/jwt'))?.value.reveal()).toBe('a-value');
    expect(peer.logins).toBe(2);
    await source.close();
  });

  it('a client passed in: close() takes back the login token it was given', async () => {
    const client = NodeVault({ apiVersion: 'v1', endpoint: peer.url });
    const source = hashicorpVault({ client, appRole });
    expect((await source.get('app/jwt'))?.value.reveal()).toBe('a-value');
    // Compared as booleans: a failing test prints no token.
    expect(Buffer.from(String(client.token ?? '')).equals(peer.token)).toBe(true);
    await source.close();
    // What node-vault's own request stack keeps meanwhile is the client's business (no heap check).
    expect((client.token ?? '') === '', 'the client still holds a token').toBe(true);
  });

  it('a login answered after close() gives its token to no client', async () => {
    const client = NodeVault({ apiVersion: 'v1', endpoint: peer.url });
    const source = hashicorpVault({ client, appRole });
    let release = () => {};
    peer.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const arrived = new Promise<void>((resolve) => {
      peer.onLogin = resolve;
    });
    try {
      const read = source.get('app/jwt').then(
        () => undefined,
        (err: { code?: string }) => err.code,
      );
      await arrived;
      // node-vault's own transport (a client passed in) is not ours to cancel: the answer still comes.
      await source.close();
      release();
      expect(await read).toBe('ERR_ABORTED');
      expect((client.token ?? '') === '', 'the client still holds a token').toBe(true);
    } finally {
      peer.hold = undefined;
      peer.onLogin = undefined;
      release();
    }
  });
});

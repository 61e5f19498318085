/**
 * `DEBUG=node-vault` (or `DEBUG=*`) must print no credential and no value (issue 12): node-vault's
 * own debug output logs every login body (AppRole `secret_id`, Kubernetes JWT) and every value it
 * writes. The built package runs in a child process with `DEBUG` set, logs in with AppRole against a
 * loopback peer, writes and reads a value; nothing it prints may hold the secret id, the token or
 * the value.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const built = join(root, 'dist', 'providers', 'vault', 'index.js');
const fresh = (what: string) => `${what}-${randomBytes(12).toString('hex')}`;
const secretId = fresh('secret-id');
const token = fresh('token');
const value = fresh('value');

let server: Server;
let endpoint = '';
beforeAll(async () => {
  expect(existsSync(built), 'run `npm run build` first (npm test does)').toBe(true);
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      let body: unknown = {};
      if (req.url === '/v1/auth/approle/login') {
        body = { auth: { client_token: token, lease_duration: 3600, renewable: false } };
      } else if (req.url === '/v1/secret/data/app/jwt' && req.method === 'GET') {
        body = { data: { data: { value }, metadata: { version: 1 } } };
      } else if (req.url === '/v1/secret/data/app/jwt') {
        body = { data: { version: 1 } };
      }
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

/** Logs in, writes and reads back the value; prints only whether the read matched. */
const script = `
const { hashicorpVault } = await import(process.env.VAULT_MODULE);
const s = hashicorpVault({ endpoint: process.env.PEER, appRole: { roleId: 'debug-test-role', secretId: process.env.SID } });
await s.set('app/jwt', process.env.VAL);
const got = await s.get('app/jwt');
process.stdout.write(got?.value.reveal() === process.env.VAL ? 'read-back-ok' : 'read-back-wrong');
await s.close();
`;

function runWithDebug(debug: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        env: {
          PATH: process.env.PATH ?? '',
          DEBUG: debug,
          // The debug module prints to stderr whatever the terminal; colours off keeps it plain.
          DEBUG_COLORS: 'false',
          VAULT_MODULE: built,
          PEER: endpoint,
          SID: secretId,
          VAL: value,
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

describe.concurrent('vault with DEBUG set', () => {
  for (const debug of ['node-vault', '*']) {
    it(`DEBUG=${debug}: the login, the write and the read print no secret id, token or value`, async () => {
      const r = await runWithDebug(debug);
      // Booleans, so a failure prints none of them either.
      expect(r.out.includes(secretId), 'the AppRole secret_id was printed').toBe(false);
      expect(r.out.includes(token), 'the login token was printed').toBe(false);
      expect(r.out.includes(value), 'the value was printed').toBe(false);
      expect(r.code).toBe(0);
      expect(r.out).toContain('read-back-ok');
    });
  }
});

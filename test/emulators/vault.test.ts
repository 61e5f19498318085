/**
 * The Vault emulator honours docs/protocols/vault.md: driven with the real node-vault client and with
 * raw HTTP/1.1 bytes over a socket (node's own client and fetch cannot send every shape we need).
 */
import { connect } from 'node:net';
import vaultFactory from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultEmulator, type VaultEmulator } from '../../src/testing/emulators/vault.js';

let vault: VaultEmulator;

beforeAll(async () => {
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
  vault = await startVaultEmulator();
});
afterAll(async () => {
  await vault.stop();
});

const client = (options: { token?: string; namespace?: string; noCustomHTTPVerbs?: boolean } = {}) =>
  vaultFactory({ endpoint: vault.address, token: vault.rootToken, ...options });

interface RawReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

/** Sends raw bytes and parses every response on the connection (for pipelining). */
function rawExchange(bytes: string, expected = 1): Promise<RawReply[]> {
  const port = Number(new URL(vault.address).port);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let buf = Buffer.alloc(0);
    const replies: RawReply[] = [];
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
        }
        const len = Number(headers['content-length'] ?? 0);
        if (buf.length < end + 4 + len) return;
        const text = buf.subarray(end + 4, end + 4 + len).toString('utf8');
        buf = buf.subarray(end + 4 + len);
        replies.push({
          status: Number(lines[0]!.split(' ')[1]),
          headers,
          text,
          json: text === '' ? undefined : JSON.parse(text),
        });
        if (replies.length === expected) {
          socket.end();
          resolve(replies);
          return;
        }
      }
    });
    socket.on('error', reject);
  });
}

async function rawRequest(
  method: string,
  path: string,
  options: { token?: string | null; body?: string; headers?: Record<string, string> } = {},
): Promise<RawReply> {
  const headers: Record<string, string> = { Host: '127.0.0.1', ...options.headers };
  if (options.token !== null) headers['X-Vault-Token'] = options.token ?? vault.rootToken;
  if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  const [reply] = await rawExchange(`${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n${options.body ?? ''}`);
  return reply!;
}

/** node-vault's ApiResponseError; the body is untyped JSON, read freely by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON
type Rejection = { message: string; response: { statusCode: number; body: any } };

async function rejection(p: Promise<unknown>): Promise<Rejection> {
  return p.then(
    () => {
      throw new Error('expected node-vault to reject');
    },
    (e: Rejection) => e,
  );
}

const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
let counter = 0;
const mount = (version: 1 | 2 = 2) => {
  const m = `m${++counter}`;
  vault.enableKv(m, { version });
  return m;
};

describe('transport (docs/protocols/vault.md#transport)', () => {
  it('accepts the LIST verb from node-vault (docs/protocols/vault.md#the-list-verb) and ?list= parsed with ParseBool', async () => {
    const m = mount();
    const c = client();
    await c.write(`${m}/data/dir/a`, { data: { v: 1 } });
    await c.write(`${m}/data/top`, { data: { v: 1 } });
    expect((await c.list(`${m}/metadata/`)).data.keys).toEqual(['dir/', 'top']);
    expect(vault.requests.at(-1)).toMatchObject({ method: 'LIST' });
    expect((await client({ noCustomHTTPVerbs: true }).list(`${m}/metadata/dir`)).data.keys).toEqual(['a']);
    for (const truthy of ['1', 't', 'T', 'TRUE', 'true', 'True']) {
      expect((await rawRequest('GET', `/v1/${m}/metadata/dir?list=${truthy}`)).json).toMatchObject({
        data: { keys: ['a'] },
      });
    }
    const unparsable = await rawRequest('GET', `/v1/${m}/metadata/dir?list=yes`);
    expect([unparsable.status, unparsable.json]).toEqual([400, { errors: [] }]);
    // list=false is a plain read: the metadata of "dir" (no such key).
    expect((await rawRequest('GET', `/v1/${m}/metadata/dir?list=false`)).status).toBe(404);
  });

  it('answers 405 {"errors":[]} to other verbs and 415 to PATCH without merge-patch', async () => {
    const m = mount();
    const other = await rawRequest('FROB', `/v1/${m}/data/x`);
    expect([other.status, other.json]).toEqual([405, { errors: [] }]);
    const patch = await rawRequest('PATCH', `/v1/${m}/data/x`, {
      body: '{"data":{}}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect([patch.status, patch.json]).toEqual([
      415,
      { errors: ['PATCH requires Content-Type of application/merge-patch+json, provided application/json'] },
    ]);
  });

  it('decodes the path like Go: %2F is a "/" (docs/protocols/vault.md#paths-are-decoded)', async () => {
    const m = mount();
    await rawRequest('POST', `/v1/${m}/data/a%2Fb`, { body: '{"data":{"k":"v"}}' });
    const read = await client().read(`${m}/data/a/b`);
    expect(read.data.data).toEqual({ k: 'v' });
    expect((await client().list(`${m}/metadata/`)).data.keys).toEqual(['a/']);
  });

  it('accepts the token as Authorization: Bearer too, and serves pipelined and chunked requests in order', async () => {
    const m = mount();
    const bearer = await rawRequest('GET', `/v1/${m}/data/none`, {
      token: null,
      headers: { Authorization: `Bearer ${vault.rootToken}` },
    });
    expect(bearer.status).toBe(404);
    const body = '{"data":{"c":"chunked"}}';
    const chunked =
      `POST /v1/${m}/data/ch HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${vault.rootToken}\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const read = `GET /v1/${m}/data/ch HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${vault.rootToken}\r\n\r\n`;
    const [w, r] = await rawExchange(chunked + read, 2);
    expect(w!.status).toBe(200);
    expect((r!.json as { data: { data: unknown } }).data.data).toEqual({ c: 'chunked' });
  });

  it('accepts form-encoded bodies and empty bodies (docs/protocols/vault.md#verbs)', async () => {
    const m = mount(1);
    const form = await rawRequest('POST', `/v1/${m}/f`, {
      body: 'user=u&pass=p%26q',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(204);
    expect((await client().read(`${m}/f`)).data).toEqual({ user: 'u', pass: 'p&q' });
    const empty = await rawRequest('POST', `/v1/${m}/e`);
    expect([empty.status, empty.json]).toEqual([400, { errors: ['missing data fields'] }]);
  });

  it('wraps every JSON success in the envelope (docs/protocols/vault.md#responses-and-the-envelope)', async () => {
    const m = mount();
    const res = await client().write(`${m}/data/env`, { data: { a: 1 } });
    expect(Object.keys(res).sort()).toEqual(
      [
        'auth',
        'data',
        'lease_duration',
        'lease_id',
        'mount_type',
        'renewable',
        'request_id',
        'warnings',
        'wrap_info',
      ].sort(),
    );
    expect(res.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('authentication (docs/protocols/vault.md#authentication)', () => {
  it('answers 403 "permission denied" to a missing or unknown token, before routing', async () => {
    for (const token of [null, 'hvs.bogus']) {
      const res = await rawRequest('GET', '/v1/no-such-mount/foo', { token });
      expect([res.status, res.json]).toEqual([403, { errors: ['permission denied'] }]);
    }
    const e = await rejection(client({ token: 'hvs.bogus' }).read('secret/data/x'));
    expect([e.message, e.response.statusCode]).toEqual(['permission denied', 403]);
  });

  it('denies by policy with the multierror text, still 403', async () => {
    const m = mount();
    vault.setPolicy('ro', [{ path: `${m}/data/*`, capabilities: ['read'] }]);
    const token = vault.createToken({ policies: ['ro'] });
    await client().write(`${m}/data/x`, { data: { v: 1 } });
    expect((await client({ token }).read(`${m}/data/x`)).data.data).toEqual({ v: 1 });
    const e = await rejection(client({ token }).write(`${m}/data/x`, { data: { v: 2 } }));
    expect([e.response.statusCode, e.message]).toEqual([403, '1 error occurred:\n\t* permission denied\n\n']);
  });

  it('logs in with AppRole: 400 texts on failure, token in auth, node-vault keeps it', async () => {
    const { roleId, secretId } = vault.addAppRole('web', { policies: ['p'], ttl: 1200 });
    const anon = vaultFactory({ endpoint: vault.address });
    for (const [body, text] of [
      [{ secret_id: secretId }, 'missing role_id'],
      [{ role_id: roleId }, 'missing secret_id'],
      [{ role_id: roleId, secret_id: 'wrong' }, 'invalid role or secret ID'],
    ] as const) {
      const e = await rejection(anon.write('auth/approle/login', body));
      expect([e.response.statusCode, e.message]).toEqual([400, text]);
    }
    const res = await anon.approleLogin({ role_id: roleId, secret_id: secretId });
    expect(res.data).toBeNull();
    expect(res.auth).toMatchObject({ lease_duration: 1200, renewable: true, policies: ['default', 'p'] });
    expect(anon.token).toBe(res.auth.client_token);
    const self = await anon.tokenLookupSelf();
    expect(self.data).toMatchObject({
      ttl: 1200,
      renewable: true,
      policies: ['default', 'p'],
      id: anon.token,
    });
    expect(self.data.expire_time).toMatch(/Z$/);
    const renewed = await anon.tokenRenewSelf({ increment: '2h' });
    expect(renewed.auth).toMatchObject({ lease_duration: 7200, client_token: anon.token });
    expect(await anon.tokenRevokeSelf()).toBe('');
    expect((await rejection(anon.tokenLookupSelf())).response.statusCode).toBe(403);
  });

  it('describes the root token as root, with no expiry', async () => {
    const self = await client().tokenLookupSelf();
    expect(self.data).toMatchObject({ policies: ['root'], ttl: 0, expire_time: null });
  });
});

describe('sys/health and seal (docs/protocols/vault.md#health-and-seal)', () => {
  it('needs no token, reports sealed with 503 and the body, and seals every other endpoint', async () => {
    const health = await rawRequest('GET', '/v1/sys/health', { token: null });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ initialized: true, sealed: false, standby: false });
    await client().write('sys/seal', {});
    const sealed = await rawRequest('GET', '/v1/sys/health', { token: null });
    expect([sealed.status, (sealed.json as { sealed: boolean }).sealed]).toEqual([503, true]);
    expect((await rawRequest('GET', '/v1/sys/health?sealedcode=200', { token: null })).status).toBe(200);
    // docs/protocols/vault.md#health-never-rejects: node-vault's health() resolves whatever the status.
    expect(await client().health()).toMatchObject({ sealed: true });
    const e = await rejection(client().read('secret/data/x'));
    expect([e.response.statusCode, e.message]).toEqual([503, 'Vault is sealed']);
    const unseal = await rawRequest('PUT', '/v1/sys/unseal', {
      token: null,
      body: JSON.stringify({ key: vault.unsealKey }),
    });
    expect((unseal.json as { sealed: boolean }).sealed).toBe(false);
    expect(await client().health()).toMatchObject({ sealed: false });
  });
});

describe('KV v2 (docs/protocols/vault.md#kv-version-2)', () => {
  it('writes 200 + version metadata, reads data.data, times in RFC3339Nano', async () => {
    const m = mount();
    const c = client();
    const w = await c.write(`${m}/data/k`, { data: { a: '1' } });
    expect(w.data).toMatchObject({ version: 1, deletion_time: '', destroyed: false, custom_metadata: null });
    expect(w.data.created_time).toMatch(RFC3339_NANO);
    const r = await c.read(`${m}/data/k`);
    expect(r.data.data).toEqual({ a: '1' });
    expect(r.data.metadata.version).toBe(1);
    await c.write(`${m}/data/k`, { data: { a: '2' } });
    expect((await c.read(`${m}/data/k?version=1`)).data.data).toEqual({ a: '1' });
    expect((await c.read(`${m}/data/k?version=0`)).data.data).toEqual({ a: '2' });
    const meta = await c.read(`${m}/metadata/k`);
    expect(meta.data).toMatchObject({ current_version: 2, oldest_version: 0, delete_version_after: '0s' });
    // docs/protocols/vault.md#metadata: version keys are strings.
    expect(Object.keys(meta.data.versions)).toEqual(['1', '2']);
  });

  it('enforces check-and-set with the exact 400 texts (docs/protocols/vault.md#check-and-set)', async () => {
    const m = mount();
    const c = client();
    await c.write(`${m}/data/k`, { data: { a: 1 }, options: { cas: 0 } });
    const cases: Array<[unknown, string]> = [
      [{ data: { a: 2 }, options: { cas: 0 } }, 'check-and-set parameter did not match the current version'],
      [{ data: { a: 2 }, options: { cas: 5 } }, 'check-and-set parameter did not match the current version'],
      [{ data: { a: 2 }, options: { cas: 'x' } }, 'error parsing check-and-set parameter'],
      [{ options: { cas: 1 } }, 'no data provided'],
    ];
    for (const [body, text] of cases) {
      const e = await rejection(c.write(`${m}/data/k`, body));
      expect([e.response.statusCode, e.message]).toEqual([400, text]);
    }
    expect((await c.write(`${m}/data/k`, { data: { a: 2 }, options: { cas: '1' } })).data.version).toBe(2);
    await c.write(`${m}/config`, { cas_required: true });
    const e = await rejection(c.write(`${m}/data/k`, { data: { a: 3 } }));
    expect(e.message).toBe('check-and-set parameter required for this call');
  });

  it('has three 404 shapes: missing, deleted/destroyed with the envelope, and PATCH-missing with no body (docs/protocols/vault.md#three-kinds-of-404)', async () => {
    const m = mount();
    const c = client();
    const missing = await rejection(c.read(`${m}/data/none`));
    expect([missing.message, missing.response.body]).toEqual(['Status 404', { errors: [] }]);
    await c.write(`${m}/data/k`, { data: { a: 1 } });
    expect(await c.delete(`${m}/data/k`)).toBe(''); // docs/protocols/vault.md#responses-and-the-envelope: 204 resolves with ''
    const deleted = await rejection(c.read(`${m}/data/k`));
    expect(deleted.message).toBe('Status 404');
    expect(deleted.response.body.errors).toBeUndefined();
    expect(deleted.response.body.data.data).toBeNull();
    expect(deleted.response.body.data.metadata.deletion_time).toMatch(RFC3339_NANO);
    const noVersion = await rejection(c.read(`${m}/data/k?version=9`));
    expect(noVersion.response.body).toEqual({ errors: [] });
    const patchMissing = await rawRequest('PATCH', `/v1/${m}/data/none`, {
      body: '{"data":{"a":1}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect([patchMissing.status, patchMissing.text]).toEqual([404, '']);
    const patchDeleted = await rejection(c.update(`${m}/data/k`, { data: { a: 2 } }));
    expect(patchDeleted.response.body.data.metadata.deletion_time).not.toBe('');
  });

  it('patches with merge-patch, undeletes, destroys for good, and 204s repeated deletes', async () => {
    const m = mount();
    const c = client();
    await c.write(`${m}/data/k`, { data: { a: 1, b: 2 } });
    const patched = await c.update(`${m}/data/k`, { data: { b: null, c: 3 } });
    expect(patched.data.version).toBe(2);
    expect((await c.read(`${m}/data/k`)).data.data).toEqual({ a: 1, c: 3 });
    expect(await c.write(`${m}/delete/k`, { versions: [1, 2] })).toBe('');
    expect(await c.write(`${m}/delete/k`, { versions: [1, 2] })).toBe('');
    expect(await c.write(`${m}/undelete/k`, { versions: [2] })).toBe('');
    expect((await c.read(`${m}/data/k`)).data.data).toEqual({ a: 1, c: 3 });
    expect(await c.write(`${m}/destroy/k`, { versions: [2] })).toBe('');
    await c.write(`${m}/undelete/k`, { versions: [2] });
    const destroyed = await rejection(c.read(`${m}/data/k`));
    expect(destroyed.response.body.data.metadata.destroyed).toBe(true);
    expect(await c.write(`${m}/destroy/none`, { versions: [1] })).toBe('');
    expect(await c.delete(`${m}/data/none`)).toBe('');
  });

  it('prunes past max_versions; pruned versions are plain 404s', async () => {
    const m = mount();
    const c = client();
    expect(await c.write(`${m}/metadata/k`, { max_versions: 2 })).toBe('');
    expect((await c.read(`${m}/metadata/k`)).data.current_version).toBe(0);
    for (const v of [1, 2, 3]) await c.write(`${m}/data/k`, { data: { v } });
    const meta = await c.read(`${m}/metadata/k`);
    expect(Object.keys(meta.data.versions)).toEqual(['2', '3']);
    expect(meta.data.oldest_version).toBe(2);
    expect((await rejection(c.read(`${m}/data/k?version=1`))).response.body).toEqual({ errors: [] });
  });

  it('lists soft-deleted keys until the metadata is deleted; an empty list is 404 (docs/protocols/vault.md#listing)', async () => {
    const m = mount();
    const c = client();
    await c.write(`${m}/data/gone`, { data: { a: 1 } });
    await c.write(`${m}/data/kept`, { data: { a: 1 } });
    await c.delete(`${m}/data/gone`);
    expect((await c.list(`${m}/metadata/`)).data.keys).toEqual(['gone', 'kept']);
    const excluded = await rawRequest('LIST', `/v1/${m}/metadata/?exclude_deleted=true`);
    expect((excluded.json as { data: { keys: string[] } }).data.keys).toEqual(['kept']);
    expect(await c.delete(`${m}/metadata/gone`)).toBe('');
    await c.delete(`${m}/metadata/kept`);
    const empty = await rejection(c.list(`${m}/metadata/`));
    expect([empty.message, empty.response.body]).toEqual(['Status 404', { errors: [] }]);
  });

  it('answers invalid v2 paths with the envelope and a warning, and unknown mounts with "no handler"', async () => {
    const m = mount();
    const v1style = await rawRequest('GET', `/v1/${m}/foo`);
    expect(v1style.status).toBe(404);
    expect((v1style.json as { warnings: string[] }).warnings[0]).toMatch(
      /^Invalid path for a versioned K\/V secrets engine/,
    );
    const root = await rawRequest('GET', `/v1/${m}/data/`);
    expect((root.json as { warnings: string[] }).warnings).toEqual([
      'Non-listing operations on the root of a K/V v2 mount are not supported.',
    ]);
    const unknown = await rejection(client().read('nowhere/data/x'));
    expect(unknown.message).toBe('no handler for route "nowhere/data/x". route entry not found.');
  });

  it('validates custom metadata and returns it on reads', async () => {
    const m = mount();
    const c = client();
    await c.write(`${m}/data/k`, { data: { a: 1 } });
    expect(await c.write(`${m}/metadata/k`, { custom_metadata: { owner: 'jdoe' } })).toBe('');
    expect((await c.read(`${m}/data/k`)).data.metadata.custom_metadata).toEqual({ owner: 'jdoe' });
    const e = await rejection(c.write(`${m}/metadata/k`, { custom_metadata: { owner: 'x'.repeat(513) } }));
    expect(e.response.statusCode).toBe(400);
    expect(e.message).toMatch(/^custom_metadata validation failed/);
  });
});

describe('KV v1 (docs/protocols/vault.md#kv-version-1)', () => {
  it('reads the flat map with the lease, writes and deletes with 204, refuses empty maps', async () => {
    const m = mount(1);
    const c = client();
    expect(await c.write(`${m}/app/db`, { user: 'u' })).toBe('');
    const r = await c.read(`${m}/app/db`);
    expect([r.data, r.lease_duration]).toEqual([{ user: 'u' }, 2764800]);
    expect((await c.list(`${m}/app`)).data.keys).toEqual(['db']);
    const e = await rejection(c.write(`${m}/app/x`, {}));
    expect([e.response.statusCode, e.message]).toEqual([400, 'missing data fields']);
    expect(await c.delete(`${m}/app/db`)).toBe('');
    expect((await rejection(c.read(`${m}/app/db`))).response.body).toEqual({ errors: [] });
  });
});

describe('namespaces (docs/protocols/vault.md#namespaces)', () => {
  it('partitions storage by X-Vault-Namespace and scopes tokens to their namespace', async () => {
    vault.createNamespace('ns1');
    vault.createNamespace('ns1/ns2');
    const root = client();
    await root.write('sys/mounts/kv', { type: 'kv', options: { version: '2' } });
    const ns1 = client({ namespace: 'ns1' });
    await ns1.write('sys/mounts/kv', { type: 'kv', options: { version: '2' } });
    await root.write('kv/data/same', { data: { who: 'root' } });
    await ns1.write('kv/data/same', { data: { who: 'ns1' } });
    expect((await root.read('kv/data/same')).data.data).toEqual({ who: 'root' });
    expect((await ns1.read('kv/data/same')).data.data).toEqual({ who: 'ns1' });
    // The header is a path prefix: "ns1/kv/..." without a header is the same secret.
    expect((await root.read('ns1/kv/data/same')).data.data).toEqual({ who: 'ns1' });
    const nsToken = vault.createToken({ policies: ['root'], namespace: 'ns1' });
    expect((await client({ token: nsToken, namespace: 'ns1' }).read('kv/data/same')).data.data).toEqual({
      who: 'ns1',
    });
    expect((await rejection(client({ token: nsToken }).read('kv/data/same'))).response.statusCode).toBe(403);
    const { roleId, secretId } = vault.addAppRole('nsrole', { namespace: 'ns1' });
    const anon = vaultFactory({ endpoint: vault.address, namespace: 'ns1' });
    await anon.approleLogin({ role_id: roleId, secret_id: secretId });
    expect((await anon.tokenLookupSelf()).data.id).toBe(anon.token);
    // Outside its namespace the role does not exist.
    const outside = await rejection(
      vaultFactory({ endpoint: vault.address }).approleLogin({ role_id: roleId, secret_id: secretId }),
    );
    expect([outside.response.statusCode, outside.message]).toEqual([400, 'invalid role or secret ID']);
  });
});

describe('test controls', () => {
  it('injects latency, faults and outages', async () => {
    const m = mount();
    const c = client();
    await c.write(`${m}/data/k`, { data: { a: 1 } });
    vault.injectFault({ match: /data\/k$/, status: 502, body: { errors: ['upstream'] }, times: 1 });
    expect((await rejection(c.read(`${m}/data/k`))).response.statusCode).toBe(502);
    expect((await c.read(`${m}/data/k`)).data.data).toEqual({ a: 1 });
    vault.injectFault({ match: /data\/k$/, drop: true, times: 1 });
    await expect(c.read(`${m}/data/k`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    vault.setOutage(true);
    await expect(c.read(`${m}/data/k`)).rejects.toBeTruthy();
    vault.setOutage(false);
    vault.setLatency(120);
    const started = Date.now();
    await c.read(`${m}/data/k`);
    // A guaranteed lower bound, not a speed target: the emulator sleeps 120 ms before answering,
    // and load only makes that longer (100 leaves room for the two clocks' rounding).
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    vault.setLatency(0);
    vault.clearFaults();
  });

  it('creates mounts, policies and AppRoles over the HTTP API, as another process would', async () => {
    const c = client();
    expect(await c.write('sys/mounts/api-kv', { type: 'kv', options: { version: '2' } })).toBe('');
    expect(
      await c.write('sys/policies/acl/api-reader', {
        policy: JSON.stringify({ path: { 'api-kv/data/*': { capabilities: ['read'] } } }),
      }),
    ).toBe('');
    await c.write('auth/approle/role/api-role', { token_policies: ['api-reader'] });
    const roleId = (await c.read('auth/approle/role/api-role/role-id')).data.role_id;
    const secretId = (await c.write('auth/approle/role/api-role/secret-id', {})).data.secret_id;
    await c.write('api-kv/data/x', { data: { ok: true } });
    const app = vaultFactory({ endpoint: vault.address });
    await app.approleLogin({ role_id: roleId, secret_id: secretId });
    expect((await app.read('api-kv/data/x')).data.data).toEqual({ ok: true });
    expect((await rejection(app.write('api-kv/data/x', { data: {} }))).response.statusCode).toBe(403);
  });
});

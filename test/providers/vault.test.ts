import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import vaultFactory from 'node-vault';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HashicorpVaultOptions, hashicorpVault } from '../../providers/vault/index.js';
import { isSecretError, type SecretError } from '../../src/core/errors.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { startVaultEmulator, type VaultEmulator } from '../../src/testing/emulators/vault.js';

const SENTINEL = 'SENTINEL-vault-4b1d9e-never-print';

let vault: VaultEmulator;
/** Where a store failure says the emulator is: its origin. */
const at = () => new URL(vault.address).origin;
/** Every error a test caught, checked for the sentinel at the end. */
const caught: unknown[] = [];

beforeAll(async () => {
  // node-vault reads VAULT_ADDR/TOKEN/NAMESPACE/PREFIX/SKIP_VERIFY (docs/protocols/vault.md#environment-variables): none may leak in.
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
  vault = await startVaultEmulator();
});

afterEach(() => {
  vault.clearFaults();
  vault.setLatency(0);
  vault.setOutage(false);
  vault.unseal();
  vi.useRealTimers();
});

afterAll(async () => {
  await vault.stop();
  expect(caught.length).toBeGreaterThan(10);
  for (const err of caught) {
    expect(inspect(err, { depth: 8, showHidden: true })).not.toContain(SENTINEL);
    expect(JSON.stringify(err)).not.toContain(SENTINEL);
    if (err instanceof Error) {
      expect(err.message).not.toContain(SENTINEL);
      expect(String(err.stack)).not.toContain(SENTINEL);
    }
  }
});

/** A fresh KV mount for one test. */
function freshMount(version: 1 | 2 = 2, namespace?: string): string {
  const mount = `t-${randomBytes(5).toString('hex')}`;
  vault.enableKv(mount, { version, ...(namespace === undefined ? {} : { namespace }) });
  return mount;
}

function source(options: HashicorpVaultOptions = {}) {
  return hashicorpVault({ endpoint: vault.address, token: vault.rootToken, ...options });
}

/** A raw node-vault client with the root token, to arrange state the provider does not create. */
function raw(namespace?: string) {
  return vaultFactory({
    endpoint: vault.address,
    token: vault.rootToken,
    ...(namespace === undefined ? {} : { namespace }),
  });
}

async function failure(p: Promise<unknown>): Promise<SecretError> {
  const err = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  caught.push(err);
  expect(isSecretError(err), inspect(err)).toBe(true);
  return err as SecretError;
}

const countRequests = (re: RegExp) => vault.requests.filter((r) => re.test(r.path)).length;

describe('hashicorpVault: names and values', () => {
  it('encodes #, ?, % and spaces in path segments (node-vault does not)', async () => {
    const mount = freshMount();
    const s = source({ mount });
    const names = ['a#b', 'a?b=c', '100%', '%2F', 'with space/x y', 'dir/sub/leaf', 'x=y&z'];
    for (const name of names) await s.set(name, `value of ${name}`);
    for (const name of names) expect((await s.get(name))?.value.reveal()).toBe(`value of ${name}`);
    // The emulator stored the exact keys, not what an unencoded URL would have split off.
    expect(await s.get('a')).toBeUndefined();
    const listed: string[] = [];
    for await (const m of s.list()) listed.push(m.name);
    expect(listed.sort()).toEqual([...names].sort());
    const keys = await raw().list(`${mount}/metadata/`);
    expect(keys.data.keys).toContain('a#b');
    expect(keys.data.keys).toContain('%2F');
  });

  it('reads a map written by other tools as JSON text, so #field works in the resolver', async () => {
    const mount = freshMount();
    await raw().write(`${mount}/data/app/db`, { data: { user: 'app', password: SENTINEL } });
    await raw().write(`${mount}/data/app/one`, { data: { value: 'just-text' } });
    const s = source({ mount });
    expect(JSON.parse((await s.get('app/db'))!.value.reveal())).toEqual({ user: 'app', password: SENTINEL });
    expect((await s.get('app/one'))?.value.reveal()).toBe('just-text');
    const resolver = createResolver({ sources: [s], cache: false });
    expect((await resolver.get('vault:app/db#user')).reveal()).toBe('app');
    expect((await resolver.get('vault:app/db#password', { profile: 'none' })).reveal()).toBe(SENTINEL);
    await resolver.close();
  });

  it('writes { value: text } and refuses binary values and values over maxValueBytes', async () => {
    const mount = freshMount();
    const s = source({ mount });
    await s.set('plain', '{"looks":"like json"}');
    const stored = await raw().read(`${mount}/data/plain`);
    expect(stored.data.data).toEqual({ value: '{"looks":"like json"}' });
    expect((await s.get('plain'))?.value.reveal()).toBe('{"looks":"like json"}');
    const bin = await failure(s.set('bin', Uint8Array.from([1, 2, 3])));
    expect(bin.code).toBe('ERR_OPERATION_UNSUPPORTED');
    const big = await failure(s.set('big', 'x'.repeat(512 * 1024 + 1)));
    expect({ code: big.code, message: big.message }).toEqual({
      code: 'ERR_SECRET_MALFORMED',
      message:
        'write "big" in source "vault": the value is 524289 bytes, over the store\'s 524288-byte limit',
    });
  });

  it('stores tags as custom_metadata and returns them from get and list', async () => {
    const mount = freshMount();
    const s = source({ mount });
    await s.set('tagged', 'v', { tags: { team: 'core' } });
    expect((await s.get('tagged'))?.tags).toEqual({ team: 'core' });
    const meta = await raw().read(`${mount}/metadata/tagged`);
    expect(meta.data.custom_metadata).toEqual({ team: 'core' });
    const listed = [];
    for await (const m of s.list()) listed.push(m);
    expect(listed).toMatchObject([{ name: 'tagged', version: '1', tags: { team: 'core' } }]);
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect((await failure(s.set('tagged', 'v2', { tags: tooMany }))).code).toBe('ERR_OPERATION_UNSUPPORTED');
    expect((await s.get('tagged'))?.version).toBe('1');
  });
});

describe('hashicorpVault: versions, deletes and check-and-set', () => {
  it('reads each version after three writes, and lists them newest first', async () => {
    const s = source({ mount: freshMount() });
    const results = [];
    for (const v of ['one', 'two', 'three']) results.push(await s.set('rotating', v));
    expect(results).toEqual([
      { version: '1', created: true },
      { version: '2', created: false },
      { version: '3', created: false },
    ]);
    expect((await s.get('rotating', { version: '1' }))?.value.reveal()).toBe('one');
    expect((await s.get('rotating', { version: '2' }))?.value.reveal()).toBe('two');
    expect((await s.get('rotating', { version: '3' }))?.value.reveal()).toBe('three');
    const latest = await s.get('rotating');
    expect(latest?.version).toBe('3');
    expect(latest?.updatedAt).toBeInstanceOf(Date);
    const versions = [];
    for await (const v of s.versions!('rotating')) versions.push(v);
    expect(versions.map((v) => [v.version, v.current, v.enabled])).toEqual([
      ['3', true, true],
      ['2', false, true],
      ['1', false, true],
    ]);
  });

  it('reports a destroyed version as version-not-found, never as a crash or a value', async () => {
    const mount = freshMount();
    const s = source({ mount });
    await s.set('d', SENTINEL);
    await s.set('d', 'second');
    // docs/protocols/vault.md#generated-commands-escape-paths: the generic write, as the provider itself does (destroySecretVersions is mustache-escaped).
    await raw().write(`${mount}/destroy/d`, { versions: [1] });
    const err = await failure(s.get('d', { version: '1' }));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'ERR_SECRET_VERSION_NOT_FOUND',
      message: 'read "d" in source "vault": version "1" was destroyed',
    });
    expect((await s.get('d'))?.value.reveal()).toBe('second');
    const versions = [];
    for await (const v of s.versions!('d')) versions.push([v.version, v.enabled]);
    expect(versions).toEqual([
      ['2', true],
      ['1', false],
    ]);
    const missing = await failure(s.get('d', { version: '7' }));
    expect(missing.message).toBe('read "d" in source "vault": version "7" was not found');
    expect((await failure(s.get('d', { version: 'latest' }))).code).toBe('ERR_SECRET_VERSION_NOT_FOUND');
    await expect(s.get('never-written', { version: '1' })).resolves.toBeUndefined();
  });

  it('deletes softly by default (undelete restores) and destroys everything only with force', async () => {
    const mount = freshMount();
    const s = source({ mount });
    await s.set('soft', 'keep-me');
    expect(await s.delete('soft')).toBe(true);
    await expect(s.get('soft')).resolves.toBeUndefined();
    expect(await s.delete('soft')).toBe(false);
    const deleted = await failure(s.get('soft', { version: '1' }));
    expect(deleted.message).toBe('read "soft" in source "vault": version "1" was deleted');
    const listed = [];
    for await (const m of s.list()) listed.push(m.name);
    expect(listed).toEqual([]);
    await raw().write(`${mount}/undelete/soft`, { versions: [1] });
    expect((await s.get('soft'))?.value.reveal()).toBe('keep-me');

    expect(await s.delete('soft', { force: true })).toBe(true);
    await expect(raw().read(`${mount}/metadata/soft`)).rejects.toMatchObject({
      response: { statusCode: 404 },
    });
    expect(await s.delete('soft', { force: true })).toBe(false);
  });

  it('ifAbsent uses cas:0 atomically, and treats an all-deleted key as absent', async () => {
    const mount = freshMount();
    const s = source({ mount });
    await s.set('once', SENTINEL, { ifAbsent: true });
    const err = await failure(s.set('once', 'other', { ifAbsent: true }));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'ERR_SECRET_CONFLICT',
      message: 'write "once" in source "vault": refused: the name already exists',
    });
    const concurrent = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => s.set('race', `r${i}`, { ifAbsent: true })),
    );
    expect(concurrent.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await s.delete('once');
    expect(await s.set('once', 'reborn', { ifAbsent: true })).toEqual({ version: '2', created: false });
    expect((await s.get('once'))?.value.reveal()).toBe('reborn');
  });

  it('explains a key that requires check-and-set', async () => {
    const mount = freshMount();
    vault.configureKv(mount, { casRequired: true });
    const s = source({ mount });
    const err = await failure(s.set('strict', 'x'));
    expect(err.code).toBe('ERR_SECRET_CONFLICT');
    expect(err.message).toBe('write "strict" in source "vault": refused: the key requires check-and-set');
    expect(await s.set('strict', 'x', { ifAbsent: true })).toMatchObject({ version: '1' });
  });

  it('lists recursively with a prefix; an empty mount lists nothing (LIST 404 → [])', async () => {
    const s = source({ mount: freshMount() });
    const empty = [];
    for await (const m of s.list()) empty.push(m);
    expect(empty).toEqual([]);
    for (const n of ['app/a', 'app/b/c', 'apple', 'other/x']) await s.set(n, 'v');
    const names = async (prefix?: string) => {
      const out: string[] = [];
      for await (const m of s.list(prefix === undefined ? {} : { prefix })) out.push(m.name);
      return out;
    };
    expect(await names()).toEqual(['app/a', 'app/b/c', 'apple', 'other/x']);
    expect(await names('app/')).toEqual(['app/a', 'app/b/c']);
    expect(await names('app')).toEqual(['app/a', 'app/b/c', 'apple']);
    expect(await names('app/b/')).toEqual(['app/b/c']);
    expect(await names('nothing/')).toEqual([]);
  });
});

describe('hashicorpVault: authentication', () => {
  it('shares one AppRole login among 100 concurrent cold reads', async () => {
    const mount = freshMount();
    vault.setPolicy('reader-100', [{ path: `${mount}/data/*`, capabilities: ['read'] }]);
    const creds = vault.addAppRole('hundred', { policies: ['reader-100'] });
    await source({ mount }).set('shared', 'v');
    const s = hashicorpVault({ endpoint: vault.address, mount, appRole: creds });
    const before = countRequests(/^auth\/approle\/login$/);
    vault.setLatency(20); // keep the login in flight while every caller arrives
    const values = await Promise.all(Array.from({ length: 100 }, () => s.get('shared')));
    vault.setLatency(0);
    expect(values.every((r) => r?.value.reveal() === 'v')).toBe(true);
    expect(countRequests(/^auth\/approle\/login$/) - before).toBe(1);
  });

  it('logs in again once when the token is refused, and maps a policy denial to ERR_SOURCE_ACCESS_DENIED', async () => {
    const mount = freshMount();
    vault.setPolicy('reader-relogin', [{ path: `${mount}/data/*`, capabilities: ['read'] }]);
    const creds = vault.addAppRole('relogin', { policies: ['reader-relogin'] });
    await source({ mount }).set('k', 'v');
    const s = hashicorpVault({ endpoint: vault.address, mount, appRole: creds });
    expect((await s.get('k'))?.value.reveal()).toBe('v');
    const logins = () => countRequests(/^auth\/approle\/login$/);
    const before = logins();
    vault.revokeTokens();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 }); // past the re-login cooldown
    expect((await s.get('k'))?.value.reveal()).toBe('v');
    expect(logins() - before).toBe(1);
    // The read-only policy refuses a write: one denial, no login storm.
    const err = await failure(s.set('k', SENTINEL));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'ERR_SOURCE_ACCESS_DENIED',
      message: `write "k" in source "vault" (${at()}): denied (HTTP 403)`,
    });
    expect(logins() - before).toBe(1);
  });

  it('refuses bad AppRole credentials with ERR_SOURCE_ACCESS_DENIED', async () => {
    const s = hashicorpVault({
      endpoint: vault.address,
      mount: freshMount(),
      appRole: { roleId: 'nope', secretId: SENTINEL },
    });
    const err = await failure(s.get('x'));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'ERR_SOURCE_ACCESS_DENIED',
      message: `AppRole login in source "vault" (${at()}): refused (HTTP 400)`,
    });
  });

  it('renews a renewable login token before it expires, and logs in again after expiry', async () => {
    const mount = freshMount();
    vault.setPolicy('reader-renew', [{ path: `${mount}/data/*`, capabilities: ['read'] }]);
    const creds = vault.addAppRole('renewing', { policies: ['reader-renew'], ttl: 60, renewable: true });
    await source({ mount }).set('k', 'v');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const s = hashicorpVault({ endpoint: vault.address, mount, appRole: creds });
    const renews = () => countRequests(/^auth\/token\/renew-self$/);
    const logins = () => countRequests(/^auth\/approle\/login$/);
    await s.get('k');
    const [r0, l0] = [renews(), logins()];
    vi.advanceTimersByTime(30_000);
    await s.get('k');
    expect([renews() - r0, logins() - l0]).toEqual([0, 0]);
    vi.advanceTimersByTime(15_000); // 45 s of 60: past two thirds
    await s.get('k');
    expect([renews() - r0, logins() - l0]).toEqual([1, 0]);
    vi.advanceTimersByTime(10 * 60_000); // long past the renewed expiry
    expect((await s.get('k'))?.value.reveal()).toBe('v');
    expect(logins() - l0).toBe(1);
  });

  it('renews a renewable static token found by lookup-self', async () => {
    const mount = freshMount();
    const token = vault.createToken({ policies: ['root'], ttl: 90, renewable: true });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const s = source({ mount, token });
    await s.set('k', 'v');
    const renews = () => countRequests(/^auth\/token\/renew-self$/);
    const r0 = renews();
    vi.advanceTimersByTime(70_000);
    await s.get('k');
    expect(renews() - r0).toBe(1);
    vi.advanceTimersByTime(70_000); // past the first expiry, but renewed
    expect((await s.get('k'))?.value.reveal()).toBe('v');
  });

  it('logs in with Kubernetes auth, reading the JWT file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-k8s-'));
    try {
      const jwtPath = join(dir, 'token');
      await writeFile(jwtPath, 'header.payload.signature\n');
      const mount = freshMount();
      vault.setPolicy('k8s-reader', [{ path: `${mount}/data/*`, capabilities: ['read'] }]);
      vault.addKubernetesRole('web', 'header.payload.signature', { policies: ['k8s-reader'] });
      await source({ mount }).set('k', 'from-k8s');
      const s = hashicorpVault({ endpoint: vault.address, mount, kubernetes: { role: 'web', jwtPath } });
      expect((await s.get('k'))?.value.reveal()).toBe('from-k8s');
      const missing = hashicorpVault({
        endpoint: vault.address,
        mount,
        kubernetes: { role: 'web', jwtPath: join(dir, 'absent') },
      });
      expect((await failure(missing.get('k'))).code).toBe('ERR_SOURCE_MISCONFIGURED');
      await writeFile(jwtPath, 'forged');
      const forged = hashicorpVault({ endpoint: vault.address, mount, kubernetes: { role: 'web', jwtPath } });
      expect((await failure(forged.get('k'))).code).toBe('ERR_SOURCE_ACCESS_DENIED');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('maps a bad token to ERR_SOURCE_ACCESS_DENIED and a missing one to ERR_SOURCE_MISCONFIGURED', async () => {
    const mount = freshMount();
    const bad = await failure(source({ mount, token: 'hvs.not-a-token' }).get('x'));
    expect(bad.code).toBe('ERR_SOURCE_ACCESS_DENIED');
    expect(bad.retryable).toBe(false);
    const none = await failure(hashicorpVault({ endpoint: vault.address, mount }).get('x'));
    expect({ code: none.code, message: none.message }).toEqual({
      code: 'ERR_SOURCE_MISCONFIGURED',
      message: `connect in source "vault" (${at()}): no Vault token is set`,
    });
  });

  it('reads VAULT_ADDR and VAULT_TOKEN when no options are given', async () => {
    const mount = freshMount();
    await source({ mount }).set('env', 'from-env');
    vi.stubEnv('VAULT_ADDR', vault.address);
    vi.stubEnv('VAULT_TOKEN', vault.rootToken);
    try {
      expect((await hashicorpVault({ mount }).get('env'))?.value.reveal()).toBe('from-env');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('hashicorpVault: the policies in docs/providers/vault.md', () => {
  it('app-reader can get, list with a prefix and list versions; app-writer can also set, tag and delete', async () => {
    const mount = freshMount();
    const rule = (path: string, capabilities: string[]) => ({ path: `${mount}/${path}`, capabilities });
    vault.setPolicy(`reader-${mount}`, [
      rule('data/app/*', ['read']),
      rule('metadata/app/*', ['read', 'list']),
    ]);
    vault.setPolicy(`writer-${mount}`, [
      rule('data/app/*', ['create', 'read', 'update', 'delete']),
      rule('metadata/app/*', ['create', 'read', 'update', 'delete', 'list']),
    ]);
    const reader = source({ mount, token: vault.createToken({ policies: [`reader-${mount}`] }) });
    const writer = source({ mount, token: vault.createToken({ policies: [`writer-${mount}`] }) });
    await writer.set('app/one', 'v1', { tags: { team: 'core' } });
    await writer.set('app/one', 'v2', { ifAbsent: false });
    expect((await reader.get('app/one'))?.value.reveal()).toBe('v2');
    expect((await reader.get('app/one', { version: '1' }))?.value.reveal()).toBe('v1');
    const listed = [];
    for await (const m of reader.list({ prefix: 'app/' })) listed.push(m.name);
    expect(listed).toEqual(['app/one']);
    const versions = [];
    for await (const v of reader.versions!('app/one')) versions.push(v.version);
    expect(versions).toEqual(['2', '1']);
    expect((await failure(reader.set('app/one', 'nope'))).code).toBe('ERR_SOURCE_ACCESS_DENIED');
    expect((await failure(reader.delete('app/one'))).code).toBe('ERR_SOURCE_ACCESS_DENIED');
    expect((await failure(reader.get('other'))).code).toBe('ERR_SOURCE_ACCESS_DENIED');
    expect(await writer.delete('app/one')).toBe(true);
    expect(await writer.delete('app/one', { force: true })).toBe(false);
    await expect(writer.get('app/one')).resolves.toBeUndefined();
  });
});

describe('hashicorpVault: namespaces and KV v1', () => {
  it('isolates namespaces: the same path in two namespaces holds different secrets', async () => {
    const ns = `team-${randomBytes(3).toString('hex')}`;
    vault.createNamespace(ns);
    vault.enableKv('secret', { namespace: ns });
    const mount = 'secret';
    const inNs = source({ namespace: ns, mount });
    const atRoot = source({ mount });
    await inNs.set('shared/name', 'namespaced');
    await expect(atRoot.get('shared/name')).resolves.toBeUndefined();
    await atRoot.set('shared/name', 'root');
    expect((await inNs.get('shared/name'))?.value.reveal()).toBe('namespaced');
    expect((await atRoot.get('shared/name'))?.value.reveal()).toBe('root');
    // AppRole logins happen in the namespace (node-vault sends the header on the login too).
    vault.setPolicy('ns-reader', [{ path: 'secret/data/*', capabilities: ['read'] }], ns);
    const creds = vault.addAppRole('ns-app', { policies: ['ns-reader'], namespace: ns });
    const app = hashicorpVault({ endpoint: vault.address, namespace: ns, appRole: creds });
    expect((await app.get('shared/name'))?.value.reveal()).toBe('namespaced');
    expect(
      vault.requests.some((r) => r.path === `${ns}/auth/approle/login` && r.namespace === `${ns}/`),
    ).toBe(true);
    // A namespace token cannot reach the root namespace.
    const nsToken = vault.createToken({ policies: ['root'], namespace: ns });
    expect((await failure(source({ mount, token: nsToken }).get('shared/name'))).code).toBe(
      'ERR_SOURCE_ACCESS_DENIED',
    );
  });

  it('works on KV v1: no versions, plain maps, 204 writes', async () => {
    const mount = freshMount(1);
    const s = source({ mount, kvVersion: 1 });
    expect(s.capabilities.versions).toBe(false);
    expect(s.versions).toBeUndefined();
    expect(await s.set('v1/key', 'one')).toEqual({ created: true });
    expect(await s.set('v1/key', 'two')).toEqual({ created: false });
    expect((await s.get('v1/key'))?.value.reveal()).toBe('two');
    expect((await failure(s.set('v1/key', 'x', { ifAbsent: true }))).code).toBe('ERR_SECRET_CONFLICT');
    expect((await failure(s.get('v1/key', { version: '1' }))).code).toBe('ERR_OPERATION_UNSUPPORTED');
    await raw().write(`${mount}/v1/map`, { user: 'u', pass: 'p' });
    expect(JSON.parse((await s.get('v1/map'))!.value.reveal())).toEqual({ user: 'u', pass: 'p' });
    const names = [];
    for await (const m of s.list()) names.push(m.name);
    expect(names).toEqual(['v1/key', 'v1/map']);
    expect(await s.delete('v1/key')).toBe(true);
    expect(await s.delete('v1/key')).toBe(false);
    await expect(s.get('v1/key')).resolves.toBeUndefined();
  });
});

describe('hashicorpVault: failures', () => {
  it('maps a sealed Vault to a retryable ERR_SOURCE_UNAVAILABLE', async () => {
    const s = source({ mount: freshMount() });
    await s.set('k', SENTINEL);
    vault.seal();
    const err = await failure(s.get('k'));
    expect({ code: err.code, message: err.message, retryable: err.retryable }).toEqual({
      code: 'ERR_SOURCE_UNAVAILABLE',
      message: `read "k" in source "vault" (${at()}): Vault is sealed (HTTP 503)`,
      retryable: true,
    });
    // node-vault's health() resolves even when sealed (docs/protocols/vault.md#health-never-rejects): the body says so.
    expect(await raw().health()).toMatchObject({ sealed: true });
    vault.unseal();
    expect((await s.get('k'))?.value.reveal()).toBe(SENTINEL);
  });

  it('asks sys/health when a 503 does not say why, and names the seal only when health says sealed', async () => {
    const s = source({ mount: freshMount() });
    await s.set('k', 'v');
    vault.injectFault({ match: /\/data\/k$/, status: 503, body: { errors: [] }, times: 1 });
    const plain = await failure(s.get('k'));
    expect(plain.message).toBe(`read "k" in source "vault" (${at()}): Vault is unavailable (HTTP 503)`);
    vault.injectFault({ match: /\/data\/k$/, status: 503, body: '<html>maintenance</html>', times: 1 });
    vault.seal();
    const sealed = await failure(s.get('k'));
    expect({ code: sealed.code, message: sealed.message }).toEqual({
      code: 'ERR_SOURCE_UNAVAILABLE',
      message: `read "k" in source "vault" (${at()}): Vault is sealed (HTTP 503)`,
    });
    expect(vault.requests.at(-1)?.path).toBe('sys/health');
  });

  it('maps 5xx, dropped connections, outages and 429 to ERR_SOURCE_UNAVAILABLE without echoing the body', async () => {
    const s = source({ mount: freshMount() });
    await s.set('k', 'v');
    vault.injectFault({ match: /\/data\/k$/, status: 500, body: { errors: [SENTINEL] }, times: 1 });
    const e500 = await failure(s.get('k'));
    expect(e500.code).toBe('ERR_SOURCE_UNAVAILABLE');
    expect(e500.message).toBe(`read "k" in source "vault" (${at()}): Vault is unavailable (HTTP 500)`);
    vault.injectFault({ match: /\/data\/k$/, status: 429, body: { errors: [SENTINEL] }, times: 1 });
    expect((await failure(s.get('k'))).code).toBe('ERR_SOURCE_UNAVAILABLE');
    vault.injectFault({ match: /\/data\/k$/, drop: true, times: 1 });
    expect((await failure(s.get('k'))).code).toBe('ERR_SOURCE_UNAVAILABLE');
    vault.setOutage(true);
    expect((await failure(s.get('k'))).code).toBe('ERR_SOURCE_UNAVAILABLE');
    vault.setOutage(false);
    vault.injectFault({
      match: /\/data\/k$/,
      status: 400,
      body: { errors: [`bad input ${SENTINEL}`] },
      times: 1,
    });
    const e400 = await failure(s.set('k', SENTINEL));
    expect(e400.code).toBe('ERR_SOURCE_MISCONFIGURED');
    expect((await s.get('k'))?.value.reveal()).toBe('v');
  });

  it('maps a request timeout and an aborted signal to ERR_SOURCE_TIMEOUT', async () => {
    const mount = freshMount();
    await source({ mount }).set('slow', 'v');
    const s = source({ mount, requestOptions: { timeout: 50 } });
    await s.get('slow');
    vault.setLatency(300);
    const timed = await failure(s.get('slow'));
    expect({ code: timed.code, message: timed.message }).toEqual({
      code: 'ERR_SOURCE_TIMEOUT',
      message: `read "slow" in source "vault" (${at()}): no answer within 50 ms`,
    });
    const aborted = await failure(source({ mount }).get('slow', { signal: AbortSignal.timeout(30) }));
    expect(aborted.code).toBe('ERR_SOURCE_TIMEOUT');
  });

  it('reports an unknown mount as ERR_SOURCE_MISCONFIGURED, not as a missing secret', async () => {
    const err = await failure(source({ mount: 'no-such-mount' }).get('k'));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'ERR_SOURCE_MISCONFIGURED',
      message: `read "k" in source "vault" (${at()}): no engine is mounted at "no-such-mount"`,
    });
    const list = await failure(
      (async () => {
        for await (const _ of source({ mount: 'no-such-mount' }).list()) {
          // nothing
        }
      })(),
    );
    expect(list.code).toBe('ERR_SOURCE_MISCONFIGURED');
  });

  it('refuses invalid names and options with coded errors', async () => {
    const s = source({ mount: freshMount() });
    for (const name of ['', '/lead', 'trail/', 'a//b', 'a/../b']) {
      expect((await failure(s.get(name))).code).toBe('ERR_SECRET_NAME_INVALID');
    }
    expect(() =>
      hashicorpVault({ appRole: { roleId: 'r', secretId: 's' }, kubernetes: { role: 'x' } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_SOURCE_MISCONFIGURED' }));
    expect(() => hashicorpVault({ kvVersion: 3 as 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_SOURCE_MISCONFIGURED' }),
    );
  });

  it('uses a prebuilt node-vault client as given', async () => {
    const mount = freshMount();
    const client = raw();
    const s = hashicorpVault({ client, mount });
    await s.set('prebuilt', 'v');
    expect((await s.get('prebuilt'))?.value.reveal()).toBe('v');
  });
});

describe('hashicorpVault: the optional peer', () => {
  it('loads node-vault only on first use, and names the npm command when it is missing', async () => {
    // A child process whose resolver hook records every import and reports node-vault as not installed.
    const hook = `export async function resolve(s, c, n) {
      if (/^node-vault/.test(s)) {
        throw Object.assign(new Error('Cannot find package node-vault'), { code: 'ERR_MODULE_NOT_FOUND' }); }
      return n(s, c); }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const script = `
      const { hashicorpVault } = await import('./providers/vault/index.ts');
      const s = hashicorpVault({ endpoint: 'http://127.0.0.1:9', token: 't' });
      const err = await s.get('x').catch((e) => e);
      console.log(JSON.stringify({ id: s.id, code: err.code, hint: err.hint, message: err.message }));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        `data:text/javascript,${encodeURIComponent(register)}`,
        '--input-type=module',
        '-e',
        script,
      ],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, VAULT_ADDR: '', VAULT_TOKEN: '' },
      },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      id: 'vault',
      code: 'ERR_PROVIDER_DEPENDENCY_MISSING',
      hint: 'npm i node-vault',
      message: 'source "vault" needs node-vault, which is not installed',
    });
  });
});

describe('hashicorpVault: TLS', () => {
  let tlsVault: VaultEmulator;
  const tlsAt = () => new URL(tlsVault.address).origin;
  beforeAll(async () => {
    tlsVault = await startVaultEmulator({ tls: true });
  });
  afterAll(async () => {
    await tlsVault.stop();
  });

  it('trusts the CA it is given, refuses an unknown certificate, and ignores VAULT_SKIP_VERIFY', async () => {
    expect(tlsVault.address).toMatch(/^https:/);
    const opts = { endpoint: tlsVault.address, token: tlsVault.rootToken };
    await hashicorpVault({ ...opts, ca: tlsVault.ca }).set('tls', 'over-https');
    expect(
      (await hashicorpVault({ ...opts, requestOptions: { ca: tlsVault.ca } }).get('tls'))?.value.reveal(),
    ).toBe('over-https');
    const untrusted = await failure(hashicorpVault(opts).get('tls'));
    expect({ code: untrusted.code, message: untrusted.message }).toEqual({
      code: 'ERR_SOURCE_MISCONFIGURED',
      message: `read "tls" in source "vault" (${tlsAt()}): Vault's TLS certificate was not trusted`,
    });
    vi.stubEnv('VAULT_SKIP_VERIFY', '1');
    try {
      expect((await failure(hashicorpVault(opts).get('tls'))).code).toBe('ERR_SOURCE_MISCONFIGURED');
    } finally {
      vi.unstubAllEnvs();
    }
    // Only an explicit strictSSL: false turns verification off.
    const lax = hashicorpVault({ ...opts, requestOptions: { strictSSL: false } });
    expect((await lax.get('tls'))?.value.reveal()).toBe('over-https');
  });
});

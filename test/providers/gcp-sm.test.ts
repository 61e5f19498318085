/**
 * What is Secret Manager's own in the `gcp-sm` source, through the real client (REST) against a
 * private emulator: version states, CRC-32C both ways, bytes on the wire, labels, pages, parallel
 * batched reads, and IAM refusals. The shared suites (conformance, faults) cover the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GcpSecretManagerOptions, gcpSecretManager } from '../../providers/gcp-sm/index.js';
import type { SecretError } from '../../src/core/errors.js';
import { crc32c } from '../../src/internal/crc32c.js';
import { createResolver } from '../../src/resolver/resolver.js';
import {
  type GcpSecretManagerEmulator,
  startGcpSecretManagerEmulator,
} from '../../src/testing/emulators/gcp-secret-manager.js';
import { type FaultProxy, startFaultProxy } from '../faults/proxy.js';
import { codeWithoutValue } from '../helpers/assertions.js';
import { freshProject } from '../helpers/gcp-sm.js';

const SENTINEL = 'SENTINEL-gcp-sm-5c2e81-never-print';
let emu: GcpSecretManagerEmulator;

beforeAll(async () => {
  emu = await startGcpSecretManagerEmulator();
});
afterAll(async () => {
  await emu.stop();
});

function source(o: GcpSecretManagerOptions & { reader?: boolean } = {}) {
  const { reader, ...rest } = o;
  const token = reader ? emu.readerToken : emu.token;
  return gcpSecretManager({
    ...emu.endpoint,
    projectId: freshProject(),
    authClient: { getRequestHeaders: async () => ({ authorization: `Bearer ${token}` }) },
    env: {},
    ...rest,
  });
}

const codeOf = (p: Promise<unknown>): Promise<SecretError> => codeWithoutValue(p, SENTINEL);

describe('crc32c', () => {
  it('matches the Castagnoli check value', () => {
    // The standard check value of CRC-32C: the CRC of the nine ASCII digits "123456789".
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array())).toBe(0);
  });
});

describe('versions and their states', () => {
  it('a disabled or destroyed version is ERR_SECRET_DISABLED, never absent; latest is the newest whatever its state', async () => {
    const projectId = freshProject();
    const s = source({ projectId });
    for (const v of ['one', 'two', SENTINEL]) emu.plant(projectId, 'db', v);
    emu.setState(projectId, 'db', '2', 'DISABLED');
    expect((await s.get('db', { version: '1' }))?.value.reveal()).toBe('one');
    const disabled = await codeOf(s.get('db', { version: '2' }));
    expect(disabled).toMatchObject({ code: 'ERR_SECRET_DISABLED', source: 'gcp-sm', secretName: 'db' });
    expect(disabled.message).toContain('version 2 is disabled');
    emu.setState(projectId, 'db', '3', 'DESTROYED');
    const destroyed = await codeOf(s.get('db'));
    expect(destroyed.code).toBe('ERR_SECRET_DISABLED');
    expect(destroyed.message).toContain('version 3 was destroyed');
    const listed = [];
    for await (const v of s.versions('db')) listed.push([v.version, v.enabled, v.current]);
    expect(listed).toEqual([
      ['3', false, true],
      ['2', false, false],
      ['1', true, false],
    ]);
    // A version that never existed is not found, and a missing secret is absent.
    expect((await codeOf(s.get('db', { version: '9' }))).code).toBe('ERR_SECRET_VERSION_NOT_FOUND');
    expect(await s.get('nothing-here')).toBeUndefined();
  });

  it('a write adds a version, and ?version= reads an older one through the resolver', async () => {
    const s = source();
    expect(await s.set('api_key', 'first-value-1234')).toMatchObject({ created: true, version: '1' });
    expect(await s.set('api_key', 'second-value-5678')).toMatchObject({ created: false, version: '2' });
    const r = createResolver({ sources: [s], cache: false });
    expect((await r.get('gcp-sm:api_key?version=1')).reveal()).toBe('first-value-1234');
    expect((await r.get('gcp-sm:api_key')).reveal()).toBe('second-value-5678');
    await r.close();
  });
});

describe('payloads on the wire', () => {
  it('always sends bytes with their CRC-32C: a value that looks like base64 comes back as written', async () => {
    const projectId = freshProject();
    const s = source({ projectId });
    // Sent as a string, the client would read this as base64 and store three other bytes.
    await s.set('looks_b64', 'abcd');
    expect((await s.get('looks_b64'))?.value.reveal()).toBe('abcd');
  });

  describe('a payload that fails its CRC-32C', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: emu.url, flavor: 'gcp' });
    });
    afterAll(async () => {
      await proxy.stop();
    });

    it('is refused as retryable ERR_SOURCE_UNAVAILABLE, the value never shown', async () => {
      const projectId = freshProject();
      emu.plant(projectId, 'tampered', SENTINEL);
      const data = Buffer.from(SENTINEL);
      const body = JSON.stringify({
        name: `projects/${emu.projectNumber(projectId)}/secrets/tampered/versions/1`,
        payload: { data: data.toString('base64'), dataCrc32c: String(crc32c(data) ^ 1) },
      });
      proxy.inject({ fault: { kind: 'body', status: 200, body }, match: /:access/ });
      const s = source({ projectId, port: Number(new URL(proxy.url).port) });
      const err = await codeOf(s.get('tampered'));
      expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE', retryable: true });
      expect(err.message).toContain('CRC-32C');
      // The same answer with the right checksum is read.
      proxy.clear();
      expect((await s.get('tampered'))?.value.reveal()).toBe(SENTINEL);
    });
  });
});

describe('labels, pages and batches', () => {
  it('tags are labels: written on create, merged on a later write, listed and read with includeMetadata', async () => {
    const projectId = freshProject();
    const s = source({ projectId, includeMetadata: true });
    await s.set('tagged', 'value-one-abcdef', { tags: { team: 'payments' } });
    await s.set('tagged', 'value-two-abcdef', { tags: { env: 'prod' } });
    expect((await s.get('tagged'))?.tags).toEqual({ team: 'payments', env: 'prod' });
    const listed = [];
    for await (const m of s.list()) listed.push(m);
    expect(listed).toEqual([
      expect.objectContaining({ name: 'tagged', tags: { team: 'payments', env: 'prod' } }),
    ]);
    const bad = await codeOf(s.set('tagged', 'value-three-abc', { tags: { Team: 'x' } }));
    expect(bad.code).toBe('ERR_SECRET_MALFORMED');
  });

  it('lists every secret across pages of pageSize, one request a page', async () => {
    const projectId = freshProject();
    for (let i = 0; i < 60; i++) emu.plant(projectId, `k${String(i).padStart(2, '0')}`, `v${i}`);
    const s = source({ projectId });
    const before = emu.requests.filter((r) => r.path.endsWith('/secrets') && r.method === 'GET').length;
    const names = [];
    for await (const m of s.list({ pageSize: 25 })) names.push(m.name);
    expect(names).toHaveLength(60);
    expect(new Set(names).size).toBe(60);
    const pages =
      emu.requests.filter((r) => r.path.endsWith('/secrets') && r.method === 'GET').length - before;
    expect(pages).toBe(3);
    const some = [];
    for await (const m of s.list({ prefix: 'k5' })) some.push(m.name);
    expect(some.sort()).toEqual(['k50', 'k51', 'k52', 'k53', 'k54', 'k55', 'k56', 'k57', 'k58', 'k59']);
  });

  it('getMany reads each secret once, in parallel accesses, with absent ones undefined', async () => {
    const projectId = freshProject();
    const names = Array.from({ length: 20 }, (_, i) => `b${i}`);
    for (const n of names) emu.plant(projectId, n, `value-of-${n}`);
    const s = source({ projectId, concurrency: 12 });
    const before = emu.requests.length;
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    // The caller's signal: a dozen reads in flight must not add a listener each to it.
    const got = await s.getMany([...names, 'missing'], { signal: new AbortController().signal });
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(warnings.map((w) => w.name)).toEqual([]);
    expect(got.size).toBe(21);
    for (const n of names) expect(got.get(n)).toMatchObject({ ok: true });
    const b7 = got.get('b7');
    expect(b7?.ok && b7.record?.value.reveal()).toBe('value-of-b7');
    expect(got.get('missing')).toEqual({ ok: true, record: undefined });
    const accesses = emu.requests.slice(before).filter((r) => r.path.endsWith(':access'));
    expect(accesses).toHaveLength(21);
    // The reads still follow the caller's signal: aborted mid-batch, every unfinished read stops.
    const c = new AbortController();
    const pending = s.getMany(names, { signal: c.signal });
    c.abort();
    const codes = [...(await pending).values()].map((e) => (e.ok ? 'ok' : e.error.code));
    expect(codes).toHaveLength(20);
    expect(codes.filter((code) => code !== 'ok').every((code) => code === 'ERR_ABORTED')).toBe(true);
    expect(codes).toContain('ERR_ABORTED');
  });
});

describe('IAM refusals and names', () => {
  it('a reader cannot write: ERR_SOURCE_ACCESS_DENIED naming the secret, nothing written', async () => {
    const projectId = freshProject();
    const reader = source({ projectId, reader: true });
    const err = await codeOf(reader.set('locked', SENTINEL));
    expect(err).toMatchObject({ code: 'ERR_SOURCE_ACCESS_DENIED', secretName: 'locked' });
    expect(await reader.get('locked')).toBeUndefined();
  });

  it('a full name reads across projects; a bad version is refused', async () => {
    const other = freshProject();
    emu.plant(other, 'shared', 'cross-project-value');
    const s = source();
    expect((await s.get(`projects/${other}/secrets/shared`))?.value.reveal()).toBe('cross-project-value');
    expect((await codeOf(s.get('shared', { version: 'v1' }))).code).toBe('ERR_SECRET_VERSION_NOT_FOUND');
    expect((await codeOf(s.get('has space'))).code).toBe('ERR_SECRET_NAME_INVALID');
  });

  it('plain http off loopback is refused before anything loads', () => {
    expect(() => gcpSecretManager({ apiEndpoint: 'sm.example.com', protocol: 'http' })).toThrow(
      expect.objectContaining({ code: 'ERR_SOURCE_MISCONFIGURED' }),
    );
  });
});

/**
 * What is Kubernetes' own in the `k8s` source, through @kubernetes/client-node against one private
 * emulator for the file: one read per Secret, 410 Expired listings, merge patches and their
 * content type, immutable Secrets, RBAC refusals, labels, and the three ways to reach the API
 * server (explicit, kubeconfig with a context, a pod's service account whose token rotates).
 * The shared suites (conformance, faults, copy, canary) cover the rest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubernetesSecretsOptions, kubernetesSecrets } from '../../providers/k8s/index.js';
import type { SecretError } from '../../src/core/errors.js';
import { type KubernetesEmulator, startKubernetesEmulator } from '../../src/testing/emulators/kubernetes.js';
import { codeWithoutValue } from '../helpers/assertions.js';

const SENTINEL = 'SENTINEL-k8s-7d41c2-never-print';
let emu: KubernetesEmulator;
let dir: string;

beforeAll(async () => {
  emu = await startKubernetesEmulator();
  dir = mkdtempSync(join(tmpdir(), 'ss-k8s-'));
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

const source = (o: KubernetesSecretsOptions & { reader?: boolean } = {}) => {
  const { reader, ...rest } = o;
  return kubernetesSecrets({
    server: emu.url,
    token: reader ? emu.readerToken : emu.token,
    ca: emu.ca,
    env: {},
    ...rest,
  });
};

const codeOf = (p: Promise<unknown>): Promise<SecretError> => codeWithoutValue(p, SENTINEL);

const since = (n: number) => emu.requests.slice(n);

describe('reads', () => {
  it('many keys of one Secret are one call; the whole Secret reads as a JSON object of its keys', async () => {
    emu.plant('reads', 'app', { A: 'alpha', B: new Uint8Array([0xff, 0x00, 0x01]), C: 'gamma' });
    const s = source();
    const before = emu.requests.length;
    const got = await s.getMany([
      'reads/app/A',
      'reads/app/B',
      'reads/app/C',
      'reads/app/none',
      'reads/gone/X',
    ]);
    // One GET per Secret named, whatever the number of its keys.
    expect(since(before).map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/namespaces/reads/secrets/app',
        'GET /api/v1/namespaces/reads/secrets/gone',
      ]),
    );
    expect(since(before)).toHaveLength(2);
    const value = (n: string) => {
      const e = got.get(n);
      return e?.ok ? e.record?.value.reveal() : e;
    };
    expect(value('reads/app/A')).toBe('alpha');
    const b = got.get('reads/app/B');
    expect(b?.ok && b.record?.value.bytes()).toEqual(new Uint8Array([0xff, 0x00, 0x01]));
    expect(got.get('reads/app/none')).toEqual({ ok: true, record: undefined });
    expect(got.get('reads/gone/X')).toEqual({ ok: true, record: undefined });
    // The whole Secret: JSON of its keys, refused when a key holds bytes that are not text.
    emu.plant('reads', 'text', { USER: 'u', PASS: 'p' });
    expect(JSON.parse((await s.get('reads/text'))!.value.reveal())).toEqual({ USER: 'u', PASS: 'p' });
    expect((await codeOf(s.get('reads/app'))).code).toBe('ERR_SECRET_MALFORMED');
    // One segment is a Secret of the configured namespace (`k8s:text#USER`).
    const ns = source({ namespace: 'reads' });
    expect(JSON.parse((await ns.get('text'))!.value.reveal())).toEqual({ USER: 'u', PASS: 'p' });
    expect((await codeOf(s.get('reads/text/USER', { version: '1' }))).code).toBe(
      'ERR_SECRET_VERSION_NOT_FOUND',
    );
  });

  it('a listing whose continue token expires (410) starts again and gives every name once', async () => {
    for (let i = 0; i < 7; i++)
      emu.plant('lst', `s${i}`, { K: `v${i}`, L: `w${i}` }, { labels: { team: 'a' } });
    const s = source();
    const before = emu.requests.length;
    const names: string[] = [];
    for await (const m of s.list({ prefix: 'lst/', pageSize: 2 })) {
      names.push(m.name);
      expect(m.tags).toEqual({ team: 'a' });
      // After the first page, as after an etcd compaction.
      if (names.length === 4) emu.expireContinueTokens();
    }
    expect(names.sort()).toEqual(
      Array.from({ length: 7 }, (_, i) => [`lst/s${i}/K`, `lst/s${i}/L`])
        .flat()
        .sort(),
    );
    const lists = since(before).filter((r) => r.method === 'GET');
    expect(lists.filter((r) => r.query.continue === undefined)).toHaveLength(2);
    expect(lists.every((r) => r.query.limit === '2')).toBe(true);
  });
});

describe('writes', () => {
  it('a key is written by a JSON merge patch of that key; ifAbsent refuses an existing key', async () => {
    const s = source();
    expect(await s.set('w/app/ONE', 'first-value')).toEqual({ created: true });
    const before = emu.requests.length;
    expect(await s.set('w/app/TWO', 'second-value', { tags: { tier: 'web' } })).toEqual({ created: true });
    expect(await s.set('w/app/TWO', 'second-value-2')).toEqual({ created: false });
    const patches = since(before).filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.contentType)).toEqual([
      'application/merge-patch+json',
      'application/merge-patch+json',
    ]);
    expect((await codeOf(s.set('w/app/ONE', 'other', { ifAbsent: true }))).code).toBe('ERR_SECRET_CONFLICT');
    expect((await s.get('w/app/ONE'))?.value.reveal()).toBe('first-value');
    expect((await s.get('w/app/TWO'))?.tags).toEqual({ tier: 'web' });
    // Deleting one key leaves the others; deleting it again finds nothing.
    expect(await s.delete('w/app/ONE')).toBe(true);
    expect(await s.delete('w/app/ONE')).toBe(false);
    expect((await s.get('w/app/TWO'))?.value.reveal()).toBe('second-value-2');
    expect(await s.delete('w/app')).toBe(true);
    expect(await s.get('w/app/TWO')).toBeUndefined();
  });

  it('an immutable Secret is refused with ERR_SECRET_IMMUTABLE, and nothing changes', async () => {
    emu.plant('w', 'frozen', { K: 'kept' }, { immutable: true });
    const s = source();
    const set = await codeOf(s.set('w/frozen/K', SENTINEL));
    expect(set).toMatchObject({ code: 'ERR_SECRET_IMMUTABLE', source: 'k8s', secretName: 'w/frozen/K' });
    expect((await codeOf(s.delete('w/frozen/K'))).code).toBe('ERR_SECRET_IMMUTABLE');
    expect((await s.get('w/frozen/K'))?.value.reveal()).toBe('kept');
  });

  it('RBAC: a reader cannot write (403), and the error carries no body and no value', async () => {
    const err = await codeOf(source({ reader: true }).set('w/locked/K', SENTINEL));
    expect(err).toMatchObject({ code: 'ERR_SOURCE_ACCESS_DENIED', secretName: 'w/locked/K' });
    expect(err.message).toContain('403');
    expect(await source().get('w/locked/K')).toBeUndefined();
    // A wrong token: 401, never "absent".
    expect((await codeOf(source({ token: 'nobody' }).get('w/locked/K'))).code).toBe(
      'ERR_SOURCE_ACCESS_DENIED',
    );
  });
});

describe('reaching the API server', () => {
  it('a kubeconfig: its current context, or the one asked for, and that context namespace', async () => {
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, emu.ca ?? '');
    const kubeconfig = join(dir, 'kubeconfig');
    // JSON is YAML: the client reads either.
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'emu', cluster: { server: emu.url, 'certificate-authority': ca } }],
        users: [
          { name: 'admin', user: { token: emu.token } },
          { name: 'reader', user: { token: emu.readerToken } },
        ],
        contexts: [
          { name: 'dev', context: { cluster: 'emu', user: 'reader', namespace: 'kc-dev' } },
          { name: 'ops', context: { cluster: 'emu', user: 'admin', namespace: 'kc-ops' } },
        ],
        'current-context': 'dev',
      }),
    );
    emu.plant('kc-dev', 'app', { K: 'from-dev' });
    emu.plant('kc-ops', 'app', { K: 'from-ops' });
    const dev = kubernetesSecrets({ env: { KUBECONFIG: kubeconfig } });
    const keyOf = async (src: typeof dev) => JSON.parse((await src.get('app'))!.value.reveal()).K;
    expect(await keyOf(dev)).toBe('from-dev');
    expect((await codeOf(dev.set('kc-dev/app/K', 'x'))).code).toBe('ERR_SOURCE_ACCESS_DENIED');
    const ops = kubernetesSecrets({ kubeconfig, context: 'ops', env: {} });
    expect(await keyOf(ops)).toBe('from-ops');
    expect(await ops.set('kc-ops/app/K', 'changed-by-ops')).toEqual({ created: false });
    const none = kubernetesSecrets({ kubeconfig, context: 'nope', env: {} });
    expect((await codeOf(none.get('app'))).code).toBe('ERR_SOURCE_MISCONFIGURED');
  });

  it("a pod's service account: its namespace, its CA, and a rotated token read again without a restart", async () => {
    const sa = join(dir, 'serviceaccount');
    const port = new URL(emu.url).port;
    const mount = (token: string) => writeFileSync(join(sa, 'token'), token);
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'ca.crt'), emu.ca ?? '');
    writeFileSync(join(sa, 'namespace'), 'pod-ns\n');
    mount(emu.token);
    const s = kubernetesSecrets({
      serviceAccountDir: sa,
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
    });
    expect(await s.set('pod-ns/app/K', 'written-in-pod')).toEqual({ created: true });
    emu.plant('pod-ns', 'other', { K: 'planted' });
    expect(JSON.parse((await s.get('other'))!.value.reveal())).toEqual({ K: 'planted' });
    // The kubelet rotates the token file: the next call sends the new one (here a reader's).
    mount(`${emu.readerToken}\n`);
    expect((await codeOf(s.set('pod-ns/app/K', 'x'))).code).toBe('ERR_SOURCE_ACCESS_DENIED');
    mount(emu.token);
    expect(await s.set('pod-ns/app/K', 'again')).toEqual({ created: false });
    await s.close();
  });
});

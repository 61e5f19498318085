/**
 * Kubernetes Secrets and Secret Manager sources against their emulators, each beside the store's
 * own client used the plain way, in one run:
 * - cold read of 50 keys of one Kubernetes Secret through the resolver: API calls (target: 1)
 *   and wall time, beside @kubernetes/client-node reading each key with `readNamespacedSecret`;
 * - cold read of 50 Secret Manager secrets through the resolver: API calls, most accesses in
 *   flight at once (target: <= 50), wall time, beside @google-cloud/secret-manager accessing
 *   them one after another; every request waits LATENCY_MS in a counting proxy, as on a network;
 * - in a fresh process on the built package: no SDK resolved by importing either subpath, and
 *   one SDK import each by the first reads (targets: 0 and 1), and the import time of each
 *   subpath beside importing its SDK.
 * Run: `npm run build && tsx bench/k8s-gcp.bench.ts` (or `npm run bench k8s-gcp`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { gcpSecretManager } from '../providers/gcp-sm/index.js';
import { kubernetesSecrets } from '../providers/k8s/index.js';
import { createResolver } from '../src/resolver/resolver.js';
import { startGcpSecretManagerEmulator } from '../src/testing/emulators/gcp-secret-manager.js';
import { startKubernetesEmulator } from '../src/testing/emulators/kubernetes.js';
import { runChild } from './child.js';

const root = join(import.meta.dirname, '..');
const N = 50;
const REPS = 5;
const LATENCY_MS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const strong = () => randomBytes(32).toString('base64url');
const keys = Array.from({ length: N }, (_, i) => `KEY_${String(i).padStart(2, '0')}`);
const rows: string[][] = [];

/** Median wall time of `fn` over REPS runs (a fresh cold run each time), and the last run's result. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; last: T }> {
  const times: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    last = await fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), last: last as T };
}

// 1. Kubernetes: one Secret of 50 keys.
const k8sEmu = await startKubernetesEmulator();
k8sEmu.plant('bench', 'app', Object.fromEntries(keys.map((k) => [k, strong()])));
const k8sOptions = { server: k8sEmu.url, token: k8sEmu.token, ca: k8sEmu.ca, env: {} };
const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'e', server: k8sEmu.url, caData: Buffer.from(k8sEmu.ca ?? '').toString('base64') }],
  users: [{ name: 'u', token: k8sEmu.token }],
  contexts: [{ name: 'c', cluster: 'e', user: 'u' }],
  currentContext: 'c',
});
const core = kc.makeApiClient(CoreV1Api);
// Warm both clients' SDK load and TLS set-up, so the rows compare reads.
await core.readNamespacedSecret({ namespace: 'bench', name: 'app' });
await kubernetesSecrets(k8sOptions).get('bench/app/KEY_00');

const k8sOurs = await timed(async () => {
  const before = k8sEmu.requests.length;
  const resolver = createResolver({ sources: [kubernetesSecrets(k8sOptions)] });
  const got = await resolver.getMany(keys.map((k) => `k8s:bench/app/${k}`));
  if (got.size !== N) throw new Error(`k8s: read ${got.size} of ${N}`);
  await resolver.close();
  return k8sEmu.requests.length - before;
});
const k8sPlain = await timed(async () => {
  const before = k8sEmu.requests.length;
  for (const k of keys) {
    const s = await core.readNamespacedSecret({ namespace: 'bench', name: 'app' });
    if (s.data?.[k] === undefined) throw new Error(`k8s baseline: no ${k}`);
  }
  return k8sEmu.requests.length - before;
});
rows.push(
  ['cold read of 50 keys of one Secret: API calls', String(k8sOurs.last), String(k8sPlain.last), '1'],
  [`cold read of 50 keys of one Secret: wall (median of ${REPS})`, ms(k8sOurs.ms), ms(k8sPlain.ms), ''],
);

// 2. Secret Manager: 50 secrets, behind a proxy that adds latency and counts requests in flight.
const gcpEmu = await startGcpSecretManagerEmulator();
const project = 'bench-project';
for (const k of keys) gcpEmu.plant(project, k, strong());
const flight = { now: 0, peak: 0, calls: 0 };
const upstream = new URL(gcpEmu.url);
const proxy = createServer((req, res) => {
  flight.calls++;
  flight.peak = Math.max(flight.peak, ++flight.now);
  const done = () => flight.now--;
  setTimeout(() => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res).on('finish', done);
      },
    );
    out.on('error', () => {
      done();
      res.destroy();
    });
    req.pipe(out);
  }, LATENCY_MS);
});
await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
const proxyPort = (proxy.address() as { port: number }).port;
const auth = { getRequestHeaders: async () => ({ authorization: `Bearer ${gcpEmu.token}` }) };
const gcpOptions = {
  apiEndpoint: '127.0.0.1',
  port: proxyPort,
  protocol: 'http' as const,
  projectId: project,
};
const plainClient = new SecretManagerServiceClient({
  fallback: true,
  ...gcpOptions,
  authClient: {
    ...auth,
    fetch: (url: string, init: RequestInit & { headers?: Record<string, string> }) =>
      fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${gcpEmu.token}` } }),
  } as never,
});
const version = (k: string) => `projects/${project}/secrets/${k}/versions/latest`;
await plainClient.accessSecretVersion({ name: version('KEY_00') });
await gcpSecretManager({ ...gcpOptions, authClient: auth, env: {} }).get('KEY_00');

const gcpOurs = await timed(async () => {
  Object.assign(flight, { peak: 0, calls: 0 });
  const resolver = createResolver({
    sources: [gcpSecretManager({ ...gcpOptions, authClient: auth, env: {} })],
  });
  const got = await resolver.getMany(keys.map((k) => `gcp-sm:${k}`));
  if (got.size !== N) throw new Error(`gcp-sm: read ${got.size} of ${N}`);
  await resolver.close();
  return { ...flight };
});
const gcpPlain = await timed(async () => {
  Object.assign(flight, { peak: 0, calls: 0 });
  for (const k of keys) await plainClient.accessSecretVersion({ name: version(k) });
  return { ...flight };
});
rows.push(
  ['cold read of 50 secrets: API calls', String(gcpOurs.last.calls), String(gcpPlain.last.calls), '50'],
  ['cold read of 50 secrets: most in flight', String(gcpOurs.last.peak), String(gcpPlain.last.peak), '<= 50'],
  [
    `cold read of 50 secrets, ${LATENCY_MS} ms a request: wall (median of ${REPS})`,
    ms(gcpOurs.ms),
    ms(gcpPlain.ms),
    '',
  ],
);

// 3. A fresh process on the built package: what importing loads, and what the first reads load.
const dist = (sub: string) => join(root, 'dist', 'providers', sub, 'index.js');
if (!existsSync(dist('k8s')) || !existsSync(dist('gcp-sm'))) {
  throw new Error(
    'dist/ is missing the k8s or gcp-sm subpath: run `npm run build` first (npm run bench does)',
  );
}
// Counts the SDK entries our built files ask the loader for (the SDKs' own imports are not counted).
const hooks = `export async function resolve(s, c, n) { if (/^(@kubernetes\\/client-node|@google-cloud\\/secret-manager)$/.test(s) && c.parentURL && c.parentURL.includes('/dist/')) globalThis.process.stdout.write('SDK ' + s + '\\n'); return n(s, c); }`;
const child = (code: string, withHooks = false) => runChild(code, withHooks ? hooks : undefined);
const k8sUrl = pathToFileURL(dist('k8s')).href;
const gcpUrl = pathToFileURL(dist('gcp-sm')).href;
const loads = child(
  `import { kubernetesSecrets } from ${JSON.stringify(k8sUrl)};
import { gcpSecretManager } from ${JSON.stringify(gcpUrl)};
process.stdout.write('IMPORTED\\n');
const k = kubernetesSecrets(${JSON.stringify(k8sOptions)});
const g = gcpSecretManager({ ...${JSON.stringify(gcpOptions)}, env: {},
  authClient: { getRequestHeaders: async () => ({ authorization: 'Bearer ${gcpEmu.token}' }) } });
const names = ${JSON.stringify(keys)};
const [a, b] = await Promise.all([k.getMany(names.map((n) => 'bench/app/' + n)), g.getMany(names)]);
if (a.size !== ${N} || b.size !== ${N}) throw new Error('short read');
await Promise.all([k.close(), g.close()]);`,
  true,
);
const [atImport, afterReads] = loads.split('IMPORTED\n') as [string, string];
const count = (text: string, sdk: string) => text.split('\n').filter((l) => l === `SDK ${sdk}`).length;
rows.push(
  [
    'SDK entries resolved by importing the subpath (k8s, gcp-sm)',
    `${count(atImport, '@kubernetes/client-node')}, ${count(atImport, '@google-cloud/secret-manager')}`,
    '',
    '0, 0',
  ],
  [
    'SDK entries resolved by 50 reads from each source (k8s, gcp-sm)',
    `${count(afterReads, '@kubernetes/client-node')}, ${count(afterReads, '@google-cloud/secret-manager')}`,
    '',
    '1, 1',
  ],
);
const importMs = (spec: string) => {
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const out = child(
      `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t));`,
    );
    times.push(Number(out));
  }
  return median(times);
};
rows.push(
  [
    `fresh-process import: secretsource/providers/k8s beside @kubernetes/client-node (median of ${REPS})`,
    ms(importMs(k8sUrl)),
    ms(importMs('@kubernetes/client-node')),
    '',
  ],
  [
    `fresh-process import: secretsource/providers/gcp-sm beside @google-cloud/secret-manager (median of ${REPS})`,
    ms(importMs(gcpUrl)),
    ms(importMs('@google-cloud/secret-manager')),
    '',
  ],
);

await plainClient.close();
proxy.closeAllConnections();
await new Promise((r) => proxy.close(r));
await Promise.all([k8sEmu.stop(), gcpEmu.stop()]);

const head = ['measure', 'secretsource', "the store's client, plainly", 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));

/**
 * AWS providers against Powertools for AWS Lambda's parameters package, side by side in one run,
 * on a moto server this script starts itself, with the same seeded data:
 * - cold resolve of 50 Secrets Manager secrets: API calls and wall time (targets: <= 3 calls,
 *   <= 1/4 of Powertools' time);
 * - cold resolve of 50 SSM SecureStrings: API calls and wall time (target: <= 5 calls);
 * - 1000 concurrent cold reads of one name: API calls (target: 1);
 * - warm cache-hit ops/s (target: >= 3x Powertools);
 * - fresh-process import time of each provider subpath, and the proof that the SDK is resolved
 *   only by the first call, never by the import.
 * Also two behaviours: a version-aware cache key, and a stale value served while AWS fails.
 * Run: `tsx bench/aws.bench.ts` (or `npm run bench`). API calls are counted by SDK middleware on
 * the client each side is given.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { awsSecretsManager } from '../providers/aws/sm.js';
import { awsSsm } from '../providers/aws/ssm.js';
import { createResolver } from '../src/resolver/resolver.js';
import { startMoto } from '../test/emulators/moto.start.js';
import { runChild } from './child.js';
import { fmt, median, opsPerSecond } from './measure.js';

const root = join(import.meta.dirname, '..');
const REPS = 5;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const moto = await startMoto();
Object.assign(process.env, moto.env);
// The SDK's Node-version notice is noise here.
process.removeAllListeners('warning');

/** Clients on moto that count every command and can be switched to fail like an AWS outage. */
function counted<C extends SecretsManagerClient | SSMClient>(client: C) {
  const state = { calls: 0, down: false };
  // Both clients share the middleware stack shape; the union of their generics is not callable.
  const stack = client.middlewareStack as unknown as {
    add(
      mw: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
  stack.add(
    (next) => async (args) => {
      state.calls++;
      if (state.down) {
        throw Object.assign(new Error('Service Unavailable'), {
          name: 'ServiceUnavailable',
          $fault: 'server',
          $metadata: { httpStatusCode: 503 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchCount' },
  );
  return { client, state };
}
const clientConfig = {
  endpoint: moto.env.AWS_ENDPOINT_URL!,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const smClient = () => counted(new SecretsManagerClient(clientConfig));
const ssmClient = () => counted(new SSMClient(clientConfig));

/** Cold-cache measure: fresh providers each rep on one warmed client per side; median wall time, calls. */
async function cold(
  make: () => { state: { calls: number } } & { run(): Promise<void> },
): Promise<{ calls: number; ms: number }> {
  const times: number[] = [];
  let calls = 0;
  for (let i = 0; i < REPS; i++) {
    const m = make();
    const before = m.state.calls;
    const t = performance.now();
    await m.run();
    times.push(performance.now() - t);
    calls = m.state.calls - before;
  }
  return { calls, ms: median(times) };
}

try {
  // Seed identical data for both sides.
  const seedSm = awsSecretsManager({ client: smClient().client });
  const seedSsm = awsSsm({ client: ssmClient().client, overwrite: true });
  const smNames = Array.from({ length: 50 }, (_, i) => `bench/sm/s${String(i).padStart(2, '0')}`);
  const ssmNames = Array.from({ length: 50 }, (_, i) => `/bench/ssm/p${String(i).padStart(2, '0')}`);
  const value = (i: number) => `bench-value-${i}-${'k'.repeat(40)}`;
  await Promise.all(smNames.map((n, i) => seedSm.set(n, value(i))));
  await Promise.all(ssmNames.map((n, i) => seedSsm.set(n, value(i), { type: 'SecureString' })));
  await seedSm.set('bench/hot', 'hot-value');
  await seedSm.set('bench/versioned', 'old');
  await seedSm.set('bench/versioned', 'new');

  // One warmed client per side per service: connection set-up is not what is compared.
  const oursSm = smClient();
  const ptSm = smClient();
  const oursSsm = ssmClient();
  const ptSsm = ssmClient();
  for (const c of [oursSm, ptSm]) await c.client.send(new ListSecretsCommand({ MaxResults: 1 }));
  for (const c of [oursSsm, ptSsm]) await c.client.send(new DescribeParametersCommand({ MaxResults: 1 }));

  // 1. cold resolve of 50 secrets
  const smOurs = await cold(() => ({
    state: oursSm.state,
    run: async () => {
      const r = createResolver({ sources: [awsSecretsManager({ client: oursSm.client })] });
      const got = await r.getMany(smNames.map((n) => `aws-sm:${n}`));
      if (got.get(`aws-sm:${smNames[7]}`)?.reveal() !== value(7)) throw new Error('ours: wrong value');
    },
  }));
  const smPt = await cold(() => ({
    state: ptSm.state,
    run: async () => {
      const p = new SecretsProvider({ awsSdkV3Client: ptSm.client });
      const got = await Promise.all(smNames.map((n) => p.get(n)));
      if (got[7] !== value(7)) throw new Error('powertools: wrong value');
    },
  }));

  // 2. cold resolve of 50 SSM SecureStrings (Powertools' batched getParametersByName, decrypting)
  const ssmOurs = await cold(() => ({
    state: oursSsm.state,
    run: async () => {
      const r = createResolver({ sources: [awsSsm({ client: oursSsm.client })] });
      const got = await r.getMany(ssmNames.map((n) => `aws-ssm:${n}`));
      if (got.get(`aws-ssm:${ssmNames[7]}`)?.reveal() !== value(7)) throw new Error('ours: wrong value');
    },
  }));
  const ssmPt = await cold(() => ({
    state: ptSsm.state,
    run: async () => {
      const p = new SSMProvider({ awsSdkV3Client: ptSsm.client });
      const got = await p.getParametersByName(Object.fromEntries(ssmNames.map((n) => [n, {}])), {
        decrypt: true,
      });
      if (got[ssmNames[7]!] !== value(7)) throw new Error('powertools: wrong value');
    },
  }));

  // 3. 1000 concurrent cold reads of one name
  const hotOurs = await cold(() => ({
    state: oursSm.state,
    run: async () => {
      const r = createResolver({ sources: [awsSecretsManager({ client: oursSm.client })] });
      await Promise.all(Array.from({ length: 1000 }, () => r.get('aws-sm:bench/hot')));
    },
  }));
  const hotPt = await cold(() => ({
    state: ptSm.state,
    run: async () => {
      const p = new SecretsProvider({ awsSdkV3Client: ptSm.client });
      await Promise.all(Array.from({ length: 1000 }, () => p.get('bench/hot')));
    },
  }));

  // 4. warm cache hits
  const warmResolver = createResolver({ sources: [awsSecretsManager({ client: oursSm.client })] });
  await warmResolver.get('aws-sm:bench/hot');
  const warmPt = new SecretsProvider({ awsSdkV3Client: ptSm.client });
  await warmPt.get('bench/hot', { maxAge: 3600 });
  const opsOurs = await opsPerSecond(() => warmResolver.get('aws-sm:bench/hot'));
  // The entry keeps the first call's maxAge; later calls use Powertools' plain form.
  const opsPt = await opsPerSecond(() => warmPt.get('bench/hot'));

  // 5. behaviours: the cache key includes the version; a stale value is served while AWS fails
  const vOurs = createResolver({ sources: [awsSecretsManager({ client: oursSm.client })] });
  const oursCurrent = (await vOurs.get('aws-sm:bench/versioned')).reveal();
  const oursPrevious = (await vOurs.get('aws-sm:bench/versioned?version=AWSPREVIOUS')).reveal();
  const vPt = new SecretsProvider({ awsSdkV3Client: ptSm.client });
  const ptCurrent = await vPt.get('bench/versioned');
  const ptPrevious = await vPt.get('bench/versioned', { sdkOptions: { VersionStage: 'AWSPREVIOUS' } });

  const staleOurs = createResolver({
    sources: [awsSecretsManager({ client: oursSm.client })],
    cache: { ttlMs: 50, maxStaleMs: 60_000 },
  });
  await staleOurs.get('aws-sm:bench/hot');
  const stalePt = new SecretsProvider({ awsSdkV3Client: ptSm.client });
  await stalePt.get('bench/hot', { maxAge: 1 });
  await new Promise((r) => setTimeout(r, 1100));
  oursSm.state.down = true;
  ptSm.state.down = true;
  const staleOursOutcome = await staleOurs.get('aws-sm:bench/hot').then(
    (s) => (s.reveal() === 'hot-value' ? 'served the last good value' : 'wrong value'),
    (e: { code?: string }) => `threw ${e.code}`,
  );
  const stalePtOutcome = await stalePt.get('bench/hot', { maxAge: 1 }).then(
    () => 'served a value',
    (e: Error) => `threw ${e.name}`,
  );
  oursSm.state.down = false;
  ptSm.state.down = false;

  // 6. fresh-process import time, and when the SDK gets resolved
  // `npm run bench` builds dist first; run alone, compile to a private directory instead of
  // touching dist/, which others may be using.
  let spec = (sub: string) => `secretsource/providers/${sub}`;
  if (
    !existsSync(join(root, 'dist/providers/aws/sm.js')) ||
    !existsSync(join(root, 'dist/providers/aws/ssm.js'))
  ) {
    const out = join(root, '.tmp/bench-dist');
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', out], {
        cwd: root,
        stdio: 'ignore',
      });
    } catch {
      // Type errors elsewhere in the tree still emit; only a missing output file is fatal.
    }
    spec = (sub: string) => pathToFileURL(join(out, 'providers', `${sub}.js`)).href;
  }
  const hooks = `export async function resolve(s, c, n) { if (/^@aws-sdk\\//.test(s)) globalThis.process.stdout.write('SDK ' + s + '\\n'); return n(s, c); }`;
  const child = (code: string, withHooks = false) => runChild(code, withHooks ? hooks : undefined);
  const importMs = (spec: string) => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const out = child(
        `const t = performance.now(); await import('${spec}'); console.log(performance.now() - t);`,
      );
      times.push(Number(out.trim().split('\n').pop()));
    }
    return median(times);
  };
  const sdkResolved = (spec: string, factory: string, call: string) => {
    const out = child(
      `const m = await import('${spec}'); console.log('IMPORTED'); const s = m.${factory}(); await s.get('${call}'); console.log('CALLED');`,
      true,
    ).split('\n');
    const imported = out.indexOf('IMPORTED');
    const called = out.indexOf('CALLED');
    const sdkLines = (from: number, to: number) =>
      out.slice(from, to).filter((l) => l.startsWith('SDK ')).length;
    return { atImport: sdkLines(0, imported), atFirstCall: sdkLines(imported, called) };
  };
  const importOursSm = importMs(spec('aws-sm'));
  const importOursSsm = importMs(spec('aws-ssm'));
  const importPtSm = importMs('@aws-lambda-powertools/parameters/secrets');
  const importPtSsm = importMs('@aws-lambda-powertools/parameters/ssm');
  const lazySm = sdkResolved(spec('aws-sm'), 'awsSecretsManager', 'bench/hot');
  const lazySsm = sdkResolved(spec('aws-ssm'), 'awsSsm', '/bench/ssm/p00');
  const ptSdkAtImport = child(`await import('@aws-lambda-powertools/parameters/secrets');`, true)
    .split('\n')
    .filter((l) => l.startsWith('SDK ')).length;

  const ok = (pass: boolean) => (pass ? 'met' : '**missed**');
  const rows: string[][] = [
    [
      '50 Secrets Manager secrets, cold: API calls',
      String(smOurs.calls),
      String(smPt.calls),
      '<= 3',
      ok(smOurs.calls <= 3),
    ],
    [
      `50 Secrets Manager secrets, cold: wall time (median of ${REPS})`,
      ms(smOurs.ms),
      ms(smPt.ms),
      '<= 1/4 of Powertools',
      `${ok(smOurs.ms <= smPt.ms / 4)} (${(smPt.ms / smOurs.ms).toFixed(1)}x faster)`,
    ],
    [
      '50 SSM SecureStrings, cold: API calls',
      String(ssmOurs.calls),
      String(ssmPt.calls),
      '<= 5',
      ok(ssmOurs.calls <= 5),
    ],
    [
      `50 SSM SecureStrings, cold: wall time (median of ${REPS})`,
      ms(ssmOurs.ms),
      ms(ssmPt.ms),
      '',
      `${(ssmPt.ms / ssmOurs.ms).toFixed(1)}x faster`,
    ],
    [
      '1000 concurrent cold reads of one name: API calls',
      String(hotOurs.calls),
      String(hotPt.calls),
      '1',
      ok(hotOurs.calls === 1),
    ],
    [
      'warm cache-hit get (ops/s)',
      fmt(opsOurs),
      fmt(opsPt),
      '>= 3x Powertools',
      `${ok(opsOurs >= 3 * opsPt)} (${(opsOurs / opsPt).toFixed(1)}x)`,
    ],
    [
      'fresh-process import of the Secrets Manager subpath (median of 9)',
      ms(importOursSm),
      ms(importPtSm),
      '',
      '',
    ],
    ['fresh-process import of the SSM subpath (median of 9)', ms(importOursSsm), ms(importPtSsm), '', ''],
    [
      '@aws-sdk modules resolved by the import / by the first call (aws-sm)',
      `${lazySm.atImport} / ${lazySm.atFirstCall}`,
      `${ptSdkAtImport} / -`,
      '0 at import',
      ok(lazySm.atImport === 0 && lazySm.atFirstCall > 0),
    ],
    [
      '@aws-sdk modules resolved by the import / by the first call (aws-ssm)',
      `${lazySsm.atImport} / ${lazySsm.atFirstCall}`,
      '',
      '0 at import',
      ok(lazySsm.atImport === 0 && lazySsm.atFirstCall > 0),
    ],
    [
      'read AWSCURRENT, then AWSPREVIOUS, of one name',
      `${oursCurrent}, ${oursPrevious}`,
      `${ptCurrent}, ${ptPrevious}`,
      'old != new',
      ok(oursPrevious === 'old'),
    ],
    [
      'AWS down after the TTL: read of a cached name',
      staleOursOutcome,
      stalePtOutcome,
      'stale served',
      ok(staleOursOutcome.startsWith('served')),
    ],
  ];
  console.log('| measure | secretsource | Powertools parameters | target | |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  await Promise.all([warmResolver.close(), vOurs.close(), staleOurs.close()]);
} finally {
  await moto.stop();
}

/**
 * `tsx bench/copy.bench.ts` (or `npm run bench copy`): copy 1000 keys from a .env into SSM on a moto
 * server this script starts, through a loopback proxy that counts every API call and can answer a
 * share of them with ThrottlingException. Side by side in one run:
 * - a plain sequential loop of PutParameter calls (the baseline);
 * - copySecrets() (plan: GetParameters; apply: PutParameter + a read-back per key);
 * - both again with 20% of requests throttled;
 * - a re-run of copySecrets() on the completed prefix (must write nothing).
 * - a bare loop of the same PutParameter calls with 8 in flight: what moto itself can absorb;
 * - the loop and copySecrets() again with 20 ms added to every call, a real region's round trip.
 * Target: copySecrets() >= 4x the sequential loop's throughput, and under throttling zero lost
 * and zero duplicated writes (every parameter present, holding its value, at version 1).
 * moto is one Python process: without throttling its own ceiling (the bare row) bounds every client.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { awsSsm } from '../providers/aws/ssm.js';
import { dotenvSource } from '../providers/dotenv.js';
import { copySecrets } from '../src/copy/index.js';
import { startMoto } from '../test/emulators/moto.start.js';

const KEYS = 1000;
const CONCURRENCY = 8;
const LATENCY_MS = 20;

const moto = await startMoto();
Object.assign(process.env, moto.env);
process.removeAllListeners('warning');
const upstream = new URL(moto.env.AWS_ENDPOINT_URL!);

/** A loopback proxy in front of moto: counts calls per operation, throttles a seeded share of them. */
async function startProxy() {
  const state = { failRate: 0, latencyMs: 0, calls: 0, throttled: 0, byOp: new Map<string, number>() };
  let seed = 0x2f6e2b1;
  const random = () => {
    // mulberry32: the same failure pattern in every run.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        const op = String(req.headers['x-amz-target'] ?? '?').replace(/^AmazonSSM\./, '');
        state.calls++;
        state.byOp.set(op, (state.byOp.get(op) ?? 0) + 1);
        if (random() < state.failRate) {
          state.throttled++;
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
          return;
        }
        const up = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
            agent,
          },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        up.end(Buffer.concat(chunks));
      }, state.latencyMs),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const reset = (failRate: number, latencyMs = 0) => {
    state.failRate = failRate;
    state.latencyMs = latencyMs;
    state.calls = 0;
    state.throttled = 0;
    state.byOp.clear();
  };
  return { url, state, reset, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const proxy = await startProxy();
const dir = await mkdtemp(join(tmpdir(), 'ss-copy-bench-'));
const values = new Map<string, string>();
for (let i = 0; i < KEYS; i++)
  values.set(`APP_KEY_${String(i).padStart(4, '0')}`, randomBytes(32).toString('base64url'));
const envFile = join(dir, '.env');
await writeFile(envFile, [...values].map(([k, v]) => `${k}=${v}\n`).join(''));

/** Checks a prefix directly on moto: each key present, holding its value, written exactly once (version 1). */
async function audit(prefix: string): Promise<{ lost: number; duplicated: number; wrong: number }> {
  const direct = awsSsm();
  const got = await direct.getMany!([...values.keys()].map((k) => prefix + k));
  let lost = 0;
  let duplicated = 0;
  let wrong = 0;
  for (const [k, v] of values) {
    const e = got.get(prefix + k);
    const record = e?.ok ? e.record : undefined;
    if (!record) lost++;
    else {
      if (record.version !== '1') duplicated++;
      if (record.value.reveal() !== v) wrong++;
    }
  }
  await direct.close?.();
  return { lost, duplicated, wrong };
}

interface Row {
  name: string;
  ms: number;
  calls: number;
  throttled: number;
  ops: string;
  lost: number;
  duplicated: number;
  note: string;
}
const rows: Row[] = [];
const ops = () => [...proxy.state.byOp].map(([op, n]) => `${op} ${n}`).join(', ');

async function sequential(label: string, failRate: number, latencyMs = 0): Promise<Row> {
  const prefix = `/bench/${randomBytes(4).toString('hex')}/`;
  proxy.reset(failRate, latencyMs);
  const client = new SSMClient({ endpoint: proxy.url, region: process.env.AWS_REGION ?? 'us-east-1' });
  let errors = 0;
  const t0 = performance.now();
  for (const [k, v] of values) {
    try {
      await client.send(
        new PutParameterCommand({ Name: prefix + k, Value: v, Type: 'SecureString', Overwrite: true }),
      );
    } catch {
      // A naive loop has nothing to do with an error but count it: the write is lost.
      errors++;
    }
  }
  const ms = performance.now() - t0;
  client.destroy();
  const row = {
    name: label,
    ms,
    calls: proxy.state.calls,
    throttled: proxy.state.throttled,
    ops: ops(),
    ...(await audit(prefix)),
    note: `${errors} errors surfaced`,
  };
  rows.push(row);
  return row;
}

/** The server's ceiling: the same PutParameter calls, CONCURRENCY in flight, no plan and no read-back. */
async function concurrentLoop(label: string): Promise<Row> {
  const prefix = `/bench/${randomBytes(4).toString('hex')}/`;
  proxy.reset(0);
  const client = new SSMClient({ endpoint: proxy.url, region: process.env.AWS_REGION ?? 'us-east-1' });
  const entries = [...values];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < entries.length) {
        const [k, v] = entries[next++]!;
        await client.send(
          new PutParameterCommand({ Name: prefix + k, Value: v, Type: 'SecureString', Overwrite: true }),
        );
      }
    }),
  );
  const ms = performance.now() - t0;
  client.destroy();
  const row = {
    name: label,
    ms,
    calls: proxy.state.calls,
    throttled: 0,
    ops: ops(),
    ...(await audit(prefix)),
    note: "moto's ceiling: writes only",
  };
  rows.push(row);
  return row;
}

async function ours(
  label: string,
  failRate: number,
  prefix = `/bench/${randomBytes(4).toString('hex')}/`,
  latencyMs = 0,
) {
  proxy.reset(failRate, latencyMs);
  const to = awsSsm({ endpoint: proxy.url });
  const t0 = performance.now();
  const report = await copySecrets({
    from: dotenvSource({ path: envFile }),
    to,
    toPrefix: prefix,
    apply: true,
    concurrency: CONCURRENCY,
  });
  const ms = performance.now() - t0;
  await to.close?.();
  const row = {
    name: label,
    ms,
    calls: proxy.state.calls,
    throttled: proxy.state.throttled,
    ops: ops(),
    ...(await audit(prefix)),
    note: `${report.writes} written, ${report.counts.unchanged} unchanged, ${report.failed} failed, ok=${report.ok}`,
  };
  rows.push(row);
  return { row, prefix };
}

// Warm-up: the SDK's first-call costs (module load, credential chain) stay out of the table.
await ours('warm-up', 0);
rows.length = 0;

const base = await sequential('sequential PutParameter loop', 0);
await concurrentLoop(`bare PutParameter, ${CONCURRENCY} in flight`);
const mine = await ours(`copySecrets (concurrency ${CONCURRENCY})`, 0);
await ours('copySecrets re-run (idempotent)', 0, mine.prefix);
const baseThrottled = await sequential('sequential loop, 20% throttled', 0.2);
const mineThrottled = await ours(`copySecrets, 20% throttled`, 0.2);

// With the round trip of a real region (20 ms added per call), moto's own speed stops being the limit.
const baseFar = await sequential('sequential loop, +20 ms per call', 0, LATENCY_MS);
const mineFar = await ours('copySecrets, +20 ms per call', 0, undefined, LATENCY_MS);

const kps = (r: Row) => (KEYS / r.ms) * 1000;
console.log(`copy ${KEYS} keys from a .env into SSM on moto (one run, Node ${process.version})\n`);
console.log(
  '| run | wall time | keys/s | vs loop | API calls (throttled) | calls by operation | lost | duplicated | notes |',
);
console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |');
for (const r of rows) {
  const ref = r.name.includes('throttled') ? baseThrottled : r.name.includes('+20 ms') ? baseFar : base;
  console.log(
    `| ${r.name} | ${(r.ms / 1000).toFixed(2)} s | ${kps(r).toFixed(0)} | ${(kps(r) / kps(ref)).toFixed(2)}x | ${r.calls} (${r.throttled}) | ${r.ops} | ${r.lost} | ${r.duplicated} | ${r.note} |`,
  );
}
const speedup = kps(mine.row) / kps(base);
const speedupThrottled = kps(mineThrottled.row) / kps(baseThrottled);
const speedupFar = kps(mineFar.row) / kps(baseFar);
console.log(
  `\ntarget >= 4x the loop: ${speedup.toFixed(2)}x ${speedup >= 4 ? 'met' : 'NOT met'} (throttled: ${speedupThrottled.toFixed(2)}x, +${LATENCY_MS} ms per call: ${speedupFar.toFixed(2)}x); ` +
    `under throttling ${mineThrottled.row.lost} lost, ${mineThrottled.row.duplicated} duplicated ${mineThrottled.row.lost + mineThrottled.row.duplicated === 0 ? '(met)' : '(NOT met)'}`,
);

await proxy.close();
await moto.stop();
await rm(dir, { recursive: true, force: true });

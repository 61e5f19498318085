/**
 * The fleet test (issue 16). Four app processes (test/fleet/app.ts) hold a live key ring on one key,
 * in Secrets Manager on moto and in the Vault emulator. A driver has every process sign tokens and
 * sends each to a random other process to verify, continuously, while the CLI rotates the key in
 * another process. It asserts:
 *   - no valid token is rejected during a rotation;
 *   - after `rotate --revoke-previous`, every process rejects tokens of the revoked key from its first
 *     ring read that started after the revocation on: no old-key token is accepted once that read is
 *     installed, and none after the process rejected one. "After" is the CLI's audit record of the
 *     revocation, which it writes as soon as the store has taken it. The rings' own schedule reads
 *     at most refreshMs apart (test/keys/live-ring.test.ts proves it on a fake clock), so this is the
 *     issue's "within refreshMs + 1 s" without asserting a wall-clock figure, which a loaded machine
 *     can stretch; the measured figures are printed beside the bound;
 *   - 10,000 tokens with unknown kids cause at most one store read per cooldown per process;
 *   - store calls per process per minute, printed and bounded by the ring's own schedule.
 * refreshMs and cooldownMs are short so the run takes seconds; the bounds scale with them. Waits
 * end on an event; HANG_LIMIT_MS only stops a wait that would otherwise never end.
 */
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { startVaultEmulator, type VaultEmulator } from '../../src/testing/emulators/vault.js';
import { type StartedAws, startMoto } from '../emulators/moto.start.js';
import type { AppReply, AppRequest, StoreName } from './protocol.js';

const ROOT = join(import.meta.dirname, '..', '..');
/**
 * The CLI and the app, bundled from the current source once per run (as the package build does):
 * each process then starts in a fraction of a second instead of compiling TypeScript for seconds.
 * Inside node_modules so the external packages (jose, the store SDKs) resolve from the repository.
 */
const BUNDLE = join(ROOT, 'node_modules', '.cache', `secretsource-fleet-${process.pid}`);
const APPS = 4;
const REFRESH_MS = 2000;
const COOLDOWN_MS = 500;
const GRACE_MS = 10 * 60_000;
const FORGED = 10_000;
/**
 * Hang limit, not a performance bound: the longest any wait for an expected event (every process
 * signing with the new key, every process rejecting the revoked one) may take before the test
 * fails instead of hanging. Generous for a loaded 2-core machine; a healthy run needs a few seconds.
 */
const HANG_LIMIT_MS = 60_000;
/** Hang limits of the setup (bundle, four processes) and of one store's scenario; a few seconds each when idle. */
const SETUP_HANG_LIMIT_MS = 120_000;
const SCENARIO_HANG_LIMIT_MS = 240_000;
/**
 * The stores are this test's own: a moto server and a Vault emulator started here, so the rest of
 * the suite (10,000-call load tests, moto loading Parameter Store's defaults for seconds) cannot stall
 * the reads whose timing is asserted.
 */
const stores: { aws?: StartedAws; vault?: VaultEmulator } = {};
const awsEnv = () => stores.aws!.env;
const vaultEnv = () => ({ VAULT_ADDR: stores.vault!.address, VAULT_TOKEN: stores.vault!.rootToken });

class App {
  readonly #pending = new Map<number, (r: AppReply) => void>();
  #next = 1;
  constructor(
    readonly index: number,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (m: AppReply) => {
      this.#pending.get(m.id)?.(m);
      this.#pending.delete(m.id);
    });
  }
  call(req: DistributiveOmit<AppRequest, 'id'>): Promise<AppReply> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.proc.send({ ...req, id });
    });
  }
}
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

async function startApp(index: number): Promise<App> {
  const proc = fork(join(BUNDLE, 'app.mjs'), [], {
    cwd: ROOT,
    env: { ...process.env, ...awsEnv() },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    proc.once('message', () => resolve());
    proc.once('exit', (code) => reject(new Error(`app ${index} exited with ${code} before it was ready`)));
  });
  return new App(index, proc);
}

/** The real CLI in its own process, as an operator or a cron job runs it. */
async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(BUNDLE, 'cli.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...awsEnv(), ...env },
    timeout: HANG_LIMIT_MS,
  });
  return stdout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = (n: number, not?: number) => {
  for (;;) {
    const i = Math.floor(Math.random() * n);
    if (i !== not) return i;
  }
};

interface Verdict {
  kid: string;
  ok: boolean;
  code: string | undefined;
  at: number;
}

/** Sign in a random process, verify in a random other one, `workers` pairs at a time (each every 10 ms at most), until stopped. */
function traffic(apps: App[], store: StoreName, workers = 6) {
  const verdicts: Verdict[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const from = pick(apps.length);
      const signed = await apps[from]!.call({ type: 'sign', store });
      if (!signed.ok) throw new Error(`app ${from} could not sign: ${signed.code}`);
      const to = pick(apps.length, from);
      const v = await apps[to]!.call({ type: 'verify', store, token: signed.token! });
      verdicts.push({ kid: signed.kid!, ok: v.ok, code: v.code, at: performance.now() });
      // Continuous, but paced: the test should not be what loads a shared 2-core machine.
      await sleep(10);
    }
  });
  return {
    verdicts,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

interface Stats {
  calls: Record<string, number>;
  triggers: Record<string, number>;
  elapsedMs: number;
}
const stats = async (app: App, store: StoreName) =>
  (await app.call({ type: 'stats', store })) as AppReply & Stats;

const report: string[] = [];

async function scenario(apps: App[], store: StoreName): Promise<void> {
  const name = `fleet/${randomBytes(4).toString('hex')}/jwt`;
  const ref = `${store}:${name}`;
  const env: Record<string, string> = store === 'vault' ? vaultEnv() : {};
  const t0 = performance.now();
  const line = (s: string) =>
    report.push(`[${store} +${((performance.now() - t0) / 1000).toFixed(1)}s] ${s}`);
  // The first key, written in this process (the CLI rotates it below).
  const source =
    store === 'aws-sm'
      ? awsSecretsManager({ env: awsEnv() })
      : hashicorpVault({ endpoint: stores.vault!.address, token: stores.vault!.rootToken });
  await rotateSecret(source, ref, { create: true });
  await source.close?.();
  await Promise.all(
    apps.map((a) =>
      a.call({
        type: 'open',
        store,
        ref,
        ring: { graceMs: GRACE_MS, refreshMs: REFRESH_MS, cooldownMs: COOLDOWN_MS },
        vaultAddr: stores.vault!.address,
        vaultToken: stores.vault!.rootToken,
      }),
    ),
  );
  // The kid each process signs with (or why it cannot sign).
  const kids = async () =>
    Promise.all(
      apps.map(async (a) => {
        const r = await a.call({ type: 'sign', store });
        return r.kid ?? `cannot sign: ${r.code}`;
      }),
    );
  const [k1] = await kids();
  line(`4 rings open on ${ref}, all signing with ${k1}`);

  // 1. A regular rotation under continuous cross-process traffic.
  const rotation = traffic(apps, store);
  await sleep(1000);
  const rotated = JSON.parse(await cli(['rotate', ref, '--format', 'json'], env)) as {
    kid: string;
    version: string;
  };
  line(`CLI rotated: version ${rotated.version}, kid ${rotated.kid}`);
  const switchHang = performance.now() + HANG_LIMIT_MS;
  while ((await kids()).some((k) => k !== rotated.kid) && performance.now() < switchHang) await sleep(50);
  await sleep(300);
  await rotation.stop();
  const rejected = rotation.verdicts.filter((v) => !v.ok);
  const byKid = (kid: string) => rotation.verdicts.filter((v) => v.kid === kid).length;
  line(
    `rotation: ${rotation.verdicts.length} tokens verified across processes (${byKid(k1!)} old key, ${byKid(rotated.kid)} new key), ${rejected.length} rejected`,
  );
  expect(rejected).toEqual([]);
  const signers = await kids();
  if (signers.some((k) => k !== rotated.kid)) {
    const failed = await Promise.all(
      apps.map(async (a) => (await stats(a, store)).reads!.filter((r) => !r.ok).map((r) => r.code)),
    );
    line(
      `not every process signs with the new key: ${signers.join(', ')}; failed reads ${JSON.stringify(failed)}`,
    );
  }
  expect(signers).toEqual(Array(APPS).fill(rotated.kid));
  expect(byKid(k1!)).toBeGreaterThan(0);
  expect(byKid(rotated.kid)).toBeGreaterThan(0);

  // 2. Emergency revocation: tokens of the revoked key must stop verifying everywhere within refreshMs + 1 s.
  const oldTokens = await Promise.all(apps.map(async (a) => (await a.call({ type: 'sign', store })).token!));
  const during = traffic(apps, store, 4);
  const firstReject = new Array<number | undefined>(APPS).fill(undefined);
  const lastAccept = new Array<number | undefined>(APPS).fill(undefined);
  let acceptedAfterReject = 0;
  let probing = true;
  const probes = apps.map(async (a, i) => {
    while (probing) {
      const v = await a.call({ type: 'verify', store, token: oldTokens[(i + 1) % APPS]! });
      if (!v.ok) firstReject[i] ??= v.at!;
      else {
        lastAccept[i] = v.at!;
        if (firstReject[i] !== undefined) acceptedAfterReject++;
      }
      await sleep(20);
    }
  });
  const audit = join(BUNDLE, `audit-${store}.jsonl`);
  const revoked = JSON.parse(
    await cli(['rotate', ref, '--revoke-previous', '--format', 'json', '--audit-log', audit], env),
  ) as { kid: string; version: string; revoked: string[] };
  const cliExit = Date.now();
  const records = readFileSync(audit, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { time: string; action: string; versions?: string[] });
  // The revocation is done in the store when the CLI records it; it started after the write's record.
  const writtenAt = Date.parse(records.find((r) => r.action === 'rotate')!.time);
  const revocation = records.find((r) => r.action === 'revoke')!;
  const revokedAt = Date.parse(revocation.time);
  expect(revocation.versions).toEqual(revoked.revoked);
  while (firstReject.some((t) => t === undefined) && Date.now() - revokedAt < HANG_LIMIT_MS) await sleep(20);
  await sleep(200);
  probing = false;
  await Promise.all(probes);
  await during.stop();
  // The first read of each ring that started after the revocation (+1: the record's time is whole ms).
  const reads = await Promise.all(apps.map(async (a) => (await stats(a, store)).reads!));
  const firstAfter = reads.map((rs) => rs.find((r) => r.ok && r.startedAt > revokedAt + 1));
  const latencies = firstReject.map((t) => (t === undefined ? Number.POSITIVE_INFINITY : t - revokedAt));
  const within = latencies.filter((l) => l <= REFRESH_MS + 1000).length;
  line(
    `CLI revoked ${revoked.revoked.join(', ')} and wrote ${revoked.version} (kid ${revoked.kid}); old-key tokens rejected by each process ${latencies.join(', ')} ms after the revocation (${within} of ${APPS} within refreshMs + 1 s = ${REFRESH_MS + 1000} ms; ${latencies.map((l) => l + revokedAt - writtenAt).join(', ')} ms after the new key's write; the CLI exited ${cliExit - revokedAt} ms after the revocation)`,
  );
  line(
    `first ring read after the revocation, per process: ${firstAfter.map((r) => (r ? `${r.trigger} started +${r.startedAt - revokedAt} ms, installed +${r.endedAt - revokedAt} ms` : 'none')).join('; ')}`,
  );
  const newRejected = during.verdicts.filter((v) => v.kid === revoked.kid && !v.ok);
  line(
    `revocation: ${during.verdicts.filter((v) => v.kid === revoked.kid).length} new-key tokens verified, ${newRejected.length} rejected; ${acceptedAfterReject} old-key tokens accepted after a process had rejected one`,
  );
  for (const [i, read] of firstAfter.entries()) {
    // Every process rejected the revoked key, and accepted none once a read after the revocation was in.
    expect(firstReject[i]).toBeDefined();
    expect(read).toBeDefined();
    if (lastAccept[i] !== undefined) expect(lastAccept[i]).toBeLessThanOrEqual(read!.endedAt);
  }
  expect(acceptedAfterReject).toBe(0);
  expect(newRejected).toEqual([]);

  // 3. A flood of 10,000 tokens with unknown kids: at most one store read per cooldown per process.
  // Well-formed HS256 tokens whose kid no store holds (the signature cannot matter: no key is found).
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const forged = Array.from(
    { length: FORGED },
    () =>
      `${b64({ alg: 'HS256', kid: `k_${randomBytes(8).toString('hex')}` })}.${b64({ sub: 'mallory' })}.${randomBytes(32).toString('base64url')}`,
  );
  const floodStart = Date.now();
  const verdicts = await Promise.all(
    apps.map(async (a, i) => {
      const tokens = forged.filter((_, j) => j % APPS === i);
      const { accepted } = await a.call({ type: 'flood', store, tokens });
      return { accepted: accepted!, ms: Date.now() - floodStart };
    }),
  );
  const after = await Promise.all(apps.map((a) => stats(a, store)));
  // Reads for unknown kids that started during the flood (one still under way is not in the log).
  const kidReads = after.map(
    (s, i) =>
      s.reads!.filter(
        (r) =>
          r.trigger === 'unknown-kid' &&
          r.startedAt >= floodStart &&
          r.startedAt <= floodStart + verdicts[i]!.ms,
      ).length,
  );
  // Reads for unknown kids start at least cooldownMs apart; +2 ms: start times are whole-ms estimates.
  const allowed = verdicts.map((v) => Math.floor((v.ms + 2) / COOLDOWN_MS) + 1);
  line(
    `flood: ${FORGED} forged tokens, ${verdicts.reduce((n, v) => n + v.accepted, 0)} accepted; unknown-kid reads per process ${kidReads.join(', ')} in ${verdicts.map((v) => Math.round(v.ms)).join(', ')} ms (at most ${allowed.join(', ')}: one per ${COOLDOWN_MS} ms cooldown)`,
  );
  for (const [i, v] of verdicts.entries()) {
    expect(v.accepted).toBe(0);
    expect(kidReads[i]).toBeLessThanOrEqual(allowed[i]!);
  }

  // 4. Store calls per process per minute, against the schedule's own bound.
  for (const [i, s] of after.entries()) {
    const minutes = s.elapsedMs / 60_000;
    const listings = s.calls.versions ?? 0;
    const values = s.calls.get ?? 0;
    const reads = s.reads!;
    const scheduled = reads.filter((r) => r.trigger === 'schedule').length;
    // A background read is scheduled 60-90% of refreshMs after the previous read ends (a loaded
    // machine only makes that later); unknown kids add at most one read per cooldown (step 3).
    const maxScheduled = 1 + s.elapsedMs / (0.6 * REFRESH_MS);
    const byTrigger = Object.entries(s.triggers)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    line(
      `app ${i}: ${listings} version listings + ${values} value reads in ${(s.elapsedMs / 1000).toFixed(1)} s = ${Math.round((listings + values) / minutes)} store calls/min (ring reads: ${byTrigger}; schedule bound ${Math.round(maxScheduled / minutes)} background reads/min)`,
    );
    expect(scheduled).toBeLessThanOrEqual(maxScheduled);
    // One version listing per ring read and no other (one read may still be under way).
    expect(listings).toBeGreaterThanOrEqual(reads.length);
    expect(listings).toBeLessThanOrEqual(reads.length + 1);
    // Each version's value is read once per process, ever: three versions in this scenario.
    expect(values).toBeLessThanOrEqual(3);
  }
}

describe('fleet: four processes, one key, rotations by the CLI', () => {
  let apps: App[] = [];
  beforeAll(async () => {
    mkdirSync(BUNDLE, { recursive: true });
    const started = Promise.all([
      startMoto().then((m) => {
        stores.aws = m;
      }),
      startVaultEmulator().then((v) => {
        stores.vault = v;
      }),
    ]);
    await build({
      entryPoints: { cli: join(ROOT, 'src/cli/bin.ts'), app: join(ROOT, 'test/fleet/app.ts') },
      outdir: BUNDLE,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    await started;
    apps = await Promise.all(Array.from({ length: APPS }, (_, i) => startApp(i)));
  }, SETUP_HANG_LIMIT_MS);
  afterAll(async () => {
    for (const a of apps) a.proc.kill();
    await Promise.allSettled([stores.aws?.stop(), stores.vault?.stop()]);
    rmSync(BUNDLE, { recursive: true, force: true });
    console.log(`\n${report.join('\n')}\n`);
  });

  it(
    'Secrets Manager (moto)',
    async () => {
      await scenario(apps, 'aws-sm');
    },
    SCENARIO_HANG_LIMIT_MS,
  );

  it(
    'Vault (emulator)',
    async () => {
      await scenario(apps, 'vault');
    },
    SCENARIO_HANG_LIMIT_MS,
  );
});

/**
 * `secretsource copy --apply` killed with SIGKILL half-way, then run again: the target ends complete,
 * with no lost and no duplicated writes. The CLI runs as a real process against a Vault emulator
 * of this test's own (slowed down, so there is a half-way to kill it at), from a generated .env.
 * "No duplicates" is read from Vault itself: every key holds exactly one version.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashicorpVault } from '../../providers/vault/index.js';
import { startVaultEmulator, type VaultEmulator } from '../../src/testing/emulators/vault.js';
import { capture } from '../helpers/capture.js';

const N = 120;
const bin = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
// `--import tsx` resolves from the child's cwd (a temp dir): name the loader by its file URL instead.
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

let vault: VaultEmulator;
let dir: string;
const values = new Map<string, string>();

beforeAll(async () => {
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
  vault = await startVaultEmulator();
  dir = mkdtempSync(join(tmpdir(), 'secretsource-copy-kill-'));
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const name = `ITEM_${String(i).padStart(3, '0')}`;
    const value = randomBytes(32).toString('base64url');
    values.set(name, value);
    lines.push(`${name}=${value}`);
  }
  writeFileSync(join(dir, '.env'), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await vault.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes of `app/<name>` the emulator received (KV v2 data writes). */
const writes = () =>
  vault.requests.filter(
    (r) => (r.method === 'POST' || r.method === 'PUT') && /^secret\/data\/app\//.test(r.path),
  );

function copyProcess(extra: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      tsxLoader,
      bin,
      'copy',
      'dotenv:.env',
      'vault:app/',
      '--apply',
      '--concurrency',
      '4',
      '--audit-log',
      'audit.jsonl',
      ...extra,
    ],
    {
      cwd: dir,
      env: { PATH: process.env.PATH, VAULT_ADDR: vault.address, VAULT_TOKEN: vault.rootToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function finish(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.once('exit', (c, s) => resolve([c, s])),
  );
  return { code, signal, out, err };
}

describe('copy --apply killed with SIGKILL half-way', () => {
  it('a re-run completes it: every key once, with its value, and no key written twice', async () => {
    // Slow enough that a kill lands in the middle, fast enough for a test of seconds.
    vault.setLatency(40);
    const first = copyProcess();
    const done = finish(first);
    const deadline = Date.now() + 60_000;
    while (writes().length < N / 3 && Date.now() < deadline && first.exitCode === null) {
      await new Promise((r) => setTimeout(r, 5));
    }
    first.kill('SIGKILL');
    const killed = await done;
    capture('copy-kill.log', '--- first run (SIGKILL)', killed.out, killed.err);
    expect(killed.signal).toBe('SIGKILL');
    const landedBefore = writes().length;
    // Really half-way: some keys written, not all.
    expect(landedBefore).toBeGreaterThanOrEqual(N / 3);
    expect(landedBefore).toBeLessThan(N);

    vault.setLatency(0);
    const second = await finish(copyProcess(['--format', 'json']));
    capture('copy-kill.log', '--- second run', second.out, second.err);
    expect(second.code, second.err).toBe(0);
    const report = JSON.parse(second.out) as { counts: Record<string, number> };
    const counts = report.counts;
    // What landed before the kill is found unchanged; only the rest is created.
    expect((counts.unchanged ?? 0) + (counts.create ?? 0)).toBe(N);
    expect(counts.unchanged ?? 0).toBeGreaterThanOrEqual(1);
    expect(counts.create ?? 0).toBeGreaterThanOrEqual(1);

    // The target is complete and right, and Vault holds one version per key: nothing written twice.
    const reader = hashicorpVault({ endpoint: vault.address, token: vault.rootToken });
    const listed: string[] = [];
    for await (const m of reader.list!({ prefix: 'app/' })) listed.push(m.name);
    expect(listed.sort()).toEqual([...values.keys()].map((k) => `app/${k}`).sort());
    for (const [name, value] of values) {
      expect((await reader.get(`app/${name}`))?.value.reveal()).toBe(value);
      const versions: unknown[] = [];
      for await (const v of reader.versions!(`app/${name}`)) versions.push(v);
      expect(versions, name).toHaveLength(1);
    }

    // The audit log (both runs) never claims two writes of one key, and never holds a value.
    const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
    const written = audit
      .map((l) => JSON.parse(l) as { action?: string; outcome?: string; name?: string })
      .filter((e) => e.action === 'write' && e.outcome === 'ok')
      .map((e) => e.name);
    expect(new Set(written).size).toBe(written.length);
    for (const value of values.values()) expect(audit.join('\n')).not.toContain(value);

    // A third run writes nothing at all.
    const before = writes().length;
    const third = await finish(copyProcess(['--format', 'json']));
    expect(third.code, third.err).toBe(0);
    expect((JSON.parse(third.out) as { counts: Record<string, number> }).counts.unchanged).toBe(N);
    expect(writes().length).toBe(before);
  }, 120_000);
});

/**
 * What the CLI halves of the hostile-peer suite share: the built binary run in its own process
 * (under GNU time for its peak memory, with a watchdog), the CLI run in this process with a
 * recording io, the stores' standard variables for a peer, and a pool of peers stopped at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { type Behaviour, type Flavor, type Peer, startPeer } from './hostile.js';

export const root = join(import.meta.dirname, '..', '..');
export const bin = join(root, 'dist', 'src', 'cli', 'bin.js');
/** A run that does not end within this is a hang: the watchdog kills it and the test fails. */
export const WATCHDOG_MS = 60_000;
/** The timeout of a test that runs the binary: past the watchdog, so the watchdog always acts first. */
export const BINARY_TEST_MS = WATCHDOG_MS + 15_000;
/** Peak memory a run may reach, in KB: a few times what the CLI needs to start. */
export const MAX_RSS_KB = 250 * 1024;

export interface Run {
  code: number | null;
  /** Why the run was killed, if it was. */
  killed: string | undefined;
  stdout: string;
  stderr: string;
  maxRssKb: number;
}

/** Resident memory of `pid`'s child processes in KB (the CLI under GNU time), read from /proc. */
function childrenRssKb(pid: number): number {
  try {
    let kb = 0;
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ')) {
      if (child.trim() === '') continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.trim()}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    }
    return kb;
  } catch {
    return 0; // Gone already.
  }
}

/**
 * Runs the built CLI under GNU time (peak RSS) with `env`, in its own process group. The group is
 * killed at the watchdog, or as soon as the CLI holds twice the memory bound (a regression that
 * reads without end must not take the shared machine's memory while the test waits), and the
 * case's own timeout is longer than the watchdog, so no run outlives its test.
 */
export function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS=%M', process.execPath, bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed: string | undefined;
    const kill = (why: string) => {
      killed ??= why;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const watchdog = setTimeout(() => kill(`still running after ${WATCHDOG_MS} ms`), WATCHDOG_MS);
    const guard = setInterval(() => {
      if (child.pid !== undefined && childrenRssKb(child.pid) > 2 * MAX_RSS_KB)
        kill('over twice the memory bound');
    }, 100);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('close', (code) => {
      clearTimeout(watchdog);
      clearInterval(guard);
      const rss = /MAXRSS=(\d+)/.exec(stderr);
      resolve({
        code,
        killed,
        stdout,
        stderr: stderr.replace(/MAXRSS=\d+\s*$/, ''),
        maxRssKb: rss ? Number(rss[1]) : Number.POSITIVE_INFINITY,
      });
    });
  });
}

/** A run that ended by itself, failing with `code` in its output, within the memory bound. */
export function expectCoded(r: Run, code: string): void {
  expect(r.killed, r.stderr).toBeUndefined();
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stderr).toContain(code);
  expect(r.maxRssKb).toBeLessThan(MAX_RSS_KB);
}

export const aws = (peer: Peer) => ({
  AWS_ENDPOINT_URL: peer.url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
});
export const vault = (peer: Peer, caFile?: string) => ({
  VAULT_ADDR: peer.url,
  VAULT_TOKEN: 'hostile-test-token',
  ...(caFile ? { VAULT_CACERT: caFile } : {}),
});

/** Store calls the peer saw (token bookkeeping aside). */
export const storeCalls = (p: Peer) => p.requests.filter((r) => !r.path.includes('/auth/token/')).length;

/** Runs the CLI in this process; resolves to its exit code and what it printed on stderr. */
export async function inProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  const io = memoryIo({ env: { HOME: tmpdir(), ...env } });
  const code = await runCli(args, io);
  return { code, stderr: io.stderrText };
}

export const hang: Behaviour = { kind: 'hang' };
export const trickle: Behaviour = { kind: 'trickle', everyMs: 50 };
/** `run` with a child that does nothing: only the resolving is under test. */
export const runNode = ['run', '--', process.execPath, '-e', '0'];

/** Registers a pool of peers for the calling file: `peer()` starts one, all stop after the file. */
export function peerPool(): { peer(flavor: Flavor, tls?: boolean): Promise<Peer>; caFile(): string } {
  const peers: Peer[] = [];
  let caFile = '';
  const peer = async (flavor: Flavor, tls = false) => {
    const p = await startPeer({ flavor, tls });
    peers.push(p);
    return p;
  };
  beforeAll(async () => {
    // One certificate serves every https peer of the run.
    const ca = (await peer('vault', true)).ca;
    caFile = join(mkdtempSync(join(tmpdir(), 'ss-hostile-cli-')), 'ca.pem');
    writeFileSync(caFile, ca ?? '');
    await warmUp(peer);
  });
  afterAll(() => Promise.all(peers.map((p) => p.stop())));
  return { peer, caFile: () => caFile };
}

/**
 * One answered call per store client, in this process, before the cases: the SDKs and the modules
 * they load on their first request (credential providers, node-vault) are then in the module cache,
 * so a case's short deadline is spent on the call the peer holds, not on a cold import on a loaded
 * machine. Run under a long deadline; it asserts each call reached its peer.
 */
async function warmUp(peer: (flavor: Flavor) => Promise<Peer>): Promise<void> {
  const [v, a] = await Promise.all([peer('vault'), peer('aws')]);
  const saved = process.env.SECRETSOURCE_TIMEOUT_MS;
  process.env.SECRETSOURCE_TIMEOUT_MS = '60000';
  try {
    for (const [p, env, ref] of [
      [v, vault(v), 'vault:app/jwt'],
      [a, aws(a), 'aws-sm:app/jwt'],
      [a, aws(a), 'aws-ssm:/app/jwt'],
    ] as const) {
      const before = storeCalls(p);
      await inProcess(['get', ref], env);
      expect(storeCalls(p), `warm-up ${ref}`).toBeGreaterThan(before);
    }
  } finally {
    if (saved === undefined) delete process.env.SECRETSOURCE_TIMEOUT_MS;
    else process.env.SECRETSOURCE_TIMEOUT_MS = saved;
  }
}

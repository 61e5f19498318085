/**
 * The CLI half of the hostile-peer suite, refusals: a redirect (to another origin, or from https to
 * http), a listing that never ends, and an answer far larger than any store sends, each through a
 * command that calls a store, in this process (see hostile-cli.test.ts for the timing cases and
 * the binary runs).
 */
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import type { Flavor, Peer } from './hostile.js';
import { aws, inProcess, peerPool, runNode, storeCalls, vault } from './hostile-cli.js';

// The CLI reads its deadlines from the process environment; this file's worker is its own process.
// These cases test refusals, not time: a call deadline no loaded machine reaches, and a listing
// deadline that ends an endless listing in seconds yet leaves a loaded machine (this worker also
// pumps 256 MiB answers) time for more than one page: at 3 s, one page was all a loaded run got.
process.env.SECRETSOURCE_TIMEOUT_MS = '20000';
process.env.SECRETSOURCE_LIST_TIMEOUT_MS = '10000';

const { peer, caFile } = peerPool();

describe.concurrent('CLI commands against redirects, endless listings and oversized answers', () => {
  const redirects: Array<[string, string[], Flavor, boolean]> = [
    ['get (vault, https to http)', ['get', 'vault:app/jwt'], 'vault', true],
    ['rotate (vault, https to http)', ['rotate', 'vault:app/jwt'], 'vault', true],
    ['check (vault, other origin)', ['check', 'vault:app/jwt'], 'vault', false],
    ['get (aws-sm, other origin)', ['get', 'aws-sm:app/jwt'], 'aws', false],
    ['run (aws-ssm, other origin)', runNode, 'aws', false],
    ['copy (aws-ssm, other origin)', ['copy', 'aws-ssm:/app/', 'memory:'], 'aws', false],
  ];
  for (const [label, args, flavor, tls] of redirects) {
    it(`${label}: a redirect is ERR_SOURCE_MISCONFIGURED, nothing reaches the other origin`, async () => {
      const [p, other] = await Promise.all([peer(flavor, tls), peer(flavor)]);
      p.behave({ kind: 'redirect', to: other.url });
      const env =
        flavor === 'aws' ? { ...aws(p), JWT: 'aws-ssm:/app/jwt' } : vault(p, tls ? caFile() : undefined);
      const r = await inProcess(args, env);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('ERR_SOURCE_MISCONFIGURED');
      expect(storeCalls(p)).toBeGreaterThan(0);
      expect(other.requests).toEqual([]);
      await p.drained();
    });
  }

  for (const [label, flavor, env, from, token] of [
    ['vault', 'vault', vault, 'vault:app/', 'new'],
    ['aws-ssm', 'aws', aws, 'aws-ssm:/app/', 'new'],
    ['aws-sm', 'aws', aws, 'aws-sm:app/', 'same'],
  ] as const) {
    it(`copy: a ${label} listing that never ends (${token} token) stops with a coded error`, async () => {
      const p = await peer(flavor);
      p.behave({ kind: 'pages', token });
      const r = await inProcess(['copy', from, 'memory:'], env(p));
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/ERR_SOURCE_(TIMEOUT|UNAVAILABLE)/);
      // Past the first page (the listing was followed), then stopped by the page cap (1000), a
      // repeated token or the listing deadline: never endless. How many pages fit in the deadline
      // depends on the machine's load, so only "more than one" is asserted below the cap.
      expect(storeCalls(p)).toBeGreaterThan(1);
      expect(storeCalls(p)).toBeLessThanOrEqual(1001);
      await p.drained();
    });
  }

  for (const [flavor, env, args] of [
    ['vault', vault, ['get', 'vault:app/jwt']],
    ['aws', aws, ['get', 'aws-sm:app/jwt']],
    ['aws', (p: Peer) => ({ ...aws(p), JWT: 'aws-sm:app/jwt' }), runNode],
    ['vault', vault, ['check', 'vault:app/jwt']],
  ] as const) {
    it(`${args[0]} (${flavor}): an answer of 256 MiB is refused, not read`, async () => {
      const p = await peer(flavor);
      p.behave({ kind: 'oversized', bytes: 256 * 1024 * 1024 });
      const r = await inProcess([...args], env(p));
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('ERR_SOURCE_UNAVAILABLE');
      expect(r.stderr).toContain('larger than');
      await p.drained();
      // What the peer got out before the client closed: the cap plus socket buffers.
      expect(p.bytesSent()).toBeLessThan(32 * 1024 * 1024);
    });
  }
});

// In this process: Node 20 itself reads a script's `--env-file PATH` argument, unbounded, before
// any of our code runs (nodejs/node#54232), so the binary cannot show our bound on this one.
it('check: --env-file /dev/zero is refused at the .env size cap', async () => {
  const io = memoryIo({ env: {} });
  expect(await runCli(['check', '--env-file', '/dev/zero'], io)).toBe(1);
  expect(io.stdoutText + io.stderrText).toContain('DOTENV_TOO_LARGE');
});

/**
 * The hostile-peer suite through the CLI: every command that calls a store (get, check, run, copy,
 * rotate), pointed at a hostile peer by the stores' standard variables, must fail with a coded
 * error, send nothing to another origin, and leave no connection open when it returns (counted by
 * the peer), which is what lets the process exit. The matrix runs in this process (`runCli` with a
 * recording io: no start-up cost per case); a few cases run the built binary in its own process to
 * show it exits by itself within a bounded peak memory (measured by the OS). Azure Key Vault is
 * covered by the library suite only: its CLI source authenticates with DefaultAzureCredential
 * against Entra ID and checks the challenge's host, which no loopback peer can satisfy.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Behaviour, Flavor, Peer } from './hostile.js';
import {
  aws,
  BINARY_TEST_MS,
  bin,
  cli,
  expectCoded,
  hang,
  inProcess,
  MAX_RSS_KB,
  peerPool,
  runNode,
  storeCalls,
  trickle,
  vault,
} from './hostile-cli.js';

// The CLI reads its deadlines from the process environment; this file's worker is its own process.
// Short next to a hang; long enough for a loaded machine to reach the peer inside it (asserted).
process.env.SECRETSOURCE_TIMEOUT_MS = '2000';

const { peer } = peerPool();

// Each case has its own peers, so the cases run side by side (most of their time is waiting).
describe.concurrent('CLI commands against a peer that never answers or trickles', () => {
  const cases: Array<[string, Flavor, Behaviour, (p: Peer) => Record<string, string>, string[]]> = [
    ['get (vault, no answer)', 'vault', hang, vault, ['get', 'vault:app/jwt']],
    ['get (aws-sm, trickle)', 'aws', trickle, aws, ['get', 'aws-sm:app/jwt']],
    ['check (aws-ssm, no answer)', 'aws', hang, aws, ['check', 'aws-ssm:/app/jwt']],
    ['check (vault, trickle)', 'vault', trickle, vault, ['check', 'vault:app/jwt']],
    ['run (vault, trickle)', 'vault', trickle, (p) => ({ ...vault(p), JWT: 'vault:app/jwt' }), runNode],
    ['run (aws-sm, no answer)', 'aws', hang, (p) => ({ ...aws(p), JWT: 'aws-sm:app/jwt' }), runNode],
    ['copy (aws-sm, no answer)', 'aws', hang, aws, ['copy', 'aws-sm:app/', 'memory:']],
    ['copy (vault, trickle)', 'vault', trickle, vault, ['copy', 'vault:app/', 'memory:']],
    ['rotate (vault, no answer)', 'vault', hang, vault, ['rotate', 'vault:app/jwt']],
    ['rotate (aws-ssm, trickle)', 'aws', trickle, aws, ['rotate', 'aws-ssm:/app/jwt']],
  ];
  for (const [label, flavor, behaviour, env, args] of cases) {
    it(`${label}: ERR_SOURCE_TIMEOUT, no connection left open`, async () => {
      const p = await peer(flavor);
      p.behave(behaviour);
      const r = await inProcess(args, env(p));
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('ERR_SOURCE_TIMEOUT');
      // The deadline ended a call the peer was holding, not the CLI's own start-up.
      expect(storeCalls(p)).toBeGreaterThan(0);
      await p.drained();
    });
  }
});

// The built binary in its own process: it exits by itself, within a bounded peak memory.
describe.concurrent('the secretsource binary against hostile peers', { timeout: BINARY_TEST_MS }, () => {
  beforeAll(() => {
    expect(existsSync(bin), 'run `npm run build` first (npm test does)').toBe(true);
  });
  const own: Array<[string, Flavor, Behaviour, (p: Peer) => Record<string, string>, string[]]> = [
    ['get (vault, no answer)', 'vault', hang, vault, ['get', 'vault:app/jwt']],
    ['run (aws-sm, trickle)', 'aws', trickle, (p) => ({ ...aws(p), JWT: 'aws-sm:app/jwt' }), runNode],
    ['copy (aws-sm, no answer)', 'aws', hang, aws, ['copy', 'aws-sm:app/', 'memory:']],
    ['rotate (vault, trickle)', 'vault', trickle, vault, ['rotate', 'vault:app/jwt']],
  ];
  for (const [label, flavor, behaviour, env, args] of own) {
    it(`${label}: prints ERR_SOURCE_TIMEOUT and exits`, async () => {
      const p = await peer(flavor);
      p.behave(behaviour);
      // That the deadline ends a call the peer holds is shown in process above; here, that the
      // process exits (a cold start on a loaded machine may spend the deadline loading the SDK).
      expectCoded(await cli(args, { ...env(p), SECRETSOURCE_TIMEOUT_MS: '5000' }), 'ERR_SOURCE_TIMEOUT');
    });
  }

  it('get: NAME_FILE=/dev/zero is refused at the size cap', async () => {
    expectCoded(await cli(['get', 'env:JWT'], { JWT_FILE: '/dev/zero' }), 'ERR_SECRET_MALFORMED');
  });

  // `--dotenv` is the bounded way to name a .env file: Node 20 reads `--env-file PATH` itself, even
  // after the script's path, whole, before any of our code runs (nodejs/node#54232; docs/reliability.md).
  const dotenvZero: Array<[string, string[], string]> = [
    ['check', ['check', '--dotenv', '/dev/zero'], 'DOTENV_TOO_LARGE'],
    ['get', ['get', 'JWT', '--dotenv', '/dev/zero'], 'ERR_CONFIG_INVALID'],
    ['run', ['run', '--dotenv', '/dev/zero', '--', process.execPath, '-e', '0'], 'ERR_CONFIG_INVALID'],
  ];
  for (const [command, args, code] of dotenvZero) {
    it(`${command} --dotenv /dev/zero: refused at the .env size cap, ${code}, exit 1`, async () => {
      const r = await cli(args, {});
      expect(r.killed, r.stderr).toBeUndefined();
      expect(r.code, r.stderr).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out).toContain(code);
      expect(out).toContain('larger than 67108864 bytes');
      // The cap plus one byte was read, not the device's endless zeros.
      expect(r.maxRssKb).toBeLessThan(MAX_RSS_KB);
    });
  }
});

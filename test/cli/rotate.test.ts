/** `secretsource rotate`: a new version in SSM on moto; only names and versions printed. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { awsSsm } from '../../providers/aws/ssm.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { keyIdOf } from '../../src/core/fingerprint.js';

describe('secretsource rotate', () => {
  it('writes a new version, keeps the previous one, and prints no key', async () => {
    const name = `/rotate/${randomBytes(4).toString('hex')}/jwt`;
    const ssm = awsSsm();
    const io = () => memoryIo({ env: { ...process.env } });
    const first = io();
    expect(await runCli(['rotate', `aws-ssm:${name}`], first)).toBe(0);
    expect(first.stdoutText).toMatch(
      new RegExp(
        `^rotated aws-ssm:${name}: version 1 \\(kid k_[0-9a-f]{16}\\), previous \\(none\\) kept\\n$`,
      ),
    );
    const key1 = (await ssm.get(name))!.value.reveal();
    const second = io();
    expect(
      await runCli(
        ['rotate', `aws-ssm:${name}`, '--format', 'json', '--bytes', '32', '--encoding', 'hex'],
        second,
      ),
    ).toBe(0);
    const result = JSON.parse(second.stdoutText);
    expect(result).toMatchObject({ source: 'aws-ssm', name, version: '2', previousVersion: '1' });
    const key2 = (await ssm.get(name))!.value.reveal();
    expect(key2).toMatch(/^[0-9a-f]{64}$/);
    expect(result.kid).toBe(keyIdOf(new Uint8Array(), { name, version: '2' }));
    expect((await ssm.get(name, { version: '1' }))!.value.reveal()).toBe(key1);
    for (const out of [first, second]) {
      expect(out.stdoutText + out.stderrText).not.toContain(key1);
      expect(out.stdoutText + out.stderrText).not.toContain(key2);
    }
  });

  it('exits 1 for a store without versions and 2 on usage errors', async () => {
    const env = memoryIo({ env: { JWT: 'x' } });
    expect(await runCli(['rotate', 'env:JWT'], env)).toBe(1);
    expect(env.stderrText).toMatch(/^error ERR_OPERATION_UNSUPPORTED: /);
    for (const argv of [
      ['rotate'],
      ['rotate', 'JWT'],
      ['rotate', 'memory:jwt', '--bytes', '8'],
      ['rotate', 'memory:jwt?version=1'],
    ]) {
      expect(await runCli(argv, memoryIo()), argv.join(' ')).toBe(2);
    }
  });
});

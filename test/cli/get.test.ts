import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

const SENTINEL = 'SENTINEL-cli-get-5e11-never-print';

describe('secretsource get', () => {
  it('prints the fingerprint, not the value', async () => {
    const io = memoryIo({ env: { JWT_SECRET_KEY: SENTINEL } });
    expect(await runCli(['get', 'env:JWT_SECRET_KEY'], io)).toBe(0);
    expect(io.stdoutText).toMatch(
      /^env:JWT_SECRET_KEY {2}fpr_[0-9a-f]{16} {2}33 bytes {2}\(use --reveal to print the value\)\n$/,
    );
    expect(io.stdoutText + io.stderrText).not.toContain(SENTINEL);
  });

  it('prints the value with --reveal', async () => {
    const io = memoryIo({ env: { JWT_SECRET_KEY: SENTINEL } });
    expect(await runCli(['get', 'JWT_SECRET_KEY', '--reveal'], io)).toBe(0);
    expect(io.stdoutText).toBe(`${SENTINEL}\n`);
  });

  it('reads .env files with --env-file and selects JSON fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-cli-'));
    await writeFile(join(dir, 'app.env'), `APP='{"jwt":"${SENTINEL}"}'\n`);
    const io = memoryIo({ env: {}, cwd: dir });
    expect(await runCli(['get', 'dotenv:APP#jwt', '--env-file', 'app.env', '--format', 'json'], io)).toBe(0);
    const out = JSON.parse(io.stdoutText);
    expect(out).toMatchObject({ ref: 'dotenv:APP#jwt', bytes: SENTINEL.length });
    expect(io.stdoutText).not.toContain(SENTINEL);
  });

  it('exits 1 with a coded message when the secret is missing', async () => {
    const io = memoryIo({ env: {} });
    expect(await runCli(['get', 'JWT_SECRET_KEY'], io)).toBe(1);
    expect(io.stderrText).toBe(
      'error ERR_SECRET_NOT_FOUND: secret "JWT_SECRET_KEY" was not found in "env"\n',
    );
  });

  it('exits 1 on a non-JSON value with #field, without the value', async () => {
    const io = memoryIo({ env: { APP: SENTINEL } });
    expect(await runCli(['get', 'env:APP#jwt'], io)).toBe(1);
    expect(io.stderrText).toContain('error ERR_SECRET_MALFORMED: secret "APP" in source "env" is not JSON');
    expect(io.stderrText).not.toContain(SENTINEL);
  });

  it('exits 2 on usage errors: a malformed ref, an unknown source, a bad flag', async () => {
    for (const argv of [
      ['get', 'env:'],
      ['get', 'nosuch:X'],
      ['get', 'X', '--format', 'yaml'],
      ['get'],
      ['nosuchcommand'],
    ]) {
      const io = memoryIo({ env: {} });
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderrText.length).toBeGreaterThan(0);
    }
  });

  it('prints help and version with exit 0', async () => {
    const help = memoryIo();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdoutText).toContain('Usage: secretsource');
    expect(help.stdoutText).toContain('get [options] <ref>');
    const version = memoryIo();
    expect(await runCli(['--version'], version)).toBe(0);
    expect(version.stdoutText).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('the built bin runs as a real process', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'bin.js');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'get', 'env:DEMO_KEY'], {
      env: { PATH: process.env.PATH, DEMO_KEY: SENTINEL },
    });
    expect(stdout).toMatch(/^env:DEMO_KEY {2}fpr_/);
    expect(stdout).not.toContain(SENTINEL);
    const err = await promisify(execFile)(process.execPath, [bin, 'get', 'env:NOPE'], {
      env: { PATH: process.env.PATH },
    }).catch((e: unknown) => e as { code: number; stderr: string });
    expect(err).toMatchObject({ code: 1 });
  });
});

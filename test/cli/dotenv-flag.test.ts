/**
 * `--dotenv` names the .env files of get, check and run; `--env-file` is the same flag spelled the
 * old way (Node 20 reads `--env-file` itself, so the documented spelling is `--dotenv`), up to `--`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

async function dirWithEnv(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ss-dotenv-flag-'));
  await writeFile(join(dir, '.env'), text);
  return dir;
}

describe('--dotenv and its old spelling --env-file', () => {
  it.each([
    ['--dotenv', '.env'],
    ['--env-file', '.env'],
    ['--dotenv=.env', undefined],
    ['--env-file=.env', undefined],
  ])('check %s reads the file', async (flag, value) => {
    const dir = await dirWithEnv(`JWT_SECRET_KEY=${randomBytes(48).toString('base64url')}\n`);
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', flag, ...(value ? [value] : [])], io)).toBe(0);
    expect(io.stdoutText).toBe('1 secret checked for production: 0 errors, 0 warnings\n');
  });

  it.each(['--dotenv', '--env-file'])(
    'check %s with a missing file is a usage error (exit 2, ERR_USAGE)',
    async (flag) => {
      const io = memoryIo({ cwd: await dirWithEnv(''), env: {} });
      expect(await runCli(['check', flag, 'absent.env'], io)).toBe(2);
      expect(io.stderrText).toContain('ERR_USAGE');
    },
  );

  it('get --dotenv finds a bare name in the file', async () => {
    const dir = await dirWithEnv('API_TOKEN=an-api-token-from-the-file-0123456789abcdef\n');
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['get', 'API_TOKEN', '--dotenv', '.env', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.stdoutText)).toMatchObject({ ref: 'API_TOKEN', bytes: 43 });
  });

  it('leaves --env-file after `--` to the command run starts', async () => {
    const dir = await dirWithEnv('PLAIN=from-the-file\n');
    const io = memoryIo({ cwd: dir, env: { ...process.env, NODE_ENV: 'test' } });
    const argv = [
      'run',
      '--dotenv',
      '.env',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write(JSON.stringify([process.env.PLAIN, process.argv.slice(1)]))',
      '--',
      '--env-file',
      'x',
    ];
    expect(await runCli(argv, io)).toBe(0);
    expect(JSON.parse(io.stdoutText)).toEqual(['from-the-file', ['--env-file', 'x']]);
  });
});

/** `secretsource run`: refs resolved and replaced, failures listed before anything starts, signals and exit codes passed through. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { awsSsm } from '../../providers/aws/ssm.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { generateKey } from '../../src/keys/keygen.js';

const SENTINEL = 'SENTINEL-cli-run-77e2-never-print';
const PRINT_ENV = 'process.stdout.write(JSON.stringify(process.env))';

async function seed(values: Record<string, string>): Promise<string> {
  const prefix = `/run/${randomBytes(5).toString('hex')}/`;
  const ssm = awsSsm();
  for (const [k, v] of Object.entries(values)) await ssm.set(`${prefix}${k}`, v);
  return prefix;
}

describe('secretsource run', () => {
  it('replaces refs and changes nothing else', async () => {
    const jwt = generateKey();
    const prefix = await seed({ jwt, db: `${SENTINEL}-db` });
    const env = {
      ...process.env,
      JWT_SECRET_KEY: `aws-ssm:${prefix}jwt`,
      DB_PASSWORD: `aws-ssm:${prefix}db`,
      FROM_ENV: 'env:PLAIN',
      PLAIN: 'not a ref: keep me',
      URLISH: 'https://example.com/x',
      // Not refs: a SQLite URL and a memory: value stay as they are.
      DATABASE_URL: 'file:./dev.db',
      CACHE: 'memory:512',
      NODE_ENV: 'production',
    };
    const dir = await mkdtemp(join(tmpdir(), 'ss-run-'));
    const io = memoryIo({ env, cwd: dir });
    expect(
      await runCli(['run', '--audit-log', 'audit.jsonl', '--', process.execPath, '-e', PRINT_ENV], io),
    ).toBe(0);
    const audit = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"action":"resolve"');
    expect(audit).not.toContain(SENTINEL);
    const seen = JSON.parse(io.stdoutText) as Record<string, string>;
    const expected = {
      ...env,
      JWT_SECRET_KEY: jwt,
      DB_PASSWORD: `${SENTINEL}-db`,
      FROM_ENV: 'not a ref: keep me',
    };
    expect(seen).toEqual(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)));
    expect(io.stderrText).not.toContain(SENTINEL);
  });

  it('adds --env-file variables the environment does not set, resolving refs in them too', async () => {
    const jwt = generateKey();
    const prefix = await seed({ jwt });
    const dir = await mkdtemp(join(tmpdir(), 'ss-run-'));
    await writeFile(join(dir, '.env.test'), `JWT_SECRET_KEY=aws-ssm:${prefix}jwt\nPORT=3000\nKEEP=file\n`);
    const io = memoryIo({ env: { ...process.env, KEEP: 'env' }, cwd: dir });
    const argv = ['run', '--env-file', '.env.test', '--', process.execPath, '-e', PRINT_ENV];
    expect(await runCli(argv, io)).toBe(0);
    expect(JSON.parse(io.stdoutText)).toMatchObject({ JWT_SECRET_KEY: jwt, PORT: '3000', KEEP: 'env' });
  });

  it('refuses to start when refs fail or a secret is weak in production, listing every one', async () => {
    const prefix = await seed({ weak: 'changeme', db: SENTINEL });
    const dir = await mkdtemp(join(tmpdir(), 'ss-run-'));
    const marker = join(dir, 'started');
    const env = {
      ...process.env,
      JWT_SECRET_KEY: `aws-ssm:${prefix}weak`,
      API_KEY: `aws-ssm:${prefix}missing`,
      DB_PASSWORD: `aws-ssm:${prefix}db`,
    };
    const io = memoryIo({ env, cwd: dir });
    const argv = [
      'run',
      '--environment',
      'production',
      '--',
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`,
    ];
    expect(await runCli(argv, io)).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(io.stderrText).toContain(`not starting ${process.execPath}: 2 of 3 secrets failed\n`);
    expect(io.stderrText).toMatch(/ {2}API_KEY: ERR_SECRET_NOT_FOUND /);
    expect(io.stderrText).toMatch(/ {2}JWT_SECRET_KEY: ERR_SECRET_WEAK .*jwt-hs256 policy in production/);
    expect(io.stderrText + io.stdoutText).not.toContain('changeme');
    expect(io.stderrText + io.stdoutText).not.toContain(SENTINEL);

    // The same weak key in development only warns, and the command starts.
    const dev = memoryIo({ env: { ...env, API_KEY: 'plain' }, cwd: dir });
    const argvDev = ['run', '--environment', 'development', '--', process.execPath, '-e', 'process.exit(0)'];
    expect(await runCli(argvDev, dev)).toBe(0);
    // Named by the variable, in the words `check` uses.
    expect(dev.stderrText).toMatch(/^JWT_SECRET_KEY {2}WEAK_\w+ {2}warning: /m);
  });

  it('exits 3 when a source cannot be reached', async () => {
    const io = memoryIo({
      env: {
        PATH: process.env.PATH,
        SECRET: 'vault:app/x',
        VAULT_ADDR: 'http://127.0.0.1:9',
        VAULT_TOKEN: 't',
      },
    });
    expect(await runCli(['run', '--', process.execPath, '-e', '0'], io)).toBe(3);
    expect(io.stderrText).toMatch(/SECRET: ERR_SOURCE_UNAVAILABLE/);
  });

  it("exits with the command's code, 127 when it does not exist, 2 without a command", async () => {
    const env = { PATH: process.env.PATH };
    expect(await runCli(['run', '--', process.execPath, '-e', 'process.exit(5)'], memoryIo({ env }))).toBe(5);
    const missing = memoryIo({ env });
    expect(await runCli(['run', '--', 'no-such-command-3b7f'], missing)).toBe(127);
    expect(missing.stderrText).toContain('command not found');
    expect(await runCli(['run'], memoryIo({ env }))).toBe(2);
  });

  it('forwards SIGTERM to the command and exits with its code (a child that traps it and exits 7)', async () => {
    const bin = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
    const script =
      "process.on('SIGTERM', () => process.exit(7)); console.log('ready'); setInterval(() => {}, 1000);";
    const cli: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', bin, 'run', '--', process.execPath, '-e', script],
      {
        env: { ...process.env, SECRET_FROM_ENV: 'env:PATH' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      cli.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('ready')) resolve();
      });
      cli.once('exit', () => reject(new Error(`the CLI exited early: ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    cli.kill('SIGTERM');
    expect(await exited).toBe(7);
  });
});

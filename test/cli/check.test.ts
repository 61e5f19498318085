import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

const SENTINEL = 'SENTINELcheckQ7zvalue';
const strong = () => randomBytes(48).toString('base64url');

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ss-check-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('secretsource check', () => {
  it('accepts a line printed by generate --format env, in production', async () => {
    const gen = memoryIo();
    expect(await runCli(['generate', '--format', 'env', '--name', 'JWT_SECRET_KEY'], gen)).toBe(0);
    const dir = await dirWith({ '.env': gen.stdoutText });
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', '--env-file', '.env'], io)).toBe(0);
    expect(io.stdoutText).toBe('1 secret checked for production: 0 errors, 0 warnings\n');
  });

  it.each([
    ['a key from the public list', 'thisisthesecretkey', 'WEAK_KNOWN_LEAKED'],
    ['changeme', 'changeme', 'WEAK_PLACEHOLDER'],
    ['changeme (a known default too)', 'changeme', 'WEAK_KNOWN_DEFAULT'],
    ['a 16-byte hex key', randomBytes(16).toString('hex'), 'WEAK_TOO_SHORT'],
  ])('exits 1 for %s, naming %s', async (_what, value, code) => {
    const io = memoryIo({ env: { JWT_SECRET_KEY: value } });
    expect(await runCli(['check', 'JWT_SECRET_KEY'], io)).toBe(1);
    expect(io.stdoutText).toMatch(new RegExp(`^JWT_SECRET_KEY {2}${code} {2}error: `, 'm'));
    expect(io.stdoutText + io.stderrText).not.toContain(value);
  });

  it('one line per finding, then a summary; JSON carries the same findings', async () => {
    const env = { JWT_SECRET_KEY: 'changeme', API_TOKEN: strong() };
    const io = memoryIo({ env });
    expect(await runCli(['check', 'JWT_SECRET_KEY', 'API_TOKEN'], io)).toBe(1);
    const lines = io.stdoutText.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^2 secrets checked for production: \d+ errors, 0 warnings$/);
    const json = memoryIo({ env });
    expect(await runCli(['check', 'JWT_SECRET_KEY', 'API_TOKEN', '--format', 'json'], json)).toBe(1);
    const out = JSON.parse(json.stdoutText);
    expect(out.ok).toBe(false);
    expect(out.checked).toEqual([
      { name: 'JWT_SECRET_KEY', origin: 'env', profile: 'jwt-hs256' },
      { name: 'API_TOKEN', origin: 'env', profile: 'api-key' },
    ]);
    expect(out.findings.length).toBe(lines.length - 1);
    expect(out.findings.every((f: { name: string }) => f.name === 'JWT_SECRET_KEY')).toBe(true);
  });

  it('development turns findings into warnings (exit 0); --strict makes them fail', async () => {
    const env = { JWT_SECRET_KEY: 'changeme' };
    const dev = memoryIo({ env });
    expect(await runCli(['check', 'JWT_SECRET_KEY', '--environment', 'development'], dev)).toBe(0);
    expect(dev.stdoutText).toContain('WEAK_PLACEHOLDER  warning');
    const strict = memoryIo({ env });
    expect(
      await runCli(['check', 'JWT_SECRET_KEY', '--environment', 'development', '--strict'], strict),
    ).toBe(1);
  });

  it('--profile overrides the name rule', async () => {
    const env = { API_TOKEN: randomBytes(32).toString('base64url') };
    expect(await runCli(['check', 'API_TOKEN'], memoryIo({ env }))).toBe(0);
    expect(await runCli(['check', 'API_TOKEN', '--profile', 'jwt-hs512'], memoryIo({ env }))).toBe(1);
  });

  it('without names, checks secret-looking variables of the env files (later files win)', async () => {
    const dir = await dirWith({
      'a.env': `JWT_SECRET=changeme\nPORT=3000\nDB_PASSWORD=${strong()}\n`,
      'b.env': `JWT_SECRET=${strong()}\n`,
    });
    const io = memoryIo({ cwd: dir, env: { UNRELATED_TOKEN: 'x' } });
    expect(
      await runCli(['check', '--env-file', 'a.env', '--env-file', 'b.env', '--format', 'json'], io),
    ).toBe(0);
    expect(JSON.parse(io.stdoutText).checked.map((c: { name: string }) => c.name)).toEqual([
      'DB_PASSWORD',
      'JWT_SECRET',
    ]);
  });

  it('refs with a JSON field go through the resolver (weak field found, strong field passes)', async () => {
    const dir = await dirWith({ 'app.env': `APP='{"jwt":"changeme","api":"${strong()}"}'\n` });
    const weak = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', 'dotenv:APP#jwt', '--env-file', 'app.env'], weak)).toBe(1);
    expect(weak.stdoutText).toMatch(/^dotenv:APP#jwt {2}WEAK_PLACEHOLDER/m);
    expect(weak.stdoutText).not.toContain('changeme');
    const ok = memoryIo({ cwd: dir, env: {} });
    expect(
      await runCli(['check', 'dotenv:APP#api', '--env-file', 'app.env', '--profile', 'api-key'], ok),
    ).toBe(0);
    const absent = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', 'dotenv:NOPE#x', '--env-file', 'app.env'], absent)).toBe(1);
    expect(absent.stdoutText).toContain('dotenv:NOPE#x  ERR_SECRET_NOT_FOUND');
  });

  it('a missing name is a finding (exit 1)', async () => {
    const io = memoryIo({ env: {} });
    expect(await runCli(['check', 'JWT_SECRET_KEY'], io)).toBe(1);
    expect(io.stdoutText).toContain('JWT_SECRET_KEY  ERR_SECRET_NOT_FOUND');
  });

  it('usage errors exit 2: unknown flag value, missing env file, bad ref', async () => {
    expect(await runCli(['check', '--environment', 'prod'], memoryIo())).toBe(2);
    expect(await runCli(['check', '--profile', 'hs1'], memoryIo())).toBe(2);
    expect(await runCli(['check', '--format', 'xml'], memoryIo())).toBe(2);
    const io = memoryIo({ cwd: await dirWith({}) });
    expect(await runCli(['check', '--env-file', 'absent.env'], io)).toBe(2);
    expect(io.stderrText).toContain('ERR_USAGE');
    expect(await runCli(['check', 'nosuchsource:X'], memoryIo())).toBe(2);
  });

  it('a source that fails exits 3', async () => {
    const dir = await dirWith({});
    // A directory where a file is expected makes the read fail with EISDIR... which is a usage error;
    // an unreadable env file is a source failure.
    await writeFile(join(dir, 'locked.env'), 'A=1\n', { mode: 0o000 });
    const io = memoryIo({ cwd: dir });
    const code = await runCli(['check', '--env-file', 'locked.env'], io);
    // root can read a 0000 file: then the run succeeds with nothing to check.
    expect(process.getuid?.() === 0 ? [0, 3] : [3]).toContain(code);
  });

  it('--compare reports values shared with another env file, by fingerprint', async () => {
    const shared = strong();
    const dir = await dirWith({
      'prod.env': `JWT_SECRET=${shared}\nAPI_KEY=${strong()}\n`,
      'staging.env': `JWT_SECRET_STAGING=${shared}\nAPI_KEY=${strong()}\n`,
    });
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', '--env-file', 'prod.env', '--compare', 'staging.env'], io)).toBe(1);
    expect(io.stdoutText).toMatch(
      /^JWT_SECRET {2}WEAK_SHARED {2}error: the same value is used in staging\.env as JWT_SECRET_STAGING \(fp_[0-9a-f]{16}\)/m,
    );
    expect(io.stdoutText).not.toContain('API_KEY  WEAK_SHARED');
    expect(io.stdoutText).not.toContain(shared);
  });

  it('--deploy adds the configuration rules', async () => {
    const dir = await dirWith({
      '.env': `NODE_ENV=development\nJWT_SECRET=${strong()}\nCORS_ORIGIN=*\nDATABASE_URL=postgres://postgres:postgres@db.example.com/app\n`,
    });
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', '--env-file', '.env', '--deploy'], io)).toBe(1);
    for (const code of [
      'DEPLOY_ENV_NOT_PRODUCTION',
      'DEPLOY_CORS_WILDCARD',
      'DEPLOY_DB_WEAK_PASSWORD',
      'DEPLOY_DB_TLS_DISABLED',
    ]) {
      expect(io.stdoutText).toContain(code);
    }
    expect(io.stdoutText).not.toContain('postgres:postgres');
  });

  it('never prints a planted sentinel, in text or JSON, whatever fires', async () => {
    const dir = await dirWith({
      '.env': `JWT_SECRET=${SENTINEL}\nADMIN_PASSWORD=${SENTINEL}\nDATABASE_URL=postgres://u:${SENTINEL}@h/db\n`,
      'other.env': `JWT_SECRET=${SENTINEL}\n`,
    });
    for (const format of ['text', 'json']) {
      const io = memoryIo({ cwd: dir, env: { NODE_ENV: SENTINEL } });
      await runCli(
        ['check', '--env-file', '.env', '--compare', 'other.env', '--deploy', '--format', format],
        io,
      );
      const all = io.stdoutText + io.stderrText;
      expect(all.length).toBeGreaterThan(0);
      expect(all).not.toContain(SENTINEL);
      expect(all.toLowerCase()).not.toContain(SENTINEL.toLowerCase());
    }
  });
});

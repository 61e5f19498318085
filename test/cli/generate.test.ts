import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { parseDotenv } from '../../src/dotenv/parse.js';
import { checkStrength } from '../../src/strength/index.js';

const tmp = () => mkdtemp(join(tmpdir(), 'ss-gen-'));

describe('secretsource generate', () => {
  it('prints a 64-byte base64url key by default, and a summary on stderr', async () => {
    const io = memoryIo();
    expect(await runCli(['generate'], io)).toBe(0);
    expect(io.stdoutText).toMatch(/^[A-Za-z0-9_-]{86}\n$/);
    expect(io.stderrText).toContain('64 random bytes (512 bits)');
    expect(io.stderrText).not.toContain(io.stdoutText.trim());
  });

  it('--quiet prints only the key', async () => {
    const io = memoryIo();
    expect(await runCli(['generate', '--quiet', '--bytes', '32', '--encoding', 'hex'], io)).toBe(0);
    expect(io.stdoutText).toMatch(/^[0-9a-f]{64}\n$/);
    expect(io.stderrText).toBe('');
  });

  it.each([
    ['env', /^JWT_SECRET_KEY=[A-Za-z0-9_-]{86}\n$/],
    ['export', /^export JWT_SECRET_KEY=[A-Za-z0-9_-]{86}\n$/],
  ])('--format %s --name prints a line', async (format, pattern) => {
    const io = memoryIo();
    expect(await runCli(['generate', '--format', format, '--name', 'JWT_SECRET_KEY'], io)).toBe(0);
    expect(io.stdoutText).toMatch(pattern);
  });

  it('--format json', async () => {
    const io = memoryIo();
    expect(await runCli(['generate', '--format', 'json', '--name', 'K', '--encoding', 'base64'], io)).toBe(0);
    const out = JSON.parse(io.stdoutText);
    expect(out).toMatchObject({ name: 'K', bytes: 64, bits: 512, encoding: 'base64' });
    expect(Buffer.from(out.key, 'base64')).toHaveLength(64);
  });

  it('every generated key passes jwt-hs512', async () => {
    for (const encoding of ['base64url', 'hex', 'base64']) {
      const io = memoryIo();
      await runCli(['generate', '--quiet', '--encoding', encoding], io);
      expect(
        checkStrength(io.stdoutText.trim(), { profile: 'jwt-hs512', environment: 'production' }).ok,
      ).toBe(true);
    }
  });

  it.each([
    [['--bytes', '0'], 'too short'],
    [['--bytes', '16'], 'too short'],
    [['--bytes', '10000000'], 'maximum'],
    [['--bytes', 'lots'], 'whole number'],
    [['--format', 'env'], 'needs --name'],
    [['--name', '1BAD'], '--name must be'],
    [['--encoding', 'rot13'], 'invalid'],
  ])('usage error for %j', async (args, text) => {
    const io = memoryIo();
    expect(await runCli(['generate', ...args], io)).toBe(2);
    expect(io.stderrText).toContain(text);
    expect(io.stdoutText).toBe('');
  });

  describe('--write', () => {
    it('creates the file with mode 0600, never printing the key', async () => {
      const dir = await tmp();
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['generate', '--write', '.env', '--name', 'JWT_SECRET_KEY'], io)).toBe(0);
      const text = await readFile(join(dir, '.env'), 'utf8');
      const key = parseDotenv(text).values.JWT_SECRET_KEY!;
      expect(key).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
      expect(io.stdoutText).toBe('');
      expect(io.stderrText).not.toContain(key);
      expect(io.stderrText).toContain('wrote JWT_SECRET_KEY');
    });

    it('appends to an existing file when the name is absent, keeping its lines', async () => {
      const dir = await tmp();
      await writeFile(join(dir, '.env'), 'PORT=3000\nOTHER=x');
      expect(
        await runCli(['generate', '--write', '.env', '--name', 'JWT_SECRET_KEY'], memoryIo({ cwd: dir })),
      ).toBe(0);
      const values = parseDotenv(await readFile(join(dir, '.env'), 'utf8')).values;
      expect(values).toMatchObject({ PORT: '3000', OTHER: 'x' });
      expect(values.JWT_SECRET_KEY).toMatch(/^[A-Za-z0-9_-]{86}$/);
    });

    it('refuses a file that already defines the name and leaves it unchanged', async () => {
      const dir = await tmp();
      const before = 'export JWT_SECRET_KEY=keep-me\n';
      await writeFile(join(dir, '.env'), before);
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['generate', '--write', '.env', '--name', 'JWT_SECRET_KEY'], io)).toBe(1);
      expect(io.stderrText).toContain('ERR_SECRET_CONFLICT');
      expect(io.stderrText).not.toContain('keep-me');
      expect(await readFile(join(dir, '.env'), 'utf8')).toBe(before);
    });

    it('a read-only location fails with ERR_SOURCE_ACCESS_DENIED (exit 3), printing no key', async () => {
      const dir = await tmp();
      await chmod(dir, 0o500);
      const io = memoryIo({ cwd: dir });
      const code = await runCli(['generate', '--write', '.env', '--name', 'JWT_SECRET_KEY'], io);
      await chmod(dir, 0o700);
      // root ignores directory permissions: then the write succeeds, which is also correct behaviour.
      if (process.getuid?.() === 0) {
        expect([0, 3]).toContain(code);
      } else {
        expect(code).toBe(3);
        expect(io.stderrText).toContain('ERR_SOURCE_ACCESS_DENIED');
      }
      expect(io.stdoutText).toBe('');
    });

    it('a path under a file (ENOTDIR) fails with exit 3 whoever runs it', async () => {
      const dir = await tmp();
      await writeFile(join(dir, 'plain'), 'x');
      const io = memoryIo({ cwd: dir });
      expect(await runCli(['generate', '--write', 'plain/.env', '--name', 'K'], io)).toBe(3);
      expect(io.stderrText).toContain('ERR_SOURCE_ACCESS_DENIED');
      expect(io.stdoutText).toBe('');
    });
  });
});

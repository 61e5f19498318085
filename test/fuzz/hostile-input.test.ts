/**
 * The hostile-input table (issue 12): names, source ids, refs and files that once crashed a command,
 * reached `Object.prototype`, or read without end. Each row asserts a stable code (or the right
 * answer), never an `unexpected` crash.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotenvSource } from '../../providers/dotenv.js';
import { envSource } from '../../providers/env.js';
import { fileSource } from '../../providers/file.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { codeOf, collect } from '../helpers/assertions.js';

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env });
  const code = await runCli(args, io);
  return { code, out: io.stdoutText + io.stderrText };
}

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('hostile input: prototype names', () => {
  it.each(PROTOTYPE_NAMES)('%s is an ordinary, absent name for the env source and the CLI', async (name) => {
    expect(await envSource({ env: {} }).get(name)).toBeUndefined();
    const got = await cli(['get', `env:${name}`]);
    expect(got.out).toContain('ERR_SECRET_NOT_FOUND');
    const checked = await cli(['check', name]);
    expect(checked.out).not.toContain('unexpected');
    expect(checked.code).not.toBe(3);
  });

  it.each(PROTOTYPE_NAMES)('%s as a source id is refused as a usage error, not a crash', async (id) => {
    const r = await cli(['get', `${id}:x`]);
    expect(r.code, r.out).toBe(2);
    // Not an id's shape (ERR_REF_INVALID), or an id no source has (`constructor`: ERR_USAGE, "unknown source").
    expect(r.out).toMatch(/ERR_REF_INVALID|ERR_USAGE: unknown source/);
    expect(r.out).not.toContain('unexpected');
  });

  it.each(PROTOTYPE_NAMES)(
    '%s as a source id in copy (either side) is a usage error, not a crash',
    async (id) => {
      for (const args of [
        ['copy', `${id}:x`, 'memory:'],
        ['copy', 'memory:', `${id}:x`],
      ]) {
        const r = await cli(args);
        expect(r.code, `${args.join(' ')}: ${r.out}`).toBe(2);
        expect(r.out).toMatch(/ERR_REF_INVALID|ERR_USAGE: unknown source/);
        expect(r.out).not.toContain('unexpected');
      }
    },
  );

  it('a value set under a prototype name is read as any other', async () => {
    expect((await envSource({ env: { constructor: 'c-value' } }).get('constructor'))?.value.reveal()).toBe(
      'c-value',
    );
  });
});

describe('hostile input: surrogates and control characters', () => {
  it.each(['a\uD800b', '\uDC00', 'x\u0000y', 'x\u001By', 'x\ny'])(
    'name %j: a coded refusal or absence',
    async (name) => {
      const r = await cli(['get', `env:${name}`]);
      expect(r.out).toMatch(/ERR_(SECRET_NAME_INVALID|REF_INVALID|SECRET_NOT_FOUND)/);
      expect(r.out).not.toContain('unexpected');
    },
  );
});

describe('hostile input: names a network store is asked for', () => {
  // A closed port: a name that got as far as a request would fail as "unreachable" (retryable).
  const vault = hashicorpVault({ endpoint: 'http://127.0.0.1:9', token: 'hostile-input-token' });
  it.each(['a\uD800b', '\uDC00', 'x\u0000y', 'x\ny'])(
    'Vault name %j: ERR_SECRET_NAME_INVALID, not retryable, nothing sent',
    async (name) => {
      const err = await codeOf(vault.get(name));
      expect(err).toMatchObject({ code: 'ERR_SECRET_NAME_INVALID', retryable: false, source: 'vault' });
    },
  );
});

describe('hostile input: files', () => {
  /** A Kubernetes secret volume: each key a link into `..data`, itself a link to a dated folder. */
  function kubernetesVolume(values: Record<string, string>): { root: string; vol: string } {
    const root = mkdtempSync(join(tmpdir(), 'ss-vol-'));
    const vol = join(root, 'vol');
    mkdirSync(join(vol, '..2026_01_01'), { recursive: true });
    for (const [name, value] of Object.entries(values)) {
      writeFileSync(join(vol, '..2026_01_01', name), value);
      symlinkSync(`..data/${name}`, join(vol, name));
    }
    symlinkSync('..2026_01_01', join(vol, '..data'));
    return { root, vol };
  }

  it('copy file:<Kubernetes volume>: every key planned and copied, a link out of it not', async () => {
    const strong = () => randomBytes(32).toString('base64');
    const { root, vol } = kubernetesVolume({ JWT_SECRET: strong(), DB_PASSWORD: strong() });
    writeFileSync(join(root, 'outside.txt'), strong());
    symlinkSync('../outside.txt', join(vol, 'OUT'));
    const r = await cli(['copy', `file:${vol}`, 'memory:', '--apply', '--format', 'json']);
    expect(r.code, r.out).toBe(0);
    const report = JSON.parse(r.out) as {
      counts: { create: number };
      writes: number;
      items: Array<{ name: string }>;
    };
    expect(report.items.map((i) => i.name).sort()).toEqual(['DB_PASSWORD', 'JWT_SECRET']);
    expect(report.counts.create).toBe(2);
    expect(report.writes).toBe(2);
  });

  it('NAME_FILE=/dev/zero stops at the size cap', async () => {
    const err = await codeOf(envSource({ env: { JWT_FILE: '/dev/zero' } }).get('JWT'));
    expect(err.code).toBe('ERR_SECRET_MALFORMED');
    expect(err.message).toContain('larger than');
  });

  it('dotenvSource on /dev/zero: ERR_CONFIG_INVALID (DOTENV_TOO_LARGE), at most the 64 MiB cap read', async () => {
    const err = await codeOf(dotenvSource({ path: '/dev/zero' }).get('JWT'));
    expect(err.code).toBe('ERR_CONFIG_INVALID');
    expect((err as { issues?: Array<{ code: string }> }).issues?.map((i) => i.code)).toEqual([
      'DOTENV_TOO_LARGE',
    ]);
  });

  it('check --deploy: a % typo in a database URL is judged, not a crash', async () => {
    const r = await cli(['check', '--deploy'], {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://us%er:p%zzword-long-enough@db.internal/app',
    });
    expect(r.out).not.toContain('unexpected');
    expect(r.code).not.toBe(3);
  });

  it('generate --write narrows an existing 0644 file to 0600 before writing the key', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ss-gen-')), '.env');
    writeFileSync(file, 'OTHER=1\n');
    chmodSync(file, 0o644);
    const r = await cli(['generate', '--name', 'JWT_SECRET_KEY', '--write', file]);
    expect(r.code, r.out).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('file source: links out of the directory are refused, a Kubernetes volume lists every key', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ss-vol-'));
    const vol = join(root, 'vol');
    mkdirSync(join(vol, '..2026_01_01'), { recursive: true });
    writeFileSync(join(vol, '..2026_01_01', 'JWT'), 'jwt-value');
    writeFileSync(join(vol, '..2026_01_01', 'DB'), 'db-value');
    symlinkSync('..2026_01_01', join(vol, '..data'));
    symlinkSync('..data/JWT', join(vol, 'JWT'));
    symlinkSync('..data/DB', join(vol, 'DB'));
    writeFileSync(join(root, 'outside.txt'), 'outside-value');
    symlinkSync('../outside.txt', join(vol, 'OUT'));
    symlinkSync('/etc/hostname', join(vol, 'HOST'));
    const source = fileSource({ dir: vol });
    expect((await source.get('JWT'))?.value.reveal()).toBe('jwt-value');
    const names = (await collect(source.list!())).map((e) => (typeof e === 'string' ? e : e.name)).sort();
    expect(names).toEqual(['DB', 'JWT']);
    for (const name of ['OUT', 'HOST']) {
      const err = await source.get(name).then(
        (v) => v,
        (e: { code?: string }) => e,
      );
      expect(err === undefined || (err as { code?: string }).code?.startsWith('ERR_')).toBe(true);
      expect(JSON.stringify(err ?? null)).not.toContain('outside-value');
    }
  });
});
